import json
import re

import pytest
from django.urls import reverse

from apps.articles.importing import Metadata, create_article
from apps.quotes import suggesting
from apps.quotes.models import Quote, Suggestion
from apps.sources.lookup import match_speakers
from apps.sources.models import Speaker
from tests.conftest import SEED_MANIFEST, make_user

STORY = (
    "Cup final\n\n"
    "Fans cheered all night in the square.\n\n"
    '"We won it for the city," coach Pat Riley said after the match.\n\n'
    '"Nobody expected this," Sam Stone, the team captain, said.'
)


@pytest.fixture
def article(db):
    Speaker.objects.create(name="Pat Riley", role="coach")
    title, _, body = STORY.partition("\n\n")
    return create_article(title, body, Metadata())


def open_suggestion(article, text):
    return next(s for s in Suggestion.objects.open_for(article) if text in s.exact)


def test_import_extracts_suggestions_but_creates_no_quote(article):
    suggestion = open_suggestion(article, "We won it for the city")
    assert article.body[suggestion.start : suggestion.end] == suggestion.exact
    assert suggestion.kind == "direct"
    assert suggestion.speaker_name == "Pat Riley"
    assert Quote.objects.count() == 0


def test_editor_sees_suggestions_and_viewer_does_not(client, article):
    people = {r: make_user(f"u-{r}", r) for r in ("editor", "viewer")}
    client.force_login(people["editor"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Suggested quotations" in html and "We won it for the city" in html
    assert "Pat Riley ✓" in html  # a known speaker
    client.force_login(people["viewer"])
    assert "Suggested quotations" not in client.get(article.get_absolute_url()).content.decode()


def decide(client, suggestion, decision, **headers):
    return client.post(
        reverse("quotes:suggestion_decide", args=[suggestion.pk, decision]), headers=headers
    )


def test_accept_creates_a_draft_quote_with_the_known_speaker(editor_client, article):
    suggestion = open_suggestion(article, "We won it for the city")
    response = decide(editor_client, suggestion, "accept", **{"HX-Request": "true"})
    assert response.status_code == 200
    quote = Quote.objects.get()
    assert (quote.exact, quote.speaker.name, quote.status) == (
        suggestion.exact,
        "Pat Riley",
        "draft",
    )
    assert quote.created_by.username == "edna"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.quote) == ("accepted", quote)
    html = response.content.decode()
    # The accepted suggestion leaves the panel, whose count and notice change with it.
    assert f'<div id="suggestion-{suggestion.pk}" hx-swap-oob="delete"></div>' in html
    assert re.search(r'<h2 id="suggestions-title"[^>]*hx-swap-oob="true">[^<]*\(1\)</h2>', html)
    assert re.search(r'id="suggestions-notice"[^>]*>Tagged as a draft quote', html)
    assert f'id="q-{quote.pk}"' in html  # its paragraph comes with the new highlight


def test_accept_creates_an_unknown_speaker(editor_client, article):
    suggestion = open_suggestion(article, "Nobody expected this")
    decide(editor_client, suggestion, "accept")
    quote = Quote.objects.get()
    assert quote.speaker.name.endswith("Sam Stone")
    assert quote.speaker.kind == Speaker.Kind.PERSON


def test_dismissal_is_remembered_across_re_extraction(editor_client, article):
    suggestion = open_suggestion(article, "Nobody expected this")
    assert decide(editor_client, suggestion, "dismiss").status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "dismissed"
    suggesting.refresh_suggestions(article)
    article.body += "\n\nA late addition."
    article.save()
    still_open = [s.exact for s in Suggestion.objects.open_for(article)]
    assert any("We won it for the city" in exact for exact in still_open)  # extracted again
    assert not any("Nobody expected" in exact for exact in still_open)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "dismissed"


def test_a_decided_suggestion_cannot_be_decided_again(editor_client, article):
    suggestion = open_suggestion(article, "Nobody expected this")
    decide(editor_client, suggestion, "dismiss")
    response = decide(editor_client, suggestion, "accept", **{"HX-Request": "true"})
    assert response.status_code == 400
    assert "already decided" in response.content.decode()
    assert Quote.objects.count() == 0


def test_accept_all_above_a_confidence(editor_client, article):
    url = reverse("quotes:suggestions_accept_all", args=[article.pk])
    assert editor_client.post(url, {"threshold": "1.5"}).status_code == 302
    assert Quote.objects.count() == 0
    bad = editor_client.post(url, {"threshold": "lots"}, headers={"HX-Request": "true"})
    assert bad.status_code == 400
    editor_client.post(url, {"threshold": "0"})
    assert Quote.objects.count() == Suggestion.objects.filter(article=article).count()
    assert not Suggestion.objects.open_for(article).exists()


def test_suggestion_role_matrix(client, article):
    suggestion = open_suggestion(article, "We won it for the city")
    urls = [
        reverse("quotes:suggestion_decide", args=[suggestion.pk, "accept"]),
        reverse("quotes:suggestion_decide", args=[suggestion.pk, "dismiss"]),
        reverse("quotes:suggestions_accept_all", args=[article.pk]),
    ]
    for url in urls:
        assert client.post(url).status_code == 302  # to login
    client.force_login(make_user("vic", "viewer"))
    for url in urls:
        assert client.post(url).status_code == 403
    assert Suggestion.objects.get(pk=suggestion.pk).status == "open"
    client.force_login(make_user("rui", "reviewer"))
    assert client.post(urls[0]).status_code == 302
    assert Quote.objects.count() == 1
    assert (
        client.post(
            reverse("quotes:suggestion_decide", args=[suggestion.pk, "publish"])
        ).status_code
        == 404
    )


def test_import_still_succeeds_when_extraction_fails(db, monkeypatch, caplog):
    def broken(_text):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr("apps.quotes.suggesting.extract", broken)
    article = create_article("T", 'He said "hello".', Metadata())
    assert type(article).objects.filter(pk=article.pk).exists()
    assert not Suggestion.objects.exists()
    assert "Extraction failed" in caplog.text


def test_seed_suggestions_reproduce_every_curated_direct_quote(db):
    from apps.quotes.extraction import extract

    manifest = json.loads(SEED_MANIFEST.read_text())
    text = (SEED_MANIFEST.parent / manifest["article"]["file"]).read_text(encoding="utf-8")
    names = {s["key"]: s for s in manifest["speakers"]}
    found = {e.text: e for e in extract(text)}
    for spec in manifest["speakers"]:
        speaker = Speaker.objects.create(name=spec["name"], kind=spec["kind"])
        for alias in spec["aliases"]:
            speaker.aliases.create(alias=alias)
    directs = [q for q in manifest["quotes"] if q["kind"] == "direct"]
    assert directs
    matched = match_speakers([e.speaker_name for e in found.values() if e.speaker_name])
    for quote in directs:
        assert quote["exact"] in found, quote["exact"]
        suggestion = found[quote["exact"]]
        speaker = matched.get(suggestion.speaker_name)
        assert speaker is not None, (quote["exact"], suggestion.speaker_name)
        assert speaker.name == names[quote["speaker"]]["name"], quote["exact"]


def test_a_speaker_name_with_a_leading_the_matches_an_alias_without_it(db):
    bbc = Speaker.objects.create(name="BBC", kind="organization")
    bbc.aliases.create(alias="BBC investigation")
    assert match_speakers(["The BBC investigation"]) == {"The BBC investigation": bbc}
