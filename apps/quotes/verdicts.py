"""Keeping `Quote.verdict` current when the original text a quote is checked against
changes, not the quote: a source's original document is linked, replaced or unlinked,
or that document's text is corrected or deleted.

A quote's own saves check it again in `Quote.save()`. Here the affected quotes are
read in one query, the verdicts that changed are written with one UPDATE per verdict
(no signals), and the counters of what shows them are bumped explicitly in the same
transaction: the quotes' articles (highlight card, side panel), speakers and sources
(statement tables), and, through `verdicts_changed`, whatever the apps above keep
(the claims app: the board and claim pages citing them).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_delete
from django.dispatch import Signal

from apps.articles.models import Article
from apps.core.versions import bump, collecting, keys
from apps.sources.models import Source

from .models import Quote, verdict_of

# Sent with `quote_ids` after their stored verdicts changed in bulk.
verdicts_changed = Signal()


def refresh(quotes) -> set[int]:
    """Check these quotes (a queryset) again against their sources' originals and store
    the verdicts that changed; returns the ids of the quotes whose verdict changed. The
    quotes are locked until the write commits, so a save of one of them waits and then
    checks against what this write leaves (locked in id order, as other writers do)."""
    if not transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return refresh(quotes)
    rows = list(
        quotes.select_for_update(of=("self",))
        .order_by("pk")
        .values_list(
            "pk",
            "kind",
            "exact",
            "article_id",
            "speaker_id",
            "source_id",
            "verdict",
            "source__article_id",
        )
    )
    originals = {row[7] for row in rows if row[7] is not None}
    bodies = dict(Article.objects.filter(pk__in=originals).values_list("pk", "body"))
    changed: dict[str, list[int]] = {}
    owners: set[str] = set()
    for pk, kind, exact, article_id, speaker_id, source_id, was, original_id in rows:
        now = verdict_of(kind, exact, article_id, original_id, bodies.get(original_id))
        if now != was:
            changed.setdefault(now, []).append(pk)
            owners |= keys("article", {article_id}) | keys("speaker", {speaker_id})
            owners |= keys("source", {source_id})
    if not changed:
        return set()
    with collecting():
        for verdict, pks in changed.items():
            Quote.objects.filter(pk__in=pks).update(verdict=verdict)
        bump(owners)
        ids = {pk for pks in changed.values() for pk in pks}
        verdicts_changed.send(sender=Quote, quote_ids=ids)
    return ids


def _original_loaded(sender, instance, **kwargs):
    instance._original_loaded = instance.__dict__.get("article_id")


def source_saved(sender, instance, created=False, raw=False, **kwargs):
    """A source's original document linked, replaced or unlinked: check its quotes."""
    if raw or created:
        return  # a new source has no quotes yet
    before = getattr(instance, "_original_loaded", None)
    if before == instance.article_id:
        return
    instance._original_loaded = instance.article_id
    with collecting():
        # The reader and the article list say which source a document is the original of.
        bump(keys("article", {before, instance.article_id}) | {"articles"})
        refresh(Quote.objects.filter(source_id=instance.pk))


def _body_loaded(sender, instance, **kwargs):
    instance._body_loaded = instance.__dict__.get("body")


def article_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """An original's text corrected: check every quote whose source it is."""
    if raw or created or (update_fields is not None and "body" not in update_fields):
        return
    if getattr(instance, "_body_loaded", None) == instance.__dict__.get("body"):
        return
    instance._body_loaded = instance.__dict__.get("body")
    refresh(Quote.objects.filter(source__article_id=instance.pk))


def article_deleting(sender, instance, **kwargs):
    """The sources it was the original of lose it (SET NULL, no signal): remember their
    quotes, checked again once it is gone."""
    instance._checked_against = list(
        Quote.objects.filter(source__article_id=instance.pk).values_list("pk", flat=True)
    )


def article_deleted(sender, instance, **kwargs):
    pks = getattr(instance, "_checked_against", ())
    if pks:
        refresh(Quote.objects.filter(pk__in=pks))


def connect() -> None:
    post_init.connect(_original_loaded, sender=Source, dispatch_uid="verdicts-source-loaded")
    post_init.connect(_body_loaded, sender=Article, dispatch_uid="verdicts-body-loaded")
    post_save.connect(source_saved, sender=Source, dispatch_uid="verdicts-source-saved")
    post_save.connect(article_saved, sender=Article, dispatch_uid="verdicts-article-saved")
    pre_delete.connect(article_deleting, sender=Article, dispatch_uid="verdicts-article-deleting")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="verdicts-article-deleted")
