"""The contradictions board, the claim page, the matrix and the speaker timeline.

Each is built from a fixed number of queries (the claims, their stances with
everything shown beside them, and the organization tree) and the pure
derivation in `contradictions.py`, so page cost does not grow with the data.
Who belongs to which organization is `apps.sources.membership`'s to say.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.http import urlencode

from apps.core.review import ReviewStatus
from apps.quotes.templatetags.quotetrail import said_text
from apps.sources.membership import members, organization_tree, top
from apps.sources.models import Speaker, SpeakerAlias

from . import timeline_svg
from .contradictions import Contradiction, StanceFacts, derive, identity, shares_organization
from .models import Claim, Stance

UNATTRIBUTED = "unattributed"
BOARD_PAIRS = 3  # contradicting pairs shown per claim on the board; its page lists more
BOARD_COMPARISONS = 2  # links to the comparison of two sides, per claim on the board
BOARD_LINES = 6  # statement lines shown per claim on the board; its page has them all
SUMMARY_NAMES = 5  # names per side in a claim's contradiction summary
CONTRADICTION_ROWS = 100  # pairs listed on a claim page or timeline; the CSV has them all
STATUS_FILTERS = {
    "": "All but rejected",
    "approved": "Approved only",
    "submitted": "Submitted",
    "draft": "Drafts",
    "rejected": "Rejected",
}


def root_organization(speaker: Speaker | None, tree: dict) -> int | None:
    if speaker is None:
        return None
    return top(speaker.pk, speaker.is_organization, speaker.affiliation_id, tree)


def party_of(speaker: Speaker | None, tree: dict) -> int | None:
    """The speaker's root organization, or the speaker itself when it has none."""
    if speaker is None:
        return None
    root = root_organization(speaker, tree)
    return root if root is not None else speaker.pk


def comparison_url(left: int, right: int) -> str:
    return f"{reverse('claims:compare')}?{urlencode({'left': left, 'right': right})}"


def compare_sides(yes: "Statement", no: "Statement") -> tuple[int, int] | None:
    """The two sides to compare for a contradicting pair: the affirming party on the
    left, the denying one on the right; the speakers themselves when both share one
    organization; none when one speaker contradicts itself."""
    left, right = yes.party, no.party
    if left == right:
        left, right = yes.quote.speaker_id, no.quote.speaker_id
    if left is None or right is None or left == right:
        return None
    return left, right


def facts(stance: Stance, tree: dict) -> StanceFacts:
    speaker = stance.quote.speaker
    return StanceFacts(
        key=stance.pk,
        claim=stance.claim_id,
        position=stance.position,
        speaker=speaker.pk if speaker else None,
        identity=identity(
            speaker.pk if speaker else None,
            bool(speaker and speaker.is_organization),
            speaker.affiliation_id if speaker else None,
            tree,
        ),
    )


def short_name(speaker: Speaker | None) -> str:
    """A speaker's shortest name (an alias such as “CJTF-OIR”), for dense tables."""
    if speaker is None:
        return "unattributed"
    return getattr(speaker, "short_name", speaker.name)


def attach_short_names(speakers) -> None:
    """Give each speaker a `short_name`: its shortest alias, if much shorter (one query)."""
    speakers = [s for s in speakers if s is not None]
    aliases = defaultdict(list)
    for speaker_id, alias in SpeakerAlias.objects.filter(
        speaker_id__in={s.pk for s in speakers}
    ).values_list("speaker_id", "alias"):
        if len(alias) >= 3 and not alias.lower().startswith("the "):
            aliases[speaker_id].append(alias)
    for speaker in speakers:
        candidates = [speaker.name, *aliases[speaker.pk]]
        shortest = min(candidates, key=len)
        speaker.short_name = shortest if len(speaker.name) > 24 else speaker.name


def filter_by_status(stances, status: str):
    if status == "approved":
        return stances.approved()
    if status in (ReviewStatus.SUBMITTED, ReviewStatus.DRAFT, ReviewStatus.REJECTED):
        return stances.filter(status=status)
    return stances.visible()


@dataclass
class Statement:
    """A stance as shown: its quote's trail and the contradictions it is part of."""

    stance: Stance
    internal: bool = False
    external: bool = False
    party: int | None = None  # root organization, or the speaker itself

    @property
    def quote(self):
        return self.stance.quote

    @property
    def date(self):
        quote = self.stance.quote
        return (quote.source.date if quote.source and quote.source.date else None) or (
            quote.article.published
        )


@dataclass
class Party:
    """The statements on one claim of one party: a top organization (its members too,
    however deep) or a speaker belonging to none."""

    key: object  # root organization id, ("speaker", id), or UNATTRIBUTED
    name: str
    statements: list = field(default_factory=list)  # [Statement]


@dataclass
class Row:
    """One claim on the board: its contradictions first, then its statements by party."""

    claim: Claim
    parties: list = field(default_factory=list)  # [Party], most statements first
    contradictions: list = field(default_factory=list)  # [(Contradiction, Statement, Statement)]
    names: dict = field(default_factory=dict)  # party and speaker names by speaker id

    @property
    def statement_count(self) -> int:
        return sum(len(party.statements) for party in self.parties)

    @property
    def shown_pairs(self) -> list:
        """The pairs the board shows: one for each two parties at odds first (internal
        ones, a party against itself, before external), then the rest in order."""
        party_of = {s.stance.pk: p.key for p in self.parties for s in p.statements}
        ordered = sorted(self.contradictions, key=lambda pair: not pair[0].internal)
        seen, first, rest = set(), [], []
        for pair in ordered:
            sides = (party_of.get(pair[1].stance.pk), party_of.get(pair[2].stance.pk))
            (rest if sides in seen else first).append(pair)
            seen.add(sides)
        return (first + rest)[:BOARD_PAIRS]

    @property
    def hidden_pairs(self) -> int:
        return max(0, len(self.contradictions) - BOARD_PAIRS)

    @property
    def shown_parties(self) -> list[tuple[Party, list]]:
        """The parties the board shows a line of (at most BOARD_LINES, most statements
        first), with BOARD_LINES lines in all shared out among them in turn."""
        parties = self.parties[:BOARD_LINES]
        counts = [1] * len(parties)
        room = BOARD_LINES - len(parties)
        while room > 0:
            grew = False
            for index, party in enumerate(parties):
                if room > 0 and counts[index] < len(party.statements):
                    counts[index] += 1
                    room -= 1
                    grew = True
            if not grew:
                break
        return [(p, p.statements[:n]) for p, n in zip(parties, counts, strict=True)]

    @property
    def other_parties(self) -> list[Party]:
        """The parties beyond those shown a line of: named, with their counts."""
        return self.parties[BOARD_LINES:]

    @property
    def hidden_statements(self) -> int:
        return self.statement_count - sum(len(lines) for _, lines in self.shown_parties)

    @property
    def summary(self) -> list[tuple[str, list[str], list[str], int]]:
        """Per kind: who affirms, who denies, how many pairs; reads at a glance."""
        groups: dict = {}
        for contradiction, yes, no in self.contradictions:
            group = groups.setdefault(contradiction.kind, [contradiction.kind, [], [], 0])
            for names, statement in ((group[1], yes), (group[2], no)):
                name = short_name(statement.quote.speaker)
                if name not in names:
                    names.append(name)
            group[3] += 1
        return [tuple(groups[k]) for k in ("internal", "external") if k in groups]

    @property
    def comparisons(self) -> list[tuple[str, str]]:
        """Links comparing the sides of contradicting pairs: parties at odds (external)
        first, then speakers within one organization; at most BOARD_COMPARISONS."""
        found = []
        for _, yes, no in sorted(self.contradictions, key=lambda pair: pair[0].internal):
            sides = compare_sides(yes, no)
            if sides and sides not in found:
                found.append(sides)
                if len(found) == BOARD_COMPARISONS:
                    break
        return [
            (
                comparison_url(left, right),
                f"Compare {self.names.get(left, left)} ⟷ {self.names.get(right, right)}",
            )
            for left, right in found
        ]

    @property
    def internal_count(self) -> int:
        return sum(1 for c, _, _ in self.contradictions if c.internal)

    @property
    def external_count(self) -> int:
        return sum(1 for c, _, _ in self.contradictions if not c.internal)


@dataclass
class Board:
    rows: list[Row]


def annotate(stances: list[Stance], tree: dict) -> tuple[dict, list]:
    """Statements by stance id, and the contradictions among them with both sides."""
    statements = {s.pk: Statement(s, party=party_of(s.quote.speaker, tree)) for s in stances}
    found: list[Contradiction] = derive(facts(s, tree) for s in stances)
    pairs = []
    for contradiction in found:
        yes, no = statements[contradiction.affirming], statements[contradiction.denying]
        flag = "internal" if contradiction.internal else "external"
        setattr(yes, flag, True)
        setattr(no, flag, True)
        pairs.append((contradiction, yes, no))
    return statements, pairs


def claims_matching(article=None, speaker=None, organization=None, verdicts=None):
    """Claims with at least one stance from the article, speaker or organization given
    (and, given `verdicts`, on a quote with one of those stored verdicts)."""
    claims = Claim.objects.all()
    if verdicts is not None:
        claims = claims.filter(stances__quote__verdict__in=verdicts)
    if article:
        claims = claims.filter(stances__quote__article_id=article)
    if speaker:
        claims = claims.filter(stances__quote__speaker_id=speaker)
    if organization:
        claims = claims.filter(stances__quote__speaker_id__in=members(organization))
    return claims.distinct().order_by("text", "id")


def _party_of(speaker: Speaker | None, tree: dict) -> object:
    if speaker is None:
        return UNATTRIBUTED
    root = root_organization(speaker, tree)
    return root if root is not None else ("speaker", speaker.pk)


def build_board(claims: list[Claim], status: str = "", verdicts=None) -> Board:
    """The board's rows for these claims: four queries however many stances they have.
    Given `verdicts`, only the statements whose quotes have one of those stored verdicts."""
    tree = organization_tree()
    stances = filter_by_status(Stance.objects.with_trail(), status).filter(claim__in=claims)
    if verdicts is not None:
        stances = stances.filter(quote__verdict__in=verdicts)
    stances = list(stances.order_by("claim_id", "quote__article__published", "quote__start", "id"))
    attach_short_names(s.quote.speaker for s in stances)
    statements, pairs = annotate(stances, tree)
    rows = {claim.pk: Row(claim) for claim in claims}
    names = {s.quote.speaker.pk: short_name(s.quote.speaker) for s in stances if s.quote.speaker}
    parties: dict = {}  # (claim id, party key) -> Party
    for stance in stances:
        speaker = stance.quote.speaker
        party_key = _party_of(speaker, tree)
        party = parties.get((stance.claim_id, party_key))
        if party is None:
            if party_key == UNATTRIBUTED:
                name = "Unattributed"
            elif isinstance(party_key, tuple):
                name = names[speaker.pk]
            else:
                name = names.get(party_key, "")
            party = parties[(stance.claim_id, party_key)] = Party(party_key, name)
            rows[stance.claim_id].parties.append(party)
        party.statements.append(statements[stance.pk])
    unnamed = {p.key for p in parties.values() if not p.name}
    if unnamed:  # a top organization with no statement of its own: name it
        found = Speaker.objects.filter(pk__in=unnamed)
        attach_short_names(list(found))
        for speaker in found:
            for party in parties.values():
                if party.key == speaker.pk:
                    party.name = short_name(speaker)
    for contradiction, yes, no in pairs:
        rows[contradiction.claim].contradictions.append((contradiction, yes, no))
    names.update((p.key, p.name) for p in parties.values() if isinstance(p.key, int))
    for row in rows.values():
        row.names = names
    for row in rows.values():
        row.parties.sort(key=lambda p: (p.key == UNATTRIBUTED, -len(p.statements), p.name))
    return Board(rows=[rows[c.pk] for c in claims])


def statements_by_claim(claims: list[Claim], status: str = "") -> dict[int, list[Statement]]:
    """Every claim's statements, from one query, oldest first."""
    tree = organization_tree()
    stances = list(
        filter_by_status(Stance.objects.with_trail(), status)
        .filter(claim__in=claims)
        .order_by("claim_id", "quote__article__published", "quote__start", "id")
    )
    statements, _ = annotate(stances, tree)
    grouped: dict[int, list[Statement]] = defaultdict(list)
    for stance in stances:
        grouped[stance.claim_id].append(statements[stance.pk])
    return grouped


@dataclass
class ClaimPage:
    claim: Claim
    affirming: list[Statement]
    denying: list[Statement]
    qualifying: list[Statement]
    contradictions: list


def claim_page(claim: Claim, status: str = "") -> ClaimPage:
    tree = organization_tree()
    stances = list(
        filter_by_status(Stance.objects.with_trail(), status)
        .filter(claim=claim)
        .order_by("quote__article__published", "quote__start", "id")
    )
    statements, pairs = annotate(stances, tree)
    by_position = defaultdict(list)
    for stance in stances:
        by_position[stance.position].append(statements[stance.pk])
    return ClaimPage(
        claim=claim,
        affirming=by_position[Stance.Position.AFFIRMS],
        denying=by_position[Stance.Position.DENIES],
        qualifying=by_position[Stance.Position.QUALIFIES],
        contradictions=pairs,
    )


LABEL_WORDS = 90  # a chart mark's label quotes this many characters of the statement


def _mark_label(statement: Statement, about: str = "") -> str:
    """What a chart mark says: who, which position (on what), when, which words."""
    speaker = short_name(statement.quote.speaker)
    position = statement.stance.get_position_display().lower()
    when = timeline_svg.day_label(statement.date) if statement.date else "undated"
    return f"{speaker}, {position}{about}, {when}: {said_text(statement.quote, LABEL_WORDS)}"


def party_names(stances: list[Stance], tree: dict) -> dict[int, str]:
    """Each stance's party, by stance id: its speaker's top organization (short name),
    else the speaker itself (two queries at most)."""
    speakers = {s.quote.speaker.pk: s.quote.speaker for s in stances if s.quote.speaker}
    roots = {s.pk: root_organization(s.quote.speaker, tree) for s in stances}
    missing = {root for root in roots.values() if root is not None and root not in speakers}
    if missing:  # a top organization with no statement of its own here
        speakers.update((o.pk, o) for o in Speaker.objects.filter(pk__in=missing))
    attach_short_names(speakers.values())
    names = {}  # and every stance's speaker gets its short name (for the marks' labels)
    for stance in stances:
        root, speaker = roots[stance.pk], stance.quote.speaker
        if speaker is not None:
            speaker.short_name = speakers[speaker.pk].short_name
        party = speakers[root] if root is not None else speaker and speakers[speaker.pk]
        names[stance.pk] = short_name(party) if party else "Unattributed"
    return names


def claim_chart(page: ClaimPage) -> timeline_svg.Chart:
    """The claim's statements on a date axis, a row per party."""
    statements = page.affirming + page.denying + page.qualifying
    parties = party_names([s.stance for s in statements], organization_tree())
    entries = [
        timeline_svg.Entry(
            row=parties[s.stance.pk],
            date=s.date,
            position=s.stance.position,
            label=_mark_label(s),
            url=s.quote.get_absolute_url(),
        )
        for s in statements
    ]
    return timeline_svg.layout(entries, row_names=("party", "parties"))


@dataclass
class Matrix:
    claims: list[Claim]
    rows: list  # [(speaker, [cell or None per claim])]
    claim_page: object = None  # the page of claims (columns) shown
    speaker_page: object = None  # the page of speakers (rows) shown


MATRIX_CLAIMS = 12  # columns per page
MATRIX_SPEAKERS = 40  # rows per page


GLYPHS = {"affirms": "✓", "denies": "✗", "qualifies": "~"}


@dataclass
class MatrixCell:
    positions: list[str]

    @property
    def css(self) -> str:
        distinct = set(self.positions)
        if {"affirms", "denies"} <= distinct:
            return "mixed"
        return sorted(distinct, key=["denies", "affirms", "qualifies"].index)[0]

    @property
    def glyph(self) -> str:
        return "".join(GLYPHS[p] for p in sorted(set(self.positions)))

    @property
    def label(self) -> str:
        return " and ".join(sorted(set(self.positions)))


def matrix(status: str = "", claims_page=1, speakers_page=1) -> Matrix:
    """Speakers × claims, a page of each: the claims with a stance from a named speaker,
    then the speakers with a stance on those claims. Five queries at any size."""
    stances = filter_by_status(Stance.objects.all(), status).filter(quote__speaker__isnull=False)
    claims = Claim.objects.filter(pk__in=stances.values("claim_id")).order_by("text", "id")
    claim_page = Paginator(claims, MATRIX_CLAIMS).get_page(claims_page)
    shown = list(claim_page.object_list)
    on_shown = stances.filter(claim__in=shown)
    speakers = (
        Speaker.objects.filter(pk__in=on_shown.values("quote__speaker_id"))
        .select_related("affiliation")
        .order_by("name", "id")
    )
    speaker_page = Paginator(speakers, MATRIX_SPEAKERS).get_page(speakers_page)
    people = list(speaker_page.object_list)
    cells: dict = defaultdict(list)
    for speaker_id, claim_id, position in on_shown.filter(quote__speaker__in=people).values_list(
        "quote__speaker_id", "claim_id", "position"
    ):
        cells[(speaker_id, claim_id)].append(position)
    rows = [
        (
            speaker,
            [
                MatrixCell(cells[(speaker.pk, claim.pk)])
                if (speaker.pk, claim.pk) in cells
                else None
                for claim in shown
            ],
        )
        for speaker in people
    ]
    return Matrix(claims=shown, rows=rows, claim_page=claim_page, speaker_page=speaker_page)


@dataclass
class Timeline:
    statements: list  # [(quote, [Statement])], oldest first
    self_contradictions: list  # [(Contradiction, Statement, Statement)]


def timeline(speaker: Speaker) -> Timeline:
    """A speaker's statements over time with their stances, and where the speaker or
    their organization contradicts itself (pairs from `contradictions.derive`)."""
    tree = organization_tree()
    own = identity(speaker.pk, speaker.is_organization, speaker.affiliation_id, tree)
    claim_ids = Stance.objects.filter(quote__speaker=speaker).values("claim_id")
    stances = list(
        Stance.objects.visible()
        .with_trail()
        .filter(claim_id__in=claim_ids)
        .order_by("quote__article__published", "quote__start", "id")
    )
    known = {stance.pk: facts(stance, tree) for stance in stances}

    # Flags for the speaker's own statements, from the pairs they take part in only,
    # not every pair of the claim (a claim many parties speak to has thousands).
    mine = {s.pk: Statement(s) for s in stances if s.quote.speaker_id == speaker.pk}
    for contradiction in derive(known.values(), involving=mine):
        for key in (contradiction.affirming, contradiction.denying):
            if key in mine:
                setattr(mine[key], contradiction.kind, True)
    by_quote: dict = {}
    for statement in mine.values():
        by_quote.setdefault(statement.quote.pk, (statement.quote, []))[1].append(statement)
    ordered = sorted(
        by_quote.values(),
        key=lambda item: (
            (item[1][0].date is None),
            item[1][0].date or item[0].created_at.date(),
            item[0].start,
        ),
    )

    # Self-contradictions: the internal pairs among the statements of the speaker and of
    # everyone sharing one of its organizations, claims in the order of all statements.
    place: dict = {}
    for stance in stances:
        if stance.position in (Stance.Position.AFFIRMS, Stance.Position.DENIES):
            place.setdefault(stance.claim_id, len(place))
    ours = [f for f in known.values() if shares_organization(own, f.identity)]
    by_id = {stance.pk: stance for stance in stances}
    flagged = [
        (
            pair,
            Statement(by_id[pair.affirming], internal=True),
            Statement(by_id[pair.denying], internal=True),
        )
        for pair in derive(sorted(ours, key=lambda f: place.get(f.claim, -1)))
        if pair.internal
    ]
    return Timeline(statements=ordered, self_contradictions=flagged)


def timeline_chart(built: Timeline) -> timeline_svg.Chart:
    """A speaker's statements on a date axis, a row per claim."""
    entries = []
    for quote, statements in built.statements:
        for s in statements:
            claim = s.stance.claim
            about = f" “{timeline_svg.trim(claim.text, 60)}”"
            entries.append(
                timeline_svg.Entry(
                    row=claim.text,
                    date=s.date,
                    position=s.stance.position,
                    label=_mark_label(s, about),
                    url=quote.get_absolute_url(),
                    row_url=claim.get_absolute_url(),
                )
            )
    return timeline_svg.layout(entries, row_names=("claim", "claims"))
