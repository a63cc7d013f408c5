"""A select field that checks a plain choice list in one pass.

WTForms builds a ``Choice`` for every option to find the one chosen; a filter listing 300 article
titles spent more on that than the page spent on its query. Its markup is written by
``rendering._select``, as every select of our forms is.
"""
from __future__ import annotations

from typing import Any

from wtforms import SelectField
from wtforms.validators import ValidationError

from factcheck.forms.rendering import plain_choice


class QuickSelectField(SelectField):
    """A ``SelectField`` whose plain choice list is checked in one pass."""

    def pre_validate(self, form: Any) -> None:
        choices = self.choices
        if self.process_errors or not self.validate_choice or not isinstance(choices, list) \
                or not all(map(plain_choice, choices)):
            return super().pre_validate(form)
        coerce, data = self.coerce, self.data
        if not any(coerce(c.value) == data for c in choices):
            raise ValidationError(self.invalid_choice_message or self.gettext("Not a valid choice."))
