"""An article's quotes as W3C Web Annotation JSON-LD (https://www.w3.org/TR/annotation-model/).

One `Annotation` per quote, targeting the article with a position selector
and a text-quote selector; its bodies name the speaker, the original source
and the quote's kind. Terms the annotation vocabulary lacks (role,
affiliation, source kind) come from schema.org.
"""

from collections.abc import Callable, Iterable

from apps.articles.models import Article

from .models import Quote

CONTEXT = [
    "http://www.w3.org/ns/anno.jsonld",
    {
        "schema": "https://schema.org/",
        "roleName": "schema:roleName",
        "affiliation": {"@id": "schema:affiliation", "@type": "@id"},
        "publisher": "schema:publisher",
        "datePublished": "schema:datePublished",
        "additionalType": "schema:additionalType",
        "url": {"@id": "schema:url", "@type": "@id"},
        "cue": "urn:quotetrail:cue",
        "position": "urn:quotetrail:position",
        "claim": {"@id": "schema:about", "@type": "@id"},
        "status": "urn:quotetrail:status",
    },
]


def _speaker_body(speaker, absolute: Callable[[str], str]) -> dict:
    body = {
        "id": absolute(speaker.get_absolute_url()),
        "type": "Organization" if speaker.is_organization else "Person",
        "purpose": "identifying",
        "name": speaker.name,
    }
    if speaker.role:
        body["roleName"] = speaker.role
    if speaker.affiliation is not None:
        body["affiliation"] = {
            "id": absolute(speaker.affiliation.get_absolute_url()),
            "type": "Organization",
            "name": speaker.affiliation.name,
        }
    return body


def _source_body(source, absolute: Callable[[str], str]) -> dict:
    body = {
        "id": source.url or absolute(source.get_absolute_url()),
        "type": "Text",
        "purpose": "linking",
        "name": source.title,
        "additionalType": source.get_kind_display(),
    }
    if source.url:
        body["url"] = source.url
    if source.publisher:
        body["publisher"] = source.publisher
    if source.date:
        body["datePublished"] = source.date.isoformat()
    return body


def _stance_bodies(quote: Quote, absolute: Callable[[str], str]) -> list[dict]:
    """The quote's stances on claims (the claims app adds them as `quote.stances`)."""
    stances = getattr(quote, "stances", None)
    if stances is None:
        return []
    return [
        {
            "type": "TextualBody",
            "purpose": "assessing",
            "value": f"{stance.position}: {stance.claim.text}",
            "format": "text/plain",
            "position": stance.position,
            "status": stance.status,
            "claim": {"id": absolute(stance.claim.get_absolute_url()), "name": stance.claim.text},
        }
        for stance in stances.all()
    ]


def annotation(quote: Quote, target_source: str, absolute: Callable[[str], str]) -> dict:
    bodies = [
        {
            "type": "TextualBody",
            "purpose": "classifying",
            "value": quote.kind,
            "format": "text/plain",
        }
    ]
    if quote.speaker is not None:
        bodies.append(_speaker_body(quote.speaker, absolute))
    if quote.source is not None:
        bodies.append(_source_body(quote.source, absolute))
    bodies.extend(_stance_bodies(quote, absolute))
    selectors = [
        {
            "type": "TextQuoteSelector",
            "exact": quote.exact,
            "prefix": quote.prefix,
            "suffix": quote.suffix,
        }
    ]
    if not quote.orphaned:
        # An orphaned quote's offsets no longer point at its text: only its words identify it.
        selectors.insert(
            0, {"type": "TextPositionSelector", "start": quote.start, "end": quote.end}
        )
    result = {
        "id": absolute(quote.get_absolute_url()),
        "type": "Annotation",
        "motivation": "identifying",
        "created": quote.created_at.isoformat(),
        "modified": quote.updated_at.isoformat(),
        "status": quote.status,
        "body": bodies,
        "target": {
            "source": target_source,
            "selector": selectors,
        },
    }
    if quote.cue:
        result["cue"] = quote.cue
    return result


def collection(article: Article, quotes: Iterable[Quote], absolute: Callable[[str], str]) -> dict:
    """An AnnotationCollection with one page holding every quote of the article."""
    target_source = article.url or absolute(article.get_absolute_url())
    items = [annotation(quote, target_source, absolute) for quote in quotes]
    return {
        "@context": CONTEXT,
        "id": absolute(f"{article.get_absolute_url()}annotations.jsonld"),
        "type": "AnnotationCollection",
        "label": f"Quotations in “{article.title}”",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
