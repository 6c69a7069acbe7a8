"""What review decisions tell webhook receivers (apps/webhooks).

Approving a quote or a stance announces it; approving one that completes a
contradiction among approved statements (an approved quote's approved stance
affirming a claim, another denying it) announces each new pair once. A pair is
new when it was not there just before the decision, in the same transaction,
so approving work again, or approving a stance beside an existing pair, announces
only what really changed.
"""

from django.db import connection

from apps.core.review import ReviewStatus
from apps.sources.membership import organization_tree
from apps.webhooks.events import Subscriptions, emit

from .board import facts
from .contradictions import AFFIRMS, DENIES, derive
from .models import Claim, Stance

CONTRADICTION = "contradiction.found"


def _speaker(speaker) -> dict | None:
    if speaker is None:
        return None
    return {"id": speaker.pk, "name": speaker.name, "kind": speaker.kind}


def quote_data(quote) -> dict:
    return {
        "id": quote.pk,
        "article_id": quote.article_id,
        "text": quote.exact,
        "kind": quote.kind,
        "speaker": _speaker(quote.speaker),
    }


def stance_data(stance: Stance) -> dict:
    return {
        "id": stance.pk,
        "claim": {"id": stance.claim_id, "text": stance.claim.text},
        "quote_id": stance.quote_id,
        "position": stance.position,
    }


def _side(stance: Stance) -> dict:
    return {
        "stance_id": stance.pk,
        "position": stance.position,
        "quote": {
            "id": stance.quote_id,
            "article_id": stance.quote.article_id,
            "text": stance.quote.exact,
        },
        "speaker": _speaker(stance.quote.speaker),
    }


def claims_touched(kind: str, item) -> set[int]:
    """The claims on which approving this item may complete a contradiction."""
    if kind == "stance":
        return {item.claim_id} if item.position in (AFFIRMS, DENIES) else set()
    found = item.stances.filter(position__in=(AFFIRMS, DENIES)).order_by()
    return set(found.values_list("claim_id", flat=True))


def take_turns(claim_ids: set[int]) -> None:
    """Lock the claims' rows (in id order) until the decision commits. Two approvals that
    complete a pair together then take turns, and the second sees the first's approval:
    without it each would miss the other's and the pair would never be announced."""
    if claim_ids:
        # FOR NO KEY UPDATE on PostgreSQL: stances may still be added to these claims.
        no_key = connection.vendor == "postgresql"
        locked = Claim.objects.select_for_update(no_key=no_key).filter(pk__in=claim_ids)
        list(locked.order_by("pk").values_list("pk", flat=True))


def approved_pairs(claim_ids: set[int]) -> dict:
    """{(affirming id, denying id): (contradiction, affirming, denying)} among the
    approved stances on approved quotes of these claims."""
    if not claim_ids:
        return {}
    tree = organization_tree()
    stances = list(
        Stance.objects.approved()
        .filter(claim_id__in=claim_ids, position__in=(AFFIRMS, DENIES))
        .select_related("claim", "quote__speaker")
        .order_by("claim_id", "id")
    )
    by_id = {s.pk: s for s in stances}
    return {
        (c.affirming, c.denying): (c, by_id[c.affirming], by_id[c.denying])
        for c in derive(facts(s, tree) for s in stances)
    }


class Approval:
    """Watches one approval: read what stands before it, announce what it changed after.

    One query when no endpoint listens; the contradictions on the item's claims are
    derived before and after only when an endpoint listens for them.
    """

    def __init__(self, kind: str, item):
        self.kind, self.item = kind, item
        self.was_approved = item.status == ReviewStatus.APPROVED
        self.subscriptions = Subscriptions()
        self.claims: set[int] = set()
        self.pairs: set = set()
        if self.subscriptions.wanted(CONTRADICTION):
            self.claims = claims_touched(kind, item)
            take_turns(self.claims)
            self.pairs = set(approved_pairs(self.claims))

    def announce(self) -> None:
        """Emit the approval (unless it was approved already) and each contradiction it
        completed, inside the decision's transaction: a decision rolled back announces
        nothing."""
        item, subscriptions = self.item, self.subscriptions
        if not self.was_approved:
            if self.kind == "quote":
                emit("quote.approved", lambda: quote_data(item), subscriptions)
            else:
                emit("stance.approved", lambda: stance_data(item), subscriptions)
        if not self.claims:
            return
        for key, (contradiction, yes, no) in approved_pairs(self.claims).items():
            if key not in self.pairs:
                emit(CONTRADICTION, contradiction_data(contradiction, yes, no), subscriptions)


def contradiction_data(contradiction, yes: Stance, no: Stance) -> dict:
    return {
        "claim": {"id": yes.claim_id, "text": yes.claim.text},
        "kind": contradiction.kind,
        "affirming": _side(yes),
        "denying": _side(no),
    }
