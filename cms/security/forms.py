"""Wagtail's login form with a German label for the password: Wagtail gives the field none, so Django derives the
English "Password" from its name."""

from wagtail.admin.forms.auth import LoginForm


class GermanLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Passwort"
