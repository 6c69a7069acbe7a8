from django import forms

from apps.articles.models import Article
from apps.sources.forms import options_attrs
from apps.sources.lookup import LookupFailed, find_source, find_speaker, speaker_label
from apps.sources.models import Source, Speaker

from .anchoring import SpanRefused, confirm_span, selector_for, utf16_to_index
from .models import Quote, QuoteKind
from .tagging import NewSource, NewSpeaker, QuoteChange

MAX_QUOTE_CHARS = 20_000


class QuoteForm(forms.Form):
    """The tag form: a span (offsets and the selected text) and its attribution.

    The browser sends UTF-16 offsets (`offsets=utf16`); a plain form may send
    code points or only the text. Either way the span is confirmed against the
    article body before anything is saved.
    """

    text = forms.CharField(
        label="Quoted text",
        max_length=MAX_QUOTE_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "quote-text-field"}),
        help_text="Select in the article to fill this, or type the exact words.",
    )
    start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput)
    offsets = forms.ChoiceField(
        choices=[("codepoints", "code points"), ("utf16", "UTF-16")],
        required=False,
        widget=forms.HiddenInput,
    )
    prefix = forms.CharField(required=False, strip=False, max_length=200, widget=forms.HiddenInput)
    suffix = forms.CharField(required=False, strip=False, max_length=200, widget=forms.HiddenInput)
    speaker = forms.CharField(
        required=False,
        max_length=300,
        help_text="Type a name or alias; leave empty if not known yet.",
    )
    new_speaker = forms.BooleanField(required=False, label="New speaker: create it")
    new_speaker_kind = forms.ChoiceField(
        choices=Speaker.Kind.choices, required=False, label="Kind", initial=Speaker.Kind.PERSON
    )
    new_speaker_role = forms.CharField(required=False, max_length=300, label="Role or title")
    new_speaker_affiliation = forms.CharField(
        required=False, max_length=300, label="Affiliation (an organization)"
    )
    source = forms.CharField(
        required=False, max_length=400, help_text="Where it was originally said."
    )
    new_source = forms.BooleanField(required=False, label="New source: create it")
    new_source_kind = forms.ChoiceField(
        choices=Source.Kind.choices, required=False, label="Kind", initial=Source.Kind.INTERVIEW
    )
    new_source_publisher = forms.CharField(required=False, max_length=200, label="Publisher")
    new_source_url = forms.URLField(
        required=False, max_length=1000, label="URL", assume_scheme="https"
    )
    new_source_date = forms.DateField(
        required=False, label="Date", widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        choices=QuoteKind.choices, initial=QuoteKind.DIRECT, widget=forms.RadioSelect
    )
    cue = forms.CharField(required=False, max_length=100, label="Cue verb")
    note = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article: Article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["speaker"].widget.attrs.update(
            options_attrs("sources:speaker_options", "speaker-options")
        )
        self.fields["new_speaker_affiliation"].widget.attrs.update(
            options_attrs("sources:speaker_options", "speaker-options")
        )
        self.fields["source"].widget.attrs.update(
            options_attrs("sources:source_options", "source-options")
        )
        # Focus lands where the editor types next: the words, or who said them.
        has_text = bool(self.data.get("text") if self.is_bound else self.initial.get("text"))
        self._focus("speaker" if has_text else "text")

    def _focus(self, name: str) -> None:
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[name].widget.attrs["autofocus"] = True

    def full_clean(self):
        super().full_clean()
        # After a refusal, focus goes to the first field that needs fixing.
        visible = [name for name, field in self.fields.items() if not field.widget.is_hidden]
        wrong = [name for name in visible if name in self.errors]
        if wrong:
            self._focus(wrong[0])
        elif self.errors:
            self._focus("text")

    @classmethod
    def for_quote(cls, quote: Quote, **kwargs) -> "QuoteForm":
        initial = {
            "text": quote.exact,
            "start": quote.start,
            "end": quote.end,
            "offsets": "codepoints",
            "prefix": quote.prefix,
            "suffix": quote.suffix,
            "speaker": speaker_label(quote.speaker) if quote.speaker else "",
            "source": f"{quote.source.title} (#{quote.source.pk})" if quote.source else "",
            "kind": quote.kind,
            "cue": quote.cue,
            "note": quote.note,
            "version": quote.version,
        }
        return cls(initial=initial, article=quote.article, **kwargs)

    def _span(self, data) -> tuple[int, int]:
        body = self.article.body
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and data.get("offsets") == "utf16":
            converted = utf16_to_index(body, start), utf16_to_index(body, end)
            if None in converted:
                raise SpanRefused(
                    "The selection does not fall on characters of this article; "
                    "reload the page and select again."
                )
            start, end = converted
        text = data.get("text") or ""
        if start is None or end is None:
            occurrences = body.count(text.strip()) if text.strip() else 0
            if occurrences > 1 and not (data.get("prefix") or data.get("suffix")):
                raise SpanRefused(
                    f"“{text.strip()[:60]}” occurs {occurrences} times in this article; "
                    "select it in the text or type more words."
                )
        return confirm_span(
            body, text, start, end, data.get("prefix") or "", data.get("suffix") or ""
        )

    def clean(self):
        data = super().clean()
        if "text" in data:
            try:
                data["span"] = self._span(data)
            except SpanRefused as refusal:
                self.add_error("text", str(refusal))
        self._clean_speaker(data)
        self._clean_source(data)
        return data

    def _clean_speaker(self, data):
        typed = (data.get("speaker") or "").strip()
        data["speaker_obj"] = None
        data["new_speaker_obj"] = None
        if data.get("new_speaker"):
            if not typed:
                self.add_error("speaker", "Type the new speaker's name.")
                return
            affiliation = None
            affiliation_text = (data.get("new_speaker_affiliation") or "").strip()
            if affiliation_text:
                try:
                    affiliation = find_speaker(affiliation_text)
                except LookupFailed as failure:
                    self.add_error("new_speaker_affiliation", str(failure))
                    return
                if not affiliation.is_organization:
                    self.add_error(
                        "new_speaker_affiliation",
                        f"{affiliation.name} is a person; an affiliation must be an organization.",
                    )
                    return
            role = (data.get("new_speaker_role") or "").strip()
            if Speaker.objects.filter(name__iexact=typed, role__iexact=role).exists():
                self.add_error(
                    "speaker",
                    f"A speaker called “{typed}” with this role exists; pick them instead.",
                )
                return
            data["new_speaker_obj"] = NewSpeaker(
                name=typed,
                kind=data.get("new_speaker_kind") or Speaker.Kind.PERSON,
                role=role,
                affiliation=affiliation,
            )
        elif typed:
            try:
                data["speaker_obj"] = find_speaker(typed)
            except LookupFailed as failure:
                self.add_error("speaker", str(failure))

    def _clean_source(self, data):
        typed = (data.get("source") or "").strip()
        data["source_obj"] = None
        data["new_source_obj"] = None
        if data.get("new_source"):
            if not typed:
                self.add_error("source", "Type the new source's title.")
                return
            if Source.objects.filter(title__iexact=typed).exists():
                self.add_error("source", f"A source titled “{typed}” exists; pick it instead.")
                return
            data["new_source_obj"] = NewSource(
                title=typed,
                kind=data.get("new_source_kind") or Source.Kind.OTHER,
                publisher=(data.get("new_source_publisher") or "").strip(),
                url=data.get("new_source_url") or "",
                date=data.get("new_source_date"),
            )
        elif typed:
            try:
                data["source_obj"] = find_source(typed)
            except LookupFailed as failure:
                self.add_error("source", str(failure))

    def change(self) -> QuoteChange:
        data = self.cleaned_data
        start, end = data["span"]
        return QuoteChange(
            start=start,
            end=end,
            kind=data["kind"],
            cue=(data.get("cue") or "").strip(),
            note=(data.get("note") or "").strip(),
            speaker=data["speaker_obj"],
            source=data["source_obj"],
            new_speaker=data["new_speaker_obj"],
            new_source=data["new_source_obj"],
            selector=selector_for(self.article.body, start, end),
        )
