from typing import Any

from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from factcheck.digits import plain_digits
from factcheck.forms import Form, choices
from factcheck.models import AttributionVerdict, Credibility, Priority, Question, Resolution, Stance

SOURCE_TYPES = choices([
    ("primary document", "Primary document"), ("official statement", "Official statement"),
    ("news agency", "News agency"), ("expert", "Expert"), ("dataset", "Dataset"),
    ("social media", "Social media"), ("other", "Other"),
])


MISSING_VERSION = ("The form did not say which version of the claim it was filled in on; reload the page "
                   "and try again.")


class VersionedForm(Form):
    """Carries the claim version the person started from, for optimistic locking. It is required: a
    save that does not say what it was based on cannot be checked for a conflict."""

    version = HiddenField(validators=[DataRequired(message=MISSING_VERSION),
                                      Regexp(r"^[0-9]{1,9}$", message=MISSING_VERSION)])

    def expected_version(self) -> int | None:
        value = (self.version.data or "").strip()
        return int(value) if plain_digits(value) else None


class BulkAssignForm(Form):
    """Assigning several claims at once: each claim's state is checked, all or none are assigned."""

    assignee_id = SelectField("Checker", coerce=int, validators=[DataRequired(message="Choose a checker.")])
    due_date = DateField("Due date", validators=[Optional()])
    priority = SelectField("Priority", choices=choices((p.value, p.value.title()) for p in Priority), default=Priority.NORMAL.value)


class AssignForm(VersionedForm, BulkAssignForm):
    """Assigning one claim, from the version the editor saw."""


class EvidenceForm(Form):
    url = URLField("Source URL", validators=[DataRequired(), URL(require_tld=False, message="Enter a full http:// or https:// address."), Length(max=2000)])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=200)])
    published_on = DateField("Publication date", validators=[Optional()])
    excerpt = TextAreaField("Excerpt quoted from the source", validators=[Optional(), Length(max=5000)])
    source_type = SelectField("Source type", choices=SOURCE_TYPES, default="other")
    stance = SelectField("Stance", choices=choices((s.value, s.value.title()) for s in Stance),
                         validators=[DataRequired()])
    question = SelectField("Which question does it answer?", default=Question.SUBSTANCE.value, choices=choices([
        ("", "Choose…"),
        (Question.SUBSTANCE.value, "Is what was said accurate?"),
        (Question.ATTRIBUTION.value, "Was it really said / reported by the claimant?"),
    ]))
    credibility = SelectField("Source credibility", default="", choices=choices(
        [("", "Not rated")] + [(c.value, c.value.capitalize()) for c in Credibility]))


MISSING_EVIDENCE_VERSION = ("The form did not say which version of the evidence it was filled in on; reload the "
                            "page and try again.")


class EditEvidenceForm(EvidenceForm):
    """Editing evidence from the version the person read (``evidence.version_of``), so a save over
    someone else's change meanwhile is a conflict rather than a silent overwrite. Required, like the
    claim's version: a save that does not say what it was based on cannot be checked."""

    version = HiddenField(validators=[DataRequired(message=MISSING_EVIDENCE_VERSION),
                                      Regexp(r"^[0-9a-f]{1,64}$", message=MISSING_EVIDENCE_VERSION)])


class RemoveEvidenceForm(Form):
    reason = StringField("Why remove it?", validators=[DataRequired(message="Say why."), Length(max=500)])


class NoteForm(Form):
    body = TextAreaField("Note", validators=[DataRequired(message="Write the note."), Length(max=10_000)],
                         description="Markdown. Mention a colleague with @ and their name (pick from the list), "
                                     "@[Full Name], or their e-mail name, e.g. @chen.")
    # A reply names the note it answers; empty for a new thread.
    reply_to = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])


class ProposeForm(VersionedForm):
    attribution_verdict = SelectField("Was it really said by the claimant?", default="", choices=choices(
        [("", "Choose…")] + [(a.value, a.value.capitalize()) for a in AttributionVerdict]))
    verdict = SelectField("Is what was said accurate? (verdict)", validators=[DataRequired(message="Choose a verdict.")])
    rationale = TextAreaField("Rationale", validators=[DataRequired(message="Explain the verdict."), Length(max=10000)])

    def __init__(self, *args: Any, verdicts: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.verdict.choices = choices([("", "Choose…")] + [(v, v.capitalize()) for v in verdicts])


class ReturnForm(VersionedForm):
    note = TextAreaField("What should be looked at again?", validators=[DataRequired(message="Write a note for the checker."), Length(max=5000)])


class DismissForm(VersionedForm):
    reason = StringField("Reason for dismissing", validators=[DataRequired(message="Say why."), Length(max=500)])


class AcceptSuggestionForm(VersionedForm):
    statement = TextAreaField("Normalised statement", validators=[Optional(), Length(max=2000)])
    claimant = StringField("Claimant", validators=[Optional(), Length(max=200)])
    via = StringField("Via (comma-separated, outermost last)", validators=[Optional(), Length(max=500)])


class AcceptVerdictForm(VersionedForm):
    """Accepting a verdict names the version the editor read: a verdict changed since is a conflict."""


class ResolveForm(VersionedForm):
    resolution = SelectField("Resolution", choices=choices([
        (Resolution.CORRECTED.value, "Corrected in a new revision"),
        (Resolution.KEPT_WITH_ATTRIBUTION.value, "Kept with attribution"),
        (Resolution.REMOVED.value, "Removed from the article"),
    ]))
    revision_number = IntegerField("Revision that corrected or removed it", validators=[
        Optional(), NumberRange(min=1, max=100_000)],
        description="Leave empty for the current revision. It must no longer hold the rated passage.")
    note = TextAreaField("Note", validators=[Optional(), Length(max=5000)])


class ReanchorForm(VersionedForm):
    quote = TextAreaField("Passage that replaced it", validators=[
        DataRequired(message="Select or paste the passage."), Length(max=5000)],
        filters=[lambda value: value.replace("\r\n", "\n") if isinstance(value, str) else value])
    start = IntegerField(validators=[Optional(), NumberRange(min=0)], widget=HiddenInput())
    end = IntegerField(validators=[Optional(), NumberRange(min=0)], widget=HiddenInput())
