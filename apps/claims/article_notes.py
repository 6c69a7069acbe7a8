"""On the article page, the quotes that take part in a contradiction.

Registered with apps/quotes/item_notes.py when the claims app is ready (apps.claims.apps),
because the quotes app must not import this one. For each quote of the article that
affirms or denies a claim someone else (or the same speaker elsewhere) denies or affirms,
its side-panel item (and so its hover card) gets a ⇄ marker naming the claim and the
opposing statements, with a link to the claim's page.

Built in four queries at most, whatever the archive holds: the affirming and denying
stances on the claims this article's quotes take a side on (as plain values), the
organization tree, the statements shown (with their trail) and their short names. Only
the pairs involving this article's quotes are derived (`derive(..., involving=...)`, once),
never every pair of a crowded claim. The notes are
kept under the counters of those claims (apps.core.versions), so a save in the article
that leaves its stances alone, as tagging a new quote does, costs one small query here,
not a rebuild.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from apps.core.versions import derived, keys
from apps.sources.membership import organization_tree
from apps.sources.models import Speaker

from .board import Statement, attach_short_names
from .contradictions import AFFIRMS, DENIES, StanceFacts, derive, identity
from .models import Stance

SIDES = (AFFIRMS, DENIES)
OPPOSING_SHOWN = 2  # opposing statements named per claim; the claim page has them all


@dataclass
class Note:
    """One claim on which a quote of the article is contradicted."""

    stance: Stance  # the quote's own stance
    shown: list = field(default_factory=list)  # [Statement], flagged internal or external
    count: int = 0  # opposing statements in all

    @property
    def claim(self):
        return self.stance.claim

    @property
    def more(self) -> int:
        return max(self.count - len(self.shown), 0)


# What a stance's side and organization need, without its trail: (id, claim, position,
# quote, speaker, speaker kind, speaker's affiliation).
_FACTS = (
    "pk",
    "claim_id",
    "position",
    "quote_id",
    "quote__speaker_id",
    "quote__speaker__kind",
    "quote__speaker__affiliation_id",
)


def _facts(row: tuple, tree: dict) -> StanceFacts:
    pk, claim, position, _, speaker, kind, affiliation = row
    is_organization = kind == Speaker.Kind.ORGANIZATION
    return StanceFacts(
        pk, claim, position, speaker, identity(speaker, is_organization, affiliation, tree)
    )


def contradicted(article_id: int, quote_ids=None) -> dict[int, list[Note]]:
    """For each of these quotes (of one article; all its quotes when None) in a
    contradiction: a note per claim, naming the first OPPOSING_SHOWN opposing statements
    (in reading order: publication date, then position in the article) and counting the
    rest. Every stance on the claims is read as a few plain values; only the statements
    shown are loaded with their trail."""
    quote_ids = None if quote_ids is None else set(quote_ids)
    visible = Stance.objects.visible().filter(position__in=SIDES)
    own_claims = visible.filter(quote__article_id=article_id).values("claim_id")
    rows = list(
        visible.filter(claim_id__in=own_claims)
        .order_by("quote__article__published", "quote__start", "id")
        .values_list(*_FACTS, "quote__article_id")
    )
    mine = [
        row for row in rows if row[-1] == article_id and (quote_ids is None or row[3] in quote_ids)
    ]
    if not mine:
        return {}
    own = {row[0] for row in mine}
    tree = organization_tree()
    pairs = derive((_facts(row[:-1], tree) for row in rows), involving=own)
    opposing: dict = defaultdict(list)  # own stance id -> [(other id, internal)], read in order
    for pair in pairs:
        for this, other in ((pair.affirming, pair.denying), (pair.denying, pair.affirming)):
            if this in own:
                opposing[this].append((other, pair.internal))
    found = [  # (own stance id, [(other id, internal)] shown, count)
        (row[0], opposing[row[0]][:OPPOSING_SHOWN], len(opposing[row[0]]))
        for row in mine
        if opposing[row[0]]
    ]
    if not found:
        return {}
    wanted = {pk for pk, _, _ in found} | {o for _, shown, _ in found for o, _ in shown}
    loaded = {s.pk: s for s in Stance.objects.with_trail().filter(pk__in=wanted)}
    notes: dict[int, list[Note]] = defaultdict(list)
    for pk, shown, count in found:
        statements = [
            Statement(loaded[other], internal=internal, external=not internal)
            for other, internal in shown
        ]
        notes[loaded[pk].quote_id].append(Note(loaded[pk], statements, count))
    attach_short_names(s.quote.speaker for found in notes.values() for n in found for s in n.shown)
    for found_notes in notes.values():
        found_notes.sort(key=lambda note: (note.claim.text.lower(), note.claim.pk))
    return dict(notes)


def contradiction_notes(article_id: int, quotes: list) -> dict[int, str]:
    """The item_notes provider: a quote's notes as HTML, by quote id."""
    claims = set(
        Stance.objects.visible()
        .filter(quote__article_id=article_id, position__in=SIDES)
        .order_by()
        .values_list("claim_id", flat=True)
        .distinct()
    )
    if not claims:
        return {}

    def render_all() -> dict[int, str]:
        found = contradicted(article_id, None)
        return {
            pk: render_to_string("claims/quote_contradictions.html", {"notes": notes})
            for pk, notes in found.items()
        }

    notes = derived("article-notes", article_id, render_all, keys("claim", claims))
    return {quote.pk: notes[quote.pk] for quote in quotes if quote.pk in notes}
