from django import forms
from django.urls import reverse

from apps.core.versions import collecting

from .lookup import LookupFailed, find_speaker
from .models import Source, Speaker, SpeakerAlias


def options_attrs(url_name: str, datalist_id: str) -> dict:
    """Attributes that refresh a datalist of suggestions as the editor types.

    htmx sends the field under its own name; the options views take the first
    parameter they are given as the query.
    """
    return {
        "list": datalist_id,
        "autocomplete": "off",
        "hx-get": reverse(url_name),
        "hx-trigger": "input changed delay:200ms, focus once",
        "hx-target": f"#{datalist_id}",
        # The whole datalist is replaced: parsed on its own, <option> may be dropped.
        "hx-swap": "outerHTML",
        "hx-sync": "this:replace",
    }


class SpeakerForm(forms.ModelForm):
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Other names used for this speaker in text, one per line.",
    )

    class Meta:
        model = Speaker
        fields = ["name", "kind", "role", "affiliation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Speaker.objects.filter(kind=Speaker.Kind.ORGANIZATION)
        if self.instance.pk:
            organizations = organizations.exclude(pk=self.instance.pk)
            self.fields["aliases"].initial = "\n".join(
                self.instance.aliases.values_list("alias", flat=True)
            )
        self.fields["affiliation"].queryset = organizations

    def clean_aliases(self):
        seen, aliases = set(), []
        for line in self.cleaned_data["aliases"].splitlines():
            alias = " ".join(line.split())
            if alias and alias.lower() not in seen:
                if len(alias) > 200:
                    raise forms.ValidationError(f"Alias “{alias[:40]}…” is over 200 characters.")
                seen.add(alias.lower())
                aliases.append(alias)
        return aliases

    @collecting()
    def save(self, commit=True):
        speaker = super().save(commit=True)
        wanted = self.cleaned_data["aliases"]
        speaker.aliases.exclude(alias__in=wanted).delete()
        existing = set(speaker.aliases.values_list("alias", flat=True))
        for alias in wanted:  # one by one: each save moves what shows the speaker's names
            if alias not in existing:
                SpeakerAlias.objects.create(speaker=speaker, alias=alias)
        return speaker


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["title", "kind", "publisher", "url", "date"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class MergeForm(forms.Form):
    duplicate = forms.CharField(
        label="Speaker to merge into this one",
        max_length=300,
        widget=forms.TextInput(),
        help_text="Their quotes, aliases and members move here; their name becomes an alias.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].widget.attrs.update(
            options_attrs("sources:speaker_options", "merge-options")
        )

    def clean_duplicate(self):
        try:
            return find_speaker(self.cleaned_data["duplicate"])
        except LookupFailed as failure:
            raise forms.ValidationError(str(failure)) from None
