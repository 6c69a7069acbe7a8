"""Searching quotes (text, speaker, role, organization, source), articles and speakers.

PostgreSQL: full-text search over indexed `to_tsvector('english', …)` expressions
(GIN, migration 0004) plus trigram similarity on speaker names and aliases
(pg_trgm), so a misspelt “Dilon” still finds Dillon. SQLite: the same results by
substring matching, with misspelt names caught by close matching on speaker
names. Either way, quotes containing the exact phrase rank first.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.articles.models import Article
from apps.sources.models import Source, Speaker, SpeakerAlias

from .models import Quote, QuoteKind

MAX_QUERY = 200  # characters actually searched; longer input is cut, not refused
NAME_SIMILARITY = 0.3


def normalise(query: str) -> str:
    return " ".join((query or "").split())[:MAX_QUERY]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def matching_speaker_ids(query: str) -> set[int]:
    """Speakers whose name or alias contains the query, or is close to it (typos)."""
    ids = set(
        Speaker.objects.filter(
            Q(name__icontains=query) | Q(aliases__alias__icontains=query)
        ).values_list("id", flat=True)[:500]
    )
    if len(query) < 3:
        return ids
    if _postgres():
        from django.contrib.postgres.search import TrigramWordSimilarity

        ids.update(
            Speaker.objects.annotate(similarity=TrigramWordSimilarity(query, "name"))
            .filter(similarity__gte=NAME_SIMILARITY)
            .values_list("id", flat=True)[:200]
        )
        ids.update(
            SpeakerAlias.objects.annotate(similarity=TrigramWordSimilarity(query, "alias"))
            .filter(similarity__gte=NAME_SIMILARITY)
            .values_list("speaker_id", flat=True)[:200]
        )
        return ids
    # SQLite: compare the query with each word of each name (bounded: names are short).
    names = list(Speaker.objects.values_list("id", "name")[:20000])
    names += list(SpeakerAlias.objects.values_list("speaker_id", "alias")[:20000])
    lowered = query.lower()
    for speaker_id, name in names:
        words = [w for w in re.split(r"[\s,.;:()]+", name.lower()) if len(w) > 2]
        if difflib.get_close_matches(lowered, words, n=1, cutoff=0.75):
            ids.add(speaker_id)
    return ids


@dataclass
class Filters:
    kind: str = ""
    speaker: int | None = None
    organization: int | None = None
    date_from: object = None
    date_to: object = None
    status: str = ""


def search_quotes(query: str, filters: Filters | None = None):
    """Quotes matching the query, exact phrase matches first, newest articles next."""
    query = normalise(query)
    filters = filters or Filters()
    quotes = Quote.objects.select_related("article", "speaker__affiliation", "source")
    if query:
        speakers = matching_speaker_ids(query)
        organizations = Speaker.objects.filter(pk__in=speakers, kind=Speaker.Kind.ORGANIZATION)
        quotes = quotes.filter(
            _quote_text(query)
            | Q(speaker_id__in=speakers)
            | Q(speaker__affiliation_id__in=organizations.values("pk"))
            | Q(speaker__role__icontains=query)
            | Q(source__title__icontains=query)
        ).annotate(
            phrase=Case(
                When(exact__icontains=query, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        order = ["phrase", "-article__published", "article_id", "start"]
    else:
        order = ["-article__published", "article_id", "start"]
    if filters.kind in QuoteKind.values:
        quotes = quotes.filter(kind=filters.kind)
    if filters.speaker:
        quotes = quotes.filter(speaker_id=filters.speaker)
    if filters.organization:
        quotes = quotes.filter(
            Q(speaker_id=filters.organization) | Q(speaker__affiliation_id=filters.organization)
        )
    if filters.date_from:
        quotes = quotes.filter(article__published__gte=filters.date_from)
    if filters.date_to:
        quotes = quotes.filter(article__published__lte=filters.date_to)
    if filters.status in Quote.Status.values:
        quotes = quotes.filter(status=filters.status)
    return quotes.order_by(*order, "id")


def _quote_text(query: str) -> Q:
    """Quote text containing the phrase, or (PostgreSQL) matching it as full text."""
    phrase = Q(exact__icontains=query)
    if not _postgres():
        words = [w for w in query.split() if len(w) > 2][:8]
        if len(words) > 1:
            every_word = Q()
            for word in words:
                every_word &= Q(exact__icontains=word)
            return phrase | every_word
        return phrase
    from django.contrib.postgres.search import SearchQuery, SearchVector

    matching = (
        Quote.objects.annotate(document=SearchVector("exact", config="english"))
        .filter(document=SearchQuery(query, config="english", search_type="websearch"))
        .order_by()
        .values("pk")
    )
    return phrase | Q(pk__in=matching)


def search_articles(query: str, limit: int = 10) -> list[Article]:
    query = normalise(query)
    if not query:
        return []
    articles = Article.objects.filter(
        Q(title__icontains=query) | Q(outlet__icontains=query) | Q(byline__icontains=query)
    ).defer("body")
    return list(articles.order_by("-published", "-id")[:limit])


def search_speakers(query: str, limit: int = 10) -> list[Speaker]:
    query = normalise(query)
    if not query:
        return []
    ids = matching_speaker_ids(query)
    return list(
        Speaker.objects.filter(pk__in=ids).select_related("affiliation").order_by("name")[:limit]
    )


def search_sources(query: str, limit: int = 10) -> list[Source]:
    query = normalise(query)
    if not query:
        return []
    return list(
        Source.objects.filter(Q(title__icontains=query) | Q(publisher__icontains=query)).order_by(
            "-date", "title"
        )[:limit]
    )


@dataclass
class Highlighter:
    """Marks the query's words in a text, escaping everything else."""

    query: str
    words: list[str] = field(init=False)
    do_not_call_in_templates = True  # templates pass it to the call_highlight filter

    def __post_init__(self):
        words = sorted(
            {w for w in normalise(self.query).split() if len(w) > 1}, key=len, reverse=True
        )
        self.words = words[:10]

    def __call__(self, text: str, limit: int = 300) -> SafeString:
        text = text if len(text) <= limit else text[: limit - 1] + "…"
        if not self.words:
            return escape(text)
        pattern = re.compile("|".join(re.escape(w) for w in self.words), re.IGNORECASE)
        parts, last = [], 0
        for match in pattern.finditer(text):
            parts.append(escape(text[last : match.start()]))
            parts.append(f'<mark class="hit">{escape(match.group(0))}</mark>')
            last = match.end()
        parts.append(escape(text[last:]))
        return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped
