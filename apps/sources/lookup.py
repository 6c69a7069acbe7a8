"""Finding speakers and sources from what an editor typed.

The tag form offers suggestions in a datalist; whatever comes back (a name,
an alias, a suggestion's label with its id) is resolved here. An ambiguous
or unknown name is a LookupFailed with a message for the editor, never a guess.
"""

import re

from django.db.models import Count, Q

from .models import Source, Speaker

_ID_SUFFIX = re.compile(r"\(#(\d+)\)\s*$")
SUGGESTIONS = 20


class LookupFailed(ValueError):
    """Nothing, or more than one thing, matches; the message says which."""


def speaker_label(speaker: Speaker) -> str:
    """What the suggestion list offers and the form sends back: unambiguous by id."""
    return f"{speaker.name} (#{speaker.pk})"


def source_label(source: Source) -> str:
    return f"{source.title} (#{source.pk})"


def find_one(queryset, text: str, many: str, none: str, **lookups):
    """One object by its suggestion label, or by the single row matching a lookup."""
    text = text.strip()
    match = _ID_SUFFIX.search(text)
    if match:
        found = queryset.filter(pk=int(match.group(1))).first()
        if found is not None:
            return found
    value = _ID_SUFFIX.sub("", text).strip()
    for lookup in lookups.values():
        matches = list(queryset.filter(**{lookup: value}).distinct()[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise LookupFailed(many.format(value))
    raise LookupFailed(none.format(value))


def find_speaker(text: str) -> Speaker:
    return find_one(
        Speaker.objects.all(),
        text,
        "Several speakers match “{}”; pick one from the suggestions.",
        "No speaker called “{}”. Tick “New speaker” to create one.",
        name="name__iexact",
        alias="aliases__alias__iexact",
    )


def find_source(text: str) -> Source:
    return find_one(
        Source.objects.all(),
        text,
        "Several sources are titled “{}”; pick one from the suggestions.",
        "No source titled “{}”. Tick “New source” to create one.",
        title="title__iexact",
    )


def suggest_speakers(query: str, limit: int = SUGGESTIONS) -> list[Speaker]:
    """Speakers whose name or an alias contains the query, most quoted first."""
    speakers = Speaker.objects.select_related("affiliation")
    query = query.strip()
    if query:
        ids = Speaker.objects.filter(
            Q(name__icontains=query) | Q(aliases__alias__icontains=query)
        ).values("id")
        speakers = speakers.filter(id__in=ids)
    return list(speakers.annotate(uses=Count("quotes")).order_by("-uses", "name")[:limit])


def suggest_sources(query: str, limit: int = SUGGESTIONS) -> list[Source]:
    sources = Source.objects.all()
    query = query.strip()
    if query:
        sources = sources.filter(Q(title__icontains=query) | Q(publisher__icontains=query))
    return list(sources.annotate(uses=Count("quotes")).order_by("-uses", "-date", "title")[:limit])
