from flask_wtf.file import FileField
from wtforms import IntegerField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from factcheck.forms import Form


class ArticleForm(Form):
    title = StringField("Title", validators=[Optional(), Length(max=300)],
                        description="Leave empty to use the file's title or the text's first line.")
    outlet = StringField("Outlet", validators=[Optional(), Length(max=200)])
    byline = StringField("Byline", validators=[Optional(), Length(max=200)])
    source_url = URLField("Source URL", validators=[Optional(), URL(require_tld=False), Length(max=2000)])
    text = TextAreaField("Paste the article text", validators=[Optional()])
    upload = FileField("…or upload a file", description=".txt, .md, .html or .docx, up to 2 MB.")


class ClaimForm(Form):
    # Browsers send a textarea's line breaks as CRLF; the article text has LF.
    quote = TextAreaField(
        "Passage", validators=[DataRequired(message="Paste the passage to check."), Length(max=5000)],
        filters=[lambda value: value.replace("\r\n", "\n") if isinstance(value, str) else value],
        description="Paste the sentence exactly as it appears in the article.",
    )
    statement = TextAreaField("Normalised statement (optional)", validators=[Optional(), Length(max=2000)])
    claimant = StringField("Claimant (who made the claim)", validators=[Optional(), Length(max=200)])
    # Set by the page's script when the editor selects text; the service re-checks them.
    start = IntegerField(validators=[Optional(), NumberRange(min=0)], widget=HiddenInput())
    end = IntegerField(validators=[Optional(), NumberRange(min=0)], widget=HiddenInput())


class ActionForm(Form):
    """A button that changes state: nothing but the CSRF token."""


class PublishForm(Form):
    published_url = URLField("Published at (URL)", validators=[Optional(), URL(require_tld=False), Length(max=2000)],
                             description="Where readers find the article; fact-check markup points there.")


class ReviseForm(Form):
    text = TextAreaField("Revised text", validators=[DataRequired(message="Paste the revised text.")],
                         filters=[lambda value: value.replace("\r\n", "\n") if isinstance(value, str) else value])
