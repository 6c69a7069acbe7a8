from django import forms

from . import addresses
from .models import SUBSCRIBABLE, Endpoint


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=SUBSCRIBABLE,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each event is sent as a signed POST to the URL.",
    )

    class Meta:
        model = Endpoint
        fields = ["url", "events", "description"]
        labels = {"url": "Receiver URL"}
        help_texts = {
            "url": "An http:// or https:// URL on the public internet.",
            "description": "What receives these events, e.g. “CMS sync”.",
        }
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://example.org/hooks"})}

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            addresses.check_registration(url)
        except addresses.Refused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return url

    def clean_events(self):
        chosen = set(self.cleaned_data["events"])
        return [name for name, _label in SUBSCRIBABLE if name in chosen]
