"""Who each occurrence of a trail is credited to, and whether they disagree.

An occurrence is credited to the tagged quote that overlaps it most in its article
(its speaker), or failing one to the open suggestion that does (the name the
extractor read beside it; a pronoun such as "she", with no capital, names nobody).
Two queries for the whole trail (quotes, suggestions), and two more to match
suggested names to known speakers by name or alias
(`apps.sources.lookup.match_speakers`), however many occurrences it lists.

A trail is misattributed when its occurrences are credited to different speakers:
two speaker ids, or a suggested name that matches no credited speaker's name or
alias (nor a known speaker's).
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from apps.core.versions import derived, keys
from apps.sources.lookup import match_speakers, name_variants

from .models import Quote, Suggestion
from .trails import Occurrence, Trail


@dataclass(frozen=True)
class Credit:
    name: str  # as shown: the speaker's name, or the suggested name
    speaker_id: int | None  # the tagged (or matched) speaker
    quote_id: int | None  # the tagged quote, when there is one
    suggested: bool  # from an open suggestion, not yet an editor's attribution

    @property
    def identity(self) -> str:
        if self.speaker_id is not None:
            return f"speaker:{self.speaker_id}"
        return "name:" + name_variants(self.name)[-1].casefold()


def _overlap(o: Occurrence, start: int, end: int) -> int:
    return min(o.end, end) - max(o.start, start)


def credits(trail: Trail) -> dict[Occurrence, Credit]:
    """The credit of each listed occurrence that has one."""
    if not trail.occurrences:
        return {}
    near = reduce(
        or_,
        (Q(article_id=o.article, start__lt=o.end, end__gt=o.start) for o in trail.occurrences),
    )
    quotes = list(
        Quote.objects.filter(near, speaker__isnull=False)
        .order_by()
        .values_list("pk", "article_id", "start", "end", "speaker_id", "speaker__name")
    )
    suggestions = list(
        Suggestion.objects.filter(near, status=Suggestion.Status.OPEN)
        .exclude(speaker_name="")
        .order_by()
        .values_list("article_id", "start", "end", "speaker_name")
    )
    found: dict[Occurrence, Credit] = {}
    for o in trail.occurrences:
        best = max(
            (q for q in quotes if q[1] == o.article and _overlap(o, q[2], q[3]) > 0),
            key=lambda q: _overlap(o, q[2], q[3]),
            default=None,
        )
        if best is not None:
            found[o] = Credit(best[5], best[4], best[0], suggested=False)
            continue
        named = max(
            (s for s in suggestions if s[0] == o.article and _overlap(o, s[1], s[2]) > 0),
            key=lambda s: _overlap(o, s[1], s[2]),
            default=None,
        )
        # A pronoun or a common noun ("she", "officials") names nobody to compare.
        if named is not None and any(c.isupper() for c in named[3]):
            found[o] = Credit(named[3], None, None, suggested=True)
    names = {c.name for c in found.values() if c.suggested}
    if names:
        matched = match_speakers(sorted(names))
        for o, credit in list(found.items()):
            speaker = matched.get(credit.name) if credit.suggested else None
            if speaker is not None:
                found[o] = Credit(credit.name, speaker.pk, None, suggested=True)
    return found


def owners(trail: Trail) -> list[str]:
    """What a trail's credits are drawn from: the index (`trails`), speakers' names and
    aliases (`speakers`), and the quotes and suggestions of the listed articles."""
    return ["trails", "speakers", *keys("article", {o.article for o in trail.occurrences})]


def kept_credits(span: tuple[int, int, int], trail: Trail) -> dict[Occurrence, Credit]:
    """`credits(trail)` of the trail of `span` (article id, start, end), kept until one of
    its `owners` changes."""
    return derived("trail-credits", span, lambda: credits(trail), owners(trail))


def misattribution(found: dict[Occurrence, Credit]) -> list[tuple[Occurrence, Credit]]:
    """The credited occurrences, when they name more than one speaker; else nothing."""
    if len({credit.identity for credit in found.values()}) < 2:
        return []
    return list(found.items())
