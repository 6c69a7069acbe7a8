"""The seed article's curated quotations, as the extractor suggests them to an editor."""

import datetime
import json

import pytest

from apps.articles.importing import Metadata, create_article
from apps.quotes import suggesting
from apps.quotes.models import Suggestion
from apps.sources.lookup import match_speakers
from apps.sources.models import Source, Speaker
from tests.conftest import SEED_MANIFEST, make_user

MANIFEST = json.loads(SEED_MANIFEST.read_text())
TEXT = (SEED_MANIFEST.parent / MANIFEST["article"]["file"]).read_text(encoding="utf-8")
# Quotations the extractor cannot attribute as curated, and why.
KNOWN_MISSES = {
    # single marks never delimit a quotation (the doctrine Dillon quotes, nested in his words)
    "'by, with and through'",
    # "An official described as a "Western officer"": the describer (the BBC) is implicit
    '"Western officer"',
}
CURATED = [q for q in MANIFEST["quotes"] if q["kind"] in {"direct", "partial"}]


@pytest.fixture
def seeded(db):
    speakers = {}
    for spec in MANIFEST["speakers"]:
        speaker = Speaker.objects.create(name=spec["name"], kind=spec["kind"])
        for alias in spec["aliases"]:
            speaker.aliases.create(alias=alias)
        speakers[spec["key"]] = speaker
    for spec in MANIFEST["speakers"]:
        if spec["affiliation"]:
            speakers[spec["key"]].affiliation = speakers[spec["affiliation"]]
            speakers[spec["key"]].save()
    sources = {
        spec["key"]: Source.objects.create(
            kind=spec["kind"],
            title=spec["title"],
            publisher=spec["publisher"],
            date=datetime.date.fromisoformat(spec["date"]) if spec["date"] else None,
        )
        for spec in MANIFEST["sources"]
    }
    title, _, body = TEXT.partition("\n")
    article = create_article(title, body, Metadata())
    return article, speakers, sources


def suggestion_for(article, quote):
    return next(
        (s for s in Suggestion.objects.filter(article=article) if s.exact == quote["exact"]),
        None,
    )


@pytest.mark.parametrize(
    "quote", [q for q in CURATED if q["exact"] not in KNOWN_MISSES], ids=lambda q: q["exact"][:30]
)
def test_every_curated_quotation_is_suggested_with_its_speaker(seeded, quote):
    article, speakers, _ = seeded
    suggestion = suggestion_for(article, quote)
    assert suggestion is not None, quote["exact"]
    assert article.body[suggestion.start : suggestion.end] == quote["exact"]
    matched = match_speakers([suggestion.speaker_name])[suggestion.speaker_name]
    assert matched == speakers[quote["speaker"]], suggestion.speaker_name


def test_the_known_misses_are_still_curated():
    """The list of misses names curated quotations, so it cannot hide a typo."""
    assert {q["exact"] for q in CURATED} >= KNOWN_MISSES


def test_a_document_is_shown_and_accepting_links_its_source(seeded, client):
    article, speakers, sources = seeded
    convoy = next(
        s for s in Suggestion.objects.filter(article=article) if s.exact == '"convoy of vehicles"'
    )
    assert (convoy.speaker_mention, convoy.speaker_name, convoy.document) == (
        "an October 14 release",
        "The coalition",
        "an October 14 release",
    )
    client.force_login(make_user("edna", "editor"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "from an October 14 release" in html
    quote, _ = suggesting.accept(convoy.pk, make_user("ed2", "editor"))
    assert quote.speaker == speakers["coalition"]
    assert quote.source == sources["october-14-release"]
    # "the release" of a later sentence is the same release
    later = next(s for s in Suggestion.objects.filter(article=article) if "purportedly" in s.exact)
    quote, _ = suggesting.accept(later.pk, make_user("ed3", "editor"))
    assert (quote.speaker, quote.source) == (speakers["coalition"], sources["october-14-release"])


def test_no_source_is_linked_when_none_fits(seeded):
    article, _, sources = seeded
    sources["october-14-release"].date = datetime.date(2017, 10, 15)
    sources["october-14-release"].save()
    convoy = next(
        s for s in Suggestion.objects.filter(article=article) if s.exact == '"convoy of vehicles"'
    )
    assert suggesting.document_source(convoy, None) is None
