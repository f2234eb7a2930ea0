"""What a browser would submit from a page's form, read from the HTML the portal served.

The load test posts the real edit forms: it reads the fields (hidden CSRF token, text inputs,
the selected options, checked boxes, text areas) as the page renders them and sends them back
with a few values changed, so that a form that grows a field keeps being posted whole.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.forms: list[tuple[list[tuple[str, str]], dict[str, list[str]]]] = []
        self.fields: list[tuple[str, str]] = []
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_multiple = False
        self._select_chosen: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.inside:
            if a.get("method", "get").lower() == "post" and (
                self.action is None or a.get("action", "") == self.action
            ):
                self.inside, self.fields, self.options = True, [], {}
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_multiple = name, "multiple" in a
            self._select_chosen, self._first_option = [], None
            self.options[name] = []
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self.options[self._select].append(value)
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_chosen.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
            self.forms.append((self.fields, self.options))
        elif tag == "select" and self._select is not None:
            chosen = self._select_chosen
            if not chosen and not self._select_multiple and self._first_option is not None:
                chosen = [self._first_option]  # a browser submits the first option
            self.fields.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


class Form:
    """The fields of a page's main POST form: the one with the most fields (the header's
    language and logout forms carry one or two), optionally among those sent to ``action``."""

    def __init__(self, html: str, action: str | None = None) -> None:
        reader = _FormReader(action)
        reader.feed(html)
        if not reader.forms:
            raise ValueError(f"no POST form{f' to {action}' if action else ''} on the page")
        self.fields, self.options = max(reader.forms, key=lambda form: len(form[0]) + len(form[1]))
        #: ``options`` holds every option value of each <select>, to choose from

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def set(self, name: str, *values: str) -> None:
        """Replace every value of ``name`` (several for a multiple select)."""
        self.fields = [(k, v) for k, v in self.fields if k != name]
        self.fields.extend((name, value) for value in values)
