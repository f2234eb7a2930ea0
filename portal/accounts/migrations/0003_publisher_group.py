"""The publisher role (发布审批人) joins the role groups, with access to the Wagtail admin.

Notices' and papers' workflow migrations already create the group by name when they run; this
one makes the role exist with the other roles whatever apps are installed. Reversing leaves the
group alone, because those workflows' approval tasks point at it.
"""

from django.db import migrations


def create_publisher(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group, _ = Group.objects.get_or_create(name="publisher")
    group.permissions.add(access_admin)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(create_publisher, migrations.RunPython.noop)]
