"""What the portal adds to every page editor of the Wagtail admin."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def editor_names() -> str:
    """Names for the editor's nameless controls (static/js/admin-editor-names.js)."""
    return format_html('<script src="{}" defer></script>', static("js/admin-editor-names.js"))
