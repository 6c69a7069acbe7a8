"""The trail page: where a quotation's words appear across the archive, first first.

`quote_trail` for a tagged quote, `span_trail` for any passage of an article (an open
suggestion's). Any signed-in role reads them. The page costs the same number of
queries however many articles repeat the words: the trail's (apps/quotes/trails.py)
plus two for the credits (apps/quotes/crediting.py) and two to match suggested names,
and the trail is kept (`kept_trail`) and its table rendered once (`_findings`, under
the owners of its credits) until what they are drawn from changes, so a trail read
again costs two counter reads and the page's own queries.
"""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.articles.models import Article
from apps.core.http import number
from apps.core.partials import kept
from apps.sources.models import Speaker

from . import crediting, verbatim
from .crediting import credits, misattribution
from .models import Quote
from .repeated import repeated_for_speaker
from .shingles import WINDOW
from .trails import Trail, kept_trail

OFFSET_DIGITS = 9


def _rows(trail: Trail, found) -> list[dict]:
    """Each listed occurrence with its link, credit and word diff against the earliest."""
    earliest = trail.first
    rows = []
    for o in trail.occurrences:
        url = reverse("quotes:article", args=[o.article])
        row = {"o": o, "credit": found.get(o), "url": f"{url}?passage={o.start}-{o.end}#passage"}
        if o is not earliest and o.words != earliest.words:
            verdict = verbatim.check(o.text, earliest.text)
            if verdict.kind == verbatim.ALTERED:
                row["pieces"] = verbatim.marked_up(o.text, earliest.text, verdict)
        rows.append(row)
    return rows


def _findings(span: tuple[int, int, int]) -> str:
    """The trail's summary, misattribution warning and table, rendered once and kept
    until the trail or a credit in it can change (`crediting.owners`)."""
    trail = kept_trail(*span)

    def context() -> dict:
        found = credits(trail)
        return {
            "trail": trail,
            "rows": _rows(trail, found),
            "conflicts": misattribution(found),
            "window": WINDOW,
        }

    owners = crediting.owners(trail)
    return kept(
        "quotes/trail.html#findings", context, parts=span, owners=owners, name="trail-findings"
    )


def _page(request, span: tuple[int, int, int], context: dict):
    return render(request, "quotes/trail.html", {**context, "findings": _findings(span)})


@require_GET
def quote_trail(request, pk):
    quote = get_object_or_404(Quote.objects.select_related("article", "speaker"), pk=pk)
    span = (quote.article_id, quote.start, quote.end)
    return _page(request, span, {"quote": quote, "article": quote.article})


@require_GET
def span_trail(request, pk):
    """`?start=S&end=E`: code point offsets of a passage of the article's body."""
    article = get_object_or_404(Article.objects.only("title", "body"), pk=pk)
    start = number(request.GET.get("start"), digits=OFFSET_DIGITS)
    end = number(request.GET.get("end"), digits=OFFSET_DIGITS)
    if start is None or end is None:
        return HttpResponseBadRequest(
            "Give the passage as ?start=S&end=E, two whole numbers (code point offsets).",
            content_type="text/plain; charset=utf-8",
        )
    if not start < end <= len(article.body):
        return HttpResponseBadRequest(
            f"The passage {start}–{end} is not a span of this article's text "
            f"(0 ≤ start < end ≤ {len(article.body)}).",
            content_type="text/plain; charset=utf-8",
        )
    context = {"article": article, "span_text": article.body[start:end], "span": (start, end)}
    return _page(request, (article.pk, start, end), context)


@require_GET
def speaker_repeated(request, pk):
    """The speaker's statements found in the most other articles: a region of the
    speaker's page (loaded by htmx from here, as `sources` may not import `quotes`)."""
    speaker = get_object_or_404(Speaker, pk=pk)
    context = {"speaker": speaker, "repeated": repeated_for_speaker(speaker.pk)}
    if request.htmx:
        return HttpResponse(render_to_string("quotes/speaker_repeated.html#repeated", context))
    return render(request, "quotes/speaker_repeated.html", context)
