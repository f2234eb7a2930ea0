"""``python manage.py seed_demo [--seed N]``: realistic demo data, deterministic and idempotent.

Each content area contributes a seeder (a ``seed(rng, stdout, options)`` function listed in
``SEEDERS``); the same ``--seed`` gives the same data, and running it twice changes nothing.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

SEEDERS = [
    "portal.accounts.demo.seed",
    "portal.enterprises.demo.seed",
    "portal.notices.demo.seed",
    "portal.papers.demo.seed",  # after enterprises: papers print the registry's counts
    "portal.shortlists.demo.seed",  # after accounts and enterprises
    "portal.alerts.demo.seed",  # after accounts: saved searches of the demo users
]


class Command(BaseCommand):
    help = "Create the demo data set (accounts for every role, later enterprises, notices, papers)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--enterprises",
            type=int,
            default=300,
            help="approved demo enterprises to create (default 300; 100000 for benchmarks)",
        )

    def handle(self, *args, **options) -> None:
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo data is disabled in these settings (DEMO_DATA_ALLOWED).")
        rng = random.Random(options["seed"])  # noqa: S311 — demo data, not secrets
        accounts = []
        with transaction.atomic():
            for path in SEEDERS:
                result = import_string(path)(rng, self.stdout, options)
                if path == "portal.accounts.demo.seed":
                    accounts = result
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins 演示账户:"))
        width = max(len(a.username) for a in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.password:<22} {account.label}"
            )
