"""The publishing workflow of notices and who may do what in it.

Workflow "供需信息发布" on the notice index (and so on every notice under it):
  1. 定密审核 — group ``classification_officer`` checks the tier and field tiers;
  2. 发布审批 — group ``publisher`` (created here: 发布审批人) approves; approval publishes.
Page permissions on the index: editors and procurement officers add and edit notices (the admin
form limits procurement officers to demand notices); classification officers edit (to set the
tier; only they hold ``notices.classify_notice``); publishers edit and publish (Wagtail publishes
the approved revision as the last approver, who needs ``publish_page``). A hook in
``wagtail_hooks.py`` removes the editor's direct "Publish" button for everyone but superusers,
so the workflow cannot be bypassed. Editors and
procurement officers may upload and choose documents (attachments) in the root collection; the
author and staff read responses (``view_noticeresponse``).
"""

from django.db import migrations

WORKFLOW = "供需信息发布"
TASKS = [("定密审核", "classification_officer"), ("发布审批", "publisher")]
PAGE_PERMISSIONS = {
    "editor": ["add_page", "change_page", "lock_page", "unlock_page"],
    "procurement": ["add_page", "change_page"],
    "classification_officer": ["change_page", "lock_page", "unlock_page"],
    "publisher": ["change_page", "publish_page"],
}
DOCUMENT_PERMISSIONS = ["add_privatedocument", "change_privatedocument", "choose_document"]
DOCUMENT_GROUPS = ["editor", "procurement", "classification_officer"]
RESPONSE_GROUPS = ["editor", "procurement", "classification_officer", "publisher"]


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def setup(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    NoticeIndexPage = apps.get_model("notices", "NoticeIndexPage")

    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    publisher, _ = Group.objects.get_or_create(name="publisher")
    publisher.permissions.add(access_admin)
    groups = {group.name: group for group in Group.objects.filter(name__in=PAGE_PERMISSIONS)}

    classify = _permission(
        apps, "notices", "noticepage", "classify_notice", "Can set the release tier of notices"
    )
    groups["classification_officer"].permissions.add(classify)
    view_responses = _permission(
        apps, "notices", "noticeresponse", "view_noticeresponse", "Can view notice response"
    )
    for name in RESPONSE_GROUPS:
        groups[name].permissions.add(view_responses)

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for codename in DOCUMENT_PERMISSIONS:
            permission = _permission(apps, "notices", "privatedocument", codename, codename)
            for name in DOCUMENT_GROUPS:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name], collection=root_collection, permission=permission
                )

    index = NoticeIndexPage.objects.first()
    if index is None:
        return
    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            permission = _permission(apps, "wagtailcore", "page", codename, codename)
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page_id=index.pk, permission=permission
            )

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    for order, (task_name, group_name) in enumerate(TASKS):
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(
                name=task_name, content_type=task_type, active=True
            )
        task.groups.set([groups[group_name]])
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": order}
        )
    WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})


def teardown(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name__in=[t for t, _ in TASKS]).delete()
    apps.get_model("auth", "Group").objects.filter(name="publisher").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0002_create_notice_index"),
        ("accounts", "0002_role_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(setup, teardown)]
