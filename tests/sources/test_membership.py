import pytest

from apps.sources.membership import (
    belongs,
    chain,
    member_ids,
    members,
    organization_tree,
    organizations_of,
    top,
)
from apps.sources.models import Speaker

# government 1 > ministry 2 > press unit 3; a newspaper 4 alone; 5 and 6 affiliated
# with each other (nothing in the data forbids it).
TREE = {1: None, 2: 1, 3: 2, 4: None, 5: 6, 6: 5}


def test_the_chain_climbs_every_level_nearest_first():
    assert chain(3, TREE) == [3, 2, 1]
    assert chain(None, TREE) == []


def test_a_person_belongs_to_every_organization_above_its_own():
    assert organizations_of(10, False, 3, TREE) == [3, 2, 1]
    assert organizations_of(2, True, 1, TREE) == [2, 1]  # an organization belongs to itself
    assert organizations_of(11, False, None, TREE) == []
    assert organizations_of(None, False, None, TREE) == []
    assert belongs(10, False, 3, 1, TREE)  # three levels up
    assert belongs(1, True, None, 1, TREE)
    assert not belongs(10, False, 3, 4, TREE)
    assert not belongs(None, False, None, 1, TREE)


def test_the_top_is_the_highest_organization():
    assert top(10, False, 3, TREE) == 1
    assert top(4, True, None, TREE) == 4
    assert top(11, False, None, TREE) is None


def test_a_cycle_is_walked_once_and_shares_one_top():
    assert chain(5, TREE) == [5, 6]
    assert organizations_of(12, False, 6, TREE) == [6, 5]
    assert top(12, False, 6, TREE) == top(13, False, 5, TREE) == 5


@pytest.fixture
def government(db):
    """A government, its ministry, the ministry's press unit and the unit's spokesperson."""
    government = Speaker.objects.create(name="Government", kind="organization")
    ministry = Speaker.objects.create(name="Ministry", kind="organization", affiliation=government)
    unit = Speaker.objects.create(name="Press Unit", kind="organization", affiliation=ministry)
    spokesperson = Speaker.objects.create(name="Sam Spoke", affiliation=unit)
    return government, ministry, unit, spokesperson


def test_the_database_finds_members_however_deep(government):
    top_level, ministry, unit, spokesperson = government
    outsider = Speaker.objects.create(name="Someone Else")
    everyone = {top_level.pk, ministry.pk, unit.pk, spokesperson.pk}
    assert member_ids(top_level.pk) == everyone
    assert member_ids(unit.pk) == {unit.pk, spokesperson.pk}
    assert member_ids(spokesperson.pk) == {spokesperson.pk}  # a person: itself alone
    assert member_ids([unit.pk, outsider.pk]) == {unit.pk, spokesperson.pk, outsider.pk}
    assert member_ids([]) == set()
    assert member_ids(10**9) == set()
    assert member_ids(str(unit.pk)) == {unit.pk, spokesperson.pk}  # one id, not its digits
    found = Speaker.objects.filter(pk__in=members(top_level.pk))
    assert set(found.values_list("pk", flat=True)) == everyone
    assert organization_tree()[unit.pk] == ministry.pk


def test_a_cycle_in_the_database_ends(government):
    top_level, ministry, _, spokesperson = government
    top_level.affiliation = ministry  # government and ministry now affiliated with each other
    top_level.save()
    assert spokesperson.pk in member_ids(top_level.pk)
    assert member_ids(ministry.pk) == member_ids(top_level.pk)


def test_one_query_however_many_members(government, django_assert_num_queries):
    _, _, unit, _ = government
    with django_assert_num_queries(1):
        few = member_ids(government[0].pk)
    Speaker.objects.bulk_create(Speaker(name=f"Member {i}", affiliation=unit) for i in range(200))
    with django_assert_num_queries(1):
        many = member_ids(government[0].pk)
    assert len(many) == len(few) + 200
    with django_assert_num_queries(1):
        assert len(member_ids(government[0].pk, limit=10)) == 10
    with django_assert_num_queries(0):
        assert member_ids([]) == set()
