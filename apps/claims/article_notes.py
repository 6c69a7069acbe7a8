"""On the article page, the quotes that take part in a contradiction.

Registered with apps/quotes/item_notes.py when the claims app is ready (apps.claims.apps),
because the quotes app must not import this one. For each quote of the article that
affirms or denies a claim someone else (or the same speaker elsewhere) denies or affirms,
its side-panel item (and so its hover card) gets a ⇄ marker naming the claim and the
opposing statements, with a link to the claim's page.

Built in three queries at most, whatever the archive holds: the affirming and denying
stances on the claims this article's quotes take a side on, the organization tree, the
short names. Only the pairs involving this article's quotes are derived (`derive` once
per own stance, against the other side of its claim), never every pair of a crowded
claim. The notes are kept under the counters of those claims (apps.core.versions), so
a save in the article that leaves its stances alone, as tagging a new quote does, costs
one small query here, not a rebuild.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from apps.core.versions import derived, keys

from .board import Statement, attach_short_names, facts, organization_tree
from .contradictions import AFFIRMS, DENIES, derive
from .models import Stance

SIDES = (AFFIRMS, DENIES)
OPPOSITE = {AFFIRMS: DENIES, DENIES: AFFIRMS}
OPPOSING_SHOWN = 2  # opposing statements named per claim; the claim page has them all


@dataclass
class Note:
    """One claim on which a quote of the article is contradicted."""

    stance: Stance  # the quote's own stance
    opposing: list = field(default_factory=list)  # [Statement], flagged internal or external

    @property
    def claim(self):
        return self.stance.claim

    @property
    def shown(self) -> list:
        return self.opposing[:OPPOSING_SHOWN]

    @property
    def more(self) -> int:
        return max(len(self.opposing) - OPPOSING_SHOWN, 0)


def contradicted(article_id: int, quote_ids=None) -> dict[int, list[Note]]:
    """For each of these quotes (of one article; all its quotes when None) in a
    contradiction: a note per claim."""
    quote_ids = None if quote_ids is None else set(quote_ids)
    own_claims = (
        Stance.objects.visible()
        .filter(quote__article_id=article_id, position__in=SIDES)
        .values("claim_id")
    )
    stances = list(
        Stance.objects.visible()
        .with_trail()
        .filter(claim_id__in=own_claims, position__in=SIDES)
        .order_by("quote__article__published", "quote__start", "id")
    )
    mine = [
        s
        for s in stances
        if s.quote.article_id == article_id and (quote_ids is None or s.quote_id in quote_ids)
    ]
    if not mine:
        return {}
    tree = organization_tree()
    known = {stance.pk: facts(stance, tree) for stance in stances}
    sides: dict = defaultdict(list)
    for stance in stances:
        sides[(stance.claim_id, stance.position)].append(stance)
    by_pk = {stance.pk: stance for stance in stances}
    notes: dict[int, list[Note]] = defaultdict(list)
    for stance in mine:
        others = sides[(stance.claim_id, OPPOSITE[stance.position])]
        if not others:
            continue
        note = Note(stance)
        for pair in derive([known[stance.pk], *(known[o.pk] for o in others)]):
            other = pair.denying if pair.affirming == stance.pk else pair.affirming
            flag = {"internal": pair.internal, "external": not pair.internal}
            note.opposing.append(Statement(by_pk[other], **flag))
        notes[stance.quote_id].append(note)
    shown = [s.quote.speaker for found in notes.values() for n in found for s in n.shown]
    attach_short_names(shown)
    for found in notes.values():
        found.sort(key=lambda note: (note.claim.text.lower(), note.claim.pk))
    return dict(notes)


def contradiction_notes(article_id: int, quotes: list) -> dict[int, str]:
    """The item_notes provider: a quote's notes as HTML, by quote id."""
    claims = set(
        Stance.objects.visible()
        .filter(quote__article_id=article_id, position__in=SIDES)
        .values_list("claim_id", flat=True)
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
