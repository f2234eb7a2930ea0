"""Wagtail's TableBlock and RichTextBlock with their editors fit for our admin: the table
editor in the editor's language, the rich-text editor with a name for screen readers.

Wagtail builds the table editor's options once, when the block is declared (at import, in
whatever language is active then), and Handsontable's bundle carries its English dictionary
only. So the editor's context menu stayed English in the Chinese admin. Here the options are
built when the form is drawn, in the request's language, and the menu's entries carry their
own (translated) names. The form's other labels ("Table headers", ...) are Wagtail's gettext
strings, translated in our catalogue.

Draftail's editable region carries no accessible name (axe: aria-input-field-name), so a screen
reader announces a nameless text box in every paragraph block; Draftail takes ``ariaLabel``
among its options, and the block's label is given there.

A list's items have no <label> either (Wagtail draws a field's label in the struct around it,
and a ListBlock draws none), so ``ListItemCharBlock`` names its input by its label.

The blocks are stored and rendered exactly like Wagtail's, and migrations name Wagtail's
classes (the data is the same); only the editor differs.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext
from wagtail import blocks
from wagtail.contrib.table_block import blocks as wagtail_table

#: Handsontable's own language: the one dictionary Wagtail ships. Every word of the menu is
#: given below, so the dictionary is not read for what people see.
EDITOR_LANGUAGE = "en-US"


def context_menu() -> dict[str, Any]:
    """The right-click menu of the table editor, named in the active language."""
    separator = {"name": "---------"}
    return {
        "items": {
            "row_above": {"name": gettext("Insert row above")},
            "row_below": {"name": gettext("Insert row below")},
            "separator_rows": separator,
            "col_left": {"name": gettext("Insert column left")},
            "col_right": {"name": gettext("Insert column right")},
            "separator_columns": separator,
            "remove_row": {"name": gettext("Remove row")},
            "remove_col": {"name": gettext("Remove column")},
            "separator_remove": separator,
            "undo": {"name": gettext("Undo")},
            "redo": {"name": gettext("Redo")},
        }
    }


class TableInput(wagtail_table.TableInput):
    """Wagtail's table widget whose options are completed per request."""

    @property
    def table_options(self) -> dict[str, Any]:
        return {
            **self._declared_options,
            "language": EDITOR_LANGUAGE,
            "contextMenu": context_menu(),
        }

    @table_options.setter
    def table_options(self, options: dict[str, Any] | None) -> None:
        self._declared_options = dict(options or {})


class TableBlock(wagtail_table.TableBlock):
    """Wagtail's TableBlock, its editor in the reader's language."""

    @cached_property
    def canonical_module_path(self) -> str:
        return "wagtail.contrib.table_block.blocks.TableBlock"

    @cached_property
    def field(self) -> forms.CharField:
        return forms.CharField(
            widget=TableInput(table_options=self.table_options), **self.field_options
        )


class RichTextBlock(blocks.RichTextBlock):
    """Wagtail's RichTextBlock (with the default editor, Draftail), named by its label."""

    @cached_property
    def canonical_module_path(self) -> str:
        return "wagtail.blocks.RichTextBlock"

    @cached_property
    def field(self) -> forms.CharField:
        from .rich_text import RichTextArea  # the admin's widgets load the models

        widget = RichTextArea(features=self.features)
        widget.aria_label = self.label
        return forms.CharField(widget=widget, **self.field_options)


class ListItemCharBlock(blocks.CharBlock):
    """Wagtail's CharBlock for the items of a ListBlock: the input is named by the label."""

    @cached_property
    def canonical_module_path(self) -> str:
        return "wagtail.blocks.CharBlock"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field.widget.attrs["aria-label"] = self.label
