"""The article page, whole or as the parts an htmx answer carries.

`render_page` answers with the whole page, or for htmx with the editor region (and,
when the editor asks for a refresh, the page's regions and suggestions panel out of
band). `answer_save` is a save's htmx answer: the editor region and, out of band, only
the parts of the page the save changed: the paragraphs it touched, the counts and
legend entries, the quote's list item, the suggestions it took off the list
(apps/quotes/fragments.py decides which).

The highlighted text, the legend and the quote list are rendered once per change to
the article and read back until the next one (`regions`); each quote's list item once
per change to what it shows (`attach_items`).
"""

import hashlib

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from apps.articles.reading.highlighting import highlighted_paragraph
from apps.core.roles import can_tag
from apps.core.versions import TIMEOUT, cache, derived, key
from apps.sources.models import Source

from . import fragments, item_notes, suggesting, tasks
from .editor import Editor
from .models import verdict_filter
from .reading import read

PAGE = "quotes/article.html"
REGIONS = ("body", "summary", "quote-list")


def panel(request, article) -> dict:
    """The suggestions panel's context for taggers: the open suggestions and where the
    work on the article's text stands (finding quotes pending, failed or done), read once
    per change to the article (its quotes, its suggestions and the state of its work move
    its counter) or to the names of speakers they may name."""
    if not can_tag(request.user):
        return {"offers": [], "work": None}
    owners = (key("article", article.pk), "speakers")

    def compute():
        return suggesting.offers(article), tasks.status(article.pk, article.fingerprint)

    offers, work = derived("offers", (article.pk, article.fingerprint), compute, owners)
    return {"offers": offers, "work": work}


def suggestions_html(request, article, notice="", oob=False) -> str:
    """The suggestions panel, with `notice` said in it."""
    context = {"article": article, "notice": notice, "oob": oob, **panel(request, article)}
    return render_to_string(f"{PAGE}#suggestions", context, request=request)


def regions(request, article, oob=False, passage=None, verdicts=None) -> dict[str, str]:
    """The highlighted text, the legend and the quote list, rendered once per change to
    what they show (the article's counter: its text, quotes, their speakers and sources)
    and read back until the next one. `passage` (start, end) is marked in the text when
    it is a span of the body, and ignored otherwise; `verdicts` limits the quote list to
    quotes with those stored verdicts (the `?verdict=` filter)."""
    tagger = can_tag(request.user)

    def render_regions():
        reading = read(article)
        reading.passage = passage
        attach_notes(reading)
        attach_items(reading.quotes, tagger)
        context = {"article": article, "reading": reading, "user_can_tag": tagger}
        context["oob"] = oob
        regions = {}
        for name in REGIONS:
            if name == "quote-list" and verdicts is not None:
                reading.only_verdicts(verdicts)  # the text and the legend show them all
            regions[name.replace("-", "_")] = render_to_string(f"{PAGE}#{name}", context)
        return regions

    if passage is not None or verdicts is not None:  # rendered for this request, not kept
        return render_regions()
    # Three partials drawn from one reading under one counter: one derived value, so a
    # page read again costs a single counter read for all three.
    return derived(
        "article", (article.pk, tagger, oob), render_regions, [key("article", article.pk)]
    )


def attach_notes(reading) -> None:
    """What the apps above add to each quote's list item (apps/quotes/item_notes.py: the
    claims app says which quotes take part in a contradiction), counted in the reading's
    state so that a save answer never leaves a changed note behind."""
    notes = item_notes.for_quotes(reading.article.pk, reading.quotes)
    for quote in reading.quotes:
        quote.notes_html = notes.get(quote.pk, "")
    reading.notes = item_notes.digest(notes)


def attach_items(quotes, tagger) -> None:
    """Each quote's list item, rendered once per change to the quote, its speaker, its
    source or its notes: after a save only the changed items are rendered again. Kept
    under a digest of what the item shows rather than under counters: a quote has no
    counter of its own, and its article's moves on every save of any of its quotes."""

    def item_key(quote):
        stamps = (quote.updated_at, quote.verdict, quote.speaker and quote.speaker.updated_at)
        stamps += (quote.source and quote.source.updated_at, getattr(quote, "notes_html", ""))
        digest = hashlib.blake2b(repr((quote.pk, stamps, tagger)).encode(), digest_size=16)
        return "qt:quote-item:" + digest.hexdigest()

    keys = {quote.pk: item_key(quote) for quote in quotes}
    known = cache.get_many(keys.values())
    fresh = {}
    for quote in quotes:
        html = known.get(keys[quote.pk])
        if html is None:
            context = {"quote": quote, "user_can_tag": tagger}
            html = fresh[keys[quote.pk]] = render_to_string(f"{PAGE}#quote-item", context)
        quote.item_html = mark_safe(html)  # noqa: S308 - rendered by our autoescaping template
    cache.set_many(fresh, TIMEOUT)


def render_page(
    request,
    article,
    editor: Editor | None = None,
    status=200,
    notice="",
    passage=None,
    verdict="",
) -> HttpResponse:
    """The article page, or for htmx just the editor region (plus refreshed regions)."""
    editor = editor or Editor.idle()
    if request.htmx:
        context = {"article": article, "editor": editor}
        html = render_to_string(f"{PAGE}#editor", context, request=request)
        if editor.refresh:
            html += "".join(regions(request, article, oob=True).values())
            html += suggestions_html(request, article, notice, oob=True)
        return HttpResponse(html, status=status)
    verdicts, problem = verdict_filter(verdict)
    context = {
        "article": article,
        "regions": regions(request, article, passage=passage, verdicts=verdicts),
        "verdict_problem": problem,
        "editor": editor,
        **panel(request, article),
        # The sources this article is the original text of (one indexed query).
        "original_of": list(Source.objects.filter(article=article).only("pk", "title")),
    }
    return render(request, PAGE, context, status=status)


def answer_save(
    request, article, editor: Editor, *, old=None, saved=None, suggestions=None, notice=""
) -> HttpResponse:
    """A save's htmx answer: the editor region and, out of band, what the save changed on
    the page. `old` is the quote as the page showed it (None for a new one), `saved` the
    saved quote's id (None after a deletion), `suggestions` what the save did that may
    change the suggestions panel (see fragments.suggestions_plan)."""
    after = read(article)
    attach_notes(after)
    before = fragments.reading_before(after, old, saved)
    before.notes = after.notes  # the page showed other notes if the save changed them
    parts = fragments.plan(before, after, request.headers.get(fragments.STATE_HEADER))
    if not any(part.part == "suggestions" for part in parts):
        parts += fragments.suggestions_plan(
            article, limit=suggesting.OFFERS_SHOWN, notice=bool(notice), **(suggestions or {})
        )
    html = render_to_string(
        f"{PAGE}#editor", {"article": article, "editor": editor}, request=request
    )
    shown = {}
    for part in parts:
        html += _fragment_html(request, after, part, notice, shown)
    return HttpResponse(html)


def _fragment_html(request, reading, fragment, notice, shown) -> str:
    """One fragment of the page, placed out of band as `fragment.swap` says; `shown`
    keeps the regions once rendered for the answer."""
    article = reading.article
    if fragment.swap == "delete":
        return format_html('<div id="{}" hx-swap-oob="delete"></div>', fragment.element_id)
    if fragment.part in REGIONS:
        if not shown:
            shown.update(regions(request, article, oob=True))
        return shown[fragment.part.replace("-", "_")]
    if fragment.part == "suggestions":
        return suggestions_html(request, article, notice, oob=True)
    tagger = can_tag(request.user)
    if fragment.part == "paragraph":
        html = highlighted_paragraph(article.body, reading.marks, fragment.key)
    else:
        context = {
            "article": article,
            "reading": reading,
            "user_can_tag": tagger,
            "notice": notice,
            "count": fragment.key,
            "swap_oob": fragment.swap == "true",
        }
        if fragment.part in ("legend-entry", "group"):
            context["group"] = next(g for g in reading.groups if g.key == fragment.key)
            attach_items(context["group"].quotes, tagger)
        if fragment.part == "quote-item":
            context["quote"] = next(q for q in reading.quotes if q.pk == fragment.key)
        html = render_to_string(f"{PAGE}#{fragment.part}", context)
    if fragment.swap == "true":
        return html  # the element carries hx-swap-oob itself
    return format_html('<div hx-swap-oob="{}">{}</div>', fragment.swap, html)
