"""The trail index: every run of six words of every article, hashed, with its place.

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

**Reading it.** `matches_per_hash` reads the rows of many window hashes in one query,
at most `COMMON` + 1 per hash, so a stock phrase in 50,000 articles costs what a rare
window does. The trails (apps/quotes/trails.py, apps/quotes/archive_trails.py) and the
repeated-quote counts (apps/quotes/repeated.py) are drawn from it.
"""

import hashlib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from django.db import connection, transaction

from apps.articles.models import Article
from apps.core import versions

from .models import Shingle

WINDOW = 6  # words per indexed window; changing it needs `manage.py index_trails`
BATCH = 2000  # rows per INSERT
COMMON = 100  # a window in more articles than this is a stock phrase, not a lead

# A word starts and ends with a letter or digit; apostrophes, hyphens and the points
# and commas of "U.S." or "30,000" inside it do not split it.
_TOKEN = re.compile(r"\w(?:[\w'’‘ʼ`.,-]*\w)?")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


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


# Reading ------------------------------------------------------------------------------


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
