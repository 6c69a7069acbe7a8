from django import forms

from apps.sources.forms import options_attrs
from apps.sources.lookup import LookupFailed, find_one

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
