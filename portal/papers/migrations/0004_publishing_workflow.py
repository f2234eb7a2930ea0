"""The publishing workflow of papers, like notices' (notices/0003), on the paper index.

Workflow "白皮书发布": 1. 定密审核 (group ``classification_officer`` checks the tier; only it holds
``papers.classify_paper``), 2. 发布审批 (group ``publisher``, 发布审批人, approves; approval
publishes). Editors add and edit papers but hold no ``publish_page`` here, so their only way to
the site is "submit for moderation". Tasks and the publisher group are shared with notices by
name (get_or_create), whichever migration runs first creates them.
"""

from django.db import migrations

WORKFLOW = "白皮书发布"
TASKS = [("定密审核", "classification_officer"), ("发布审批", "publisher")]
PAGE_PERMISSIONS = {
    "editor": ["add_page", "change_page", "lock_page", "unlock_page"],
    "classification_officer": ["change_page", "lock_page", "unlock_page"],
    "publisher": ["change_page", "publish_page"],
}


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
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    PaperIndexPage = apps.get_model("papers", "PaperIndexPage")

    access_admin = _permission(
        apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"
    )
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in PAGE_PERMISSIONS}
    groups["publisher"].permissions.add(access_admin)
    classify = _permission(
        apps, "papers", "paperpage", "classify_paper", "Can set the release tier of papers"
    )
    groups["classification_officer"].permissions.add(classify)

    index = PaperIndexPage.objects.first()
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
        task.groups.add(groups[group_name])
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": order}
        )
    WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})


def teardown(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0003_paper_permissions"),
        ("accounts", "0002_role_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(setup, teardown)]
