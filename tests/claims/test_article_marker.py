"""On the article page, a quote in a contradiction is marked in its side-panel item (and so
in its hover card), with the claim and the opposing statements named."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.claims.models import Claim, Stance
from apps.core.versions import cache as derived_cache
from apps.quotes.models import Quote
from apps.sources.models import Source, Speaker, SpeakerAlias
from tests.conftest import make_article, make_quote
from tests.quotes.swaps import Page
from tests.quotes.test_save_answers import assert_like_reload, edit_payload, open_page, send

MARK = '<span class="contra-mark" aria-hidden="true">⇄</span><span class="sr-only">'


def item(html: str, quote) -> str:
    """The quote's side-panel item."""
    start = html.index(f'<li class="quote-item" id="qi-{quote.pk}"')
    return html[start : html.index("</li>", start)]


def page_of(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_seed_quotes_in_a_contradiction_name_the_claim_and_the_other_side(viewer_client, seeded):
    html = page_of(viewer_client, seeded)
    admission = Quote.objects.get(exact="there was a deal agreed by locals and ground forces")
    mine = item(html, admission)
    assert MARK + "In a contradiction:</span>" in mine
    claim = Claim.objects.get(text__startswith="The US-led coalition was party")
    assert f'<a href="{claim.get_absolute_url()}">{claim.text}</a>' in mine
    # The other side, by its short name (an alias) and its words, flagged internal.
    assert re.search(
        r"✗ denied</span> by CJTF-OIR \(14 Nov 2017\): "
        r'<span class="said">&quot;make deals with terrorists&quot;</span> '
        r'<span class="flag flag-internal">internal</span>',
        mine,
    )
    assert "1 more on the claim's page" in mine  # three deny it; two are named
    # A quote that only qualifies takes no side: no marker.
    hedge = Quote.objects.get(exact__startswith="\"We didn't want anyone to leave")
    assert "contra-mark" not in item(html, hedge)
    # Every marked quote affirms or denies a claim someone takes the other side of.
    marked = set(map(int, re.findall(r'id="qi-(\d+)"[^<]*>(?:(?!</li>).)*contra-mark', html, re.S)))
    opposed = {
        (stance.claim_id, {"affirms": "denies", "denies": "affirms"}.get(stance.position))
        for stance in Stance.objects.all()
    }
    sides = Stance.objects.filter(position__in=["affirms", "denies"], quote__article=seeded)
    expected = {s.quote_id for s in sides if (s.claim_id, s.position) in opposed}
    assert marked == expected and len(expected) < sides.count()  # one claim nobody denies


@pytest.fixture
def two_articles(db):
    """A claim; a quote affirming it in one article, a quote to deny it in another."""
    minister = Speaker.objects.create(name="The Minister of Works and Public Buildings")
    SpeakerAlias.objects.create(speaker=minister, alias="Works Minister")
    critic = Speaker.objects.create(name="Dana Critic")
    source = Source.objects.create(title="Briefing", date="2024-03-05")
    first = make_article("The minister said “we agreed to the plan” on Monday.", title="One")
    second = make_article("Later she said “we never agreed to it” at all.", title="Two")
    yes = make_quote(first, 17, 40, speaker=critic, source=source)
    no = make_quote(second, 14, 37, speaker=minister, source=source)
    claim = Claim.objects.create(text="The minister agreed to the plan")
    Stance.objects.create(quote=yes, claim=claim, position="affirms")
    return first, second, yes, no, claim


def test_recording_a_stance_marks_both_sides_and_removing_it_unmarks_them(
    editor_client, two_articles
):
    first, second, yes, no, claim = two_articles
    assert "contra-mark" not in page_of(editor_client, first)  # rendered, and kept
    assert "contra-mark" not in page_of(editor_client, second)
    response = editor_client.post(
        reverse("claims:quote_stances", args=[no.pk]),
        {"claim": f"{claim.text} (#{claim.pk})", "position": "denies"},
    )
    assert response.status_code == 302
    mine = item(page_of(editor_client, first), yes)
    assert MARK in mine and claim.text in mine
    assert "by Works Minister (5 Mar 2024): " in mine and "we never agreed to it" in mine
    assert '<span class="flag flag-external">external</span>' in mine
    theirs = item(page_of(editor_client, second), no)
    assert "✗ denies</span>" in theirs and "by Dana Critic" in theirs
    stance = Stance.objects.get(quote=no)
    assert editor_client.post(reverse("claims:stance_delete", args=[stance.pk])).status_code == 302
    assert "contra-mark" not in page_of(editor_client, first)
    assert "contra-mark" not in page_of(editor_client, second)


def test_a_changed_position_or_a_rejection_moves_the_marker(editor_client, reviewer, two_articles):
    first, _, yes, no, claim = two_articles
    stance = Stance.objects.create(quote=no, claim=claim, position="denies")
    assert "contra-mark" in item(page_of(editor_client, first), yes)
    stance.position = "qualifies"
    stance.save()
    assert "contra-mark" not in item(page_of(editor_client, first), yes)
    stance.position = "denies"
    stance.save()
    assert "contra-mark" in item(page_of(editor_client, first), yes)
    stance.reject(reviewer, "Misread.")
    stance.save()
    assert "contra-mark" not in item(page_of(editor_client, first), yes)


def test_renaming_the_other_side_renames_it_in_the_marker(editor_client, two_articles):
    first, _, yes, no, claim = two_articles
    Stance.objects.create(quote=no, claim=claim, position="denies")
    assert "by Works Minister" in item(page_of(editor_client, first), yes)
    claim.text = "The minister signed the plan"
    claim.save()
    SpeakerAlias.objects.filter(speaker=no.speaker).delete()
    mine = item(page_of(editor_client, first), yes)
    assert "The minister signed the plan" in mine
    assert "by The Minister of Works and Public Buildings" in mine


def test_a_save_that_changes_another_items_note_answers_with_the_page_as_a_reload(
    editor_client, db
):
    article = make_article("Ann said “yes it was” and Bob said “no it was not” later.")
    ann, bob = Speaker.objects.create(name="Ann"), Speaker.objects.create(name="Bob")
    yes = make_quote(article, 9, 21, speaker=ann)
    no = make_quote(article, 34, 50, speaker=bob)
    claim = Claim.objects.create(text="It was")
    Stance.objects.create(quote=yes, claim=claim, position="affirms")
    Stance.objects.create(quote=no, claim=claim, position="denies")
    page = open_page(editor_client, article)
    assert "by Bob" in page.region("quote-groups")
    carol = "Carol New"
    no.refresh_from_db()
    send(
        editor_client,
        page,
        reverse("quotes:update", args=[no.pk]),
        edit_payload(no, speaker=carol, new_speaker="on", new_speaker_kind="person"),
    )
    assert f"by {carol}" in page.region("quote-groups")  # on Ann's item, not only Carol's
    assert_like_reload(editor_client, article, page)


def test_a_save_that_leaves_the_notes_alone_answers_with_its_fragments_only(editor_client, db):
    article = make_article("Ann said “yes it was” and Bob said “no it was not” and “maybe”.")
    ann, bob = Speaker.objects.create(name="Ann"), Speaker.objects.create(name="Bob")
    yes = make_quote(article, 9, 21, speaker=ann)
    no = make_quote(article, 34, 50, speaker=bob)
    aside = make_quote(article, 55, 62, speaker=bob)
    claim = Claim.objects.create(text="It was")
    Stance.objects.create(quote=yes, claim=claim, position="affirms")
    Stance.objects.create(quote=no, claim=claim, position="denies")
    page = open_page(editor_client, article)
    response = send(
        editor_client,
        page,
        reverse("quotes:update", args=[aside.pk]),
        edit_payload(aside, cue="added"),
    )
    html = response.content.decode()
    assert 'id="quote-groups"' not in html and f'id="qi-{aside.pk}"' in html
    assert page.region("quote-groups").count("contra-mark") == 2
    assert_like_reload(editor_client, article, page)


def _article_against_a_crowd(n_others: int, n_mine: int = 3):
    """An article whose quotes affirm a claim that n_others quotes elsewhere deny."""
    mine = make_article(" ".join(f"m{i:04d}" for i in range(40)), title=f"Mine {n_others}")
    theirs = make_article(" ".join(f"t{i:04d}" for i in range(n_others)), title="Theirs")
    org = Speaker.objects.create(name=f"Ministry {n_others}", kind=Speaker.Kind.ORGANIZATION)
    claim = Claim.objects.create(text=f"Crowded {n_others}")
    own = [
        make_quote(mine, i * 6, i * 6 + 5, speaker=Speaker.objects.create(name=f"M{i}"))
        for i in range(n_mine)
    ]
    Stance.objects.bulk_create(Stance(quote=q, claim=claim, position="affirms") for q in own)
    others = []
    for i in range(n_others):
        quote = Quote(article=theirs, speaker=Speaker.objects.create(name=f"O{i}", affiliation=org))
        quote.anchor(i * 6, i * 6 + 5)
        others.append(quote)
    others = Quote.objects.bulk_create(others)
    Stance.objects.bulk_create(
        Stance(quote=q, claim=claim, position="denies" if i % 2 else "affirms")
        for i, q in enumerate(others)
    )
    return mine


def _cold(client, article) -> tuple[int, str]:
    derived_cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        html = page_of(client, article)
    return len(ctx.captured_queries), html


def test_the_marker_costs_the_same_queries_against_4_or_400_opposing_statements(viewer_client):
    few, small = _cold(viewer_client, _article_against_a_crowd(8))
    many, large = _cold(viewer_client, _article_against_a_crowd(800))
    assert few == many
    assert small.count("contra-mark") == large.count("contra-mark") == 3
    assert "398 more on the claim" in large
    page = Page(large)
    assert page.region("quote-groups").count("flag-external") == 3 * 2


@pytest.mark.django_db
def test_the_quotes_app_does_not_import_the_claims_app():
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR) / "apps" / "quotes"
    imports = re.compile(r"^\s*(from|import)\s+(apps\.claims|\.\.claims)", re.M)
    modules = list(folder.rglob("*.py"))
    assert len(modules) > 10, folder  # the app's own modules are read
    for path in modules:
        assert not imports.search(path.read_text()), path
