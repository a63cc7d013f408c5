"""The audit log's filters (a GET form: shape only, no CSRF token)."""
from __future__ import annotations

from functools import lru_cache

from wtforms import DateField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from factcheck.digits import plain_digits
from factcheck.forms import Form, choices
from factcheck.forms.quick_select import QuickSelectField
from factcheck.services.audit_log import ACTIONS, OBJECT_TYPES, FilterChoices, Filters

_ID = NumberRange(min=1, max=2**31 - 1, message="Enter a whole number from 1 to 2147483647.")

# The option lists are shared by the requests that show the same ones (the fields only read them):
# an option object per choice for 300 titles on every view cost more than the page's query.
_ACTIONS = choices([("", "Any action")] + [(a, a) for a in ACTIONS])
_OBJECT_TYPES = choices([("", "Any type")] + [(t, t) for t in OBJECT_TYPES])


@lru_cache(maxsize=16)
def _article_choices(articles: tuple[tuple[int, str], ...]) -> list[SelectChoice]:
    return choices([("", "Any article")] + [(str(i), f"{title} (#{i})") for i, title in articles])


@lru_cache(maxsize=16)
def _actor_choices(actors: tuple[tuple[int, str, str], ...]) -> list[SelectChoice]:
    return choices([("", "Anyone"), ("none", "Nobody signed in (system, command line)")]
                   + [(str(i), f"{name} <{email}>") for i, name, email in actors])


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    actor = QuickSelectField("Actor", default="")
    action = QuickSelectField("Action", default="")
    object_type = QuickSelectField("Object type", default="")
    object_id = IntegerField("Object id", validators=[Optional(), _ID])
    article = QuickSelectField("Article", default="")
    date_from = DateField("From (UTC)", validators=[Optional()])
    date_to = DateField("To (UTC)", validators=[Optional()])

    def __init__(self, formdata, *, choices_from: FilterChoices, also_action: str | None = None,
                 also_object_type: str | None = None) -> None:
        super().__init__(formdata=formdata)
        # Chosen by title, newest first: nobody should have to know an article's number.
        self.article.choices = _article_choices(tuple(choices_from.articles))
        self.actor.choices = _actor_choices(tuple(choices_from.actors))
        self.action.choices = _ACTIONS if also_action is None else [*_ACTIONS, SelectChoice(also_action, also_action)]
        self.object_type.choices = _OBJECT_TYPES if also_object_type is None \
            else [*_OBJECT_TYPES, SelectChoice(also_object_type, also_object_type)]

    def validate_object_id(self, field) -> None:
        if field.data is not None and not self.object_type.data:
            raise ValidationError("Choose the object type that goes with the object id.")

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date is before the start date.")

    def filters(self) -> Filters:
        actor = self.actor.data or ""
        return Filters(
            actor_id=int(actor) if plain_digits(actor) else None, no_actor=actor == "none",
            action=self.action.data or None, object_type=self.object_type.data or None,
            object_id=self.object_id.data,
            article_id=int(self.article.data) if plain_digits(self.article.data or "") else None,
            date_from=self.date_from.data, date_to=self.date_to.data,
        )

    def error_messages(self) -> list[str]:
        return [f"{getattr(self, name).label.text}: {' '.join(errors)}" for name, errors in self.errors.items()]


class VerifyForm(Form):
    """The "Verify now" button: a POST with a CSRF token and nothing else."""
