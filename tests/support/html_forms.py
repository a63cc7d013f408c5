"""The forms of a page as a browser reads them: method, action and what each would send as it stands."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    method: str
    action: str | None
    attrs: dict[str, str | None]
    # (name, value, type) of each input, textarea and select, in page order.
    fields: list[tuple[str, str, str]] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [value for field_name, value, _type in self.fields if field_name == name]

    def data(self, **changes: str) -> dict[str, str]:
        """What the form sends with ``changes`` typed in (one value a name: enough for these forms;
        unchecked boxes and submit buttons send nothing, as in a browser)."""
        sent: dict[str, str] = {}
        for name, value, kind in self.fields:
            if kind in ("checkbox", "radio", "submit", "button", "file") or name in sent:
                continue
            sent[name] = value
        sent.update(changes)
        return sent


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._select_value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form":
            self._form = PageForm((named.get("method") or "get").lower(), named.get("action"), named)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = named.get("name")
        if tag == "input" and name:
            kind = (named.get("type") or "text").lower()
            if kind not in ("checkbox", "radio") or "checked" in named:
                self._form.fields.append((name, named.get("value") or "", kind))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None and (self._select_value is None or "selected" in named):
            self._select_value = named.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            self._form.fields.append((name, "".join(parts).removeprefix("\n"), "textarea"))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form.fields.append((self._select, self._select_value or "", "select"))
            self._select = None


def forms_of(html: str) -> list[PageForm]:
    parser = _Forms()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_posting_to(html: str, action: str, page: str | None = None) -> PageForm:
    """The one POST form of the page (at ``page``) that is sent to ``action``: a form without an
    action attribute is sent to its own page."""
    found = [form for form in forms_of(html) if form.method == "post" and (form.action or page) == action]
    assert len(found) == 1, f"{len(found)} forms post to {action}"
    return found[0]
