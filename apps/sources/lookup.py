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


def _by_label(model, text: str):
    match = _ID_SUFFIX.search(text)
    if match:
        return model.objects.filter(pk=int(match.group(1))).first()
    return None


def find_speaker(text: str) -> Speaker:
    text = text.strip()
    speaker = _by_label(Speaker, text)
    if speaker is not None:
        return speaker
    name = _ID_SUFFIX.sub("", text).strip()
    matches = list(Speaker.objects.filter(name__iexact=name)[:2])
    if not matches:
        matches = list(Speaker.objects.filter(aliases__alias__iexact=name).distinct()[:2])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupFailed(f"Several speakers match “{name}”; pick one from the suggestions.")
    raise LookupFailed(f"No speaker called “{name}”. Tick “New speaker” to create one.")


def find_source(text: str) -> Source:
    text = text.strip()
    source = _by_label(Source, text)
    if source is not None:
        return source
    title = _ID_SUFFIX.sub("", text).strip()
    matches = list(Source.objects.filter(title__iexact=title)[:2])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupFailed(f"Several sources are titled “{title}”; pick one from the suggestions.")
    raise LookupFailed(f"No source titled “{title}”. Tick “New source” to create one.")


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
