"""One outbox row per document: duplicates merged, a stamp and a claim added."""

import uuid

from django.db import migrations, models


def merge_duplicates(apps, schema_editor) -> None:
    OutboxEntry = apps.get_model("search", "OutboxEntry")
    seen: set[tuple[str, int]] = set()
    duplicates = []
    for pk, index, object_id in OutboxEntry.objects.order_by("pk").values_list(
        "pk", "index", "object_id"
    ):
        if (index, object_id) in seen:
            duplicates.append(pk)
        seen.add((index, object_id))
    for start in range(0, len(duplicates), 1000):
        OutboxEntry.objects.filter(pk__in=duplicates[start : start + 1000]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="outboxentry", name="search_outb_index_5abf73_idx"),
        migrations.AddField(
            model_name="outboxentry",
            name="stamp",
            field=models.UUIDField(default=uuid.uuid4),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outboxentry",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="outboxentry",
            constraint=models.UniqueConstraint(
                fields=("index", "object_id"), name="search_outbox_one_row"
            ),
        ),
    ]
