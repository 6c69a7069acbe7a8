"""Every trail in the archive: each run of words found in two or more articles.

**Finding trails.** Windows whose hash is in two or more articles are shared;
consecutive shared windows of an article merge into one occurrence (the longest
common run). Occurrences linked by a shared window form one trail. A trail's `words`
are the run found in the most articles (then the longest); an occurrence is
`verbatim` when its normalised words are exactly those, and `quoted` when at least
half of its words lie inside quotation marks in its article (the marks found as
extraction finds them; the run may spill past the marks onto shared context such as
"Trump said"). `find_trails` finds near-verbatim variants only in pieces: one word
changed in a long run splits that article's occurrence in two.

The index is apps/quotes/shingles.py; what a trail is, and one quotation's trail, is
apps/quotes/trails.py. `manage.py quote_trails` lists what `find_trails` finds.
"""

from collections import defaultdict
from dataclasses import replace

from django.db.models import Count

from apps.articles.models import Article

from .extraction import quotation_spans
from .models import Shingle
from .shingles import WINDOW, words
from .trails import Occurrence, Trail, check_min_words, occurrence

_CHUNK = 500  # articles per query when reading bodies


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
                found[article.pk, start, end] = occurrence(
                    article, article.body, quotations, start, end
                )
    return found


def _with_words(group: list[Occurrence], chosen: str) -> Trail:
    marked = [
        replace(o, verbatim=o.words == chosen) for o in sorted(group, key=Occurrence.sort_key)
    ]
    return Trail(words=chosen, occurrences=tuple(marked))


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
