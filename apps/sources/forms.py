from django import forms
from django.urls import reverse

from apps.articles.forms import ImportForm
from apps.core.versions import collecting

from .lookup import LookupFailed, article_label, find_article, find_source, find_speaker
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


def original_field() -> forms.CharField:
    """An article of the archive holding a source's original text, picked by title."""
    field = forms.CharField(
        required=False,
        max_length=400,
        label="Original text (an article in the archive)",
        help_text="Type its title and pick it; leave empty to unlink. Quotes citing this "
        "source are checked word for word against it.",
    )
    field.widget.attrs.update(options_attrs("sources:article_options", "original-options"))
    return field


def clean_original(typed: str):
    """The article named, or None for empty; a ValidationError with the lookup's words."""
    typed = (typed or "").strip()
    if not typed:
        return None
    try:
        return find_article(typed)
    except LookupFailed as failure:
        raise forms.ValidationError(str(failure)) from None


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["title", "kind", "publisher", "url", "date"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"] = original_field()
        if self.instance.article_id:
            self.fields["original"].initial = article_label(self.instance.article)

    def clean_original(self):
        if "original" not in self.data:  # a post without the field leaves the link alone
            return self.instance.article
        return clean_original(self.cleaned_data.get("original"))

    @collecting()  # the source and its quotes' verdicts, in one transaction
    def save(self, commit=True):
        self.instance.article = self.cleaned_data["original"]
        return super().save(commit)


class OriginalForm(forms.Form):
    """Link (or, empty, unlink) a source's original document from the source's page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"] = original_field()

    def clean_original(self):
        return clean_original(self.cleaned_data.get("original"))


class SourceDocumentForm(ImportForm):
    """The import form, for a source's original document (a press release, a transcript,
    a statement, an investigation): the source it is the original of, an existing one or
    a new one with its kind and publisher."""

    source = forms.CharField(
        required=False,
        max_length=400,
        label="Original of the source",
        help_text="Type an existing source's title and pick it, or fill in a new source below.",
    )
    new_source_title = forms.CharField(required=False, max_length=300, label="Or a new source")
    new_source_kind = forms.ChoiceField(
        choices=Source.Kind.choices, required=False, initial=Source.Kind.PRESS_RELEASE, label="Kind"
    )
    new_source_publisher = forms.CharField(required=False, max_length=200, label="Publisher")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].widget.attrs.update(
            options_attrs("sources:source_options", "source-options")
        )

    def clean(self):
        data = super().clean()
        typed = (data.get("source") or "").strip()
        title = (data.get("new_source_title") or "").strip()
        if bool(typed) == bool(title):
            raise forms.ValidationError(
                "Name the source this document is the original of: an existing source or a "
                "new one (one of the two)."
            )
        if typed:
            try:
                data["source_obj"] = find_source(typed)
            except LookupFailed as failure:
                self.add_error("source", str(failure))
        else:
            source = Source(
                title=title,
                kind=data.get("new_source_kind") or Source.Kind.OTHER,
                publisher=(data.get("new_source_publisher") or "").strip(),
            )
            try:
                source.full_clean(exclude=["article"])
            except forms.ValidationError as exc:
                self.add_error("new_source_title", " ".join(exc.messages))
            data["source_obj"] = source
        return data


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
