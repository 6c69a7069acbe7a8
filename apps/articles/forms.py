from django import forms
from django.conf import settings

from . import fetching
from .importing import (
    MAX_UPLOAD_BYTES,
    ImportRefused,
    Metadata,
    create_article,
    import_bytes,
    parse,
)


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="File",
        help_text=".txt (first line is the title) or .html",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.text,.md,.html,.htm,.xhtml"}),
    )
    text = forms.CharField(
        required=False,
        label="Or paste the article",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Plain text; the first line is the title unless you fill in the title below.",
    )
    pasted_format = forms.ChoiceField(
        choices=[("text", "Plain text"), ("html", "HTML")],
        initial="text",
        label="Pasted format",
        required=False,
    )
    # No max_length: a browser would cut a long title silently (maxlength); too long a
    # title is refused by create_article, as one read from the first line is.
    title = forms.CharField(required=False)
    outlet = forms.CharField(required=False, max_length=200)
    url = forms.URLField(required=False, max_length=1000, label="URL", assume_scheme="https")
    published = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Published"
    )
    byline = forms.CharField(required=False, max_length=300)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; "
                f"Quotetrail accepts files up to {MAX_UPLOAD_BYTES // 1_048_576} MB."
            )
        return upload

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("file"))
        has_text = bool((data.get("text") or "").strip())
        if has_file == has_text:
            raise forms.ValidationError("Choose a file or paste the article text (one of the two).")
        return data

    def metadata(self) -> Metadata:
        data = self.cleaned_data
        return Metadata(
            outlet=data.get("outlet") or "",
            url=data.get("url") or "",
            published=data.get("published"),
            byline=data.get("byline") or "",
        )

    def import_article(self, user):
        """The article the valid form describes, written (or ImportRefused, nothing written)."""
        data = self.cleaned_data
        if data["file"]:
            upload = data["file"]
            return import_bytes(upload.read(), upload.name, self.metadata(), user, data["title"])
        fmt = data.get("pasted_format") or "text"
        title, body = parse(data["text"], fmt, title=data["title"])
        return create_article(title, body, self.metadata(), user)


class FeedImportForm(forms.Form):
    """A feed whose entries are imported in the background."""

    prefix = "feed"
    url = forms.CharField(
        label="Feed URL",
        max_length=1000,
        help_text="An RSS or Atom feed: each entry's page is fetched and its article imported.",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )

    def clean_url(self):
        try:
            url = fetching.check_url(self.cleaned_data["url"])
            if not settings.QUOTETRAIL_FETCH_ALLOW_PRIVATE:
                fetching.guard(url)  # an address inside is refused now, not in the job
        except ImportRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return url


class UrlsImportForm(forms.Form):
    """Article pages, one URL a line, imported in the background."""

    prefix = "pages"
    urls = forms.CharField(
        label="Article URLs",
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "https://"}),
        help_text="One URL a line; each page is fetched and reduced to its article.",
    )

    def clean_urls(self):
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines()]
        urls, problems = [], []
        for number, line in enumerate(lines, 1):
            if not line:
                continue
            try:
                url = fetching.check_url(line)
            except ImportRefused as refusal:
                problems.append(f"Line {number}: {refusal}")
                continue
            if url not in urls:
                urls.append(url)
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise forms.ValidationError([*problems[:3], f"Nothing was imported{more}."])
        if not urls:
            raise forms.ValidationError("Give at least one URL.")
        limit = settings.QUOTETRAIL_IMPORT_MAX_URLS
        if len(urls) > limit:
            raise forms.ValidationError(
                f"{len(urls)} URLs; one import takes at most {limit}. Split the list."
            )
        return urls
