"""Reprints: a run's memorable lines quoted again by its later articles, verbatim, with a
word dropped or changed, trimmed, or in part, so quote trails have something to find.
A run's articles are built in order for that (`build_run`).
"""

from __future__ import annotations

import bisect
import datetime
import random
from collections.abc import Callable, Sequence

from apps.quotes.models import QuoteKind

from .building import (
    MISATTRIBUTED_SHARE,
    REPRINT_DAYS,
    REPRINT_FORMS,
    REPRINTS_OF_A_LINE,
    REPRINTS_PER_ARTICLE,
    ArticleSpec,
    Cast,
    Reprint,
    Said,
    _cumulative,
    _pick,
    build_article,
)
from .vocabulary import CHANGED_WORDS


class Reprints:
    """Memorable lines of a run's earlier articles, quoted again by later ones.

    Coverage repeats quotations: a line one outlet carries is reprinted by others
    in the following weeks, verbatim or with a word dropped or changed, trimmed, or
    quoted in part, nearly always attributed to the same speaker (`MISATTRIBUTED_SHARE`
    of reprints name someone else). Each article offers up to two of its memorable
    lines (`Said`); a later article (by index) of another outlet, published on the
    same day or up to `REPRINT_DAYS` after, draws 0 to 8 of them (about 3 % of the
    quotes), preferring lines already reprinted, so a few travel widely (up to
    `REPRINTS_OF_A_LINE` reprints). The draw for
    article i comes from (seed, run, i) and what articles 0..i-1 said, so a run's
    articles are built in order (`build_run`) and the same seed gives the same text.
    """

    def __init__(self, seed: int, run: int, cast: Cast) -> None:
        self.seed, self.run, self.cast = seed, run, cast
        self.by_day: dict[datetime.date, list[list]] = {}  # [Said, outlet, times reprinted]

    def offer(self, spec: ArticleSpec) -> None:
        """Let later articles reprint what `spec` said."""
        day = self.by_day.setdefault(spec.published, [])
        day.extend([said, spec.outlet, 0] for said in spec.said[:2])

    def chooser(self, index: int) -> Callable[[str, datetime.date, int], list[Reprint]]:
        def choose(outlet: str, published: datetime.date, n_quotes: int) -> list[Reprint]:
            rng = random.Random(f"reprints:{self.seed}:{self.run}:{index}")
            wanted = min(rng.choice(REPRINTS_PER_ARTICLE), n_quotes // 5)
            if not wanted:
                return []
            candidates = [
                entry
                for days in range(REPRINT_DAYS + 1)
                for entry in self.by_day.get(published - datetime.timedelta(days=days), ())
                if entry[1] != outlet and entry[2] < REPRINTS_OF_A_LINE
            ]
            if not candidates:
                return []
            cum = _cumulative([1 + entry[2] for entry in candidates])
            picked: dict[int, None] = {}
            for _ in range(4 * wanted):
                picked[bisect.bisect(cum, rng.random() * cum[-1])] = None
                if len(picked) == min(wanted, len(candidates)):
                    break
            chosen = [candidates[i] for i in picked]
            for entry in chosen:
                entry[2] += 1
            return [self._reprint(rng, said, source) for said, source, _ in chosen]

        return choose

    def _reprint(self, rng: random.Random, said: Said, outlet: str) -> Reprint:
        words = said.text.split()
        kind = QuoteKind.DIRECT
        match _pick(rng, _FORM_KEYS, _FORM_CUM):
            case "changed":
                i = rng.randrange(1, len(words) - 1)
                if words[i] in CHANGED_WORDS and rng.random() < 0.7:
                    words[i] = CHANGED_WORDS[words[i]]
                else:
                    del words[i]
            case "trimmed":
                keep = rng.randint(max(6, len(words) // 2), len(words) - 2)
                words = words[:keep] if rng.random() < 0.5 else words[-keep:]
            case "partial":
                n = rng.randint(6, min(10, len(words) - 1))
                first = rng.randint(1, len(words) - n)
                words = words[first : first + n]
                kind = QuoteKind.PARTIAL
        text = " ".join(words).strip(",;:")
        if kind == QuoteKind.DIRECT:
            text = text[0].upper() + text[1:]
        speaker = said.speaker
        if rng.random() < MISATTRIBUTED_SHARE:
            others, _ = self.cast.people_by_topic[self.cast.speakers[speaker].topic]
            speaker = rng.choice(others)
        return Reprint(text, speaker, kind, outlet)


_FORM_KEYS = tuple(form for form, _ in REPRINT_FORMS)
_FORM_CUM = _cumulative([weight for _, weight in REPRINT_FORMS])


def build_run(seed: int, run: int, counts: Sequence[int], cast: Cast):
    """The run's articles in order, `counts[i]` quotes for article i, with reprints; pure."""
    reprints = Reprints(seed, run, cast)
    for index, n in enumerate(counts):
        spec = build_article(seed, run, index, n, cast, reprints=reprints.chooser(index))
        reprints.offer(spec)
        yield spec
