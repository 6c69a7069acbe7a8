from django import forms
from django.core.exceptions import ValidationError

from .models import ApiToken
from .tokens import issue


class NewTokenForm(forms.Form):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=ApiToken._meta.get_field("name").help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def issue(self, user) -> tuple[ApiToken, str] | None:
        """The new token and its raw value, or None with the refusal on the form
        (a name already taken is only known to the database)."""
        try:
            return issue(user, self.cleaned_data["name"])
        except ValidationError as refusal:
            # The name is all the person chose: a refusal of the token (a name taken,
            # reported by the constraint on user and name) is a refusal of the name.
            for errors in refusal.update_error_dict({}).values():
                self.add_error("name", errors)
            return None
