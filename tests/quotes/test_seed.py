import json

import pytest
from django.core.management import call_command

from apps.articles.models import Article
from apps.claims.models import Claim, Stance
from apps.claims.seeding import load_full_seed
from apps.quotes.models import Quote
from apps.quotes.seeding import SeedError, load_seed
from apps.sources.models import Source, Speaker, SpeakerAlias
from tests.conftest import SEED_MANIFEST


def test_every_seed_quote_is_the_body_slice_at_its_span(seeded):
    quotes = list(Quote.objects.filter(article=seeded))
    assert len(quotes) == len(json.loads(SEED_MANIFEST.read_text())["quotes"])
    for quote in quotes:
        assert seeded.body[quote.start : quote.end] == quote.exact
        assert not quote.orphaned


def test_every_seed_quote_has_a_speaker_and_an_original_source(seeded):
    assert not Quote.objects.filter(article=seeded, speaker__isnull=True).exists()
    assert not Quote.objects.filter(article=seeded, source__isnull=True).exists()


def test_every_quotation_mark_pair_in_the_article_is_inside_a_tagged_quote(seeded):
    """No direct or partial quotation in the seed article is left untagged."""
    body = seeded.body
    spans = list(Quote.objects.filter(article=seeded).values_list("start", "end"))
    opening = [i for i, ch in enumerate(body) if ch == '"']
    assert opening and len(opening) % 2 == 0
    for left, right in zip(opening[::2], opening[1::2], strict=True):
        assert any(s <= left and right < e for s, e in spans), body[left : right + 1]


def test_seed_names_the_speakers_and_sources_of_the_case(seeded):
    dillon = Speaker.objects.get(name="Ryan Dillon")
    assert dillon.affiliation.name == "Combined Joint Task Force – Operation Inherent Resolve"
    assert "spokesman, Operation Inherent Resolve" in dillon.role
    braga = Speaker.objects.get(name="Jonathan Braga")
    assert "director of operations" in braga.role
    assert Speaker.objects.get(name="Jim Mattis").role == "US Defense Secretary"
    assert Speaker.objects.get(name="BBC").kind == Speaker.Kind.ORGANIZATION
    kinds = dict(Source.objects.values_list("title", "kind"))
    assert Source.Kind.INVESTIGATION in kinds.values()
    assert Source.Kind.PRESS_RELEASE in kinds.values()
    assert Source.objects.get(kind=Source.Kind.NEWS_REPORT).article == seeded


def test_quotes_are_attributed_as_the_article_says(seeded):
    def who(text):
        return Quote.objects.get(article=seeded, exact__contains=text)

    assert who("We didn't want anyone to leave").speaker.name == "Ryan Dillon"
    assert who("We didn't want anyone to leave").cue == "told"
    assert who("We do not condone").speaker.name == "Jonathan Braga"
    assert who("We do not condone").source.kind == Source.Kind.PRESS_RELEASE
    assert who("The enemy hasn't declared").speaker.name == "Jim Mattis"
    assert who("make deals with terrorists").source.kind == Source.Kind.STATEMENT
    assert who("dozens did").speaker.name == "BBC"
    assert who("dozens did").kind == Quote.Kind.INDIRECT
    assert Quote.objects.get(exact="'by, with and through'").kind == Quote.Kind.PARTIAL


def test_seeding_twice_changes_nothing(seeded):
    tables = (Article, Speaker, SpeakerAlias, Source, Quote, Claim, Stance)

    def state():
        counts = [m.objects.count() for m in tables]
        histories = [
            Article.history.count(),
            Speaker.history.count(),
            Quote.history.count(),
            Stance.history.count(),
        ]
        quotes = list(Quote.objects.values_list("id", "start", "end", "speaker_id", "version"))
        return counts, histories, quotes

    before = state()
    result = load_full_seed(SEED_MANIFEST)
    assert not result.changed
    assert state() == before


def test_seed_command_reports_a_second_run_as_a_no_op(db, capsys):
    call_command("seed")
    first = capsys.readouterr().out
    call_command("seed")
    second = capsys.readouterr().out
    assert "created 1 articles" in first
    assert "nothing changed" in second


def test_a_manifest_quote_not_on_its_line_is_refused(tmp_path, db):
    manifest = json.loads(SEED_MANIFEST.read_text())
    manifest["quotes"][0]["line"] = 35
    (tmp_path / manifest["article"]["file"]).write_bytes(
        (SEED_MANIFEST.parent / manifest["article"]["file"]).read_bytes()
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(manifest))
    with pytest.raises(SeedError, match="line 35"):
        load_seed(path)
    assert Article.objects.count() == 0
