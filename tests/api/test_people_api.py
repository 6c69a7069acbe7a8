"""Speakers and sources through the API."""

from apps.sources.models import Source, Speaker

from .conftest import fields_of, problem


def test_speakers_and_sources_are_added_by_taggers(api_as, seeded):
    editor = api_as("editor")
    coalition = Speaker.objects.get(name__startswith="Combined Joint")
    made = editor.post(
        "/speakers",
        {"name": "Dana Reyes", "role": "spokesperson", "affiliation_id": coalition.pk,
         "aliases": ["D. Reyes", "Reyes"]},
    )  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["affiliation"]["id"] == coalition.pk
    assert sorted(made.json()["aliases"]) == ["D. Reyes", "Reyes"]
    found = editor.get("/speakers", q="d. reyes").json()["items"]
    assert [item["name"] for item in found] == ["Dana Reyes"]
    person = Speaker.objects.filter(kind="person").first()
    not_org = problem(editor.post("/speakers", {"name": "X", "affiliation_id": person.pk}), 422)
    assert fields_of(not_org) == {"affiliation_id"}
    problem(api_as("viewer").post("/speakers", {"name": "Nope"}), 403)
    source = editor.post(
        "/sources",
        {"title": "Briefing of May 2", "kind": "briefing", "url": "https://example.org/b",
         "original_article_id": seeded.pk},
    )  # fmt: skip
    assert source.status_code == 201, source.content
    assert Source.objects.get(pk=source.json()["id"]).article == seeded
    bad = problem(editor.post("/sources", {"title": "T", "url": "ftp://x"}), 422)
    assert fields_of(bad) == {"url"}
    bad_kind = problem(editor.post("/sources", {"title": "T", "kind": "rumour"}), 422)
    assert fields_of(bad_kind) == {"kind"}
    assert editor.get(f"/speakers/{coalition.pk}").json()["name"] == coalition.name
    problem(editor.get("/sources/999999"), 404)
