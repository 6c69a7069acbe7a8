"""Finding speakers and sources from what an editor typed.

The tag form offers suggestions in a datalist; whatever comes back (a name,
an alias, a suggestion's label with its id) is resolved here. An ambiguous
or unknown name is a LookupFailed with a message for the editor, never a guess.
"""

import re

from django.db.models import Count, Q
from django.db.models.functions import Lower

from apps.articles.models import Article

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


def article_label(article: Article) -> str:
    return f"{article.title} (#{article.pk})"


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


def find_article(text: str) -> Article:
    """An article of the archive, to hold a source's original text."""
    return find_one(
        Article.objects.defer("body"),
        text,
        "Several articles are titled “{}”; pick one from the suggestions.",
        "No article titled “{}” in the archive; import it first.",
        title="title__iexact",
    )


def suggest_articles(query: str, limit: int = SUGGESTIONS) -> list[Article]:
    """Articles whose title or outlet contains the query, newest first."""
    articles = Article.objects.only("pk", "title", "outlet", "published")
    query = query.strip()
    if query:
        articles = articles.filter(Q(title__icontains=query) | Q(outlet__icontains=query))
    return list(articles.order_by("-published", "-id")[:limit])


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


TITLES = re.compile(
    r"^(?:(?:the|u\.s\.|us|former|then|deputy|acting|senior)\s+)*"
    r"(?:president|vice president|sen\.?|senator|rep\.?|representative|gov\.?|governor|"
    r"secretary|minister|col\.?|colonel|gen\.?|general|brig\.?|brigadier|lt\.?|major|"
    r"maj\.?|capt\.?|captain|adm\.?|admiral|mr\.?|mrs\.?|ms\.?|dr\.?|prof\.?|"
    r"defense|defence|state|foreign|prime|chief|spokesman|spokeswoman|spokesperson)"
    r"(?:\s+(?:general|secretary|minister|of\s+\w+))*\s+",
    re.IGNORECASE,
)


def name_variants(name: str) -> list[str]:
    """The name as written and without leading titles (“Brig. Gen. Jonathan Braga”)."""
    name = " ".join(name.split()).strip(" ,.;:")
    variants = [name]
    stripped = name
    while True:
        shorter = TITLES.sub("", stripped, count=1)
        if shorter == stripped or not shorter:
            break
        stripped = shorter
        variants.append(stripped)
    return [v for v in dict.fromkeys(variants) if v]


def match_speakers(names) -> dict[str, Speaker | None]:
    """Known speakers for many typed names at once (two queries), by name or alias.

    A name matching two different speakers stays unmatched: a suggestion never
    guesses between namesakes.
    """
    variants = {name: [v.lower() for v in name_variants(name)] for name in names if name}
    for found_variants in variants.values():  # "The BBC investigation" is also "BBC investigation"
        if found_variants[0].startswith("the "):
            found_variants.append(found_variants[0].removeprefix("the ").strip())
    wanted = {v for vs in variants.values() for v in vs}
    if not wanted:
        return {name: None for name in names}
    found: dict[str, set[int]] = {}
    speakers = {}
    for speaker in Speaker.objects.annotate(lowered=Lower("name")).filter(lowered__in=wanted):
        found.setdefault(speaker.lowered, set()).add(speaker.pk)
        speakers[speaker.pk] = speaker
    aliased = Speaker.objects.annotate(lowered=Lower("aliases__alias")).filter(lowered__in=wanted)
    for speaker in aliased:
        found.setdefault(speaker.lowered, set()).add(speaker.pk)
        speakers[speaker.pk] = speaker
    result = {}
    for name in names:
        match = None
        for variant in variants.get(name, []):
            ids = found.get(variant, set())
            if len(ids) == 1:
                match = speakers[next(iter(ids))]
                break
            if len(ids) > 1:
                break
        result[name] = match
    return result
