"""Quote trails: the same words in more than one article, found through an index.

A quotation travels: a candidate says something once, and for months outlets repeat
it, sometimes in quotation marks, sometimes woven into their own prose, sometimes
with a word changed. A trail is every place in the archive where one run of words
appears, in at least two different articles.

**The index.** Each article's body is cut into words and normalised (lower case,
curly quotes and apostrophes made straight, punctuation dropped, white space
collapsed: `normalise`), and every window of `WINDOW` (6) consecutive words is kept
as one `Shingle` row: the window's 64-bit blake2b hash (stored signed, so it fits a
`BigIntegerField` on PostgreSQL and SQLite alike), the number of its first word, and
its [start, end) characters in the body. The rows are written after a body is saved
(a background task, next to suggestion extraction: apps/quotes/tasks.py) and rewritten
when it is corrected;
`manage.py index_trails` builds them for articles imported before the index existed.

**Why shingle hashes, not MinHash.** MinHash (and LSH over it) estimates how similar
two *documents* are from a small sketch of each: ideal for near-duplicate articles,
but a sketch says nothing about *where* two texts agree, and a 30-word quotation in
two 1,000-word articles barely moves their Jaccard similarity, so it is lost in the
sketch. What is wanted here is the opposite: exact and near-verbatim repetition of a
short passage, with its offsets in each article. Keeping the hash of every word
window answers that directly: two articles share a passage of n >= 6 words exactly
when they share n - 5 consecutive window hashes, and the rows carry the offsets. At
archive scale this is one indexed integer column: a quotation's trail is one lookup
per window hash on a B-tree (cost independent of the archive's size, never a scan of
bodies), and the whole-archive search is one GROUP BY over integers. 64 bits make a
collision between two different windows negligible (about 1 in 10^8 for a billion
rows compared pairwise by the birthday bound); a collision could at worst add a
single 6-word window to a trail, and the occurrence text shows it. The cost is one
row per word (a 1,000-word article: 995 rows); if that ever matters, winnowing
(keeping the minimum hash of each run of windows) cuts it several-fold while still
guaranteeing every repetition of a given length is found.

**Finding trails.** Windows whose hash is in two or more articles are shared;
consecutive shared windows of an article merge into one occurrence (the longest
common run). Occurrences linked by a shared window form one trail. A trail's `words`
are the run found in the most articles (then the longest); an occurrence is
`verbatim` when its normalised words are exactly those, and `quoted` when at least
half of its words lie inside quotation marks in its article (the marks found as
extraction finds them; the run may spill past the marks onto shared context such as
"Trump said"). `find_trails` finds near-verbatim variants only in pieces: one word
changed in a long run splits that article's occurrence in two.

**One quotation's trail** (`trail_for_span`, `trail_for_quote`) joins them. Windows
matching consecutive windows of the span make a stretch; stretches that follow each
other in the span and in the article with at most `GAP` (3) words between them on
either side (a changed, added or dropped word breaks the 6 windows that hold it) make
one occurrence, taken over changed words at its ends by aligning the words there. It
is `verbatim` with exactly the span's words, `near` (near-verbatim) with at least
`NEAR_SHARE` (3/4) of them in order, and otherwise a partial repetition (a run of at
least 6 of its words). Two changes are bridged only with 6 unchanged words between
them, since a stretch needs one whole window.

**Bounded at archive scale.** Stock phrases ("said in a statement on monday") share
windows across thousands of articles. Each of the span's hashes is read at most
`COMMON` + 1 (101) rows deep (PostgreSQL: LATERAL ... LIMIT on the hash index, so the
database stops there; elsewhere a window function numbers the rows); a window found in
more than `COMMON` articles is common and leads nowhere by itself: articles are found
through the span's rarer windows, at most `CANDIDATES` (200) of them, and the common
windows are then read only near what was found, so an occurrence runs on through the
stock phrase. A span made only of common windows is a stock phrase (`Trail.common`).
Only the first `SHOWN` (50) occurrences by date are read in full; the trail counts
every article found (`Trail.total`). So one trail is at most five queries (the span's
windows, the bounded matches, common windows near the finds, the articles' dates, the
bodies shown), each reading a bounded number of rows, whatever the archive's size and
however many articles match.
"""

import datetime
import hashlib
import itertools
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Q

from apps.articles.models import Article
from apps.core import versions

from .extraction import quotation_spans
from .models import Shingle

logger = logging.getLogger(__name__)

WINDOW = 6  # words per indexed window; changing it needs `manage.py index_trails`
BATCH = 2000  # rows per INSERT
_CHUNK = 500  # articles per query when reading bodies

# A word starts and ends with a letter or digit; apostrophes, hyphens and the points
# and commas of "U.S." or "30,000" inside it do not split it.
_TOKEN = re.compile(r"\w(?:[\w'’‘ʼ`.,-]*\w)?")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


class TrailError(Exception):
    """A trail search cannot run as asked; the message says why."""


class Word(NamedTuple):
    norm: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The normalised words of `text` with their [start, end) in it."""
    found = []
    for match in _TOKEN.finditer(text):
        norm = match.group().lower().translate(_APOSTROPHES)
        if not norm.isalnum():  # most words are; the others lose their punctuation
            norm = "".join(c for c in norm if c.isalnum() or c == "'").strip("'")
        if norm:
            found.append(Word(norm, match.start(), match.end()))
    return found


def normalise(text: str) -> str:
    """Lower case, one straight apostrophe, no punctuation, single spaces."""
    return " ".join(w.norm for w in words(text))


def window_hash(norms: Iterable[str]) -> int:
    """64-bit blake2b of the words joined by spaces, as a signed integer."""
    digest = hashlib.blake2b(" ".join(norms).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# The index -----------------------------------------------------------------------------


def windows(body: str, size: int = WINDOW) -> Iterator[tuple[int, int, int, int]]:
    """(ordinal, hash, start, end) of every window of `size` words of `body`."""
    found = words(body)
    # window_hash of each window, from one string of all the words: a slice per window
    joined = " ".join(w.norm for w in found).encode()
    ends = list(itertools.accumulate(len(w.norm.encode()) + 1 for w in found))  # past the space
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    for i in range(len(found) - size + 1):
        first = ends[i - 1] if i else 0
        digest = blake2b(joined[first : ends[i + size - 1] - 1], digest_size=8).digest()
        yield i, from_bytes(digest, "big", signed=True), found[i].start, found[i + size - 1].end


def index_article(article: Article, found: list | None = None) -> int:
    """Make the article's windows those of its current body; returns how many were written.

    `found` is `list(windows(article.body))`, worked out by the caller before it took the
    article's lock (here when None). Windows already as found are kept as they are (0 is
    returned), so indexing the same text twice writes nothing the second time. Call it
    inside a transaction."""
    if found is None:
        found = list(windows(article.body))
    stored = Shingle.objects.filter(article_id=article.pk).order_by("ordinal")
    if list(stored.values_list("ordinal", "hash", "start", "end")) == found:
        return 0
    return index_articles([(article.pk, article.body)], found=found)


def index_articles(
    bodies: Iterable[tuple[int, str]], *, replace: bool = True, found: list | None = None
) -> int:
    """Write the windows of each (article id, body); returns how many were written.

    With `replace` (the default) the articles' earlier windows are deleted first; a
    caller that knows there are none (new articles, an emptied table) skips that. On
    PostgreSQL the rows go in through COPY (faster than INSERTs by far, which
    matters for millions of rows: the demo archive, `index_trails`), elsewhere through
    `bulk_create`. Call it inside a transaction. `found`: the windows of the one body
    given, already worked out.
    """
    bodies = list(bodies)
    if replace and bodies:
        Shingle.objects.filter(article_id__in=[pk for pk, _ in bodies]).delete()
    if found is not None:
        [(pk, _)] = bodies
        rows = ((pk, *window) for window in found)
    else:
        rows = ((pk, *window) for pk, body in bodies for window in windows(body))
    if connection.vendor == "postgresql":
        return _copy_windows(rows)
    written = 0
    for batch in itertools.batched(rows, BATCH):
        Shingle.objects.bulk_create(
            Shingle(article_id=pk, hash=h, ordinal=i, start=start, end=end)
            for pk, i, h, start, end in batch
        )
        written += len(batch)
    return written


def rebuild_index(progress: Callable[[int, int], None] | None = None, chunk: int = 200) -> int:
    """Every article's windows from scratch, in one transaction; returns their count.

    The old index stays readable until the new one commits. On PostgreSQL the table is
    emptied and its indexes and constraints (primary key, one window per word, the hash
    index, the foreign key to the article) are dropped while the rows are copied in,
    then built again from their definitions, each in one sort: about four times faster
    than updating three B-trees and queueing a foreign-key check per row, and the only
    way to load tens of millions of rows in minutes. Trail lookups wait meanwhile.
    `progress(articles, windows)` is called after every `chunk` articles.
    """
    postgres = connection.vendor == "postgresql"
    table = Shingle._meta.db_table
    written = 0
    bodies = Article.objects.order_by("pk").values_list("pk", "body").iterator(chunk_size=chunk)
    with transaction.atomic():
        if postgres:
            rebuild = _drop_indexes(table)
        else:
            Shingle.objects.all().delete()
        for batch in itertools.batched(bodies, chunk):
            count = index_articles(batch, replace=False)
            written += count
            if progress:
                progress(len(batch), count)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                for statement in rebuild:
                    cursor.execute(statement)
        versions.bump(["trails"])  # every trail kept (`kept_trail`) is drawn again
    if postgres:  # fresh statistics, or the planner scans
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return written


def _drop_indexes(table: str) -> list[str]:
    """Empty `table` and drop its indexes and constraints; returns the SQL rebuilding them."""
    name_of = connection.ops.quote_name
    quoted = name_of(table)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending checks
        cursor.execute(f"TRUNCATE {quoted}")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') "
            "ORDER BY contype = 'f' DESC",
            [table],
        )
        constraints = cursor.fetchall()  # foreign keys first: they may rest on the others
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = c.oid)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _, _ in constraints:
            cursor.execute(
                f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}"
            )
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name_of(name)}")
    return [
        *(definition for _, definition in indexes),
        *(
            f"ALTER TABLE {quoted} ADD CONSTRAINT {name_of(name)} {definition}"
            for name, definition, _ in reversed(constraints)
        ),
    ]


def _copy_windows(rows: Iterable[tuple[int, int, int, int, int]]) -> int:
    """COPY (article id, ordinal, hash, start, end) rows into the index, in text format."""
    table = connection.ops.quote_name(Shingle._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Shingle._meta.get_field(name).column)
        for name in ("article", "ordinal", "hash", "start", "end")
    )
    written = 0
    line = "{}\t{}\t{}\t{}\t{}\n".format
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for batch in itertools.batched(rows, 5000):
            copy.write("".join(line(*row) for row in batch))
            written += len(batch)
    return written


# Trails --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    article: int
    title: str
    published: datetime.date | None
    start: int
    end: int
    text: str
    words: str
    quoted: bool
    verbatim: bool = False
    near: bool = False  # near-verbatim: most of the words, in order, a few changed
    outlet: str = ""

    @property
    def match(self) -> str:
        """ "verbatim", "near" (near-verbatim) or "partial" (a run of the words only)."""
        return "verbatim" if self.verbatim else "near" if self.near else "partial"

    def sort_key(self):
        return (
            self.published is None,
            self.published or datetime.date.min,
            self.article,
            self.start,
        )

    def as_json(self) -> dict:
        return {
            "article": self.article,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "quoted": self.quoted,
            "verbatim": self.verbatim,
            "near": self.near,
            "outlet": self.outlet,
        }


@dataclass(frozen=True)
class Trail:
    words: str
    occurrences: tuple[Occurrence, ...]  # by date (undated last), article, position
    total: int | None = None  # articles found, when more than the occurrences listed
    common: bool = False  # every window of the words is a stock phrase (see COMMON)
    whole: int | None = None  # articles holding the words verbatim or near-verbatim

    @property
    def articles(self) -> int:
        """How many articles the words were found in (listed or not)."""
        listed = len({o.article for o in self.occurrences})
        return max(listed, self.total or 0)

    @property
    def first(self) -> Occurrence | None:
        return self.occurrences[0] if self.occurrences else None

    @property
    def first_whole(self) -> Occurrence | None:
        """The earliest occurrence of all the words (verbatim or near), else the earliest."""
        return next((o for o in self.occurrences if o.verbatim or o.near), self.first)

    @property
    def partial(self) -> int:
        """Articles sharing only part of the words (a run of at least six)."""
        return self.articles - self.whole if self.whole is not None else 0

    def as_json(self) -> dict:
        return {"words": self.words, "occurrences": [o.as_json() for o in self.occurrences]}


def _is_quoted(body: str, quotations: list[tuple[int, int]], start: int, end: int) -> bool:
    """At least half of the words in body[start:end] lie inside quotation marks."""
    found = words(body[start:end])
    inside = sum(
        1
        for w in found
        if any(
            q_start <= start + w.start and start + w.end <= q_end for q_start, q_end in quotations
        )
    )
    return bool(found) and inside * 2 >= len(found)


def _occurrence(article, body: str, quotations, start: int, end: int, **marks) -> Occurrence:
    """body[start:end] of `article` (title, outlet, published read from it) as an
    occurrence; `quotations` are the body's quotation spans, `marks` verbatim and near."""
    text = body[start:end]
    return Occurrence(
        article=article.pk,
        title=article.title,
        published=article.published,
        start=start,
        end=end,
        text=text,
        words=normalise(text),
        quoted=_is_quoted(body, quotations, start, end),
        outlet=article.outlet,
        **marks,
    )


def _occurrences(spans: dict[int, list[tuple[int, int]]]) -> dict[tuple[int, int, int], Occurrence]:
    """Each article's spans with title, date, text and marks: one query per 500 articles."""
    found = {}
    ids = sorted(spans)
    for first in range(0, len(ids), _CHUNK):
        chunk = ids[first : first + _CHUNK]
        articles = Article.objects.filter(pk__in=chunk).only("title", "outlet", "published", "body")
        for article in articles:
            quotations = quotation_spans(article.body)
            for start, end in spans[article.pk]:
                found[article.pk, start, end] = _occurrence(
                    article, article.body, quotations, start, end
                )
    return found


def _with_words(group: list[Occurrence], chosen: str) -> Trail:
    marked = [
        replace(o, verbatim=o.words == chosen) for o in sorted(group, key=Occurrence.sort_key)
    ]
    return Trail(words=chosen, occurrences=tuple(marked))


def check_min_words(min_words: int) -> None:
    if min_words < WINDOW:
        raise TrailError(
            f"--min-words must be at least {WINDOW}: the trail index keeps windows of "
            f"{WINDOW} words, so shorter repetitions cannot be found (asked for {min_words})."
        )


def find_trails(min_words: int = WINDOW) -> list[Trail]:
    """Every run of at least `min_words` words found in two or more articles.

    Trails come in order of how many articles they span (most first), then of their
    first appearance. Reads the shared windows (one GROUP BY over the index) and the
    bodies of the articles they are in, for the occurrences' text.
    """
    check_min_words(min_words)
    extra = min_words - WINDOW  # a run of min_words words is extra + 1 consecutive windows
    shared = (
        Shingle.objects.values("hash")
        .annotate(articles=Count("article_id", distinct=True))
        .filter(articles__gte=2)
        .values("hash")
    )
    rows = (
        Shingle.objects.filter(hash__in=shared)
        .order_by("article_id", "ordinal")
        .values_list("article_id", "ordinal", "hash", "start", "end")
    )
    per_article: dict[int, dict[int, tuple[int, int, int]]] = defaultdict(dict)
    for article_id, ordinal, h, start, end in rows.iterator(chunk_size=5000):
        per_article[article_id][ordinal] = (h, start, end)

    # Windows of min_words words: extra + 1 consecutive shared windows, keyed by their hashes.
    long_windows: dict[int, dict[int, tuple[object, int, int]]] = {}
    articles_of: dict[object, set[int]] = defaultdict(set)
    for article_id, by_ordinal in per_article.items():
        found = {}
        for ordinal, (h, start, _) in by_ordinal.items():
            last = by_ordinal.get(ordinal + extra)
            if last is None or any(ordinal + k not in by_ordinal for k in range(1, extra)):
                continue
            key = h if not extra else tuple(by_ordinal[ordinal + k][0] for k in range(extra + 1))
            found[ordinal] = (key, start, last[2])
            articles_of[key].add(article_id)
        long_windows[article_id] = found
    del per_article

    # Runs of consecutive windows shared with the same articles: a run ends where the set
    # of articles sharing the next window differs, so a phrase common to many articles
    # never chains the different passages around it into one trail. Runs sharing a
    # window (which then have the same articles) join.
    runs: list[tuple[int, int, int]] = []  # (article, start, end)
    parent: list[int] = []
    first_run_of: dict[object, int] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for article_id, found in long_windows.items():
        kept = sorted(o for o, (key, _, _) in found.items() if len(articles_of[key]) >= 2)
        pieces: list[list[int]] = []
        for ordinal in kept:
            if (
                pieces
                and ordinal == pieces[-1][-1] + 1
                and articles_of[found[ordinal][0]] == articles_of[found[ordinal - 1][0]]
            ):
                pieces[-1].append(ordinal)
            else:
                pieces.append([ordinal])
        for piece in pieces:
            index = len(runs)
            runs.append((article_id, found[piece[0]][1], found[piece[-1]][2]))
            parent.append(index)
            for ordinal in piece:
                other = first_run_of.setdefault(found[ordinal][0], index)
                if other != index:
                    parent[root(index)] = root(other)
    del long_windows, articles_of, first_run_of

    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(runs)):
        groups[root(index)].append(index)
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for article_id, start, end in runs:
        spans[article_id].append((start, end))
    occurrences = _occurrences(spans)

    trails = []
    for members in groups.values():
        group = [occurrences[runs[i]] for i in members]
        by_words: dict[str, set[int]] = defaultdict(set)
        for o in group:
            by_words[o.words].add(o.article)
        if len({o.article for o in group}) < 2:
            continue
        chosen = min(by_words, key=lambda w: (-len(by_words[w]), -w.count(" "), w))
        trails.append(_with_words(group, chosen))
    trails.sort(key=lambda t: (-t.articles, t.occurrences[0].sort_key(), t.words))
    return _without_fringes(trails, min_words)


def _outside(o: Occurrence, start: int, end: int) -> int:
    """How many of the occurrence's words lie outside [start, end) of its article."""
    return sum(1 for w in words(o.text) if o.start + w.start < start or o.start + w.end > end)


def _without_fringes(trails: list[Trail], min_words: int) -> list[Trail]:
    """Drop a trail that only adds a fringe to a trail found in more articles.

    Where three articles quote a line and two of them also share the word before it
    ("... missing,” Trump said"), the two share a run with the same words plus that
    fringe. It is left out when each of its occurrences overlaps an occurrence of a
    trail found in a superset of its articles and adds fewer than `min_words` words.
    A longer addition (two articles quoting more of the statement) stays a trail.
    """
    kept: list[Trail] = []
    by_article: dict[int, list[tuple[Trail, Occurrence]]] = defaultdict(list)
    for trail in trails:  # most articles first
        articles = {o.article for o in trail.occurrences}

        def covered(o: Occurrence, articles: set[int] = articles) -> bool:
            for wider, other in by_article[o.article]:
                around = {p.article for p in wider.occurrences}
                if (
                    around > articles
                    and other.start < o.end
                    and o.start < other.end
                    and _outside(o, other.start, other.end) < min_words
                ):
                    return True
            return False

        if all(covered(o) for o in trail.occurrences):
            continue
        kept.append(trail)
        for o in trail.occurrences:
            by_article[o.article].append((trail, o))
    return kept


COMMON = 100  # a window in more articles than this is a stock phrase, not a lead
CANDIDATES = 200  # articles examined for one span at most (most matching windows first)
SHOWN = 50  # occurrences read in full (text, quotation marks), first appearances first
GAP = 3  # words changed, added or dropped between two matching stretches that still join
NEAR_SHARE = 0.75  # share of the span's words, in order, that makes a near-verbatim match


def matches_per_hash(hashes: list[int]) -> dict[int, list[tuple[int, int, int, int]]]:
    """(article, ordinal, start, end) of at most COMMON + 1 windows per hash, one query
    (on SQLite, one per 5,000 hashes).

    PostgreSQL reads each hash through the index and stops after COMMON + 1 rows
    (LATERAL ... LIMIT), so a stock phrase in 50,000 articles costs what a rare one
    does; other databases number the rows per hash (a window function) and keep as many.
    """
    found: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    if connection.vendor != "postgresql":
        for first in range(0, len(hashes), _HASHES_PER_QUERY):
            for h, rows in _numbered_matches(hashes[first : first + _HASHES_PER_QUERY]).items():
                found[h].extend(rows)
        return found
    table = connection.ops.quote_name(Shingle._meta.db_table)
    end = connection.ops.quote_name("end")
    sql = (
        f"SELECT h.hash, s.article_id, s.ordinal, s.start, s.{end} "  # noqa: S608
        "FROM unnest(%s::bigint[]) AS h(hash) CROSS JOIN LATERAL ("
        f"SELECT article_id, ordinal, start, {end} FROM {table} "
        f"WHERE {table}.hash = h.hash LIMIT %s) AS s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(hashes), COMMON + 1])
        for h, article_id, ordinal, start, stop in cursor.fetchall():
            found[h].append((article_id, ordinal, start, stop))
    return found


_HASHES_PER_QUERY = 5000  # below SQLite's limit on a statement's parameters


def _numbered_matches(hashes: list[int]) -> dict[int, list[tuple[int, int, int, int]]]:
    """`matches_per_hash` where LATERAL is missing (SQLite): the rows of each hash are
    numbered by a window function and the first COMMON + 1 kept."""
    table = connection.ops.quote_name(Shingle._meta.db_table)
    end = connection.ops.quote_name("end")
    marks = ", ".join(["%s"] * len(hashes))
    sql = (
        f"SELECT hash, article_id, ordinal, start, {end} FROM ("  # noqa: S608
        f"SELECT hash, article_id, ordinal, start, {end}, "
        f"ROW_NUMBER() OVER (PARTITION BY hash ORDER BY article_id, ordinal) AS n "
        f"FROM {table} WHERE hash IN ({marks})) AS numbered WHERE n <= %s"
    )
    found: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*hashes, COMMON + 1])
        for h, article_id, ordinal, start, stop in cursor.fetchall():
            found[h].append((article_id, ordinal, start, stop))
    return found


class _Match(NamedTuple):
    """A stretch of an article matching the span: its first window's ordinal `ordinal`
    matches the span's window `position`, and so on for `length` windows."""

    ordinal: int
    position: int
    length: int


def _chains(by_ordinal: dict[int, tuple[int, int, int]], positions: dict[int, list[int]]):
    """The article's matches with the span, joined in order across small changes.

    Windows matching consecutive windows of the span make a stretch; a stretch that
    follows another, in the span and in the article, with at most GAP words between
    them on either side (a word changed, added or dropped breaks the WINDOW windows
    that hold it) joins it. Yields each chain of stretches.
    """
    pairs = sorted(
        (ordinal, position)
        for ordinal, (h, _, _) in by_ordinal.items()
        for position in positions.get(h, ())
    )
    stretches: list[list[int]] = []
    open_on: dict[int, int] = {}  # ordinal - position: the stretch on that diagonal
    for ordinal, position in pairs:
        index = open_on.get(ordinal - position)
        if index is not None and stretches[index][0] + stretches[index][2] == ordinal:
            stretches[index][2] += 1
        else:
            open_on[ordinal - position] = len(stretches)
            stretches.append([ordinal, position, 1])
    chain: list[_Match] = []
    for ordinal, position, length in sorted(stretches):
        if chain:
            last = chain[-1]
            last_ordinal = last.ordinal + last.length - 1
            last_position = last.position + last.length - 1
            if (
                ordinal > last_ordinal
                and position > last_position
                and ordinal - last_ordinal - WINDOW <= GAP
                and position - last_position - WINDOW <= GAP
            ):
                chain.append(_Match(ordinal, position, length))
                continue
            yield chain
        chain = [_Match(ordinal, position, length)]
    if chain:
        yield chain


def _covered(chain: list[_Match]) -> int:
    """How many of the span's words the chain's windows hold."""
    held: set[int] = set()
    for match in chain:
        held.update(range(match.position, match.position + match.length - 1 + WINDOW))
    return len(held)


class _Found(NamedTuple):
    article: int
    start: int
    end: int
    verbatim: bool
    near: bool
    lead: int  # the span's words before the first matching window
    tail: int  # and after the last


_WORD_CHARS = 40  # characters read per word when widening an occurrence over its ends


def _widened(body: str, found: _Found, span_words: list[str]) -> tuple[int, int, bool]:
    """The occurrence taken over the changed words at its ends, and whether it is near.

    A word changed among the first or last WINDOW words of the span leaves no window
    there, so the chain starts (or ends) later than the passage. The article's words
    just before and after it, as many as the span has there and GAP more, are aligned with the
    span's words, and those that align join the occurrence; it is near-verbatim when
    NEAR_SHARE of the span's words then align, in order.
    """

    def read(start: int, end: int) -> list[Word]:
        return [Word(w.norm, start + w.start, start + w.end) for w in words(body[start:end])]

    lead = found.lead + GAP if found.lead else 0  # a word or two may have been added
    tail = found.tail + GAP if found.tail else 0
    before = read(max(0, found.start - _WORD_CHARS * lead), found.start)
    before = before[max(0, len(before) - lead) :]
    inside = read(found.start, found.end)
    after = read(found.end, found.end + _WORD_CHARS * tail)[:tail]
    candidate = before + inside + after
    matcher = SequenceMatcher(None, [w.norm for w in candidate], span_words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return found.start, found.end, found.near
    matched = sum(b.size for b in blocks)
    first = min(blocks[0].a, len(before))
    last = max(blocks[-1].a + blocks[-1].size, len(before) + len(inside)) - 1
    return candidate[first].start, candidate[last].end, matched >= NEAR_SHARE * len(span_words)


def trail_for_span(
    article_id: int, start: int, end: int, min_words: int = WINDOW, shown: int = SHOWN
) -> Trail:
    """Where the words of body[start:end] appear in the archive, its own article included.

    An occurrence is a chain of windows matching the span's in order (see `_chains`),
    holding at least `min_words` of its words: `verbatim` when it has exactly the span's
    words, `near` (near-verbatim) when it holds at least NEAR_SHARE of them in order
    otherwise. Only the first `shown` occurrences by date are read in full; the trail
    counts every article found (`total`). A span shorter than `WINDOW` words has no trail.

    At most five queries, however many articles match: the span's windows; at most
    COMMON + 1 rows per window hash; for a span holding common windows, those windows
    in the stretches already found (so an occurrence runs on through a stock phrase);
    the dates and outlets of the articles found; the bodies of those shown. A window
    found in more than COMMON articles leads nowhere by itself: articles are found
    through the span's rarer windows, and a span made only of common windows is a stock
    phrase (`common`), listed in its own article only.
    """
    check_min_words(min_words)
    own = list(
        Shingle.objects.filter(article_id=article_id, start__gte=start, end__lte=end)
        .order_by("ordinal")
        .values_list("hash", "ordinal", "start", "end")
    )
    if len(own) + WINDOW - 1 < min_words:  # no windows: fewer than WINDOW words
        return Trail(words="", occurrences=())
    positions: dict[int, list[int]] = defaultdict(list)
    for position, (h, _, _, _) in enumerate(own):
        positions[h].append(position)
    found = matches_per_hash(list(positions))
    common = {h for h, rows in found.items() if len(rows) > COMMON}
    per_article: dict[int, dict[int, tuple[int, int, int]]] = defaultdict(dict)
    for h, rows in found.items():
        if h not in common:
            for match_article, ordinal, match_start, match_end in rows:
                per_article[match_article][ordinal] = (h, match_start, match_end)
    for h, ordinal, own_start, own_end in own:
        per_article[article_id][ordinal] = (h, own_start, own_end)
    if len(per_article) > CANDIDATES:
        ranked = sorted(per_article, key=lambda a: (a != article_id, -len(per_article[a]), a))
        per_article = defaultdict(dict, {a: per_article[a] for a in ranked[:CANDIDATES]})
    if common:
        _through_common(per_article, common, len(own))

    total_words = len(own) + WINDOW - 1
    spans: list[_Found] = []
    for match_article, by_ordinal in per_article.items():
        for chain in _chains(by_ordinal, positions):
            covered = _covered(chain)
            if covered < min_words:
                continue
            first, last = chain[0], chain[-1]
            verbatim = len(chain) == 1 and first.position == 0 and first.length == len(own)
            near = not verbatim and covered >= NEAR_SHARE * total_words
            spans.append(
                _Found(
                    match_article,
                    by_ordinal[first.ordinal][1],
                    by_ordinal[last.ordinal + last.length - 1][2],
                    verbatim,
                    near,
                    first.position,
                    total_words - (last.position + last.length - 1 + WINDOW),
                )
            )
    articles = {
        a.pk: a
        for a in Article.objects.filter(pk__in={s.article for s in spans}).only(
            "title", "outlet", "published"
        )
    }

    def by_date(s: _Found):
        published = articles[s.article].published
        return (published is None, published or datetime.date.min, s.article, s.start)

    spans.sort(key=by_date)
    listed = spans[:shown]
    bodies = dict(
        Article.objects.filter(pk__in={s.article for s in listed} | {article_id}).values_list(
            "pk", "body"
        )
    )
    marks = {pk: quotation_spans(body) for pk, body in bodies.items() if pk in articles}
    chosen = normalise(bodies[article_id][own[0][2] : own[-1][3]])
    span_words = chosen.split(" ")
    occurrences = []
    for s in listed:
        article, body = articles[s.article], bodies[s.article]
        begin, finish, near = s.start, s.end, s.near
        if not s.verbatim:
            begin, finish, near = _widened(body, s, span_words)
        occurrences.append(
            _occurrence(
                article, body, marks[s.article], begin, finish, verbatim=s.verbatim, near=near
            )
        )
    whole = {s.article for s in spans if s.verbatim or s.near}
    whole.update(o.article for o in occurrences if o.verbatim or o.near)  # widened to near
    return Trail(
        words=chosen,
        occurrences=tuple(occurrences),
        total=len({s.article for s in spans}),
        common=len(common) == len(positions),
        whole=len(whole),
    )


def _through_common(per_article, common: set[int], span_windows: int) -> None:
    """Add the span's common windows lying near the stretches found (one query)."""
    reach = span_windows + GAP
    near = Q()
    for match_article, by_ordinal in per_article.items():
        near |= Q(
            article_id=match_article,
            ordinal__gte=max(0, min(by_ordinal) - reach),
            ordinal__lte=max(by_ordinal) + reach,
        )
    rows = Shingle.objects.filter(near, hash__in=common).values_list(
        "article_id", "ordinal", "hash", "start", "end"
    )
    for match_article, ordinal, h, match_start, match_end in rows:
        per_article[match_article].setdefault(ordinal, (h, match_start, match_end))


def kept_trail(article_id: int, start: int, end: int) -> Trail:
    """`trail_for_span`, kept until any article's text is saved again.

    A trail is drawn from the index alone, and the index changes only when a body is
    saved (import, correction, deletion), which moves the `trails` counter
    (apps/quotes/owners.py); a span that moves is another key. So a page showing a
    trail reads it back at the cost of one counter and one cache read, and works it
    out again only after an article's text changed somewhere in the archive.
    """
    return versions.derived(
        "trail",
        (article_id, start, end),
        lambda: trail_for_span(article_id, start, end),
        ["trails"],
    )


def trail_for_quote(quote) -> Trail:
    """The trail of a tagged quote's words (see `trail_for_span`), kept (`kept_trail`)."""
    return kept_trail(quote.article_id, quote.start, quote.end)
