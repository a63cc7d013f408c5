"""A select whose plain options are written directly instead of through ``html_params``.

WTForms builds every ``<option>`` by turning the choice into two more objects and sorting and
escaping a dictionary of its attributes (about 15 µs an option); a filter listing 300 article titles
spent more on that than the page spent on its query. A plain option (no extra attributes, no group)
is always ``<option [selected ]value="…">label</option>``, which this writes in one f-string; any
other select goes through WTForms as before.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import Select, html_params


def _plain(choice: Any) -> bool:
    return isinstance(choice, SelectChoice) and not choice.render_kw and choice.optgroup is None \
        and not isinstance(choice.value, bool)


class QuickSelect(Select):
    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        choices = field.choices
        if self.multiple or not isinstance(choices, list) or not all(_plain(c) for c in choices):
            return super().__call__(field, **kwargs)
        # The select tag as WTForms writes it (its id, and the validation flags it carries over).
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        coerce, data = field.coerce, field.data
        options = "".join(
            f'<option {"selected " if coerce(c.value) == data else ""}value="{escape(c.value)}">'
            f'{escape(c.label or c.value)}</option>' for c in choices)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class QuickSelectField(SelectField):
    """A ``SelectField`` drawn by ``QuickSelect`` that checks a plain choice list in one pass (WTForms
    builds a ``Choice`` for every option to find the one chosen)."""

    widget = QuickSelect()

    def pre_validate(self, form: Any) -> None:
        choices = self.choices
        if self.process_errors or not self.validate_choice or not isinstance(choices, list) \
                or not all(_plain(c) for c in choices):
            return super().pre_validate(form)
        coerce, data = self.coerce, self.data
        if not any(coerce(c.value) == data for c in choices):
            raise ValidationError(self.invalid_choice_message or self.gettext("Not a valid choice."))
