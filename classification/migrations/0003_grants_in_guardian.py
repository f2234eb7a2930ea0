"""django-guardian becomes the one store of targeted grants.

Each ``Grant`` row moves to the direct user or group object-permission table of its model
(``<app>.view_targeted``); a grant to an enterprise becomes a grant to the group of its owners.
The generic guardian rows that mirrored grants go, and so does ``Grant``. An access request
keeps the expiry it was approved with (``granted_until``) instead of a link to a grant row.
Page revisions stop carrying release settings: they are stripped from stored revisions, and the
``classify_*`` permissions of the old edit-form fields are removed.
"""

from django.db import migrations, models

TABLES = {
    # model label -> (user grant model, group grant model)
    "enterprises.enterprise": ("enterprises.EnterpriseUserGrant", "enterprises.EnterpriseGroupGrant"),
    "notices.noticepage": ("notices.NoticeUserGrant", "notices.NoticeGroupGrant"),
    "papers.paperpage": ("papers.PaperUserGrant", "papers.PaperGroupGrant"),
}


def _permission(apps, content_type, model_name: str):
    Permission = apps.get_model("auth", "Permission")
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_targeted",
        defaults={"name": f"Can view a targeted {model_name}"},
    )
    return permission


def grants_into_guardian(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Grant = apps.get_model("classification", "Grant")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Group = apps.get_model("auth", "Group")
    for label, (user_label, group_label) in TABLES.items():
        app_label, model_name = label.split(".")
        content_type, _created = ContentType.objects.get_or_create(
            app_label=app_label, model=model_name
        )
        permission = _permission(apps, content_type, model_name)
        UserTable = apps.get_model(user_label)
        GroupTable = apps.get_model(group_label)
        for grant in Grant.objects.filter(content_type=content_type):
            common = {
                "permission": permission,
                "content_object_id": grant.object_id,
                "valid_until": grant.valid_until,
                "granted_by_id": grant.granted_by_id,
            }
            if grant.user_id:
                UserTable.objects.get_or_create(user_id=grant.user_id, **common)
                continue
            group_id = grant.group_id
            if grant.enterprise_id:
                enterprise = Enterprise.objects.get(pk=grant.enterprise_id)
                if enterprise.group_id is None:
                    group, _ = Group.objects.get_or_create(name=f"enterprise:{enterprise.uscc}")
                    enterprise.group = group
                    enterprise.save(update_fields=["group"])
                group_id = enterprise.group_id
            GroupTable.objects.get_or_create(group_id=group_id, **common)
        apps.get_model("guardian", "UserObjectPermission").objects.filter(
            permission=permission
        ).delete()
        apps.get_model("guardian", "GroupObjectPermission").objects.filter(
            permission=permission
        ).delete()


def requests_keep_their_expiry(apps, schema_editor):
    AccessRequest = apps.get_model("classification", "AccessRequest")
    for row in AccessRequest.objects.exclude(grant=None).select_related("grant"):
        row.granted_until = row.grant.valid_until
        row.save(update_fields=["granted_until"])


def revisions_without_release(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    types = ContentType.objects.filter(
        app_label__in=["notices", "papers"], model__in=["noticepage", "paperpage"]
    )
    for revision in Revision.objects.filter(content_type__in=types).iterator():
        content = revision.content or {}
        if "tier" in content or "field_tiers" in content:
            content.pop("tier", None)
            content.pop("field_tiers", None)
            revision.content = content
            revision.save(update_fields=["content"])
    apps.get_model("auth", "Permission").objects.filter(
        codename__in=["classify_notice", "classify_paper"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("classification", "0002_enterprise_visibility_index"),
        ("enterprises", "0004_owner_group_and_grants"),
        ("notices", "0006_release_grants"),
        ("papers", "0005_release_grants"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(grants_into_guardian, migrations.RunPython.noop),
        migrations.AddField(
            model_name="accessrequest",
            name="granted_until",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="access granted until"
            ),
        ),
        migrations.RunPython(requests_keep_their_expiry, migrations.RunPython.noop),
        migrations.RemoveField(model_name="accessrequest", name="grant"),
        migrations.DeleteModel(name="Grant"),
        migrations.RunPython(revisions_without_release, migrations.RunPython.noop),
    ]
