"""Derived pages follow every write path, and rebuild only what the write changed.

Each test warms the pages involved, makes one write through the path a newsroom
uses (a view, the admin, a command), then reads the pages again: the changed page
shows the change, and the pages that do not show what changed are served from the
cache (no rebuild counted for them).
"""

from collections import Counter

import pytest
from django.urls import reverse

from apps.claims.models import Claim, Stance
from apps.core import versions
from apps.quotes.models import Quote, Suggestion
from apps.sources.lookup import speaker_label
from apps.sources.models import Source, Speaker
from tests.conftest import make_article, make_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def rebuilt(monkeypatch):
    """Counts the derived parts built (cache misses), by namespace."""
    built = Counter()
    original_set, original_set_many = versions.cache.set, versions.cache.set_many

    def counting_set(key, value, *args, **kwargs):
        built[key.split(":")[1]] += 1
        return original_set(key, value, *args, **kwargs)

    def counting_set_many(data, *args, **kwargs):
        built.update(key.split(":")[1] for key in data)
        return original_set_many(data, *args, **kwargs)

    monkeypatch.setattr(versions.cache, "set", counting_set)
    monkeypatch.setattr(versions.cache, "set_many", counting_set_many)
    return built


def test_counters_move_once_per_write_and_only_for_their_owners(db):
    article = make_article("Ann said “yes”. Bob said “no”.")
    before = versions.current([f"article:{article.pk}", "claims"])
    start = article.body.index("“yes”")
    make_quote(article, start, start + 5)
    after = versions.current([f"article:{article.pk}", "claims"])
    assert after[0] == before[0] + 1
    assert after[1] == before[1]  # a quote with no stance moves no claim


def test_a_counter_bumped_inside_a_write_block_moves_once_at_its_end(db):
    with versions.collecting():
        for _ in range(3):
            versions.bump({"article:1", "speaker:2"})
        assert versions.current(["article:1"]) == (0,)  # not yet: sorted, at the end
    assert versions.current(["article:1", "speaker:2"]) == (1, 1)


@pytest.fixture
def desk(seeded):
    """The seed plus a second, unrelated article with a quote of its own."""
    other = make_article("Cleo said “nothing to do with Raqqa” today.", title="Other")
    start = other.body.index("“")
    speaker = Speaker.objects.create(name="Cleo Other")
    quote = make_quote(other, start, other.body.index(" today"), speaker=speaker)
    return {"seed": seeded, "other": other, "other_quote": quote}


def _warm(client, *urls):
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_quote_saved_in_one_article_rebuilds_that_article_only(editor_client, desk, rebuilt):
    seed, other = desk["seed"], desk["other"]
    board = reverse("claims:board")
    _warm(editor_client, seed.get_absolute_url(), other.get_absolute_url(), board)
    rebuilt.clear()
    text = "“nothing to do with Raqqa”"
    quote = desk["other_quote"]
    response = editor_client.post(
        reverse("quotes:update", args=[quote.pk]),
        {"text": text, "start": quote.start, "end": quote.end, "offsets": "codepoints",
         "kind": "direct", "cue": "insisted", "version": quote.version},
    )  # fmt: skip
    assert response.status_code == 302
    rebuilt.clear()
    assert "insisted" in editor_client.get(other.get_absolute_url()).content.decode()
    assert rebuilt["article"] == 1
    rebuilt.clear()
    _warm(editor_client, seed.get_absolute_url(), board)
    assert rebuilt == Counter(), "the seed's page and the board were rebuilt for nothing"


def test_a_stance_rebuilds_its_claim_the_board_and_the_articles_taking_sides_on_it(
    reviewer_client, desk, rebuilt
):
    seed = desk["seed"]
    unrelated = make_article("Dora said “not about Raqqa” today.", title="Unrelated")
    claim = Claim.objects.order_by("pk").first()
    other_claim = Claim.objects.exclude(pk=claim.pk).first()
    board = reverse("claims:board")
    pages = (seed.get_absolute_url(), other_claim.get_absolute_url(), unrelated.get_absolute_url())
    _warm(reviewer_client, *pages, board)
    quote = desk["other_quote"]
    response = reviewer_client.post(
        reverse("claims:quote_stances", args=[quote.pk]),
        {"claim": claim.text, "position": "denies", "note": ""},
    )
    assert response.status_code == 302, response.content[:300]
    assert Stance.objects.filter(quote=quote, claim=claim).exists()
    rebuilt.clear()
    assert "Cleo Other" in reviewer_client.get(claim.get_absolute_url()).content.decode()
    assert "Cleo Other" in reviewer_client.get(reverse("claims:board")).content.decode()
    _warm(reviewer_client, *pages)
    assert rebuilt["claim"] == 1
    assert rebuilt["board-card"] == 1  # that claim's card; the other claims' are kept
    # The seed's quotes affirming the claim are contradicted once more (their side-panel
    # markers say so); the unrelated article is served as it was.
    assert rebuilt["article"] == 1


@pytest.mark.parametrize("path", ["edit form", "admin"])
def test_a_renamed_speaker_shows_on_every_page_that_names_it(
    path, editor_client, admin_client, desk, rebuilt
):
    seed, other = desk["seed"], desk["other"]
    dillon = Speaker.objects.get(name__contains="Dillon")
    pages = [
        seed.get_absolute_url(),
        reverse("claims:board"),
        dillon.get_absolute_url(),
        reverse("claims:speaker_timeline", args=[dillon.pk]),
    ]
    _warm(editor_client, *pages, other.get_absolute_url())
    if path == "edit form":
        response = editor_client.post(
            reverse("sources:speaker_edit", args=[dillon.pk]),
            {"name": "Colonel R. Dillon", "kind": dillon.kind, "role": dillon.role,
             "affiliation": dillon.affiliation_id or "", "aliases": ""},
        )  # fmt: skip
    else:
        response = admin_client.post(
            reverse("admin:sources_speaker_change", args=[dillon.pk]),
            {"name": "Colonel R. Dillon", "kind": dillon.kind, "role": dillon.role,
             "affiliation": dillon.affiliation_id or "",
             "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0},
        )  # fmt: skip
    assert response.status_code == 302, response.content[:500]
    rebuilt.clear()
    for url in pages:
        assert "Colonel R. Dillon" in editor_client.get(url).content.decode(), url
    _warm(editor_client, other.get_absolute_url())
    assert rebuilt["article"] == 1  # the seed's, not the other article's


def test_a_renamed_source_shows_on_the_articles_that_cite_it(editor_client, desk, rebuilt):
    seed, other = desk["seed"], desk["other"]
    source = Source.objects.filter(quotes__article=seed).first()
    _warm(editor_client, seed.get_absolute_url(), other.get_absolute_url())
    response = editor_client.post(
        reverse("sources:source_edit", args=[source.pk]),
        {"title": "Renamed briefing record", "kind": source.kind, "publisher": "",
         "url": "", "date": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content[:500]
    rebuilt.clear()
    assert "Renamed briefing record" in editor_client.get(seed.get_absolute_url()).content.decode()
    _warm(editor_client, other.get_absolute_url())
    assert rebuilt["article"] == 1


def test_a_review_decision_shows_on_the_board(reviewer_client, desk):
    board = reverse("claims:board")
    assert "make deals with terrorists" in reviewer_client.get(board).content.decode()
    stance = Stance.objects.get(quote__exact='"make deals with terrorists"')
    response = reviewer_client.post(
        reverse("claims:review_action", args=["stance", stance.pk, "reject"]),
        {"reason": "Misread."},
    )
    assert response.status_code == 302
    assert "make deals with terrorists" not in reviewer_client.get(board).content.decode()


def test_an_alias_edit_shows_on_the_speaker_page(editor_client, desk):
    speaker = Speaker.objects.get(name="Cleo Other")
    url = speaker.get_absolute_url()
    assert "C. Other" not in editor_client.get(url).content.decode()
    response = editor_client.post(
        reverse("sources:speaker_edit", args=[speaker.pk]),
        {"name": speaker.name, "kind": speaker.kind, "role": "", "affiliation": "",
         "aliases": "C. Other"},
    )  # fmt: skip
    assert response.status_code == 302
    assert "C. Other" in editor_client.get(url).content.decode()


def test_a_merge_moves_the_quotes_on_both_speaker_pages(editor_client, desk):
    survivor = Speaker.objects.get(name__contains="Dillon")
    duplicate = Speaker.objects.get(name="Cleo Other")
    _warm(editor_client, survivor.get_absolute_url(), desk["other"].get_absolute_url())
    response = editor_client.post(
        reverse("sources:speaker_merge", args=[survivor.pk]),
        {"duplicate": speaker_label(duplicate)},
    )
    assert response.status_code == 302
    assert (
        "nothing to do with Raqqa"
        in editor_client.get(survivor.get_absolute_url()).content.decode()
    )
    page = editor_client.get(desk["other"].get_absolute_url()).content.decode()
    assert survivor.name in page


def test_a_correction_and_a_dismissed_suggestion_show_on_the_article(editor_client, desk):
    other = desk["other"]
    body = other.body + "\n\nDan said “more words here” later."
    response = editor_client.post(
        reverse("quotes:article_edit", args=[other.pk]),
        {"title": other.title, "body": body, "fingerprint": other.fingerprint},
    )
    assert response.status_code == 302
    page = editor_client.get(other.get_absolute_url()).content.decode()
    assert "more words here" in page
    suggestion = Suggestion.objects.filter(article=other, exact__contains="more words").first()
    assert suggestion is not None
    label = f"Dismiss: {suggestion.exact[:20]}"
    assert label in page
    response = editor_client.post(
        reverse("quotes:suggestion_decide", args=[suggestion.pk, "dismiss"])
    )
    assert response.status_code == 302
    page = editor_client.get(other.get_absolute_url()).content.decode()
    assert label not in page


def test_a_quote_deleted_leaves_its_speaker_page(editor_client, desk):
    quote = desk["other_quote"]
    speaker_page = quote.speaker.get_absolute_url()
    assert "nothing to do with Raqqa" in editor_client.get(speaker_page).content.decode()
    response = editor_client.post(
        reverse("quotes:delete", args=[quote.pk]), {"version": quote.version}
    )
    assert response.status_code == 302
    assert not Quote.objects.filter(pk=quote.pk).exists()
    assert "nothing to do with Raqqa" not in editor_client.get(speaker_page).content.decode()


@pytest.mark.django_db
def test_a_new_epoch_leaves_every_page_cached_before_unused():
    """A cache shared by hosts may hold pages of another database whose counters have the
    same values (a restore, a fresh database): the epoch keeps them apart."""
    built = []

    def page():
        built.append(1)
        return f"page {len(built)}"

    assert versions.derived("test", 1, page, ["article:1"]) == "page 1"
    assert versions.derived("test", 1, page, ["article:1"]) == "page 1"  # kept
    versions.new_epoch()
    assert versions.derived("test", 1, page, ["article:1"]) == "page 2"
    assert versions.derived_many("many", [(1, ["article:1"])], lambda ix: ["many"]) == ["many"]
    versions.new_epoch()
    assert versions.derived_many("many", [(1, ["article:1"])], lambda ix: ["again"]) == ["again"]
