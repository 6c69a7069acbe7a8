"""What each write moves among the claims' version counters.

A claim's page and its row on the board derive from its stances, their quotes
(words, kind, status, repair flag), the quotes' speakers (names, short-name aliases,
the organization tree that makes a contradiction internal or external), sources and
articles (title, date). A stance change moves its claim; a change to a quote,
speaker, alias, source or article moves the claims whose stances cite it, and only
those: a quote without stances moves nothing here. `claims` moves with any claim:
the board and the matrix show many claims at once.

An article's side panel marks the quotes that take part in a contradiction, naming
the claim and the opposing statements (apps/claims/article_notes.py), so whatever moves
a claim also moves `article:<id>` of every article with a quote affirming or denying
it: a stance recorded, changed or removed on a quote there, or on the other side of
the claim anywhere, changes what those articles show. A stance also moves its own
quote's article, for the note it may have just lost.
"""

from django.db.models import Q
from django.db.models.signals import post_delete

from apps.articles.models import Article
from apps.core.versions import bump, keys, on_every_write
from apps.quotes.models import Quote
from apps.quotes.owners import changed_shown
from apps.quotes.verdicts import verdicts_changed
from apps.sources.membership import members
from apps.sources.models import Source, Speaker, SpeakerAlias

from .article_notes import SIDES
from .models import Claim, Stance


def bump_claims(claim_ids, quote_id=None) -> None:
    claim_ids = {pk for pk in claim_ids if pk is not None}
    if claim_ids:
        articles = _taking_sides(claim_ids, quote_id)
        bump(keys("claim", claim_ids) | {"claims"} | keys("article", articles))


def _taking_sides(claim_ids: set[int], quote_id=None) -> set[int]:
    """Articles with a quote affirming or denying one of these claims, and the article of
    quote `quote_id` (one query)."""
    where = Q(stances__claim_id__in=claim_ids, stances__position__in=SIDES)
    if quote_id is not None:
        where |= Q(pk=quote_id)
    found = Quote.objects.filter(where).order_by()  # ids only: no default ordering's joins
    return set(found.values_list("article_id", flat=True).distinct())


def _cited(**where) -> set[int]:
    found = Stance.objects.filter(**where).order_by()  # ids only: no default ordering's joins
    return set(found.values_list("claim_id", flat=True).distinct())


def claim_saved(sender, instance, **kwargs):
    bump_claims({instance.pk})


def stance_saved(sender, instance, **kwargs):
    bump_claims({instance.claim_id}, quote_id=instance.quote_id)


def quote_saved(sender, instance, **kwargs):
    if kwargs.get("signal") is post_delete:
        return  # its stances were deleted with it, each moving its claim
    bump_claims(_cited(quote_id=instance.pk))


def verdicts_moved(sender, quote_ids, **kwargs):
    """Stored verdicts changed in bulk (no save signals): the board flags them."""
    bump_claims(_cited(quote_id__in=quote_ids))


def speaker_saved(sender, instance, created=False, **kwargs):
    if created or not (changed_shown(instance, created) or kwargs.get("signal") is post_delete):
        return
    bump_claims(_cited(quote__speaker_id__in=members(instance.pk)))


def alias_saved(sender, instance, **kwargs):
    bump_claims(_cited(quote__speaker_id=instance.speaker_id))  # short names on the board


def source_saved(sender, instance, created=False, **kwargs):
    if not created and changed_shown(instance, created):
        bump_claims(_cited(quote__source_id=instance.pk))


def article_saved(sender, instance, created=False, **kwargs):
    if not created and changed_shown(instance, created):
        bump_claims(_cited(quote__article_id=instance.pk))


def connect() -> None:
    receivers = {
        Claim: claim_saved,
        Stance: stance_saved,
        Quote: quote_saved,
        Speaker: speaker_saved,
        SpeakerAlias: alias_saved,
        Source: source_saved,
        Article: article_saved,
    }
    on_every_write(receivers, "claims-owners")
    verdicts_changed.connect(verdicts_moved, dispatch_uid="claims-owners-verdicts")
