"""Draftail, Wagtail's rich-text editor, with an accessible name (see ``blocks.RichTextBlock``).

Its own module because the admin's rich-text widgets need the models loaded, and the blocks
that use it are imported while the models load.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.admin.rich_text.editors.draftail import DraftailRichTextAreaAdapter
from wagtail.admin.telepath import register


class RichTextArea(DraftailRichTextArea):
    """Draftail named for screen readers by ``aria_label`` (the block's label)."""

    aria_label: str = ""


class RichTextAreaAdapter(DraftailRichTextAreaAdapter):
    def js_args(self, widget: RichTextArea) -> list[dict[str, Any]]:
        [options] = super().js_args(widget)
        if not widget.aria_label:
            return [options]
        return [{**options, "ariaLabel": str(widget.aria_label)}]


register(RichTextAreaAdapter(), RichTextArea)
