"""Recording stances and taking review decisions, each in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.roles import can_review, can_tag
from apps.core.versions import collecting
from apps.quotes.models import Quote

from .announcements import Approval
from .models import Claim, Stance

REVIEWABLE = {"quote": Quote, "stance": Stance}


class ActionRefused(Exception):
    """The action cannot be taken; the message says why."""


@collecting()
def record_stance(
    quote: Quote, claim: Claim | None, new_claim_text: str, position: str, note: str, user
):
    """Create the quote's stance on a claim, or change the one it has."""
    if claim is None:
        try:
            with transaction.atomic():
                claim = Claim.objects.create(text=new_claim_text, created_by=user)
        except IntegrityError:
            raise ActionRefused(
                f"The claim “{new_claim_text}” was just created; pick it instead."
            ) from None
    stance = Stance.objects.select_for_update().filter(quote=quote, claim=claim).first()
    if stance is None:
        return Stance.objects.create(
            quote=quote, claim=claim, position=position, note=note, created_by=user
        ), True
    if (stance.position, stance.note) != (position, note):
        stance.position, stance.note = position, note
        stance.reopen()
        stance.save()
    return stance, False


@collecting()
def link_quotes(claim: Claim, quotes: list[Quote], position: str, note: str, user) -> int:
    """Record each quote's stance on the claim (or change the one it has), all or none."""
    for quote in quotes:
        record_stance(quote, claim, "", position, note, user)
    return len(quotes)


ACTIONS = {"submit", "approve", "reject"}


def allowed(user, action: str) -> bool:
    return can_review(user) if action in ("approve", "reject") else can_tag(user)


@collecting()
def decide(kind: str, pk: int, action: str, user, reason: str = ""):
    """Submit, approve or reject one quote or stance; the history records it."""
    model = REVIEWABLE[kind]
    item = model.objects.select_for_update().filter(pk=pk).first()
    if item is None:
        raise ActionRefused(f"This {kind} no longer exists.")
    approval = Approval(kind, item) if action == "approve" else None
    try:
        if action == "submit":
            item.submit()
        elif action == "approve":
            item.approve(user)
        else:
            item.reject(user, reason)
    except ValidationError as exc:
        raise ActionRefused(" ".join(exc.messages)) from None
    if kind == "quote":
        item.version += 1  # an open edit form must not overwrite a decision unseen
    item.save()
    if approval is not None:
        approval.announce()
    return item
