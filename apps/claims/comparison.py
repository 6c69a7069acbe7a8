"""Two sides compared claim by claim: what each said, and where they meet or clash.

A side is a speaker; an organization brings every member under it, however deep (the
membership contradictions use: `apps.sources.membership`). When one side lies inside
the other (an organization and its spokesman), a statement by the inner side counts
for it alone, so no statement is set against itself.

Built from a fixed number of queries: the organization tree, the page of claims (the
two sides' members selected inside it), and their stances with everything shown
beside them.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Q

from apps.sources.membership import belongs, members, organization_tree
from apps.sources.models import Speaker

from .board import Statement, attach_short_names, filter_by_status, short_name
from .contradictions import AFFIRMS, DENIES
from .models import Claim, Stance

LEFT, RIGHT = "left", "right"
CONTRADICT, AGREE, DIFFER = "contradict", "agree", "differ"
LEFT_ONLY, RIGHT_ONLY = "left only", "right only"
OPPOSITE = {AFFIRMS: DENIES, DENIES: AFFIRMS}
POSITIONS = [AFFIRMS, DENIES, Stance.Position.QUALIFIES]
COMPARE_CLAIMS = 25  # claims a page; the CSV has them all
SIDE_STATEMENTS = 20  # statements a side per claim; the claim page has them all


def relation(position: str, others: set[str], side: str) -> str:
    """How a statement stands to the other side's positions on the same claim."""
    if not others:
        return LEFT_ONLY if side == LEFT else RIGHT_ONLY
    if OPPOSITE.get(position) in others:
        return CONTRADICT
    if position in others:
        return AGREE
    return DIFFER  # one side only qualifies what the other affirms or denies


PLURAL = {AFFIRMS: "affirm", DENIES: "deny", Stance.Position.QUALIFIES: "qualify"}


def positions_text(positions, plural: bool = False) -> str:
    """“affirms”, “affirms and denies”, “affirms, denies and qualifies” (or “affirm”…)."""
    given = set(positions)
    found = [PLURAL[p] if plural else str(p) for p in POSITIONS if p in given]
    if len(found) < 2:
        return "".join(found)
    return ", ".join(found[:-1]) + " and " + found[-1]


@dataclass
class Line:
    """One statement on one side, and how it stands to the other side."""

    statement: Statement
    side: str
    relation: str

    @property
    def quote(self):
        return self.statement.quote

    @property
    def stance(self):
        return self.statement.stance


@dataclass
class ClaimComparison:
    claim: Claim
    left_name: str
    right_name: str
    left: list[Line] = field(default_factory=list)
    right: list[Line] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if not self.right:
            return LEFT_ONLY
        if not self.left:
            return RIGHT_ONLY
        relations = {line.relation for line in self.left}
        for kind in (CONTRADICT, AGREE):
            if kind in relations:
                return kind
        return DIFFER

    @property
    def pair_counts(self) -> dict[str, int]:
        """Left × right pairs that contradict, agree or differ."""
        counts = {CONTRADICT: 0, AGREE: 0, DIFFER: 0}
        for mine in self.left:
            for theirs in self.right:
                a, b = mine.stance.position, theirs.stance.position
                kind = CONTRADICT if OPPOSITE.get(a) == b else AGREE if a == b else DIFFER
                counts[kind] += 1
        return counts

    @property
    def pairs_text(self) -> str:
        """“2 contradict · 1 agree”: the pairs of one side's and the other's statements."""
        return " · ".join(f"{n} {kind}" for kind, n in self.pair_counts.items() if n)

    @property
    def verdict(self) -> str:
        """One line in plain words, e.g. “Contradict: CJTF-OIR denies, BBC affirms”: the
        positions that make the verdict, then any the two sides also share."""
        kind = self.kind

        def said(lines, relation=None) -> str:
            return positions_text(
                line.stance.position for line in lines if relation in (None, line.relation)
            )

        if kind == LEFT_ONLY:
            return f"Only {self.left_name} spoke: {said(self.left)}"
        if kind == RIGHT_ONLY:
            return f"Only {self.right_name} spoke: {said(self.right)}"
        relation = kind if kind != DIFFER else None
        verdict = (
            f"{kind.capitalize()}: {self.left_name} {said(self.left, relation)}, "
            f"{self.right_name} {said(self.right, relation)}"
        )
        shared = {line.stance.position for line in self.left if line.relation == AGREE}
        if kind == CONTRADICT and shared:
            verdict += f" (both also {positions_text(shared, plural=True)})"
        return verdict


@dataclass
class Comparison:
    left: Speaker
    right: Speaker
    claims: list[ClaimComparison]
    page: object = None
    inner: str = ""  # the side lying inside the other, if one does

    @property
    def counts(self) -> dict[str, int]:
        counts = {k: 0 for k in (CONTRADICT, AGREE, DIFFER, LEFT_ONLY, RIGHT_ONLY)}
        for claim in self.claims:
            counts[claim.kind] += 1
        return counts

    @property
    def lines(self):
        """Every statement, claim by claim, left side first (the CSV's rows)."""
        for claim in self.claims:
            yield from claim.left
            yield from claim.right


def _within(speaker: Speaker | None, side: Speaker, tree: dict) -> bool:
    """Whether the speaker is the side or a member of it, however deep."""
    if speaker is None:
        return False
    return belongs(speaker.pk, speaker.is_organization, speaker.affiliation_id, side.pk, tree)


def compare(
    left: Speaker, right: Speaker, status: str = "", page_number=1, paginate: bool = True
) -> Comparison:
    """Left's statements beside right's on every claim either side spoke to."""
    tree = organization_tree()
    inner = RIGHT if _within(right, left, tree) else LEFT if _within(left, right, tree) else ""
    either = Q(quote__speaker_id__in=members(left.pk)) | Q(quote__speaker_id__in=members(right.pk))
    spoken = filter_by_status(Stance.objects.all(), status).filter(either)
    claims = Claim.objects.filter(pk__in=spoken.values("claim_id")).order_by("text", "id")
    page = None
    if paginate:
        page = Paginator(claims, COMPARE_CLAIMS).get_page(page_number)
        claims = page.object_list
    claims = list(claims)
    stances = list(
        filter_by_status(Stance.objects.with_trail(), status)
        .filter(claim__in=claims)
        .filter(either)
        .order_by("claim_id", "quote__article__published", "quote__start", "id")
    )
    attach_short_names([left, right, *(s.quote.speaker for s in stances)])
    rows = {
        claim.pk: ClaimComparison(claim, short_name(left), short_name(right)) for claim in claims
    }
    sides: dict[int, dict[str, list[Statement]]] = {c.pk: {LEFT: [], RIGHT: []} for c in claims}
    for stance in stances:
        speaker = stance.quote.speaker
        on_left, on_right = _within(speaker, left, tree), _within(speaker, right, tree)
        if on_left and on_right:  # the inner side's own statement
            on_left, on_right = inner == LEFT, inner == RIGHT
        for side, on in ((LEFT, on_left), (RIGHT, on_right)):
            if on:
                sides[stance.claim_id][side].append(Statement(stance))
    for claim_id, found in sides.items():
        row = rows[claim_id]
        said = {side: {s.stance.position for s in found[side]} for side in (LEFT, RIGHT)}
        for side, other, lines in ((LEFT, RIGHT, row.left), (RIGHT, LEFT, row.right)):
            for statement in found[side]:
                kind = relation(statement.stance.position, said[other], side)
                lines.append(Line(statement, side, kind))
    return Comparison(
        left=left,
        right=right,
        claims=[rows[c.pk] for c in claims],
        page=page,
        inner=inner,
    )
