"""Quote trails: the same words in more than one article, found through an index.

A quotation travels: a candidate says something once, and for months outlets repeat
it, sometimes in quotation marks, sometimes woven into their own prose, sometimes
with a word changed. A trail is every place in the archive where one run of words
appears, in at least two different articles.

The index the trails are drawn from (words, window hashes, `Shingle` rows) is
apps/quotes/shingles.py; the search of the whole archive for every trail
(`find_trails`, `manage.py quote_trails`) is apps/quotes/archive_trails.py. This module
holds what a trail is (`Trail`, `Occurrence`) and one quotation's trail.

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
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

from django.db.models import Q

from apps.articles.models import Article
from apps.core import versions

from . import shingles
from .extraction import quotation_spans
from .models import Shingle
from .shingles import WINDOW, Word, matches_per_hash, normalise, words

CANDIDATES = 200  # articles examined for one span at most (most matching windows first)
SHOWN = 50  # occurrences read in full (text, quotation marks), first appearances first
GAP = 3  # words changed, added or dropped between two matching stretches that still join
NEAR_SHARE = 0.75  # share of the span's words, in order, that makes a near-verbatim match


class TrailError(Exception):
    """A trail search cannot run as asked; the message says why."""


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


def occurrence(article, body: str, quotations, start: int, end: int, **marks) -> Occurrence:
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


def check_min_words(min_words: int) -> None:
    if min_words < WINDOW:
        raise TrailError(
            f"--min-words must be at least {WINDOW}: the trail index keeps windows of "
            f"{WINDOW} words, so shorter repetitions cannot be found (asked for {min_words})."
        )


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
    common = {h for h, rows in found.items() if len(rows) > shingles.COMMON}
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
            occurrence(
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
