"""``manage.py search_index``: build, check and repair the search indices.

--rebuild   build a new versioned index per logical index from the database (progress bar),
            then point the alias at it in one atomic request: searches keep working throughout,
            and changes made during the build are written to the new index too.
--check     report drift between index and database (missing, stale, orphaned); exits 1 if any.
--repair    like --check, then queue and send the repairs through the outbox.
--drain     send the pending outbox now.
--ensure    create each index's alias and first physical index where there is none, and
            rebuild an index whose mapping or analysis the code has changed (run at deploy,
            after migrate: the drain never creates indices).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search import engine, indexing, registry


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--rebuild", action="store_true")
        action.add_argument("--check", action="store_true")
        action.add_argument("--repair", action="store_true")
        action.add_argument("--drain", action="store_true")
        action.add_argument("--ensure", action="store_true")
        names = sorted(index.name for index in registry.indices())
        parser.add_argument("--index", choices=names, help="only this index")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options) -> None:
        indices = registry.indices()
        if options["index"]:
            indices = [registry.get(options["index"])]
        names = [index.name for index in indices]
        try:
            if options["ensure"]:
                for name in names:
                    self.stdout.write(f"{name}: alias {indexing.ensure(name)} ready")
            elif options["rebuild"]:
                for name in names:
                    physical, count = indexing.rebuild(name, progress=not options["no_progress"])
                    self.stdout.write(f"{name}: {count} documents in {physical}; alias swapped")
            elif options["drain"]:
                self.stdout.write(f"sent {indexing.drain()} outbox rows")
            else:
                drifted = False
                for name in names:
                    drift = indexing.reconcile(name) if options["repair"] else indexing.check(name)
                    drifted = drifted or bool(drift)
                    self.stdout.write(
                        f"{name}: {len(drift.missing)} missing, {len(drift.stale)} stale, "
                        f"{len(drift.orphaned)} orphaned"
                    )
                if options["repair"]:
                    self.stdout.write(f"sent {indexing.drain()} outbox rows")
                elif drifted:
                    raise CommandError("the index differs from the database")
        except engine.EngineUnavailable as error:
            raise CommandError(f"the search engine is unavailable: {error}") from error
