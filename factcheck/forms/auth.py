from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from factcheck.forms import Form


class LoginForm(Form):
    # A shape check only: reserved domains such as the demo's ".test" must still sign in.
    email = EmailField("Email", validators=[
        DataRequired(), Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+$", message="Enter an email address."),
    ])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=512)])
    remember = BooleanField("Remember me on this device")


class LogoutForm(Form):
    """Signing out changes state, so it is a POST with a CSRF token like every other write."""


class PasswordForm(Form):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=512)])
    new_password = PasswordField("New password", validators=[DataRequired(), Length(min=8, max=512)],
                                 description="At least 8 characters.")
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message="The two new passwords differ.")])
