"""Claims, the stances statements take on them, and the contradictions derived."""

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from apps.claims import board
from apps.claims.actions import ActionRefused, record_stance
from apps.claims.forms import ClaimForm
from apps.claims.models import Claim, Stance
from apps.core.review import ReviewStatus
from apps.quotes.models import Quote

from ..access import require_review, require_tag
from ..pagination import page, page_of_list
from ..problems import Problem, form_errors, invalid
from ..schemas import (
    ClaimIn,
    ClaimOut,
    ClaimPage,
    ContradictionPage,
    DecisionIn,
    StanceIn,
    StanceOut,
    StancePage,
    claim_out,
    ref,
    stance_out,
)
from .quotes import review

router = Router(tags=["claims"])


@router.get("/claims", response=ClaimPage, summary="List claims")
def list_claims(request, q: str | None = None, cursor: str | None = None, limit: int | None = None):
    claims = Claim.objects.all()
    if q:
        claims = claims.filter(text__icontains=q)
    return page(request, claims, cursor, limit, claim_out)


@router.get("/claims/{int:claim_id}", response=ClaimOut, summary="A claim")
def get_claim(request, claim_id: int):
    return claim_out(get_object_or_404(Claim, pk=claim_id))


@router.post("/claims", response={201: ClaimOut}, summary="State a claim (reviewers)")
def add_claim(request, payload: ClaimIn):
    require_review(request)
    form = ClaimForm({"text": payload.text, "description": payload.description})
    if not form.is_valid():
        raise form_errors(form)
    claim = form.save(commit=False)
    claim.created_by = request.user
    claim.save()
    return Status(201, claim_out(claim))


def _stances():
    return Stance.objects.select_related("quote__speaker")


@router.get("/stances", response=StancePage, summary="List stances")
def list_stances(
    request,
    claim: int | None = None,
    quote: int | None = None,
    status: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    stances = _stances()
    if claim is not None:
        stances = stances.filter(claim_id=claim)
    if quote is not None:
        stances = stances.filter(quote_id=quote)
    if status is not None:
        if status not in ReviewStatus.values:
            raise invalid("status", f"One of {', '.join(ReviewStatus.values)}.")
        stances = stances.filter(status=status)
    return page(request, stances, cursor, limit, stance_out)


@router.post("/stances", response={201: StanceOut, 200: StanceOut}, summary="Record a stance")
def add_stance(request, payload: StanceIn):
    """A quote's position on a claim; a quote has one stance per claim, so recording it
    again changes it (200) and sends it back to review."""
    require_tag(request)
    quote = Quote.objects.filter(pk=payload.quote_id).first()
    if quote is None:
        raise invalid("quote_id", f"No quote has id {payload.quote_id}.")
    claim = Claim.objects.filter(pk=payload.claim_id).first()
    if claim is None:
        raise invalid("claim_id", f"No claim has id {payload.claim_id}.")
    try:
        stance, created = record_stance(
            quote, claim, "", payload.position, payload.note.strip(), request.user
        )
    except ActionRefused as refusal:
        raise Problem(409, str(refusal)) from None
    return Status(201 if created else 200, stance_out(_stances().get(pk=stance.pk)))


@router.post("/stances/{int:stance_id}/review", response=StanceOut, summary="Review a stance")
def review_stance(request, stance_id: int, payload: DecisionIn):
    get_object_or_404(Stance, pk=stance_id)
    review(request, "stance", stance_id, payload)
    return stance_out(_stances().get(pk=stance_id))


def _side(statement) -> dict:
    stance = statement.stance
    return {
        "stance": stance.pk,
        "quote": stance.quote_id,
        "article": stance.quote.article_id,
        "text": stance.quote.exact,
        "speaker": ref(stance.quote.speaker),
        "status": stance.status,
    }


@router.get("/contradictions", response=ContradictionPage, summary="Derived contradictions")
def list_contradictions(
    request,
    claim: int | None = None,
    speaker: int | None = None,
    article: int | None = None,
    kind: str | None = None,
    status: str = "approved",
    cursor: str | None = None,
    limit: int | None = None,
):
    """Every affirming × denying pair of stances on one claim: internal when both speakers
    belong to one organization (however deep), external otherwise. `status`: `approved`
    (stances and quotes a reviewer approved; the default), `all` (all but rejected), or
    one review status. `speaker` and `article` keep the pairs with a side by that speaker
    or quoted in that article."""
    if kind is not None and kind not in ("internal", "external"):
        raise invalid("kind", "internal or external.")
    wanted = "" if status == "all" else status
    if wanted not in board.STATUS_FILTERS:
        raise invalid("status", "approved, all, submitted, draft or rejected.")
    stances = board.filter_by_status(Stance.objects.with_trail(), wanted)
    if claim is not None:
        stances = stances.filter(claim_id=claim)
    if speaker is not None or article is not None:
        # A pair lies within one claim: read only the claims the speaker or article
        # speaks to, not the archive's every stance; the pairs are then picked below.
        stances = stances.filter(claim__in=board.claims_matching(article=article, speaker=speaker))
    _, pairs = board.annotate(list(stances), board.organization_tree())
    found = []
    for contradiction, yes, no in pairs:
        if kind is not None and contradiction.kind != kind:
            continue
        speakers = {yes.stance.quote.speaker_id, no.stance.quote.speaker_id}
        if speaker is not None and speaker not in speakers:
            continue
        articles = {yes.stance.quote.article_id, no.stance.quote.article_id}
        if article is not None and article not in articles:
            continue
        found.append(
            {
                "claim": claim_out(yes.stance.claim),
                "kind": contradiction.kind,
                "affirming": _side(yes),
                "denying": _side(no),
            }
        )

    def key(item):
        return (item["claim"]["id"], item["affirming"]["stance"], item["denying"]["stance"])

    found.sort(key=key)
    return page_of_list(request, found, key, cursor, limit)
