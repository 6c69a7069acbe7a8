"""Quotes through the API: listed with filters, tagged by offsets or words, changed and
deleted against the version read, reviewed."""

import datetime

import pytest
from django.utils import timezone

from apps.quotes.models import Quote
from apps.sources.models import Speaker
from tests.conftest import make_article

from .conftest import fields_of, problem

BODY = "Ann said “the bridge is safe”. Bob said “the bridge is closed”. Ann said “safe”."


@pytest.fixture
def article(db):
    return make_article(BODY, title="Bridge")


@pytest.fixture
def ann(db):
    return Speaker.objects.create(name="Ann Adams")


def tag(api, article, **fields):
    return api.post(f"/articles/{article.pk}/quotes", fields)


def test_tag_by_the_words_alone(api_as, article, ann):
    response = tag(api_as("editor"), article, text="the bridge is closed", speaker="Ann Adams")
    assert response.status_code == 201, response.content
    quote = Quote.objects.get(pk=response.json()["id"])
    assert BODY[quote.start : quote.end] == "the bridge is closed"
    assert quote.speaker == ann and quote.status == "draft"
    assert response.json()["speaker"] == {"id": ann.pk, "name": "Ann Adams"}


def test_tag_by_offsets_in_code_points_or_utf16(api_as):
    body = "Emoji 👩‍👩‍👧 first. Then “quoted words” here."
    article = make_article(body, title="Emoji")
    start = body.index("quoted words")
    editor = api_as("editor")
    by_points = tag(editor, article, text="quoted words", start=start, end=start + 12)
    assert by_points.status_code == 201, by_points.content
    Quote.objects.all().delete()
    utf16 = len(body[:start].encode("utf-16-le")) // 2
    by_units = tag(
        editor, article, text="quoted words", start=utf16, end=utf16 + 12, offsets="utf16"
    )
    assert by_units.status_code == 201, by_units.content
    assert (by_units.json()["start"], by_units.json()["end"]) == (start, start + 12)


def test_words_found_twice_need_context(api_as, article):
    editor = api_as("editor")
    twice = problem(tag(editor, article, text="safe"), 422)
    assert fields_of(twice) == {"text"} and "occurs" in twice["detail"]
    picked = tag(editor, article, text="safe", prefix="Ann said “")
    assert picked.status_code == 201, picked.content
    assert picked.json()["start"] == BODY.rindex("safe")


def test_speaker_by_id_new_or_unknown(api_as, article, ann):
    editor = api_as("editor")
    by_id = tag(editor, article, text="the bridge is safe", speaker_id=ann.pk)
    assert by_id.json()["speaker"]["id"] == ann.pk
    unknown = problem(tag(editor, article, text="the bridge is closed", speaker_id=999999), 422)
    assert fields_of(unknown) == {"speaker_id"}
    nobody = problem(tag(editor, article, text="the bridge is closed", speaker="Nobody Known"), 422)
    assert fields_of(nobody) == {"speaker"}
    two_ways = problem(
        tag(editor, article, text="the bridge is closed", speaker_id=ann.pk, speaker="Ann"), 422
    )
    assert "one way" in two_ways["detail"]
    created = tag(
        editor,
        article,
        text="the bridge is closed",
        new_speaker={"name": "Bob Brown", "role": "engineer"},
        new_source={"title": "Site visit", "kind": "interview"},
    )
    assert created.status_code == 201, created.content
    assert Speaker.objects.get(name="Bob Brown").role == "engineer"
    assert created.json()["source"]["name"] == "Site visit"
    assert Quote.objects.count() == 2


def test_a_tagged_passage_is_a_conflict(api_as, article):
    editor = api_as("editor")
    assert tag(editor, article, text="the bridge is closed").status_code == 201
    again = problem(tag(editor, article, text="the bridge is closed"), 409)
    assert "already tagged" in again["detail"]


def test_bad_spans_and_kinds_are_refused(api_as, article):
    editor = api_as("editor")
    problem(tag(editor, article, text="not in the text"), 422)
    problem(tag(editor, article, text="the bridge", start=5), 422)
    wrong = problem(tag(editor, article, text="the bridge is closed", kind="rumour"), 422)
    assert fields_of(wrong) == {"kind"}
    problem(tag(editor, article, text="the bridge is safe", start=0, end=9999), 422)
    assert not Quote.objects.exists()
    problem(api_as("editor").post("/articles/999999/quotes", {"text": "x"}), 404)
    problem(tag(api_as("viewer"), article, text="the bridge is closed"), 403)


def test_patch_changes_only_what_is_sent_and_bumps_the_version(api_as, article, ann):
    editor = api_as("editor")
    quote = tag(editor, article, text="the bridge is closed", speaker_id=ann.pk, cue="said").json()
    response = editor.patch(f"/quotes/{quote['id']}", {"version": quote["version"], "note": "Hm"})
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["note"] == "Hm" and changed["speaker"]["id"] == ann.pk
    assert changed["cue"] == "said" and changed["version"] == quote["version"] + 1
    unset = editor.patch(f"/quotes/{quote['id']}", {"version": changed["version"], "speaker": ""})
    assert unset.json()["speaker"] is None
    moved = editor.patch(
        f"/quotes/{quote['id']}", {"version": unset.json()["version"], "text": "the bridge is safe"}
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["start"] == BODY.index("the bridge is safe")


def test_a_stale_patch_or_delete_is_a_conflict_and_changes_nothing(api_as, article):
    editor, reviewer = api_as("editor"), api_as("reviewer")
    quote = tag(editor, article, text="the bridge is closed").json()
    first = reviewer.patch(f"/quotes/{quote['id']}", {"version": quote["version"], "cue": "said"})
    assert first.status_code == 200
    stale = problem(
        editor.patch(f"/quotes/{quote['id']}", {"version": quote["version"], "cue": "claimed"}),
        409,
    )
    assert stale["current"]["version"] == first.json()["version"]
    assert Quote.objects.get(pk=quote["id"]).cue == "said"
    problem(editor.delete(f"/quotes/{quote['id']}", version=quote["version"]), 409)
    assert Quote.objects.filter(pk=quote["id"]).exists()
    missing = problem(editor.delete(f"/quotes/{quote['id']}"), 422)
    assert fields_of(missing) == {"version"}
    problem(api_as("viewer").delete(f"/quotes/{quote['id']}", version=first.json()["version"]), 403)
    gone = editor.delete(f"/quotes/{quote['id']}", version=first.json()["version"])
    assert gone.status_code == 204 and not Quote.objects.filter(pk=quote["id"]).exists()
    problem(editor.patch(f"/quotes/{quote['id']}", {"version": 1}), 404)


def test_the_list_filters_combine(api_as, article, ann):
    editor = api_as("editor")
    mine = tag(editor, article, text="the bridge is closed", speaker_id=ann.pk).json()
    tag(editor, article, text="the bridge is safe", kind="partial")
    viewer = api_as("viewer")

    def ids(**filters):
        response = viewer.get("/quotes", **filters)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids(speaker=ann.pk) == [mine["id"]]
    assert len(ids(article=article.pk)) == 2
    assert ids(kind="direct", article=article.pk) == [mine["id"]]
    assert len(ids(status="draft")) == 2 and ids(status="approved") == []
    later = (timezone.now() + datetime.timedelta(minutes=5)).isoformat()
    assert ids(updated_since=later) == []
    assert fields_of(problem(viewer.get("/quotes", kind="rumour"), 422)) == {"kind"}
    assert fields_of(problem(viewer.get("/quotes", updated_since="yesterday"), 422)) == {
        "updated_since"
    }
    assert fields_of(problem(viewer.get("/quotes", article="x"), 422)) == {"article"}


def test_review_decisions_follow_the_roles(api_as, article):
    editor, reviewer = api_as("editor"), api_as("reviewer")
    quote = tag(editor, article, text="the bridge is closed").json()
    path = f"/quotes/{quote['id']}/review"
    submitted = editor.post(path, {"action": "submit"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    problem(editor.post(path, {"action": "approve"}), 403)
    no_reason = problem(reviewer.post(path, {"action": "reject"}), 422)
    assert fields_of(no_reason) == {"reason"}
    approved = reviewer.post(path, {"action": "approve"})
    assert approved.json()["status"] == "approved"
    assert fields_of(problem(reviewer.post(path, {"action": "bless"}), 422)) == {"action"}
