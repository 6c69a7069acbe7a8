import pytest
from django.urls import reverse

from apps.quotes.models import Quote
from apps.sources.merging import merge_speakers
from apps.sources.models import Source, Speaker, SpeakerAlias
from tests.conftest import make_article, make_quote, make_user


@pytest.fixture
def pair(db):
    org = Speaker.objects.create(name="Coalition", kind=Speaker.Kind.ORGANIZATION)
    survivor = Speaker.objects.create(name="Ryan Dillon", role="spokesman", affiliation=org)
    duplicate = Speaker.objects.create(name="Col. R. Dillon", affiliation=org)
    SpeakerAlias.objects.create(speaker=duplicate, alias="Dillon")
    SpeakerAlias.objects.create(speaker=survivor, alias="dillon")
    article = make_article("Dillon said “yes”. Then “no”. And “maybe”.")
    make_quote(article, 12, 17, speaker=survivor)
    make_quote(article, 24, 28, speaker=duplicate)
    make_quote(article, 35, 42, speaker=duplicate)
    return survivor, duplicate


def test_merge_moves_quotes_and_aliases_and_records_it(pair):
    survivor, duplicate = pair
    moved = merge_speakers(survivor, duplicate)
    assert moved == 2
    assert not Speaker.objects.filter(pk=duplicate.pk).exists()
    assert Quote.objects.filter(speaker=survivor).count() == 3
    aliases = set(survivor.aliases.values_list("alias", flat=True))
    assert aliases == {"dillon", "Col. R. Dillon"}  # "Dillon" was already known, case aside
    moved_quote = Quote.objects.filter(speaker=survivor).order_by("start")[1]
    assert "Merged speaker" in moved_quote.history.latest("history_date").history_change_reason
    deleted = Speaker.history.filter(id=duplicate.pk, history_type="-").get()
    assert "Merged speaker" in deleted.history_change_reason


def test_merge_moves_members_of_an_organization(db):
    a = Speaker.objects.create(name="CJTF-OIR", kind=Speaker.Kind.ORGANIZATION)
    b = Speaker.objects.create(name="The coalition", kind=Speaker.Kind.ORGANIZATION)
    member = Speaker.objects.create(name="Spokes", affiliation=b)
    merge_speakers(a, b)
    member.refresh_from_db()
    assert member.affiliation == a


@pytest.mark.parametrize("case", ["self", "members-into-person"])
def test_impossible_merges_are_refused_and_change_nothing(db, case):
    org = Speaker.objects.create(name="Org", kind=Speaker.Kind.ORGANIZATION)
    person = Speaker.objects.create(name="Person")
    Speaker.objects.create(name="Member", affiliation=org)
    survivor, duplicate = (org, org) if case == "self" else (person, org)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        merge_speakers(survivor, duplicate)
    assert Speaker.objects.count() == 3


def test_merge_view_for_editors(editor_client, pair):
    survivor, duplicate = pair
    response = editor_client.post(
        reverse("sources:speaker_merge", args=[survivor.pk]),
        {"duplicate": f"{duplicate.name} (#{duplicate.pk})"},
    )
    assert response.status_code == 302
    assert not Speaker.objects.filter(pk=duplicate.pk).exists()


def test_merge_view_explains_an_unknown_speaker(editor_client, pair):
    survivor, _ = pair
    response = editor_client.post(
        reverse("sources:speaker_merge", args=[survivor.pk]), {"duplicate": "Nobody"}
    )
    assert response.status_code == 400
    assert "No speaker called" in response.content.decode()
    assert Speaker.objects.count() == 3


def test_speaker_edit_changes_fields_and_aliases(editor_client, pair):
    survivor, _ = pair
    response = editor_client.post(
        reverse("sources:speaker_edit", args=[survivor.pk]),
        {
            "name": "Ryan Dillon",
            "kind": "person",
            "role": "Colonel; spokesman",
            "affiliation": survivor.affiliation_id,
            "aliases": "Col. Ryan Dillon\n\nDillon\ncol. ryan dillon",
        },
    )
    assert response.status_code == 302
    survivor.refresh_from_db()
    assert survivor.role == "Colonel; spokesman"
    assert sorted(survivor.aliases.values_list("alias", flat=True)) == [
        "Col. Ryan Dillon",
        "Dillon",
    ]


def test_speaker_edit_refuses_a_person_as_affiliation(editor_client, pair):
    survivor, duplicate = pair
    response = editor_client.post(
        reverse("sources:speaker_edit", args=[survivor.pk]),
        {"name": "Ryan Dillon", "kind": "person", "affiliation": duplicate.pk, "aliases": ""},
    )
    assert response.status_code == 400
    survivor.refresh_from_db()
    assert survivor.affiliation.name == "Coalition"


def test_source_edit(editor_client, db):
    source = Source.objects.create(title="Release", kind="press_release")
    url = reverse("sources:source_edit", args=[source.pk])
    bad = editor_client.post(url, {"title": "", "kind": "press_release"})
    assert bad.status_code == 400
    good = editor_client.post(
        url,
        {"title": "Release of October 14", "kind": "press_release", "url": "https://x.example/r"},
    )
    assert good.status_code == 302
    source.refresh_from_db()
    assert source.title == "Release of October 14"


def test_speaker_and_source_pages_role_matrix(client, pair):
    survivor, duplicate = pair
    source = Source.objects.create(title="S")
    writes = [
        ("get", reverse("sources:speaker_edit", args=[survivor.pk]), {}),
        (
            "post",
            reverse("sources:speaker_edit", args=[survivor.pk]),
            {"name": "X", "kind": "person"},
        ),
        (
            "post",
            reverse("sources:speaker_merge", args=[survivor.pk]),
            {"duplicate": duplicate.name},
        ),
        ("get", reverse("sources:source_edit", args=[source.pk]), {}),
        ("post", reverse("sources:source_edit", args=[source.pk]), {"title": "Y", "kind": "other"}),
    ]
    for method, url, data in writes:
        assert getattr(client, method)(url, data).status_code == 302, url  # to login
    client.force_login(make_user("vic", "viewer"))
    for method, url, data in writes:
        assert getattr(client, method)(url, data).status_code == 403, url
    assert Speaker.objects.filter(pk=duplicate.pk).exists()
    assert Speaker.objects.get(pk=survivor.pk).name == "Ryan Dillon"
    client.force_login(make_user("rui", "reviewer"))
    assert client.get(reverse("sources:speaker_edit", args=[survivor.pk])).status_code == 200


def test_speaker_suggestions_match_names_and_aliases(viewer_client, pair):
    survivor, duplicate = pair
    response = viewer_client.get(reverse("sources:speaker_options"), {"q": "dill"})
    html = response.content.decode()
    assert f"(#{survivor.pk})" in html and f"(#{duplicate.pk})" in html
    assert html.startswith('<datalist id="speaker-options">')
    nothing = viewer_client.get(reverse("sources:speaker_options"), {"q": "zzz"}).content.decode()
    assert "<option" not in nothing


def test_suggestions_escape_markup_and_ignore_a_hostile_target(viewer_client, db):
    Speaker.objects.create(name='<img src=x onerror="alert(1)">')
    response = viewer_client.get(
        reverse("sources:speaker_options"),
        {"q": "img"},
        headers={"HX-Request": "true", "HX-Target": 'x" onmouseover="alert(1)'},
    )
    html = response.content.decode()
    assert "<img" not in html
    assert html.startswith('<datalist id="speaker-options">')
