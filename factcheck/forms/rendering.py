"""Our forms' inputs, selects, text areas and labels rendered without WTForms' ``html_params``.

WTForms builds every attribute through ``Markup.format``, which costs about 15 µs an attribute: a
third of the sign-in form's time and the largest part of any page with a few forms (issue 15). The
functions here produce the same markup, byte for byte, as the WTForms widgets they stand in for
(tests/views/test_form_rendering.py renders every field of every form both ways); a widget they do
not know, or a call they would not render the same, goes to WTForms as before.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import Label

_INPUTS = frozenset({
    widgets.TextInput, widgets.EmailInput, widgets.URLInput, widgets.SearchInput, widgets.TelInput,
    widgets.PasswordInput, widgets.HiddenInput, widgets.CheckboxInput, widgets.FileInput, widgets.NumberInput,
    widgets.DateInput,
})


def _clean_key(key: str) -> str:
    # As wtforms.widgets.core.clean_key: class_ → class, data_x_y → data-x-y, aria_x → aria-x.
    key = key.rstrip("_")
    if key.startswith(("data_", "aria_")):
        key = key.replace("_", "-")
    return key


# markupsafe.escape's replacements, for a plain str: the same text without the Markup object escape()
# makes of it (a microsecond each, two for every attribute of every input on a page).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"})
# An attribute's name as written (cleaned, escaped), by the key it is given with: the templates' and
# forms' own keys, a few dozen.
_NAMES: dict[str, str] = {}


def _name(key: str) -> str:
    name = _NAMES.get(key)
    if name is None:
        name = str(escape(_clean_key(key)))
        if len(_NAMES) < 1024:
            _NAMES[key] = name
    return name


def attributes(params: dict[str, Any]) -> str:
    """``wtforms.widgets.html_params(**params)``: sorted by name, True bare, False left out, values escaped."""
    out = []
    for key, value in sorted(params.items()):
        if value is True:
            out.append(_name(key))
        elif value is not False:
            kind = type(value)
            if kind is str:
                text = value.translate(_ESCAPES)
            elif kind is int:  # digits and a sign: nothing to escape
                text = str(value)
            else:  # Markup, None, other objects: as before
                text = str(escape(value)).replace(chr(34), "&quot;")
            out.append(f'{_name(key)}="{text}"')
    return " ".join(out)


def _validation_attrs(widget: Any, field: Any, kwargs: dict[str, Any], call: bool) -> None:
    # The widget's validation attributes the field's validators set (required, maxlength, …); only
    # flags that were set exist on the Flags object (WTForms walks dir(flags), the same names).
    allowed = widget.validation_attrs
    for name, value in vars(field.flags).items():
        if name in allowed and name not in kwargs:
            kwargs[name] = value() if call and callable(value) else value


def input_markup(widget: Any, field: Any, kwargs: dict[str, Any]) -> Markup:
    """``Input.__call__`` with the additions of the input widgets in ``_INPUTS``."""
    kind = type(widget)
    if isinstance(widget, widgets.PasswordInput) and widget.hide_value:
        kwargs["value"] = ""
    elif isinstance(widget, widgets.CheckboxInput):
        if getattr(field, "checked", field.data):
            kwargs.setdefault("checked", True)
    elif isinstance(widget, widgets.FileInput):
        kwargs["value"] = False
        if widget.multiple:
            kwargs["multiple"] = True
    elif isinstance(widget, widgets.NumberInput):
        for name in ("step", "min", "max"):
            if getattr(widget, name) is not None:
                kwargs.setdefault(name, getattr(widget, name))
    elif kind is widgets.DateInput:
        _date_bounds(field, kwargs)
    kwargs.setdefault("id", field.id)
    kwargs.setdefault("type", widget.input_type)
    if "value" not in kwargs:
        kwargs["value"] = field._value()
    datalist = getattr(field, "_datalist", None)
    if datalist is not None and "list" not in kwargs:
        kwargs["list"] = datalist if isinstance(datalist, str) else datalist.id
    _validation_attrs(widget, field, kwargs, call=True)
    return Markup(f"<input {attributes({'name': field.name, **kwargs})}>")


def _date_bounds(field: Any, kwargs: dict[str, Any]) -> None:
    # _DateTimeBaseInput: min and max given as dates are written in the field's format.
    format_ = getattr(field, "format", None)
    if format_ is None:
        return
    format_ = format_[0] if isinstance(format_, list) else format_
    for name in ("min", "max"):
        value: Any = kwargs.get(name, getattr(field.flags, name, None))
        if callable(value):
            value = value()
        if hasattr(value, "strftime"):
            kwargs[name] = value.strftime(format_)


def _textarea(widget: Any, field: Any, kwargs: dict[str, Any]) -> Markup:
    kwargs.setdefault("id", field.id)
    _validation_attrs(widget, field, kwargs, call=False)
    return Markup(f"<textarea {attributes({'name': field.name, **kwargs})}>\r\n{escape(field._value())}</textarea>")


def plain_choice(choice: Any) -> bool:
    """A choice with no attributes of its own, no group and no boolean value."""
    return isinstance(choice, SelectChoice) and not choice.render_kw and choice.optgroup is None \
        and not isinstance(choice.value, bool)


def _select(widget: Any, field: Any, kwargs: dict[str, Any]) -> Markup | None:
    if field.has_groups():
        return None
    kwargs.setdefault("id", field.id)
    if widget.multiple:
        kwargs["multiple"] = True
    _validation_attrs(widget, field, kwargs, call=False)
    html = [f"<select {attributes({'name': field.name, **kwargs})}>"]
    choices = field.choices
    if not widget.multiple and isinstance(choices, list) and all(map(plain_choice, choices)):
        # A plain option is always ``<option [selected ]value="…">label</option>``: one f-string,
        # not the two objects and the sorted, escaped attributes WTForms makes of each (about 15 µs
        # an option; the audit log's filter lists 300 article titles).
        coerce, data = field.coerce, field.data
        html += [f'<option {"selected " if coerce(c.value) == data else ""}value="{escape(c.value)}">'
                 f'{escape(c.label or c.value)}</option>' for c in choices]
        html.append("</select>")
        return Markup("".join(html))
    for choice in field._iter_choices_normalized():
        value = choice.value
        if isinstance(value, bool):
            value = str(value)
        options = {"value": value, **(choice.render_kw or {})}
        if choice.selected:
            options["selected"] = True
        html.append(f"<option {attributes(options)}>{escape(choice.label or choice.value)}</option>")
    html.append("</select>")
    return Markup("".join(html))


def render(field: Any, render_kw: dict[str, Any]) -> Markup | None:
    """What ``DefaultMeta.render_field(field, render_kw)`` returns, or None to leave it to WTForms."""
    widget = field.widget
    kind = type(widget)
    if kind is widgets.Select:
        renderer: Any = _select
    elif kind is widgets.TextArea:
        renderer = _textarea
    elif kind in _INPUTS:
        renderer = input_markup
    else:
        return None
    kwargs = {_clean_key(key): value for key, value in render_kw.items()}
    other = getattr(field, "render_kw", None)
    if other is not None:
        kwargs = {**{_clean_key(key): value for key, value in other.items()}, **kwargs}
    if "name" in kwargs:  # WTForms refuses a second name; let it say so
        return None
    return renderer(widget, field, kwargs)


class FastLabel(Label):
    """A field's ``<label>``, as ``Label.__call__`` writes it."""

    def __call__(self, text: str | None = None, **kwargs: Any) -> Markup:
        if "for_" in kwargs:
            kwargs["for"] = kwargs.pop("for_")
        else:
            kwargs.setdefault("for", self.field_id)
        params = attributes(kwargs)
        return Markup(f"<label{' ' + params if params else ''}>{escape(text or self.text)}</label>")
