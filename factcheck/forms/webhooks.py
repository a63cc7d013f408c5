"""The form that registers a webhook. Shape only: which URLs and events are allowed is the
webhooks service's answer."""
from __future__ import annotations

from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from factcheck.forms import Form, choices
from factcheck.services.webhooks import EVENTS

EVENT_HELP = {
    "article.approved": "an article is approved for publication",
    "article.published": "an article is marked published",
    "claim.text_changed": "a new revision changes the words of a checked claim",
    "claim.verdict_final": "a verdict is accepted",
}


class EventsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WebhookForm(Form):
    url = StringField("Receiver URL", validators=[DataRequired(message="Enter the receiver's address."),
                                                  Length(max=2000)],
                      description="An http:// or https:// address that accepts POST requests.")
    events = EventsField("Events", choices=choices((name, f"{name}: {EVENT_HELP.get(name, '')}") for name in EVENTS),
                         validators=[DataRequired(message="Choose at least one event.")])
    active = BooleanField("Deliver from now on (untick to register it disabled)", default=True)
