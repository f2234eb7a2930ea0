"""Create the paper index at /papers/ under the site's home page (like pages/0002)."""

from django.db import migrations

TITLE = "白皮书与蓝皮书"
INTRO = "适时发布地区军民融合白皮书、蓝皮书，遴选推介重点企业和优势技术。"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's MP_Node path alphabet
STEPLEN = 4


def _next_child_path(Page, parent) -> str:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step.rjust(STEPLEN, "0")


def create_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("pages", "HomePage")
    PaperIndexPage = apps.get_model("papers", "PaperIndexPage")

    home = HomePage.objects.order_by("path").first()
    if home is None or PaperIndexPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="paperindexpage", app_label="papers")
    PaperIndexPage.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug="papers",
        content_type=content_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}papers/",
        live=True,
        intro=INTRO,
        locale_id=home.locale_id,
    )
    Page.objects.filter(pk=home.pk).update(
        numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
    )


def remove_index(apps, schema_editor):
    apps.get_model("papers", "PaperIndexPage").objects.filter(slug="papers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0001_initial"),
        ("pages", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(create_index, remove_index)]
