from wtforms import EmailField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from factcheck.forms import Form, choices
from factcheck.models import Role

ROLE_CHOICES = [(r.value, r.value.capitalize()) for r in Role]


class RolesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewUserForm(Form):
    email = EmailField("Email", validators=[
        DataRequired(), Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address.")])
    display_name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=8, max=512)],
                             description="At least 8 characters; they can change it under “Password” once signed in.")
    roles = RolesField("Roles", choices=choices(ROLE_CHOICES), validators=[DataRequired(message="Choose a role.")])


class RolesForm(Form):
    roles = RolesField("Roles", choices=choices(ROLE_CHOICES), validators=[DataRequired(message="Choose a role.")])
