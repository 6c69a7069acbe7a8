"""Deriving contradictions from stances (pure functions, no database).

A contradiction is two stances on one claim, one affirming and one denying.
It is internal when both speakers belong to the same organization (directly,
or through a chain of affiliations: `apps.sources.membership`), or are the same
speaker; external otherwise. n stances need no pairwise links: every comparison
is derived.
"""

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

from apps.sources.membership import organizations_of

AFFIRMS, DENIES = "affirms", "denies"


@dataclass(frozen=True, slots=True)
class StanceFacts:
    key: Hashable  # the stance's id
    claim: Hashable
    position: str
    speaker: int | None
    identity: frozenset  # the speaker and every organization it belongs to


@dataclass(frozen=True, slots=True)
class Contradiction:
    claim: Hashable
    affirming: Hashable
    denying: Hashable
    internal: bool

    @property
    def kind(self) -> str:
        return "internal" if self.internal else "external"


def identity(
    speaker: int | None, is_organization: bool, affiliation: int | None, parent_of: Mapping
) -> frozenset:
    """The speaker itself plus every organization it belongs to, however deep."""
    if speaker is None:
        return frozenset()
    found = organizations_of(speaker, is_organization, affiliation, parent_of)
    return frozenset([("speaker", speaker), *(("org", org) for org in found)])


def shares_organization(a: frozenset, b: frozenset) -> bool:
    return bool(a & b)


def derive(
    stances: Iterable[StanceFacts], involving: Collection | None = None
) -> list[Contradiction]:
    """Every affirming × denying pair per claim, in a stable order. Given `involving`
    (stance keys), only the pairs one of those stances takes part in, without pairing
    the others (a claim many parties speak to has thousands of pairs)."""
    by_claim: dict = defaultdict(lambda: {AFFIRMS: [], DENIES: []})
    order = []
    for stance in stances:
        if stance.position in (AFFIRMS, DENIES):
            if stance.claim not in by_claim:
                order.append(stance.claim)
            by_claim[stance.claim][stance.position].append(stance)
    result = []
    for claim in order:
        sides = by_claim[claim]
        denying = sides[DENIES]
        involved = denying if involving is None else [d for d in denying if d.key in involving]
        for yes in sides[AFFIRMS]:
            partners = denying if involving is None or yes.key in involving else involved
            for no in partners:
                internal = shares_organization(yes.identity, no.identity)
                result.append(Contradiction(claim, yes.key, no.key, internal))
    return result
