"""Correcting an article's title and body, with every quote anchored in it.

A correction takes the article's row lock, as a tag save does (apps/quotes/tagging.py),
so the two happen one after the other. Each quote is looked for again by its words and
their context; one whose words are gone is kept and flagged orphaned.
"""

from dataclasses import dataclass, field

from django.conf import settings

from apps.articles.models import Article, fingerprint
from apps.articles.reading.text import canonicalize
from apps.core.versions import collecting

from .anchoring import Selector, resolve, selector_for
from .models import Quote
from .tagging import StaleVersion, TaggingRefused


@dataclass
class Correction:
    article: Article
    kept: int = 0  # quotes whose span did not move
    moved: list[Quote] = field(default_factory=list)
    orphaned: list[Quote] = field(default_factory=list)
    repaired: list[Quote] = field(default_factory=list)  # orphans found again


def _offset_mapper(old: str, new: str):
    """Map an offset in `old` to `new`, assuming one edited region in between."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    delta = len(new) - len(old)

    def mapped(offset: int) -> int:
        if offset <= prefix:
            return offset
        if offset >= len(old) - suffix:
            return offset + delta
        return min(max(offset, 0), len(new))

    return mapped


@collecting()
def correct_body(article_id: int, expected_fingerprint: str, title: str, body: str) -> Correction:
    """Replace an article's title and body and re-anchor every quote.

    Each quote is looked for again by its text and context, nearest to where
    the edit moved it; a quote whose text is gone is kept and flagged orphaned
    (the database allows an orphan's span not to match). Orphans whose text
    reappears are repaired.
    """
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None:
        raise TaggingRefused("This article no longer exists.")
    if article.fingerprint != expected_fingerprint:
        raise StaleVersion(None)
    title = canonicalize(title).replace("\n", " ")
    body = canonicalize(body)
    if not title or not body:
        raise TaggingRefused("The title and the body cannot be empty.")
    if len(title) > Article._meta.get_field("title").max_length:
        raise TaggingRefused("The title is over 300 characters.")
    if len(body) > settings.QUOTETRAIL_MAX_BODY_CHARS:
        raise TaggingRefused(
            f"The body is {len(body):,} characters long; "
            f"Quotetrail accepts at most {settings.QUOTETRAIL_MAX_BODY_CHARS:,}."
        )
    clash = Article.objects.filter(fingerprint=fingerprint(title, body)).exclude(pk=article.pk)
    if clash.exists():
        raise TaggingRefused("Another article already has exactly this title and text.")
    quotes = list(Quote.objects.select_for_update().filter(article=article).order_by("start", "pk"))
    mapped = _offset_mapper(article.body, body)
    result = Correction(article=article)
    # Detach every quote first: the database refuses a body that strands a quote.
    Quote.objects.filter(pk__in=[q.pk for q in quotes]).update(orphaned=True)
    article.title, article.body = title, body
    article.save()
    taken: set[tuple[int, int]] = set()
    for quote in quotes:
        was_orphan = quote.orphaned
        old_span = (quote.start, quote.end)
        found = resolve(
            body, Selector(quote.exact, quote.prefix, quote.suffix), mapped(quote.start)
        )
        quote.article = article
        if found is None or found in taken:
            if not was_orphan:
                quote.orphaned = True
                quote.version += 1
                quote._change_reason = "Text no longer found after a body correction"
                quote.save()
                result.orphaned.append(quote)
            continue
        taken.add(found)
        selector = selector_for(body, *found)
        if (
            not was_orphan
            and found == old_span
            and selector.prefix == quote.prefix
            and selector.suffix == quote.suffix
        ):
            Quote.objects.filter(pk=quote.pk).update(orphaned=False)
            result.kept += 1
            continue
        quote.anchor(*found)
        quote.version += 1
        quote._change_reason = "Re-anchored after a body correction"
        quote.save()
        (result.repaired if was_orphan else result.moved).append(quote)
    return result
