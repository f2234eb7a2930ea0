"""Create the notice index (/notices/) under the portal's home page, as pages/0002 creates the
home page: raw tree fields, because migrations see historical models without treebeard."""

from django.db import migrations

TITLE = "供需信息"
INTRO = "军队需求、民口供给、技术转移与政策通知，按“公开、注册、认证、定向”分级发布。"
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _increment(segment: str) -> str:
    """The next treebeard path segment ("0001" -> "0002", "000Z" -> "0010")."""
    number = int(segment, 36) + 1
    out = ""
    while number:
        number, digit = divmod(number, 36)
        out = ALPHABET[digit] + out
    return out.rjust(STEPLEN, "0")


def create_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    NoticeIndexPage = apps.get_model("notices", "NoticeIndexPage")
    home = Page.objects.filter(depth=2, content_type__app_label="pages").order_by("path").first()
    if home is None or Page.objects.filter(depth=3, path__startswith=home.path, slug="notices"):
        return
    last = (
        Page.objects.filter(depth=home.depth + 1, path__startswith=home.path)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    path = home.path + (_increment(last[-STEPLEN:]) if last else "0001")
    content_type, _ = ContentType.objects.get_or_create(app_label="notices", model="noticeindexpage")
    NoticeIndexPage.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug="notices",
        content_type=content_type,
        path=path,
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}notices/",
        live=True,
        intro=INTRO,
        locale_id=home.locale_id,
    )
    home.numchild = Page.objects.filter(depth=home.depth + 1, path__startswith=home.path).count()
    home.save(update_fields=["numchild"])


def remove_index(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    for index in apps.get_model("notices", "NoticeIndexPage").objects.all():
        parent = Page.objects.get(path=index.path[:-STEPLEN])
        index.delete()
        parent.numchild = max(parent.numchild - 1, 0)
        parent.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("pages", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(create_index, remove_index)]
