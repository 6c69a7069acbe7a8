"""What each write moves among the version counters of articles, speakers and sources.

Every quote write is also noted in the `quotes` journal, so search results are
brought up to date from the quotes changed since they were ranked; `articles`,
`speakers` and `sources` move with anything search matches or ranks by (titles,
dates, names, aliases, roles, affiliations).

`trails` moves whenever an article's text is saved (and so indexed again), as any
quotation's trail across the archive may then change.

An article's page derives from the article, its quotes, their speakers (name, role,
affiliation) and sources (title), and its open suggestions. A speaker's and a
source's pages list their quotes with each quote's article. Each receiver below
bumps exactly the counters of the pages a change shows on (apps.core.versions);
claims keep their own in apps.claims.owners.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_init, pre_save

from apps.articles.models import Article
from apps.core.versions import bump, key, keys, note, on_every_write
from apps.sources.models import Source, Speaker, SpeakerAlias

from .models import Quote, Suggestion

SHOWN = {  # the fields other pages show; a change to another field moves only the owner
    Article: ("title", "published", "outlet"),
    Speaker: ("name", "role", "kind", "affiliation_id"),
    Source: ("title", "kind", "date", "url", "publisher"),
    Quote: ("speaker_id", "source_id"),
}


def loaded(sender, instance, **kwargs):
    """Remember the shown fields as loaded (read from __dict__: a deferred field stays so)."""
    instance._shown_loaded = {f: instance.__dict__.get(f) for f in SHOWN[sender]}


def saving(sender, instance, **kwargs):
    """The shown fields as they stood before this save, for every app's receivers of it:
    the first to run (these) take the saved values as loaded, for the next save."""
    instance._shown_before = getattr(instance, "_shown_loaded", None)


def changed_shown(instance, created: bool) -> bool:
    before = getattr(instance, "_shown_before", getattr(instance, "_shown_loaded", None))
    if created or before is None:
        return created
    return any(instance.__dict__.get(f) != v for f, v in before.items())


def _quoting(**where) -> dict[str, set]:
    """Articles, speakers and sources of the quotes matching `where` (one query)."""
    rows = Quote.objects.filter(**where).values_list("article_id", "speaker_id", "source_id")
    found = {"article": set(), "speaker": set(), "source": set()}
    for article_id, speaker_id, source_id in rows.distinct():
        found["article"].add(article_id)
        found["speaker"].add(speaker_id)
        found["source"].add(source_id)
    return found


def article_saved(sender, instance, created=False, update_fields=None, **kwargs):
    names = {key("article", instance.pk)}
    if update_fields is None or "body" in update_fields:
        names.add("trails")  # its text is indexed again: any quote's trail may change
    if changed_shown(instance, created) or kwargs.get("signal") is post_delete:
        names.add("articles")
        if not created:  # speaker and source pages show each quote's article
            found = _quoting(article_id=instance.pk)
            names |= keys("speaker", found["speaker"]) | keys("source", found["source"])
    bump(names)
    loaded(Article, instance)


def quote_saved(sender, instance, created=False, **kwargs):
    before = getattr(instance, "_shown_loaded", {})
    names = {key("article", instance.article_id)}
    names |= keys("speaker", {instance.speaker_id, before.get("speaker_id")})
    names |= keys("source", {instance.source_id, before.get("source_id")})
    bump(names)
    note("quotes", {instance.pk})  # search re-checks the quotes changed since it ranked
    loaded(Quote, instance)


def speaker_saved(sender, instance, created=False, **kwargs):
    names = {key("speaker", instance.pk)}
    before = getattr(instance, "_shown_loaded", {})
    if changed_shown(instance, created) or kwargs.get("signal") is post_delete:
        names.add("speakers")  # name lists and the organization tree
        # The organizations whose member lists name it, before and after.
        names |= keys("speaker", {instance.affiliation_id, before.get("affiliation_id")})
        if not created:  # articles show each quote's speaker and that speaker's affiliation
            found = _quoting(**{"pk__in": _quotes_of_speaker_or_members(instance.pk)})
            names |= keys("article", found["article"]) | keys("source", found["source"])
    bump(names)
    loaded(Speaker, instance)


def _quotes_of_speaker_or_members(speaker_id: int):
    return Quote.objects.filter(
        Q(speaker_id=speaker_id) | Q(speaker__affiliation_id=speaker_id)
    ).values("pk")


def alias_saved(sender, instance, **kwargs):
    bump({key("speaker", instance.speaker_id), "speakers"})


def source_saved(sender, instance, created=False, **kwargs):
    names = {key("source", instance.pk)}
    if changed_shown(instance, created) or kwargs.get("signal") is post_delete:
        names.add("sources")  # searches match source titles
    if not created and (changed_shown(instance, created) or kwargs.get("signal") is post_delete):
        found = _quoting(source_id=instance.pk)
        names |= keys("article", found["article"]) | keys("speaker", found["speaker"])
    bump(names)
    loaded(Source, instance)


def suggestion_saved(sender, instance, **kwargs):
    bump({key("article", instance.article_id)})


def connect() -> None:
    for model in SHOWN:
        post_init.connect(loaded, sender=model, dispatch_uid=f"owners-loaded-{model.__name__}")
        pre_save.connect(saving, sender=model, dispatch_uid=f"owners-saving-{model.__name__}")
    receivers = {
        Article: article_saved,
        Quote: quote_saved,
        Speaker: speaker_saved,
        SpeakerAlias: alias_saved,
        Source: source_saved,
        Suggestion: suggestion_saved,
    }
    on_every_write(receivers, "owners")
