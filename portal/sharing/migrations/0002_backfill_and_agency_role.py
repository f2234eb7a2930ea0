"""Journal rows for the records that existed before the journal, and the agency role.

Every enterprise and notice gets a row at position 0, so that a client's first pull (without a
cursor) starts with the whole registry; later changes land after it in commit order. The
``agency`` group is the role that gives a vetted client's service account its clearance.
"""

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    Change = apps.get_model("sharing", "Change")
    now = timezone.now()
    for feed, model in (("enterprises", "enterprises.Enterprise"), ("notices", "notices.NoticePage")):
        ids = apps.get_model(model).objects.values_list("pk", flat=True).iterator()
        Change.objects.bulk_create(
            (Change(feed=feed, object_id=pk, position=0, changed_at=now) for pk in ids),
            ignore_conflicts=True,
            batch_size=2000,
        )
    apps.get_model("auth", "Group").objects.get_or_create(name="agency")


def unfill(apps, schema_editor):
    apps.get_model("sharing", "Change").objects.filter(position=0).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0001_clients_and_journal"),
        ("enterprises", "0004_owner_group_and_grants"),
        ("notices", "0006_release_grants"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(backfill, unfill)]
