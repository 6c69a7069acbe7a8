from django import template
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html

from apps.quotes.models import FLAGGED_VERDICTS, QuoteKind, QuoteVerdict

register = template.Library()

# Marks a quotation's span may already start with (spans of direct quotes include them).
OPENING_MARKS = "“\"«‘„‚‹'「『"


@register.filter
def call_highlight(highlighter, text):
    """`{{ highlight|call_highlight:text }}`: the text escaped, the query's words marked."""
    return highlighter(text or "")


@register.simple_tag
def said(quote, length=None, html=None):
    """A quote's words as a reader must take them: `{% said quote 140 %}`.

    Direct and partial quotations are shown in quotation marks (added when the span
    does not already carry them). A paraphrase is never put in quotation marks: it is
    labelled as one, because it reports what someone said in the writer's words.
    `html` replaces the plain text (already escaped, e.g. with search words marked).
    """
    text = _words(quote, length)
    shown = html if html is not None else text
    if quote.kind == QuoteKind.INDIRECT:
        return format_html(
            '<span class="said said-indirect"><span class="said-label">Paraphrase</span> {}</span>',
            shown,
        )
    if text[:1] in OPENING_MARKS:
        return format_html('<span class="said">{}</span>', shown)
    return format_html('<span class="said">“{}”</span>', shown)


def _words(quote, length=None) -> str:
    text = quote.exact or ""
    return truncatechars(text, length) if length else text


def said_text(quote, length=None) -> str:
    """`said` as plain text, for labels and titles: “words” or “Paraphrase: words”."""
    text = _words(quote, length)
    if quote.kind == QuoteKind.INDIRECT:
        return f"Paraphrase: {text}"
    if text[:1] in OPENING_MARKS:
        return text
    return f"“{text}”"


FLAG_TITLES = {
    QuoteVerdict.ALTERED: "Its words differ from its source's original text",
    QuoteVerdict.NOT_FOUND: "Its words were not found in its source's original text",
}


@register.simple_tag
def verdict_flag(quote):
    """`{% verdict_flag quote %}`: a badge, in words, on a quote that is altered or not
    found in its source's original (the stored `Quote.verdict`); nothing otherwise."""
    verdict = getattr(quote, "verdict", "")
    if verdict not in FLAGGED_VERDICTS:
        return ""
    label = "Altered" if verdict == QuoteVerdict.ALTERED else "Not in source"
    return format_html(
        '<span class="badge verdict-flag verdict-flag-{}" title="{}">{}</span>',
        verdict,
        FLAG_TITLES[verdict],
        label,
    )
