import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.claims import comparison as comparisons
from apps.claims.comparison import compare
from apps.claims.models import Claim, Stance
from apps.core.versions import cache as derived_cache
from apps.sources.models import Source, Speaker, SpeakerAlias
from tests.conftest import approved_quotes_in_a_row, make_article, make_quote

DEAL = "The US-led coalition was party to a deal letting ISIS fighters leave Raqqa"
FOREIGN = "Foreign fighters left Raqqa under the deal"
FIGHTERS = "ISIS fighters, not only civilians, left Raqqa in the convoy"
WEAPONS = "The departing fighters took weapons with them"
EXCLUDES = '"purportedly excludes foreign Daesh terrorists,"'
DOZENS = (
    "Even though the deal stipulated that no foreign fighters would be able to leave Raqqa "
    "alive, dozens did"
)
CIVILIANS = '"civilians to depart Raqqa."'
INCLUDED = "ISIS fighters were included in the deal, not just civilians"


def coalition():
    """The organization Dillon and Braga speak for."""
    found = Speaker.objects.filter(members__name="Ryan Dillon").get(members__name="Jonathan Braga")
    assert found.is_organization
    return found


def bbc():
    return Speaker.objects.get(name="BBC")


def rows(comparison):
    return {row.claim.text: row for row in comparison.claims}


def said(lines):
    return {(line.quote.exact, line.stance.position, line.relation) for line in lines}


def page(client, **params):
    return client.get(reverse("claims:compare"), params)


# --- the seed: the coalition's statements against the BBC's findings ---------------------


def test_seed_sets_the_release_against_the_bbc_findings(seeded):
    found = rows(compare(coalition(), bbc()))
    foreign = found[FOREIGN]
    assert (EXCLUDES, "denies", "contradict") in said(foreign.left)
    assert (DOZENS, "affirms", "contradict") in said(foreign.right)
    assert foreign.kind == "contradict"
    assert foreign.verdict == "Contradict: CJTF-OIR denies, BBC affirms"
    fighters = found[FIGHTERS]
    assert said(fighters.left) == {(CIVILIANS, "denies", "contradict")}
    assert (INCLUDED, "affirms", "contradict") in said(fighters.right)
    assert fighters.verdict == "Contradict: CJTF-OIR denies, BBC affirms"


def test_seed_comparison_marks_agreement_and_a_claim_only_one_side_spoke_to(seeded):
    found = rows(compare(coalition(), bbc()))
    assert set(found) == {DEAL, FOREIGN, FIGHTERS, WEAPONS}
    weapons = found[WEAPONS]
    assert weapons.left == [] and weapons.kind == "right only"
    assert {line.relation for line in weapons.right} == {"right only"}
    assert weapons.verdict == "Only BBC spoke: affirms"
    deal = found[DEAL]  # both affirm that there was a deal; the coalition also denies it
    assert ("there was a deal agreed by locals and ground forces", "affirms", "agree") in said(
        deal.left
    )
    assert ('"make deals with terrorists"', "denies", "contradict") in said(deal.left)
    assert deal.kind == "contradict"
    assert deal.verdict == "Contradict: CJTF-OIR denies, BBC affirms (both also affirm and qualify)"


def test_an_organization_side_brings_in_its_members_statements(seeded):
    deal = rows(compare(coalition(), bbc()))[DEAL]
    assert {line.quote.speaker.name for line in deal.left} == {
        "Ryan Dillon",
        "Jonathan Braga",
        "Combined Joint Task Force – Operation Inherent Resolve",
    }
    assert {line.quote.speaker.name for line in deal.right} == {"BBC"}


def test_seed_comparison_page_shows_both_sides_with_verdicts(viewer_client, seeded):
    response = page(viewer_client, left=coalition().pk, right=bbc().pk)
    html = response.content.decode()
    assert response.status_code == 200
    assert "purportedly excludes foreign Daesh terrorists" in html
    assert "dozens did" in html
    assert "civilians to depart Raqqa." in html
    assert "not just civilians" in html
    assert "Contradict: CJTF-OIR denies, BBC affirms" in html
    assert "Only BBC spoke: affirms" in html
    assert 'class="rel rel-right-only"' in html and 'class="rel rel-agree"' in html


# --- sides and marks ----------------------------------------------------------------------


@pytest.fixture
def parties(db):
    """A ministry with a unit and its spokesperson, against a newspaper and its reporter."""
    ministry = Speaker.objects.create(name="Ministry of Examples", kind="organization")
    unit = Speaker.objects.create(name="Press Unit", kind="organization", affiliation=ministry)
    spokesperson = Speaker.objects.create(name="Sam Spoke", affiliation=unit)
    paper = Speaker.objects.create(name="The Daily Example", kind="organization")
    reporter = Speaker.objects.create(name="Rita Report", affiliation=paper)
    stray = Speaker.objects.create(name="Someone Else")
    article = make_article(" ".join(f"w{i:03d}" for i in range(80)), title="Examples")
    source = Source.objects.create(title="Briefing notes")
    offset = iter(range(0, 400, 5))

    def stance(speaker, claim, position):
        start = next(offset)
        quote = make_quote(article, start, start + 4, speaker=speaker, source=source)
        return Stance.objects.create(quote=quote, claim=claim, position=position)

    claims = {
        name: Claim.objects.create(text=name)
        for name in ("Agreed", "Disputed", "Ministry only", "Paper only", "Qualified", "Unrelated")
    }
    stance(spokesperson, claims["Agreed"], "affirms")  # two levels under the ministry
    stance(reporter, claims["Agreed"], "affirms")
    stance(ministry, claims["Disputed"], "denies")
    stance(paper, claims["Disputed"], "affirms")
    stance(unit, claims["Ministry only"], "affirms")
    stance(reporter, claims["Paper only"], "denies")
    stance(spokesperson, claims["Qualified"], "qualifies")
    stance(paper, claims["Qualified"], "affirms")
    stance(stray, claims["Unrelated"], "denies")
    return {
        "ministry": ministry,
        "unit": unit,
        "spokesperson": spokesperson,
        "paper": paper,
        "reporter": reporter,
        "stray": stray,
    }


def test_each_claim_is_marked_agree_contradict_differ_or_one_side_only(parties):
    found = rows(compare(parties["ministry"], parties["paper"]))
    assert set(found) == {"Agreed", "Disputed", "Ministry only", "Paper only", "Qualified"}
    kinds = {text: row.kind for text, row in found.items()}
    assert kinds == {
        "Agreed": "agree",
        "Disputed": "contradict",
        "Ministry only": "left only",
        "Paper only": "right only",
        "Qualified": "differ",
    }
    assert found["Agreed"].verdict == (
        "Agree: Ministry of Examples affirms, The Daily Example affirms"
    )
    assert found["Disputed"].verdict == (
        "Contradict: Ministry of Examples denies, The Daily Example affirms"
    )
    assert found["Ministry only"].verdict == "Only Ministry of Examples spoke: affirms"
    assert found["Qualified"].verdict == (
        "Differ: Ministry of Examples qualifies, The Daily Example affirms"
    )
    assert [line.relation for line in found["Disputed"].left] == ["contradict"]
    assert [line.relation for line in found["Ministry only"].left] == ["left only"]
    assert [line.relation for line in found["Paper only"].right] == ["right only"]
    assert found["Disputed"].pair_counts == {"contradict": 1, "agree": 0, "differ": 0}
    # The whole chain down: the spokesperson sits in a unit of the ministry.
    assert [line.quote.speaker for line in found["Agreed"].left] == [parties["spokesperson"]]


def test_a_side_inside_the_other_keeps_its_own_statements(parties):
    """The ministry against its own spokesperson: her words are on her side only."""
    built = compare(parties["ministry"], parties["spokesperson"])
    assert built.inner == "right"
    found = rows(built)
    assert found["Agreed"].left == [] and found["Agreed"].kind == "right only"
    assert [line.quote.speaker for line in found["Agreed"].right] == [parties["spokesperson"]]
    assert found["Disputed"].kind == "left only"


def test_the_status_filter_is_honoured(parties, viewer_client):
    disputed = Stance.objects.get(claim__text="Disputed", position="affirms")
    disputed.status = "rejected"
    disputed.save()
    found = rows(compare(parties["ministry"], parties["paper"]))
    assert found["Disputed"].kind == "left only"
    assert rows(compare(parties["ministry"], parties["paper"], "approved")) == {}
    rejected = rows(compare(parties["ministry"], parties["paper"], "rejected"))
    assert set(rejected) == {"Disputed"} and rejected["Disputed"].kind == "right only"
    response = page(
        viewer_client, left=parties["ministry"].pk, right=parties["paper"].pk, status="approved"
    )
    assert response.status_code == 200
    assert "Neither side has a statement on any claim with this review status" in (
        response.content.decode()
    )


def test_the_page_follows_a_change_made_after_it_was_built(viewer_client, parties):
    params = {"left": parties["ministry"].pk, "right": parties["paper"].pk}
    html = page(viewer_client, **params).content.decode()
    assert "Contradict: Ministry of Examples denies" in html
    Stance.objects.filter(claim__text="Disputed", position="affirms").update(position="denies")
    stance = Stance.objects.get(claim__text="Disputed", quote__speaker=parties["paper"])
    stance.save()  # a save, as every view makes, moves the page's owners
    html = page(viewer_client, **params).content.decode()
    assert "Agree: Ministry of Examples denies, The Daily Example denies" in html
    ministry = parties["ministry"]
    ministry.name = "Ministry of Many Examples"  # long enough to be shown by its alias
    ministry.save()
    SpeakerAlias.objects.create(speaker=ministry, alias="MoE")
    assert "Agree: MoE denies" in page(viewer_client, **params).content.decode()


# --- choosing the sides ------------------------------------------------------------------


def test_no_sides_shows_the_pickers_and_a_hint(viewer_client, db):
    response = page(viewer_client)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="left_name"' in html and 'name="right_name"' in html
    assert 'hx-get="/speakers/options/"' in html and 'list="left-options"' in html
    assert "Choose two speakers or organizations" in html


@pytest.mark.parametrize("bad", ["abc", "12x", "-3", "²", "9" * 30, "1.5"])
def test_a_malformed_id_is_a_400_with_a_message(viewer_client, parties, bad):
    response = page(viewer_client, left=bad, right=parties["paper"].pk)
    assert response.status_code == 400
    assert "is not a speaker id (the left side)" in response.content.decode()
    csv_response = viewer_client.get(reverse("claims:compare_csv"), {"left": 1, "right": bad})
    assert csv_response.status_code == 400
    assert "is not a speaker id (the right side)" in csv_response.content.decode()


def test_an_unknown_speaker_is_named_on_the_page(viewer_client, parties):
    missing = Speaker.objects.order_by("-pk").first().pk + 100
    response = page(viewer_client, left=parties["ministry"].pk, right=missing)
    assert response.status_code == 404
    assert f"No speaker #{missing} (the right side)" in response.content.decode()
    assert 'name="left_name"' in response.content.decode()  # the pickers stay


def test_a_missing_or_repeated_side_says_so(viewer_client, parties):
    response = page(viewer_client, left=parties["ministry"].pk)
    assert response.status_code == 200
    assert "for the right side too" in response.content.decode()
    assert "Ministry of Examples (#" in response.content.decode()  # kept in its picker
    same = page(viewer_client, left=parties["paper"].pk, right=parties["paper"].pk)
    assert same.status_code == 400
    assert "Choose two different sides: both are The Daily Example." in same.content.decode()


def test_typed_names_and_aliases_lead_to_the_comparison_by_ids(viewer_client, seeded):
    response = page(viewer_client, left_name="CJTF-OIR", right_name=f"BBC (#{bbc().pk})")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('claims:compare')}?left={coalition().pk}&right={bbc().pk}"
    )
    kept = page(viewer_client, left_name="dillon", right_name="bbc", status="approved")
    dillon = Speaker.objects.get(name="Ryan Dillon")
    assert kept["Location"].endswith(f"?left={dillon.pk}&right={bbc().pk}&status=approved")


def test_an_unknown_typed_name_is_a_400_with_a_message(viewer_client, seeded):
    response = page(viewer_client, left_name="Nobody At All", right_name="BBC")
    html = response.content.decode()
    assert response.status_code == 400
    assert "No speaker or organization is called “Nobody At All”" in html
    assert 'value="Nobody At All"' in html  # what was typed stays in its picker
    empty = page(viewer_client, left_name="BBC", right_name="")
    assert empty.status_code == 400
    assert "Choose a speaker or organization for the right side." in empty.content.decode()


# --- who may read it -----------------------------------------------------------------------


def test_a_viewer_reads_the_comparison_and_an_anonymous_visitor_is_sent_to_log_in(
    client, viewer_client, parties
):
    params = {"left": parties["ministry"].pk, "right": parties["paper"].pk}
    assert page(viewer_client, **params).status_code == 200
    viewer_client.logout()
    for name in ("claims:compare", "claims:compare_csv"):
        response = client.get(reverse(name), params)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- the CSV ---------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_one_row_per_statement(viewer_client, seeded):
    params = {"left": coalition().pk, "right": bbc().pk}
    found = read_csv(viewer_client.get(reverse("claims:compare_csv"), params))
    assert list(found[0]) == comparisons_columns()
    release = next(r for r in found if r["text"] == EXCLUDES)
    assert release == {
        "claim": FOREIGN,
        "side": "left",
        "side_speaker": "Combined Joint Task Force – Operation Inherent Resolve",
        "speaker": "Combined Joint Task Force – Operation Inherent Resolve",
        "organization": "Combined Joint Task Force – Operation Inherent Resolve",
        "position": "denies",
        "relation": "contradict",
        "date": "2017-10-14",
        "source": "Coalition press release of October 14, 2017 on the Raqqa convoy agreement",
        "text": EXCLUDES,
        "kind": "partial",
        "article": seeded.title,
    }
    finding = next(r for r in found if r["text"] == DOZENS)
    assert (finding["side"], finding["speaker"], finding["relation"]) == (
        "right",
        "BBC",
        "contradict",
    )
    assert finding["kind"] == "indirect"
    weapons = [r for r in found if r["claim"] == WEAPONS]
    assert {(r["side"], r["relation"]) for r in weapons} == {("right", "right only")}
    braga = next(r for r in found if r["speaker"] == "Jonathan Braga")
    assert braga["side"] == "left" and braga["organization"].startswith("Combined Joint")
    statements = Stance.objects.filter(
        quote__speaker__in=[coalition(), bbc(), *coalition().members.all()]
    ).count()
    assert len(found) == statements
    same = read_csv(page(viewer_client, format="csv", **params))
    assert same == found


def comparisons_columns():
    from apps.claims.exports import COMPARISON_COLUMNS

    return COMPARISON_COLUMNS


def test_the_csv_neutralises_formulas(viewer_client, parties):
    Claim.objects.filter(text="Disputed").update(text="=HYPERLINK(1)")
    params = {"left": parties["ministry"].pk, "right": parties["paper"].pk}
    found = read_csv(viewer_client.get(reverse("claims:compare_csv"), params))
    assert {r["claim"] for r in found} >= {"'=HYPERLINK(1)"}


# --- cost -------------------------------------------------------------------------------------


def _two_parties_with_claims(n_claims, per_claim=6):
    article = make_article(" ".join(f"w{i:05d}" for i in range(per_claim * 2)), title=f"{n_claims}")
    left = Speaker.objects.create(name=f"Left {n_claims}", kind=Speaker.Kind.ORGANIZATION)
    right = Speaker.objects.create(name=f"Right {n_claims}", kind=Speaker.Kind.ORGANIZATION)
    people = [
        Speaker.objects.create(name=f"P{n_claims}-{i}", affiliation=(left, right)[i % 2])
        for i in range(4)
    ]
    source = Source.objects.create(title=f"S{n_claims}")
    quotes = approved_quotes_in_a_row(article, people, source, per_claim)
    for c in range(n_claims):
        claim = Claim.objects.create(text=f"Claim {n_claims}-{c:03d}")
        Stance.objects.bulk_create(
            Stance(quote=q, claim=claim, position="affirms" if (i + c) % 3 else "denies")
            for i, q in enumerate(quotes)
        )
    return left, right


def _count(client, params) -> int:
    derived_cache.clear()  # the cost of building the comparison, not of reading it back
    with CaptureQueriesContext(connection) as ctx:
        response = page(client, **params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_archive(viewer_client):
    small = _two_parties_with_claims(3)
    large = _two_parties_with_claims(comparisons.COMPARE_CLAIMS * 2 + 5)
    few = _count(viewer_client, {"left": small[0].pk, "right": small[1].pk})
    many = _count(viewer_client, {"left": large[0].pk, "right": large[1].pk})
    assert few == many
    last = {"left": large[0].pk, "right": large[1].pk, "page": 3}
    assert _count(viewer_client, last) == many
    shown = page(viewer_client, **last).context
    assert "Claim 55-050" in shown["body_html"] and "Claim 55-049" not in shown["body_html"]
    with CaptureQueriesContext(connection) as warm:
        page(viewer_client, **last)
    assert len(warm.captured_queries) < many  # built once until a claim or speaker changes
    with CaptureQueriesContext(connection) as export:
        rows = read_csv(viewer_client.get(reverse("claims:compare_csv"), last))
    assert len(rows) == (comparisons.COMPARE_CLAIMS * 2 + 5) * 6
    assert len(export.captured_queries) <= many


# --- links from the board and the claim page ---------------------------------------------------


def test_the_board_and_the_claim_page_link_a_contradiction_pair_to_its_comparison(
    viewer_client, seeded
):
    url = f"{reverse('claims:compare')}?left={bbc().pk}&amp;right={coalition().pk}"
    board = viewer_client.get(reverse("claims:board")).content.decode()
    assert f'href="{url}">Compare BBC ⟷ CJTF-OIR</a>' in board
    foreign = Claim.objects.get(text=FOREIGN)
    claim_page = viewer_client.get(foreign.get_absolute_url()).content.decode()
    assert f'href="{url}">Compare</a>' in claim_page
    # An internal pair compares the two speakers within the organization.
    dillon = Speaker.objects.get(name="Ryan Dillon")
    internal = f"{reverse('claims:compare')}?left={dillon.pk}&amp;right={coalition().pk}"
    assert f'href="{internal}">Compare Ryan Dillon ⟷ CJTF-OIR</a>' in board
    deal = Claim.objects.get(text=DEAL)
    assert (
        f'href="{internal}">Compare</a>'
        in viewer_client.get(deal.get_absolute_url()).content.decode()
    )
    followed = viewer_client.get(url.replace("&amp;", "&"))
    assert followed.status_code == 200
    assert "Contradict: BBC affirms, CJTF-OIR denies" in followed.content.decode()


def test_a_member_three_levels_deep_speaks_for_the_government(parties):
    government = Speaker.objects.create(name="Government of Examples", kind="organization")
    parties["ministry"].affiliation = government
    parties["ministry"].save()
    found = rows(compare(government, parties["paper"]))
    assert found["Agreed"].kind == "agree"
    # The spokesperson sits in a unit of the ministry of the government.
    assert [line.quote.speaker for line in found["Agreed"].left] == [parties["spokesperson"]]
    assert compare(government, parties["spokesperson"]).inner == "right"
    assert compare(parties["spokesperson"], government).inner == "left"
