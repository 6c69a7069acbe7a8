"""Searching quotes (text, speaker, role, organization, source), articles and speakers.

An organization, named in the query or chosen as a filter, brings the statements of
every member under it, however deep (apps.sources.membership).

PostgreSQL: full-text search over each quote's stored `tsvector` (a generated
column with a GIN index, migration 0005) plus trigram word similarity on speaker
names and aliases (pg_trgm, indexed), so a misspelt “Dilon” still finds Dillon.
SQLite: the same results by substring matching, with misspelt names caught by
close matching on speaker names. Either way, quotes containing the exact phrase
rank first, then the newest articles.

A query's ranked hits (at most RESULT_CAP, with their sort keys) are kept in the
derived cache and brought up to date, not thrown away, as the newsroom writes:
every quote write is noted in the `quotes` journal (apps.core.versions), and the
next search re-checks only the quotes changed since it ranked, merging them in by
their sort keys. Only a change to what the query's names resolve to or the ranking
reads from other tables (speakers and aliases, sources, article dates: the
`OWNERS` counters) ranks the query again from the indexes. Paging, the live
results and repeated searches load only the quotes they show.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.articles.models import Article
from apps.core.versions import derived, incremental
from apps.sources.membership import member_ids, members, members_sql
from apps.sources.models import Source, Speaker, SpeakerAlias

from .models import Quote, QuoteKind

MAX_QUERY = 200  # characters actually searched; longer input is cut, not refused
NAME_SIMILARITY = 0.3
SCANS = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")  # off for names
_SET_SCANS = "SELECT " + ", ".join(f"set_config('{name}', %s, false)" for name in SCANS)


def normalise(query: str) -> str:
    return " ".join((query or "").split())[:MAX_QUERY]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def matching_speaker_ids(query: str) -> set[int]:
    """Speakers whose name or alias contains the query, or is close to it (typos)."""
    if _postgres() and len(query) >= 3:
        # `<%` is pg_trgm's word similarity, answered from the trigram indexes.
        sql = (
            "SELECT id FROM sources_speaker WHERE name ILIKE %(like)s OR %(q)s <%% name"
            " UNION SELECT speaker_id FROM sources_speakeralias"
            " WHERE alias ILIKE %(like)s OR %(q)s <%% alias LIMIT 700"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(NAME_SIMILARITY)],
            )
            # The planner prices `<%` far below what it costs per row and would compute
            # it for every name (about 20 ms on 9,000 names); the trigram indexes,
            # read as bitmaps, answer in under 1 ms.
            cursor.execute(f"SELECT {', '.join(f"set_config('{s}', 'off', false)" for s in SCANS)}")
            try:
                cursor.execute(sql, {"like": _like(query), "q": query})
                return {row[0] for row in cursor.fetchall()}
            finally:
                cursor.execute(
                    f"SELECT {', '.join(f"set_config('{s}', 'on', false)" for s in SCANS)}"
                )
    ids = set(
        Speaker.objects.filter(
            Q(name__icontains=query) | Q(aliases__alias__icontains=query)
        ).values_list("id", flat=True)[:500]
    )
    if len(query) < 3 or _postgres():
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


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    speaker: int | None = None
    organization: int | None = None
    date_from: object = None
    date_to: object = None
    status: str = ""


MEMBERS_CAP = 2000  # members of the organizations a query names, searched as its speakers
RESULT_CAP = 1000  # ranked hits kept per query: 40 pages of 25; refine the query for more
# Counters of what search reads besides quotes; quote writes go to the `quotes` journal.
OWNERS = ("articles", "speakers", "sources")
NAME_OWNERS = ("speakers", "sources")
RECHECK_LIMIT = 500  # more quotes changed since a query ranked: rank it again


@dataclass(frozen=True)
class Matches:
    """What the query names besides quote words, resolved once per query."""

    named: tuple[int, ...] = ()  # speakers by name or alias, typos too
    speakers: tuple[int, ...] = ()  # those, plus matching roles and organizations' members
    sources: tuple[int, ...] = ()


def resolve(query: str) -> Matches:
    if not query:
        return Matches()
    return derived("names", query, lambda: _resolve(query), NAME_OWNERS)


def _containing(model, column: str, query: str, limit: int = 500) -> list[int]:
    """Ids of rows whose `column` contains the query, ignoring case. On PostgreSQL as
    `ILIKE`, which its trigram index answers (Django's `icontains` compares UPPER()
    values, which that index cannot)."""
    if not _postgres():
        rows = model.objects.filter(**{f"{column}__icontains": query})
        return list(rows.values_list("id", flat=True)[:limit])
    table, column = model._meta.db_table, connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        # Table and column come from the model, never from input.
        cursor.execute(
            f"SELECT id FROM {table} WHERE {column} ILIKE %s LIMIT %s",  # noqa: S608
            [_like(query), limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _resolve(query: str) -> Matches:
    named = matching_speaker_ids(query)
    by_role = _containing(Speaker, "role", query)
    # The named organizations' members, however deep (a person has none: seeding with
    # every named speaker selects the same members, in one query).
    members_of_named = member_ids(named, limit=len(named) + MEMBERS_CAP)
    sources = _containing(Source, "title", query)
    speakers = named | set(by_role) | members_of_named
    return Matches(
        named=tuple(sorted(named)),
        speakers=tuple(sorted(speakers)),
        sources=tuple(sorted(sources)),
    )


class Results:
    """The quotes matching a query: ranked ids (exact phrase first, then the newest
    articles), kept and brought up to date as quotes change, so paging, the live box
    and repeated searches do not search again; quotes are loaded a page at a time."""

    def __init__(self, query: str, filters: Filters | None = None):
        self.query = normalise(query)
        self.filters = filters or Filters()
        rows = incremental(
            "search", (self.query, self.filters), self._rank, self._recheck, OWNERS, "quotes"
        )
        self.ids = [pk for _, pk in rows[:RESULT_CAP]]
        self.capped = len(rows) > RESULT_CAP  # one more than shown was found

    def _rank(self, only: set[int] | None = None) -> list[tuple]:
        """(sort key, id) of the best RESULT_CAP + 1 matches, or of those among `only`."""
        ranked = _ranked_postgres if _postgres() else _ranked_portable
        return ranked(self.query, self.filters, resolve(self.query), only)

    def _recheck(self, rows: list[tuple], changed: set[int]) -> list[tuple] | None:
        if len(changed) > RECHECK_LIMIT:
            return None
        return merge_ranked(rows, self._rank(changed), changed, RESULT_CAP)

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        quotes = Quote.objects.select_related("article", "speaker__affiliation", "source").defer(
            "article__body"
        )
        found = {quote.pk: quote for quote in quotes.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]  # a quote deleted since is skipped


def merge_ranked(rows: list[tuple], fresh: list[tuple], changed: set[int], cap: int):
    """A ranking of (sort key, id) rows, at most cap + 1 long, after the `changed` ids
    were added, edited or deleted: they are taken out, and `fresh` (those among them that
    still match, with their sort keys) merged back in. None (rank again) when the merge
    cannot know its tail: the ranking was cut at the cap and changed rows left it or moved
    past its last row."""
    merged = sorted([row for row in rows if row[1] not in changed] + fresh)
    if len(rows) > cap:  # rows past the last one were never ranked
        merged = [row for row in merged if row[0] <= rows[-1][0]]
        if len(merged) <= cap:
            return None
    return merged[: cap + 1]


def search_quotes(query: str, filters: Filters | None = None) -> Results:
    """Quotes matching the query, exact phrase matches first, newest articles next."""
    return Results(query, filters)


def _like(query: str) -> str:
    return "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _sort_key(by_id: bool, pk: int, phrase: bool, published, article_id: int, start: int):
    """The order the search SQL returns rows in, as a tuple Python sorts the same way."""
    if by_id:
        return (-pk,)
    day = -published.toordinal() if published else 0
    return (not phrase, published is None, day, -article_id, start, pk)


def _ranked_postgres(query: str, filters: Filters, matches: Matches, only=None) -> list[tuple]:
    """One indexed query: the stored full-text vector (GIN) or the speakers and sources
    the query names; the exact phrase ranks first. Filters are plain conditions."""
    where, params = [], []
    if only is not None:
        where.append("q.id = ANY(%s)")
        params.append(sorted(only))
    has_words = False
    if query:
        with connection.cursor() as cursor:
            cursor.execute("SELECT numnode(websearch_to_tsquery('english', %s))", [query])
            has_words = cursor.fetchone()[0] > 0
        matching = []
        if has_words:
            matching.append("q.search_vector @@ websearch_to_tsquery('english', %s)")
            params.append(query)
        else:  # only stop words, digits or punctuation: substring (trigram index)
            matching.append("q.exact ILIKE %s")
            params.append(_like(query))
        if matches.speakers:
            matching.append("q.speaker_id = ANY(%s)")
            params.append(list(matches.speakers))
        if matches.sources:
            matching.append("q.source_id = ANY(%s)")
            params.append(list(matches.sources))
        where.append("(" + " OR ".join(matching) + ")")
    if filters.kind in QuoteKind.values:
        where.append("q.kind = %s")
        params.append(filters.kind)
    if filters.status in Quote.Status.values:
        where.append("q.status = %s")
        params.append(filters.status)
    if filters.speaker:
        where.append("q.speaker_id = %s")
        params.append(filters.speaker)
    if filters.organization:
        sql, members_params = members_sql(filters.organization)  # members at any depth
        where.append(f"q.speaker_id IN ({sql})")
        params += members_params
    if filters.date_from:
        where.append("a.published >= %s")
        params.append(filters.date_from)
    if filters.date_to:
        where.append("a.published <= %s")
        params.append(filters.date_to)
    phrase = "FALSE"
    if has_words:  # the matches come from the index: rank them all
        order = "a.published DESC NULLS LAST, q.article_id DESC, q.start, q.id"
        if " " in query:  # one word: every text match contains it anyway
            phrase = "(q.exact ILIKE %s)"
            order = "1 DESC, " + order
            params.insert(0, _like(query))  # the phrase test comes first in the SQL
    else:  # filters alone, or a common substring: newest first, read backwards by id
        order = "q.id DESC"
    sql = (  # fixed SQL text; every value is a parameter
        f"SELECT {phrase}, q.id, a.published, q.article_id, q.start"  # noqa: S608
        " FROM quotes_quote q JOIN articles_article a ON a.id = q.article_id"
        f" WHERE {' AND '.join(where) or 'TRUE'} ORDER BY {order} LIMIT {RESULT_CAP + 1}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        (_sort_key(not has_words, pk, found, published, article, start), pk)
        for found, pk, published, article, start in rows
    ]


def _ranked_portable(query: str, filters: Filters, matches: Matches, only=None) -> list[tuple]:
    """SQLite: substring matching of the phrase, or of every word, plus the speakers
    and sources the query names."""
    quotes = Quote.objects.all() if only is None else Quote.objects.filter(pk__in=only)
    order = ["-article__published", "-article_id", "start", "id"]
    if query:
        quotes = quotes.filter(
            _every_word(query)
            | Q(speaker_id__in=matches.speakers)
            | Q(source_id__in=matches.sources)
        ).annotate(
            phrase=Case(
                When(exact__icontains=query, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        order.insert(0, "phrase")
    else:
        quotes = quotes.annotate(phrase=Value(1, output_field=IntegerField()))
    if filters.kind in QuoteKind.values:
        quotes = quotes.filter(kind=filters.kind)
    if filters.status in Quote.Status.values:
        quotes = quotes.filter(status=filters.status)
    if filters.speaker:
        quotes = quotes.filter(speaker_id=filters.speaker)
    if filters.organization:
        quotes = quotes.filter(speaker_id__in=members(filters.organization))
    if filters.date_from:
        quotes = quotes.filter(article__published__gte=filters.date_from)
    if filters.date_to:
        quotes = quotes.filter(article__published__lte=filters.date_to)
    fields = ("phrase", "id", "article__published", "article_id", "start")
    rows = quotes.order_by(*order).values_list(*fields)[: RESULT_CAP + 1]
    return [
        (_sort_key(False, pk, phrase == 0, published, article, start), pk)
        for phrase, pk, published, article, start in rows
    ]


STOP_WORDS = frozenset(
    [
        "about",
        "after",
        "also",
        "been",
        "being",
        "could",
        "does",
        "from",
        "have",
        "into",
        "more",
        "most",
        "only",
        "other",
        "over",
        "said",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "would",
        "your",
    ]
)
RELATED_WORDS = 12


def significant_words(text: str) -> list[str]:
    """The words of a text worth matching on: four letters or more, no common words."""
    words = re.findall(r"[^\W\d_][\w'’-]{3,}", text.lower())
    return list(dict.fromkeys(w for w in words if w not in STOP_WORDS))[:RELATED_WORDS]


def related_quotes(text: str, exclude, limit: int, only=None) -> list[tuple]:
    """(sort key, id) of the quotes sharing the most words with `text` (a claim, say),
    best first, at most limit + 1, leaving out the ids in `exclude`; of those among
    `only` when given. PostgreSQL ranks by full-text relevance (`ts_rank_cd`) of any of
    the words; SQLite by how many of them a quote contains."""
    words = significant_words(text)
    if not words:
        return []
    if _postgres():
        where, params = (
            ["q.search_vector @@ m.query", "NOT (q.id = ANY(%s))"],
            [
                " or ".join(words),
                sorted(exclude),
            ],
        )
        if only is not None:
            where.append("q.id = ANY(%s)")
            params.append(sorted(only))
        sql = (  # fixed SQL text; every value is a parameter
            "SELECT ts_rank_cd(q.search_vector, m.query), q.id"  # noqa: S608
            " FROM quotes_quote q, (SELECT websearch_to_tsquery('english', %s) AS query) m"
            f" WHERE {' AND '.join(where)} ORDER BY 1 DESC, q.id DESC LIMIT {limit + 1}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [((-rank, -pk), pk) for rank, pk in cursor.fetchall()]
    quotes = Quote.objects.exclude(pk__in=exclude)
    if only is not None:
        quotes = quotes.filter(pk__in=only)
    score = sum(
        (Case(When(exact__icontains=w, then=Value(1)), default=Value(0)) for w in words),
        Value(0),
    )
    rows = (
        quotes.annotate(score=score)
        .filter(score__gt=0)
        .order_by("-score", "-id")
        .values_list("score", "id")[: limit + 1]
    )
    return [((-score, -pk), pk) for score, pk in rows]


def _every_word(query: str) -> Q:
    phrase = Q(exact__icontains=query)
    words = [w for w in query.split() if len(w) > 2][:8]
    if len(words) < 2:
        return phrase
    every_word = Q()
    for word in words:
        every_word &= Q(exact__icontains=word)
    return phrase | every_word


def search_articles(query: str, limit: int = 10) -> list[Article]:
    query = normalise(query)
    if not query:
        return []
    articles = Article.objects.filter(
        Q(title__icontains=query) | Q(outlet__icontains=query) | Q(byline__icontains=query)
    ).defer("body")
    return derived(
        "articles",
        (query, limit),
        lambda: list(articles.order_by("-published", "-id")[:limit]),
        ("articles",),
    )


def search_speakers(query: str, limit: int = 10) -> list[Speaker]:
    query = normalise(query)
    if not query:
        return []
    speakers = Speaker.objects.filter(pk__in=resolve(query).named).select_related("affiliation")
    return derived(
        "speakers", (query, limit), lambda: list(speakers.order_by("name")[:limit]), ("speakers",)
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
