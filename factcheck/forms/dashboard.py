"""The dashboard's period (a GET form: shape only, no CSRF token)."""
from __future__ import annotations

from wtforms import DateField
from wtforms.validators import Optional, ValidationError

from factcheck.forms import Form


class PeriodForm(Form):
    class Meta:
        csrf = False

    date_from = DateField("From (UTC)", validators=[Optional()])
    date_to = DateField("To (UTC)", validators=[Optional()])

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date is before the start date.")

    def error_messages(self) -> list[str]:
        return [f"{getattr(self, name).label.text}: {' '.join(errors)}" for name, errors in self.errors.items()]
