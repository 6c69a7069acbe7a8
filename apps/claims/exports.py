"""Contradictions and comparisons as CSV, and claims as schema.org JSON-LD."""

from collections.abc import Callable

from apps.quotes.exports import organization_of
from apps.quotes.models import QuoteKind

CONTRADICTION_COLUMNS = [
    "claim", "type",
    "affirming_speaker", "affirming_organization", "affirming_text", "affirming_kind",
    "affirming_source", "affirming_date", "affirming_article",
    "denying_speaker", "denying_organization", "denying_text", "denying_kind",
    "denying_source", "denying_date", "denying_article",
]  # fmt: skip


def _side(statement) -> list:
    quote = statement.quote
    return [
        quote.speaker.name if quote.speaker else "",
        organization_of(quote.speaker),
        quote.exact,
        quote.kind,  # "indirect": the writer's words, not the speaker's
        quote.source.title if quote.source else "",
        statement.date.isoformat() if statement.date else "",
        quote.article.title,
    ]


def contradiction_rows(pairs):
    for contradiction, yes, no in pairs:
        yield [yes.stance.claim.text, contradiction.kind, *_side(yes), *_side(no)]


COMPARISON_COLUMNS = [
    "claim", "side", "side_speaker", "speaker", "organization", "position", "relation",
    "date", "source", "text", "kind", "article",
]  # fmt: skip


def comparison_rows(comparison):
    """One row per statement: which side it is on and how it stands to the other side."""
    names = {"left": comparison.left.name, "right": comparison.right.name}
    for line in comparison.lines:
        quote = line.quote
        yield [
            line.stance.claim.text,
            line.side,
            names[line.side],
            quote.speaker.name if quote.speaker else "",
            organization_of(quote.speaker),
            line.stance.position,
            line.relation,
            line.statement.date.isoformat() if line.statement.date else "",
            quote.source.title if quote.source else "",
            quote.exact,
            quote.kind,  # "indirect": the writer's words, not the speaker's
            quote.article.title,
        ]


def _agent(speaker, absolute: Callable[[str], str]) -> dict | None:
    if speaker is None:
        return None
    agent = {
        "@type": "Organization" if speaker.is_organization else "Person",
        "@id": absolute(speaker.get_absolute_url()),
        "name": speaker.name,
    }
    if speaker.role:
        agent["jobTitle" if not speaker.is_organization else "description"] = speaker.role
    if speaker.affiliation is not None:
        agent["affiliation" if not speaker.is_organization else "parentOrganization"] = {
            "@type": "Organization",
            "name": speaker.affiliation.name,
        }
    return agent


def _source(source, absolute) -> dict | None:
    if source is None:
        return None
    work = {
        "@type": "CreativeWork",
        "@id": source.url or absolute(source.get_absolute_url()),
        "name": source.title,
        "genre": source.get_kind_display(),
    }
    if source.url:
        work["url"] = source.url
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.date:
        work["datePublished"] = source.date.isoformat()
    return work


def claim_document(claim, statements, absolute: Callable[[str], str]) -> dict:
    """A schema.org Claim with every statement on it as an appearance.

    Direct and partial quotations appear as `Quotation`s; a paraphrase reports the
    speaker in the writer's words, so it appears as a `CreativeWork` whose genre says so.
    """
    appearances = []
    for statement in statements:
        quote = statement.quote
        paraphrase = quote.kind == QuoteKind.INDIRECT
        appearance = {
            "@type": "CreativeWork" if paraphrase else "Quotation",
            "@id": absolute(quote.get_absolute_url()),
            "text": quote.exact,
            "isPartOf": {
                "@type": "NewsArticle",
                "@id": quote.article.url or absolute(quote.article.get_absolute_url()),
                "headline": quote.article.title,
            },
            "genre": "paraphrase" if paraphrase else f"{quote.kind} quotation",
            "additionalProperty": [
                {"@type": "PropertyValue", "name": "stance", "value": statement.stance.position},
                {
                    "@type": "PropertyValue",
                    "name": "reviewStatus",
                    "value": statement.stance.status,
                },
            ],
        }
        creator = _agent(quote.speaker, absolute)
        if creator:
            appearance["creator"] = creator
        source = _source(quote.source, absolute)
        if source:
            appearance["isBasedOn"] = source
        if statement.date:
            appearance["dateCreated"] = statement.date.isoformat()
        appearances.append(appearance)
    document = {
        "@type": "Claim",
        "@id": absolute(claim.get_absolute_url()),
        "name": claim.text,
        "appearance": appearances,
    }
    if claim.description:
        document["description"] = claim.description
    return document
