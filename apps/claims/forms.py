from django import forms

from apps.sources.forms import options_attrs
from apps.sources.lookup import LookupFailed, find_one
from apps.sources.models import Speaker

from .models import Claim, Position


def claim_label(claim: Claim) -> str:
    return f"{claim.text} (#{claim.pk})"


def find_claim(text: str) -> Claim:
    return find_one(
        Claim.objects.all(),
        text,
        "Several claims match “{}”; pick one from the suggestions.",
        "No claim “{}” yet. A reviewer can create it (tick “New claim”).",
        claim="text__iexact",
    )


class ClaimForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["text", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": "Claim"}
        help_texts = {"text": "A short proposition at issue, e.g. “Foreign fighters left Raqqa.”"}


class StanceForm(forms.Form):
    """A quote's position on a claim; a reviewer may create the claim inline."""

    claim = forms.CharField(max_length=400, help_text="Type to find a claim.")
    new_claim = forms.BooleanField(required=False, label="New claim: create it")
    position = forms.ChoiceField(
        choices=Position.choices, widget=forms.RadioSelect, initial=Position.AFFIRMS
    )
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, may_create_claims: bool = False, **kwargs):
        # Own ids: the panel sits beside the quote form, which also has a "note".
        kwargs.setdefault("auto_id", "stance_%s")
        super().__init__(*args, **kwargs)
        self.may_create_claims = may_create_claims
        self.fields["claim"].widget.attrs.update(
            options_attrs("claims:claim_options", "claim-options")
        )
        if not may_create_claims:
            del self.fields["new_claim"]

    def clean(self):
        data = super().clean()
        typed = " ".join((data.get("claim") or "").split())
        data["claim_obj"] = None
        if not typed:
            return data
        if data.get("new_claim"):
            if len(typed) > Claim._meta.get_field("text").max_length:
                self.add_error("claim", "A claim is at most 300 characters.")
            elif Claim.objects.filter(text__iexact=typed).exists():
                self.add_error("claim", f"The claim “{typed}” exists; pick it instead.")
            data["claim_text"] = typed
            return data
        try:
            data["claim_obj"] = find_claim(typed)
        except LookupFailed as failure:
            self.add_error("claim", str(failure))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def find_side(text: str) -> Speaker:
    """A side of a comparison, by a suggestion's label, a name or an alias."""
    return find_one(
        Speaker.objects.all(),
        text,
        "Several speakers are called “{}”; pick one from the suggestions.",
        "No speaker or organization is called “{}”; pick one from the suggestions.",
        name="name__iexact",
        alias="aliases__alias__iexact",
    )


class CompareForm(forms.Form):
    """The two sides of a comparison, typed with the speaker suggestions."""

    left_name = forms.CharField(
        label="Left side",
        max_length=300,
        error_messages={"required": "Choose a speaker or organization for the left side."},
    )
    right_name = forms.CharField(
        label="Right side",
        max_length=300,
        error_messages={"required": "Choose a speaker or organization for the right side."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for side in ("left", "right"):
            attrs = options_attrs("sources:speaker_options", f"{side}-options")
            self.fields[f"{side}_name"].widget.attrs.update(attrs, placeholder="Name or alias")

    def _side(self, name: str) -> Speaker:
        try:
            return find_side(self.cleaned_data[name])
        except LookupFailed as failure:
            raise forms.ValidationError(str(failure)) from None

    def clean_left_name(self):
        return self._side("left_name")

    def clean_right_name(self):
        return self._side("right_name")

    def clean(self):
        data = super().clean()
        left, right = data.get("left_name"), data.get("right_name")
        if left is not None and left == right:
            raise forms.ValidationError(f"Choose two different sides: both are {left.name}.")
        return data
