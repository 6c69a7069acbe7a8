from apps.claims.contradictions import StanceFacts, derive, identity

TREE = {1: None, 2: 1, 3: None}  # org 2 (a task force) belongs to org 1 (a ministry); org 3 alone


def stance(key, position, speaker, is_org=False, affiliation=None, claim="c"):
    return StanceFacts(key, claim, position, speaker, identity(speaker, is_org, affiliation, TREE))


def test_two_members_of_one_organization_contradict_internally():
    found = derive(
        [stance("a", "affirms", 10, affiliation=2), stance("d", "denies", 11, affiliation=2)]
    )
    assert [(c.affirming, c.denying, c.kind) for c in found] == [("a", "d", "internal")]


def test_a_member_against_its_own_organization_is_internal():
    found = derive(
        [stance("a", "affirms", 10, affiliation=2), stance("d", "denies", 2, is_org=True)]
    )
    assert found[0].internal


def test_affiliation_through_a_parent_organization_is_internal():
    # Speaker 10 is in the task force (2), speaker 12 speaks for the ministry (1) above it.
    found = derive(
        [stance("a", "affirms", 10, affiliation=2), stance("d", "denies", 12, affiliation=1)]
    )
    assert found[0].internal


def test_different_organizations_contradict_externally():
    found = derive(
        [stance("a", "affirms", 3, is_org=True), stance("d", "denies", 10, affiliation=2)]
    )
    assert [c.kind for c in found] == ["external"]


def test_a_speaker_contradicting_themself_is_internal_even_without_organization():
    found = derive([stance("a", "affirms", 20), stance("d", "denies", 20)])
    assert found[0].internal


def test_unattributed_statements_never_count_as_internal():
    found = derive([stance("a", "affirms", None), stance("d", "denies", None)])
    assert found[0].kind == "external"


def test_qualifying_stances_and_single_sides_make_no_contradiction():
    stances = [
        stance("a", "affirms", 10, affiliation=2),
        stance("q", "qualifies", 11, affiliation=2),
        stance("x", "denies", 11, affiliation=2, claim="other"),
    ]
    assert derive(stances) == []


def test_every_affirming_denying_pair_of_a_claim_is_derived_once():
    stances = [stance(f"a{i}", "affirms", 3, is_org=True) for i in range(3)]
    stances += [stance(f"d{i}", "denies", 10 + i, affiliation=2) for i in range(4)]
    found = derive(stances)
    assert len(found) == 12
    assert len({(c.affirming, c.denying) for c in found}) == 12


def test_a_cycle_of_affiliations_does_not_loop_forever():
    assert identity(5, True, 6, {5: 6, 6: 5}) == frozenset({("speaker", 5), ("org", 5), ("org", 6)})


DEEP = {1: None, 2: 1, 3: 2, 4: 1}  # a government (1): a ministry (2) with a unit (3); 4 too


def deep(key, position, speaker, is_org=False, affiliation=None):
    return StanceFacts(key, "c", position, speaker, identity(speaker, is_org, affiliation, DEEP))


def test_a_member_three_levels_deep_contradicts_its_government_internally():
    # Speaker 10 is in the unit (3), under the ministry (2), under the government (1).
    found = derive([deep("a", "affirms", 10, affiliation=3), deep("d", "denies", 1, is_org=True)])
    assert found[0].internal
    apart = derive(
        [deep("a", "affirms", 10, affiliation=3), deep("d", "denies", 11, affiliation=4)]
    )
    assert apart[0].internal  # the other ministry (4) is under the same government


def test_the_pairs_involving_some_stances_are_those_of_every_pair():
    stances = [stance(f"a{i}", "affirms", 3, is_org=True) for i in range(3)]
    stances += [stance(f"d{i}", "denies", 10 + i, affiliation=2) for i in range(4)]
    stances += [stance("x", "denies", 20, claim="other"), stance("y", "affirms", 21, claim="other")]
    every = derive(stances)
    for involving in ({"a1"}, {"d2"}, {"a0", "d3", "y"}, set()):
        expected = [c for c in every if {c.affirming, c.denying} & involving]
        assert derive(stances, involving=involving) == expected
