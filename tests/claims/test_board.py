import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.claims import board as boards
from apps.claims.board import build_board, claims_matching
from apps.claims.models import Claim, Stance
from apps.core.versions import cache as derived_cache
from apps.sources.models import Source, Speaker
from tests.conftest import approved_quotes_in_a_row, make_article, make_quote


def seed_rows():
    claims = list(claims_matching())
    return {row.claim.text: row for row in build_board(claims).rows}


def pairs(row, kind):
    return {
        (yes.quote.exact, no.quote.exact) for c, yes, no in row.contradictions if c.kind == kind
    }


def test_seed_board_shows_the_coalition_contradicting_its_own_spokesman(seeded):
    row = seed_rows()["The US-led coalition was party to a deal letting ISIS fighters leave Raqqa"]
    internal = pairs(row, "internal")
    admission = "there was a deal agreed by locals and ground forces"
    assert (admission, '"make deals with terrorists"') in internal
    assert (
        admission,
        '"nothing could be further from the truth. Coalition messaging has been open and '
        'consistent on this issue."',
    ) in internal


def test_seed_board_shows_the_release_against_the_bbc_findings(seeded):
    rows = seed_rows()
    foreign = pairs(rows["Foreign fighters left Raqqa under the deal"], "external")
    assert (
        "Even though the deal stipulated that no foreign fighters would be able to leave Raqqa "
        "alive, dozens did",
        '"purportedly excludes foreign Daesh terrorists,"',
    ) in foreign
    fighters = pairs(
        rows["ISIS fighters, not only civilians, left Raqqa in the convoy"], "external"
    )
    assert (
        "ISIS fighters were included in the deal, not just civilians",
        '"civilians to depart Raqqa."',
    ) in fighters


def test_seed_board_groups_each_claims_statements_by_party(seeded):
    board = build_board(list(claims_matching()))
    row = next(r for r in board.rows if r.claim.text.startswith("The US-led coalition"))
    parties = {party.name: party for party in row.parties}
    assert {"BBC", "CJTF-OIR"} <= set(parties)
    speakers = {s.quote.speaker.name for s in parties["CJTF-OIR"].statements}
    assert speakers == {
        "Ryan Dillon",
        "Jonathan Braga",
        "Combined Joint Task Force – Operation Inherent Resolve",
    }
    assert row.parties[0].statements  # the party with most statements first
    assert [len(p.statements) for p in row.parties] == sorted(
        (len(p.statements) for p in row.parties), reverse=True
    )


def test_board_page_renders_the_seed_for_a_viewer(viewer_client, seeded):
    response = viewer_client.get(reverse("claims:board"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "purportedly excludes foreign Daesh terrorists" in html
    assert "flag-internal" in html and "flag-external" in html


def _claims_with_stances(n_claims, per_claim=20):
    article = make_article(" ".join(f"w{i:05d}" for i in range(per_claim * 2)), title=f"{n_claims}")
    org = Speaker.objects.create(name=f"Org {n_claims}", kind=Speaker.Kind.ORGANIZATION)
    people = [Speaker.objects.create(name=f"P{n_claims}-{i}", affiliation=org) for i in range(4)]
    source = Source.objects.create(title=f"S{n_claims}")
    quotes = approved_quotes_in_a_row(article, people, source, per_claim)
    for c in range(n_claims):
        claim = Claim.objects.create(text=f"Claim {n_claims}-{c}")
        Stance.objects.bulk_create(
            Stance(
                quote=q, claim=claim, position="affirms" if i % 2 else "denies", status="approved"
            )
            for i, q in enumerate(quotes)
        )
    return article


def _count(client, url, params):
    derived_cache.clear()  # the cost of building the board, not of reading it back
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_board_query_count_is_the_same_for_10_and_100_claims(viewer_client):
    small = _claims_with_stances(10)
    large = _claims_with_stances(100)
    url = reverse("claims:board")
    few = _count(viewer_client, url, {"article": small.pk})
    many = _count(viewer_client, url, {"article": large.pk})
    assert few == many
    assert _count(viewer_client, url, {"article": large.pk, "page": 3}) == many
    with CaptureQueriesContext(connection) as warm:
        viewer_client.get(url, {"article": large.pk, "page": 3})
    assert len(warm.captured_queries) < many  # built once until a claim changes


def test_the_board_follows_a_change_made_after_it_was_built(viewer_client, seeded, reviewer):
    url = reverse("claims:board")
    assert "make deals with terrorists" in viewer_client.get(url).content.decode()
    stance = Stance.objects.get(quote__exact='"make deals with terrorists"')
    stance.reject(reviewer, "Misread.")
    stance.save()
    assert "make deals with terrorists" not in viewer_client.get(url).content.decode()


def test_a_crowded_claim_names_every_party_and_links_to_the_rest(viewer_client, db):
    article = make_article(" ".join(f"w{i:05d}" for i in range(40)))
    claim = Claim.objects.create(text="A claim many parties speak to")
    for i in range(boards.BOARD_LINES + 2):
        org = Speaker.objects.create(name=f"Organization {i}", kind=Speaker.Kind.ORGANIZATION)
        person = Speaker.objects.create(name=f"Person {i}", affiliation=org)
        extra = make_quote(article, i * 7, i * 7 + 6, speaker=person)
        Stance.objects.create(quote=extra, claim=claim, position=Stance.Position.DENIES)
    row = boards.build_board([claim]).rows[0]
    assert len(row.parties) == boards.BOARD_LINES + 2
    assert [len(lines) for _, lines in row.shown_parties] == [1] * boards.BOARD_LINES
    assert len(row.other_parties) == 2
    html = viewer_client.get(reverse("claims:board")).content.decode()
    for i in range(boards.BOARD_LINES + 2):
        assert f"Organization {i}" in html  # a line each, or named among the others
    assert "Also: " in html and "and 2 more statements on the claim's page" in html


def test_approved_only_board_hides_rejected_and_unreviewed_work(viewer_client, seeded, reviewer):
    stance = Stance.objects.get(quote__exact='"make deals with terrorists"')
    stance.reject(reviewer, "Misread: the response does not address the deal itself.")
    stance.save()
    other = Stance.objects.filter(quote__exact__startswith='"nothing could be').get()
    other.reopen()
    other.save()
    approved = viewer_client.get(reverse("claims:board"), {"status": "approved"}).content.decode()
    assert "make deals with terrorists" not in approved
    assert "nothing could be further" not in approved
    assert "purportedly excludes foreign Daesh terrorists" in approved
    default = viewer_client.get(reverse("claims:board")).content.decode()
    assert "make deals with terrorists" not in default  # rejected work is never on the board
    assert "nothing could be further" in default  # drafts are, marked as such
    rejected = viewer_client.get(reverse("claims:board"), {"status": "rejected"}).content.decode()
    assert "make deals with terrorists" in rejected


def test_board_filters_by_speaker_organization_and_article(viewer_client, seeded):
    mattis_free = Speaker.objects.get(name="Jonathan Braga")
    by_speaker = viewer_client.get(reverse("claims:board"), {"speaker": mattis_free.pk})
    assert [claim.text for claim in by_speaker.context["claims"]] == [
        "The US-led coalition was party to a deal letting ISIS fighters leave Raqqa"
    ]
    bbc = Speaker.objects.get(name="BBC")
    by_org = viewer_client.get(reverse("claims:board"), {"organization": bbc.pk})
    assert len(by_org.context["claims"]) == 4
    other = make_article("Unrelated.", title="Unrelated")
    by_article = viewer_client.get(reverse("claims:board"), {"article": other.pk})
    assert by_article.context["claims"] == []
    junk = viewer_client.get(reverse("claims:board"), {"article": "1;DROP", "status": "<x>"})
    assert junk.status_code == 200


def test_claim_page_puts_affirming_and_denying_side_by_side_with_trails(viewer_client, seeded):
    claim = Claim.objects.get(text__startswith="Foreign fighters")
    response = viewer_client.get(claim.get_absolute_url())
    page = response.context["page"]
    assert {s.quote.speaker.name for s in page.affirming} == {"BBC"}
    assert [s.quote.exact for s in page.denying] == [
        '"purportedly excludes foreign Daesh terrorists,"'
    ]
    html = response.content.decode()
    release = Source.objects.get(kind="press_release")
    assert release.get_absolute_url() in html
    assert seeded.get_absolute_url() in html
    assert "external" in html


def test_matrix_colours_each_speaker_stance(viewer_client, seeded):
    response = viewer_client.get(reverse("claims:matrix"))
    matrix = response.context["matrix"]
    rows = {speaker.name: cells for speaker, cells in matrix.rows}
    deal = [c.text for c in matrix.claims].index(
        "The US-led coalition was party to a deal letting ISIS fighters leave Raqqa"
    )
    assert rows["Combined Joint Task Force – Operation Inherent Resolve"][deal].css == "mixed"
    assert rows["Jonathan Braga"][deal].css == "denies"
    assert rows["BBC"][deal].glyph == "✓~"  # affirms and qualifies, in that order
    assert 'class="cell mixed"' in response.content.decode()


def test_speaker_timeline_flags_where_the_coalition_contradicts_itself(viewer_client, seeded):
    dillon = Speaker.objects.get(name="Ryan Dillon")
    response = viewer_client.get(reverse("claims:speaker_timeline", args=[dillon.pk]))
    timeline = response.context["timeline"]
    assert timeline.self_contradictions
    assert all(c.internal for c, _, _ in timeline.self_contradictions)
    dates = [statements[0].date for _, statements in timeline.statements]
    assert dates == sorted(dates)
    bbc = Speaker.objects.get(name="BBC")
    assert (
        not viewer_client.get(reverse("claims:speaker_timeline", args=[bbc.pk]))
        .context["timeline"]
        .self_contradictions
    )


def test_speaker_page_loads_the_timeline(viewer_client, seeded):
    dillon = Speaker.objects.get(name="Ryan Dillon")
    html = viewer_client.get(dillon.get_absolute_url()).content.decode()
    assert f'hx-get="{reverse("claims:speaker_timeline", args=[dillon.pk])}"' in html
    partial = viewer_client.get(
        reverse("claims:speaker_timeline", args=[dillon.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert partial.lstrip().startswith('<section class="timeline"')


def test_a_crowded_claim_shows_six_statement_lines_and_links_to_the_rest(viewer_client, db):
    _claims_with_stances(1, per_claim=16)  # one organization's four people, 16 stances
    html = viewer_client.get(reverse("claims:board")).content.decode()
    statements = html.split('class="card-parties"')[1]
    assert statements.count('<details class="line ') == boards.BOARD_LINES == 6
    assert "and 10 more statements on the claim's page" in html
    pairs = html.split('class="card-pairs"')[1].split('class="card-parties"')[0]
    assert pairs.count('class="pair-block ') == boards.BOARD_PAIRS
    assert "and 61 more pairs on the claim's page" in html  # 8 affirm × 8 deny, 3 shown


def test_one_claims_change_rebuilds_only_its_card(viewer_client, seeded, reviewer, monkeypatch):
    from apps.claims import views

    url = reverse("claims:board")
    viewer_client.get(url)
    built = []
    original = boards.build_board

    def spy(claims, *args):
        built.append([claim.pk for claim in claims])
        return original(claims, *args)

    monkeypatch.setattr(views.boards, "build_board", spy)
    viewer_client.get(url)
    assert built == []  # every card kept
    stance = Stance.objects.get(quote__exact='"make deals with terrorists"')
    stance.note = "Reviewed."
    stance.save()
    viewer_client.get(url)
    assert built == [[stance.claim_id]]


def test_matrix_pages_through_claims_and_speakers_with_constant_queries(viewer_client, db):
    article = make_article(" ".join(f"w{i:05d}" for i in range(60)))
    claims = [Claim.objects.create(text=f"Claim {i:02d}") for i in range(boards.MATRIX_CLAIMS + 3)]
    for i in range(boards.MATRIX_SPEAKERS + 5):
        quote = make_quote(
            article, i * 7, i * 7 + 6, speaker=Speaker.objects.create(name=f"S{i:02d}")
        )
        Stance.objects.create(quote=quote, claim=claims[i % len(claims)], position="affirms")
    url = reverse("claims:matrix")
    first = viewer_client.get(url).context["matrix"]
    assert len(first.claims) == boards.MATRIX_CLAIMS
    assert first.claim_page.paginator.count == len(claims)
    last = viewer_client.get(url, {"claims": 2}).context["matrix"]
    assert [c.text for c in last.claims] == [c.text for c in claims[boards.MATRIX_CLAIMS :]]
    assert last.rows and all(any(cells) for _, cells in last.rows)  # each speaks to a shown claim
    assert _count(viewer_client, url, {}) == _count(viewer_client, url, {"claims": 2})


def test_matrix_page_links_keep_only_the_pages_shown_not_another_readers_query(viewer_client, db):
    article = make_article(" ".join(f"w{i:05d}" for i in range(2 * boards.MATRIX_SPEAKERS)))
    claims = [Claim.objects.create(text=f"Claim {i:02d}") for i in range(boards.MATRIX_CLAIMS + 1)]
    for i in range(boards.MATRIX_SPEAKERS + boards.MATRIX_CLAIMS):
        quote = make_quote(
            article, i * 7, i * 7 + 6, speaker=Speaker.objects.create(name=f"S{i:02d}")
        )
        Stance.objects.create(quote=quote, claim=claims[i % len(claims)], position="affirms")
    url = reverse("claims:matrix")
    tracked = viewer_client.get(url, {"utm_source": "mail"}).content.decode()
    assert 'href="?page=2"' in tracked and 'href="?claims=2"' in tracked
    assert "utm_source" not in tracked
    plain = viewer_client.get(url).content.decode()  # the same page, kept: the same links
    assert 'href="?page=2"' in plain and "utm_source" not in plain
    last = viewer_client.get(url, {"claims": 2, "utm_source": "mail"}).content.decode()
    assert 'href="?claims=1"' in last and "utm_source" not in last


def test_the_board_follows_a_speaker_moving_to_another_organization(viewer_client, db):
    first = Speaker.objects.create(name="First Agency", kind=Speaker.Kind.ORGANIZATION)
    second = Speaker.objects.create(name="Second Agency", kind=Speaker.Kind.ORGANIZATION)
    person = Speaker.objects.create(name="Pat Mover", affiliation=first)
    article = make_article(" ".join(f"w{i:03d}" for i in range(20)))
    claim = Claim.objects.create(text="A claim whose speaker moves")
    quote = make_quote(article, 0, 4, speaker=person)
    Stance.objects.create(quote=quote, claim=claim, position=Stance.Position.AFFIRMS)
    url = reverse("claims:board")
    assert "First Agency" in viewer_client.get(url).context["table_html"]
    assert viewer_client.get(url, {"organization": first.pk}).context["claims"] == [claim]
    person.affiliation = second
    person.save()
    cards = viewer_client.get(url).context["table_html"]
    assert "Second Agency" in cards and "First Agency" not in cards
    assert viewer_client.get(url, {"organization": first.pk}).context["claims"] == []


def test_the_organization_filter_finds_a_member_three_levels_deep(viewer_client, db):
    government = Speaker.objects.create(name="Government", kind=Speaker.Kind.ORGANIZATION)
    ministry = Speaker.objects.create(
        name="Ministry", kind=Speaker.Kind.ORGANIZATION, affiliation=government
    )
    unit = Speaker.objects.create(
        name="Press Unit", kind=Speaker.Kind.ORGANIZATION, affiliation=ministry
    )
    spokesperson = Speaker.objects.create(name="Sam Spoke", affiliation=unit)
    article = make_article(" ".join(f"w{i:03d}" for i in range(20)))
    claim = Claim.objects.create(text="A claim made three levels down")
    quote = make_quote(article, 0, 4, speaker=spokesperson)
    Stance.objects.create(quote=quote, claim=claim, position=Stance.Position.AFFIRMS)
    url = reverse("claims:board")
    for organization in (government, ministry, unit):
        assert list(claims_matching(organization=organization.pk)) == [claim]
    assert viewer_client.get(url, {"organization": government.pk}).context["claims"] == [claim]
    elsewhere = Speaker.objects.create(name="Elsewhere", kind=Speaker.Kind.ORGANIZATION)
    ministry.affiliation = elsewhere  # the ministry moves: the board follows
    ministry.save()
    assert viewer_client.get(url, {"organization": government.pk}).context["claims"] == []
    assert viewer_client.get(url, {"organization": elsewhere.pk}).context["claims"] == [claim]
    elsewhere.affiliation = unit  # a cycle: elsewhere > ministry > unit > elsewhere
    elsewhere.save()
    assert list(claims_matching(organization=elsewhere.pk)) == [claim]
    assert build_board([claim]).rows[0].parties[0].name  # one party, named


def _under_a_government(n_claims) -> Speaker:
    """The archive of `_claims_with_stances`, its organization two levels under a government."""
    _claims_with_stances(n_claims)
    government = Speaker.objects.create(name=f"Gov {n_claims}", kind=Speaker.Kind.ORGANIZATION)
    ministry = Speaker.objects.create(
        name=f"Ministry {n_claims}", kind=Speaker.Kind.ORGANIZATION, affiliation=government
    )
    Speaker.objects.filter(name=f"Org {n_claims}").update(affiliation=ministry)
    return government


@pytest.mark.django_db
def test_the_organization_filter_costs_the_same_for_10_and_100_claims(viewer_client):
    small, large = _under_a_government(10), _under_a_government(100)
    url = reverse("claims:board")
    few = _count(viewer_client, url, {"organization": small.pk})
    assert _count(viewer_client, url, {"organization": large.pk}) == few
    found = viewer_client.get(url, {"organization": large.pk}).context["page"]
    assert found.paginator.count == 100  # every claim, its speakers three levels down
