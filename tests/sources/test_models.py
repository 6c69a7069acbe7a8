import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.sources.models import Source, Speaker


@pytest.fixture
def org(db):
    return Speaker.objects.create(name="Coalition", kind=Speaker.Kind.ORGANIZATION)


def test_person_can_be_affiliated_with_an_organization(org):
    person = Speaker(name="Spokes Person", affiliation=org)
    person.full_clean()
    person.save()
    assert list(org.members.all()) == [person]


def test_affiliation_with_a_person_is_refused_by_the_model(db):
    boss = Speaker.objects.create(name="A Person")
    with pytest.raises(ValidationError, match="must be an organization"):
        Speaker(name="Other", affiliation=boss).full_clean()


def test_affiliation_with_a_person_is_refused_by_the_database(db):
    boss = Speaker.objects.create(name="A Person")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(name="Other", affiliation=boss)
    assert Speaker.objects.count() == 1


def test_organization_with_members_cannot_become_a_person(org):
    Speaker.objects.create(name="Member", affiliation=org)
    org.kind = Speaker.Kind.PERSON
    with pytest.raises(ValidationError, match="must stay an organization"):
        org.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        org.save()
    org.refresh_from_db()
    assert org.kind == Speaker.Kind.ORGANIZATION


def test_speaker_cannot_be_its_own_affiliation(org):
    org.affiliation = org
    with pytest.raises(ValidationError, match="its own affiliation"):
        org.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        org.save()


@pytest.mark.parametrize("model", [Speaker, Source])
def test_unknown_kind_is_refused_by_the_database(db, model):
    fields = {"name": "X"} if model is Speaker else {"title": "X"}
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(kind="rumour", **fields)


def test_speaker_and_source_changes_are_recorded_in_history(org):
    org.role = "US-led coalition"
    org.save()
    source = Source.objects.create(title="Release", kind=Source.Kind.PRESS_RELEASE)
    source.title = "Release of October 14"
    source.save()
    assert [h.role for h in org.history.order_by("history_date")] == ["", "US-led coalition"]
    assert source.history.count() == 2
