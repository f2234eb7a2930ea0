"""The blocks a notice body is built from: paragraphs, a requirements list and tables.

Requirements are their own block (not free rich text) because they carry the ``requirements``
field tier: the detailed technical requirements of a public demand notice may be released to
vetted enterprises only, and a block of its own is what lets the page leave them out.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.core.blocks import ListItemCharBlock, RichTextBlock, TableBlock

#: Rich-text features in a notice: formatting and links, nothing embedded from elsewhere.
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class RequirementsBlock(blocks.StructBlock):
    """A titled list of technical requirements (技术要求), redacted as a whole."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=100)
    items = blocks.ListBlock(
        ListItemCharBlock(max_length=300, label=_("requirement")), label=_("requirements")
    )

    class Meta:
        icon = "list-ul"
        label = _("Requirements")
        template = "notices/blocks/requirements.html"


class NoticeTableBlock(blocks.StructBlock):
    """A table with a caption, e.g. quantities and delivery dates."""

    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)
    table = TableBlock(
        label=_("table"),
        table_options={"startRows": 3, "startCols": 3, "colHeaders": False, "rowHeaders": False},
    )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "notices/blocks/table.html"


class NoticeBodyBlock(blocks.StreamBlock):
    paragraph = RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    requirements = RequirementsBlock()
    table = NoticeTableBlock()

    #: Block types whose content is covered by the ``requirements`` field tier.
    REDACTABLE = {"requirements": "requirements"}
