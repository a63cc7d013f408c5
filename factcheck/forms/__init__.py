"""Forms check shape only (required, lengths, formats); rules belong to the services."""
from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs, in the form WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip_nul(value: object) -> object:
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """Base of every form: NUL characters, which no person types and PostgreSQL refuses, are dropped."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), _strip_nul]
            return unbound_field.bind(form=form, filters=filters, **options)
