"""What the quote's panel says besides its form: where else its words appear
(`trail_line`, apps/quotes/trails.py) and how they compare with the original text
they are credited to (`verbatim_check`, apps/quotes/verbatim.py)."""

from django.urls import reverse

from apps.articles.models import Article

from . import crediting, trails, verbatim
from .models import Quote


def trail_line(quote) -> dict | None:
    """ "Also in N articles, first in <outlet> on <date>" for the quote's panel, with the
    misattribution warning; None for a paraphrase, a quote of fewer than six words or
    one found in its own article only."""
    if quote.kind == Quote.Kind.INDIRECT or quote.orphaned:  # an orphan's span is stale
        return None
    trail = trails.trail_for_quote(quote)
    if trail.common or trail.articles < 2:
        return None
    span = (quote.article_id, quote.start, quote.end)
    conflicts = crediting.misattribution(crediting.kept_credits(span, trail))
    others = max(trail.whole - 1, 0)  # the quote's own article holds its words whole
    first = trail.first_whole if others else trail.first
    return {
        "trail": trail,
        "others": others,
        "partial": trail.partial,
        "first": first,
        "conflicts": conflicts,
    }


PASSAGE_SHOWN = 300  # characters of the original passage shown in the quote's panel


def verbatim_check(quote) -> dict | None:
    """What the quote's panel says of its words against the original text, when its
    source is an article in the archive: the verdict (apps/quotes/verbatim.py) and the
    passage, linked to the source article with the passage marked. One query (the
    source article's text); none for a paraphrase, whose words are the writer's, or a
    quote without such a source."""
    source = quote.source
    if quote.kind == Quote.Kind.INDIRECT or source is None or source.article_id is None:
        return None
    if source.article_id == quote.article_id:
        return None  # its own article: nothing to check against
    original = Article.objects.filter(pk=source.article_id).values_list("body", flat=True)
    original = original.first()
    if original is None:
        return None
    verdict = verbatim.check(quote.exact, original)
    url = reverse("quotes:article", args=[source.article_id])
    check = {"verdict": verdict, "source": source, "url": url}
    if verdict.found:
        check["url"] = f"{url}?passage={verdict.start}-{verdict.end}#passage"
        passage = original[verdict.start : verdict.end]
        if len(passage) > PASSAGE_SHOWN:
            passage = passage[: PASSAGE_SHOWN - 1].rstrip() + "…"
        check["passage"] = passage
    if verdict.kind == verbatim.ALTERED:
        check["pieces"] = verbatim.marked_up(quote.exact, original, verdict)
        check["summary"] = _changes_summary(verdict.changes)
    return check


def _changes_summary(changes) -> str:
    """The unmarked changes in words: "1 word replaced, 3 words omitted without an
    ellipsis", counting the original's words replaced or omitted and the words added."""

    def words(count, what):
        return f"{count} word{'s' if count != 1 else ''} {what}"

    replaced = sum(len(op.original_words) for op in changes if op.op == "replace")
    omitted = sum(len(op.original_words) for op in changes if op.op == "delete")
    added = sum(len(op.quote_words) for op in changes if op.op == "insert")
    said = []
    if replaced:
        said.append(words(replaced, "replaced"))
    if omitted:
        said.append(words(omitted, "omitted without an ellipsis"))
    if added:
        said.append(words(added, "added without brackets"))
    return ", ".join(said)
