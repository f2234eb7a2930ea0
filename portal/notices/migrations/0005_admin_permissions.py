"""Two fixes to the admin permissions of 0003_publishing_workflow.

1. Procurement officers add notices and edit their own, no longer every notice. 0003 gave the
   group ``change_page`` on the notice index, which in Wagtail means "edit any page below": a
   procurement officer could open an editor's policy notice, or a targeted notice not granted
   to them, in the page editor. With ``add_page`` alone Wagtail lets them edit the pages they
   own; the admin form still limits them to demand notices (``forms.NoticePageForm``).
2. Uploading attachments. Wagtail checks document permissions against ``wagtaildocs.Document``
   whatever the document model is, so 0003's grants on ``notices.privatedocument`` gave nobody
   the right to upload. Editors and classification officers get add/change/choose on the root
   collection; procurement officers add and choose (Wagtail lets them edit what they uploaded).
"""

from django.db import migrations

DOCUMENT_PERMISSIONS = {
    "editor": ["add_document", "change_document", "choose_document"],
    "classification_officer": ["add_document", "change_document", "choose_document"],
    "procurement": ["add_document", "choose_document"],
}


def _permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return permission


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    NoticeIndexPage = apps.get_model("notices", "NoticeIndexPage")

    GroupPagePermission.objects.filter(
        group__name="procurement",
        page_id__in=list(NoticeIndexPage.objects.values_list("pk", flat=True)),
        permission=_permission(apps, "wagtailcore", "page", "change_page"),
    ).delete()

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for group_name, codenames in DOCUMENT_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root,
                permission=_permission(apps, "wagtaildocs", "document", codename),
            )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    NoticeIndexPage = apps.get_model("notices", "NoticeIndexPage")

    procurement = Group.objects.filter(name="procurement").first()
    if procurement is not None:
        for index_id in NoticeIndexPage.objects.values_list("pk", flat=True):
            GroupPagePermission.objects.get_or_create(
                group=procurement,
                page_id=index_id,
                permission=_permission(apps, "wagtailcore", "page", "change_page"),
            )
    # choose_document stays: Wagtail's own migrations grant it to admin groups.
    GroupCollectionPermission.objects.filter(
        group__name__in=list(DOCUMENT_PERMISSIONS),
        permission__content_type__app_label="wagtaildocs",
        permission__codename__in=["add_document", "change_document"],
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0004_noticepage_region_required"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
