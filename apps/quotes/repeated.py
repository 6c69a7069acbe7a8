"""A speaker's statements repeated most across the archive (the speaker page's list).

For each of the speaker's direct and partial quotes of at least `WINDOW` words, the
hashes of its first and last window are computed from the quote's own text (no read of
the index for them); the articles holding both, other than the quote's own, are the
articles repeating it from end to end (verbatim or with changes inside). Two queries
whatever the speaker's record: the quotes' texts, and at most `COMMON` + 1 index rows
per hash (apps/quotes/shingles.py `matches_per_hash`). A quote whose first or last
window is a stock phrase found in more than `COMMON` articles is counted through the
other one alone. Quotes with the same words are one statement (its earliest).

Kept under the speaker's counter and `trails` (moved whenever an article's text is
saved, so indexed), so a speaker with thousands of quotes costs this once per change.
"""

from dataclasses import dataclass

from django.db.models import F

from apps.core.versions import derived, key

from .models import Quote
from .shingles import COMMON, WINDOW, matches_per_hash, window_hash, words

TOP = 5


@dataclass(frozen=True)
class Repeated:
    quote: Quote
    articles: int  # other articles repeating it


def _ends(text: str) -> tuple[int, int] | None:
    norms = [w.norm for w in words(text)]
    if len(norms) < WINDOW:
        return None
    return window_hash(norms[:WINDOW]), window_hash(norms[-WINDOW:])


def repeated_most(speaker_id: int, top: int = TOP) -> list[Repeated]:
    quotes = list(
        Quote.objects.filter(
            speaker_id=speaker_id, kind__in=[Quote.Kind.DIRECT, Quote.Kind.PARTIAL]
        )
        .select_related("article")
        .defer("article__body")
        .order_by(F("article__published").asc(nulls_last=True), "article_id", "start")
    )
    ends = {}
    statement_of: dict[tuple[int, int], Quote] = {}
    for quote in quotes:
        found = _ends(quote.exact)
        if found is not None and found not in statement_of:  # the earliest with these words
            statement_of[found] = quote
            ends[quote.pk] = found
    if not ends:
        return []
    hashes = sorted({h for pair in ends.values() for h in pair})
    rows = matches_per_hash(hashes)
    holding: dict[int, set[int] | None] = {}
    for h in hashes:
        found = rows.get(h, [])
        holding[h] = None if len(found) > COMMON else {article for article, *_ in found}
    counted = []
    for quote in statement_of.values():
        first, last = (holding[h] for h in ends[quote.pk])
        sets = [s for s in (first, last) if s is not None]
        if not sets:
            continue  # a stock phrase from end to end
        others = set.intersection(*sets) - {quote.article_id}
        if others:
            counted.append(Repeated(quote, len(others)))
    counted.sort(key=lambda r: (-r.articles, r.quote.pk))
    return counted[:top]


def repeated_for_speaker(speaker_id: int) -> list[Repeated]:
    owners = (key("speaker", speaker_id), "trails")
    return derived("speaker-repeated", speaker_id, lambda: repeated_most(speaker_id), owners)
