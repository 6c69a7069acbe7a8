import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.versions import cache as derived_cache
from apps.quotes.models import Quote
from apps.quotes.search import Filters, search_quotes
from apps.sources.models import Source, Speaker
from tests.conftest import make_article, make_quote

URL = reverse("quotes:search")


def found(query, **filters):
    return [q.exact for q in search_quotes(query, Filters(**filters))]


def test_words_of_a_seed_statement_find_it(seeded):
    assert '"We do not condone any arrangement' in found("condone any arrangement")[0]


def test_exact_phrase_matches_rank_first(seeded):
    results = found("foreign fighters")
    assert "foreign fighters" in results[0].lower()
    phrase = [r for r in results if "foreign fighters" in r.lower()]
    assert results[: len(phrase)] == phrase


def test_a_misspelt_name_still_finds_the_speaker(seeded):
    results = search_quotes("Dilon")
    assert {q.speaker.name for q in results} == {"Ryan Dillon"}
    assert len(results) == Quote.objects.filter(speaker__name="Ryan Dillon").count()


def test_an_organization_finds_its_members_statements(seeded):
    speakers = {q.speaker.name for q in search_quotes("CJTF-OIR")}
    assert {"Ryan Dillon", "Jonathan Braga"} <= speakers


def _speakers(query, **filters):
    return {q.speaker.name for q in search_quotes(query, Filters(**filters))}


@pytest.fixture
def government(db):
    """A government > its ministry > the ministry's press office > its spokesperson, who
    is quoted beside someone belonging to none of them."""
    government = Speaker.objects.create(name="Republic of Examplia", kind="organization")
    ministry = Speaker.objects.create(
        name="Ministry of Examples", kind="organization", affiliation=government
    )
    office = Speaker.objects.create(name="Press Office", kind="organization", affiliation=ministry)
    spokesperson = Speaker.objects.create(name="Sam Spoke", affiliation=office)
    outsider = Speaker.objects.create(name="Otto Outside")
    article = make_article("Sam said the budget grew. Otto said the budget shrank.")
    make_quote(article, 0, 24, speaker=spokesperson)
    make_quote(article, 26, 53, speaker=outsider)
    return government, ministry, office


def test_an_organization_finds_a_member_three_levels_deep(government):
    top, ministry, office = government
    for organization in (top, ministry, office):
        assert _speakers("budget", organization=organization.pk) == {"Sam Spoke"}
        assert _speakers("", organization=organization.pk) == {"Sam Spoke"}
    assert _speakers("Republic") == {"Sam Spoke"}  # naming the government finds its members


def test_remembered_results_follow_an_organization_moving_elsewhere(government):
    top, ministry, _ = government
    assert _speakers("budget", organization=top.pk) == {"Sam Spoke"}
    assert _speakers("Republic") == {"Sam Spoke"}
    ministry.affiliation = Speaker.objects.create(name="Elsewhere", kind="organization")
    ministry.save()
    assert _speakers("budget", organization=top.pk) == set()
    assert _speakers("Republic") == set()
    assert _speakers("budget", organization=ministry.affiliation_id) == {"Sam Spoke"}


def test_a_cycle_of_affiliations_does_not_stop_the_organization_filter(government):
    top, _, office = government
    top.affiliation = office  # the government and its press office, each under the other
    top.save()
    assert _speakers("budget", organization=top.pk) == {"Sam Spoke"}
    assert _speakers("Republic") == {"Sam Spoke"}


def test_the_organization_filter_costs_the_same_however_many_members(viewer_client, government):
    top, _, office = government
    params = {"q": "budget", "organization": top.pk}
    few = _cold(viewer_client, params)
    members = Speaker.objects.bulk_create(
        Speaker(name=f"Member {i}", affiliation=office) for i in range(60)
    )
    article = make_article(" ".join(["budget talk"] * 60), title="More budget")
    for i, member in enumerate(members):
        make_quote(article, i * 12, i * 12 + 11, speaker=member)
    assert _cold(viewer_client, params) == few
    assert len(search_quotes("budget", Filters(organization=top.pk))) == 61


def test_role_and_source_are_searched(seeded):
    assert {q.speaker.name for q in search_quotes("Defense Secretary")} == {"Jim Mattis"}
    assert found("October 14")  # the release's title


def test_filters_narrow_the_results(seeded):
    braga = Speaker.objects.get(name="Jonathan Braga")
    assert found("", speaker=braga.pk) == [Quote.objects.get(speaker=braga).exact]
    direct = found("coalition", kind="direct")
    assert direct and set(direct) <= set(
        Quote.objects.filter(kind="direct").values_list("exact", flat=True)
    )
    assert set(direct) < set(found("coalition"))  # the other kinds are left out
    assert found("deal", date_from=__import__("datetime").date(2020, 1, 1)) == []
    assert found("deal", status="rejected") == []


def test_no_results_page_says_so(viewer_client, seeded):
    response = viewer_client.get(URL, {"q": "zebra crossing lottery"})
    assert response.status_code == 200
    assert "No quote matches" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "x" * 1000,
        "'; DROP TABLE quotes_quote; --",
        '" OR 1=1 --',
        "<script>alert(1)</script>",
        "deal & | ! ( ) :*",
        "😀 🇸🇾",
    ],
)
def test_hostile_or_huge_queries_are_answered_safely(viewer_client, seeded, query):
    response = viewer_client.get(URL, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert Quote.objects.filter(article=seeded).exists()
    live = viewer_client.get(reverse("quotes:search_live"), {"q": query})
    assert live.status_code == 200
    assert "<script>alert(1)</script>" not in live.content.decode()


def test_matches_are_highlighted_and_escaped(viewer_client, db):
    article = make_article('Officials said "<b>bold</b> plans" today.', title="T")
    make_quote(article, 15, 33)
    html = viewer_client.get(URL, {"q": "plans"}).content.decode()
    assert '<mark class="hit">plans</mark>' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_live_results_are_a_fragment_with_a_link_to_all_results(viewer_client, seeded):
    response = viewer_client.get(
        reverse("quotes:search_live"), {"q": "Mattis"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="live-results" id="live-results"')
    assert "Jim Mattis" in html
    assert f"{URL}?q=Mattis" in html


def test_search_needs_login(client, db):
    assert client.get(URL, {"q": "deal"}).status_code == 302


def _queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


def _cold(client, params):
    derived_cache.clear()
    return _queries(client, params)


def test_search_query_count_does_not_grow_with_results(viewer_client, db):
    speaker = Speaker.objects.create(name="Pat Example")
    source = Source.objects.create(title="Briefing")
    article = make_article(" ".join(["budget talk"] * 80), title="Budget")
    make_quote(article, 0, 11, speaker=speaker, source=source)
    few = _cold(viewer_client, {"q": "budget"})
    for i in range(1, 50):
        make_quote(article, i * 12, i * 12 + 11, speaker=speaker, source=source)
    assert _cold(viewer_client, {"q": "budget"}) == few
    assert _queries(viewer_client, {"q": "budget", "page": 2}) <= few  # no speaker/article lists
    # Brought up to date after one save or after many: the same queries either way.
    make_quote(article, 50 * 12, 50 * 12 + 11, speaker=speaker, source=source)
    after_one = _queries(viewer_client, {"q": "budget"})
    for i in range(51, 80):
        make_quote(article, i * 12, i * 12 + 11, speaker=speaker, source=source)
    assert _queries(viewer_client, {"q": "budget"}) == after_one < few


def test_remembered_results_follow_every_change_to_the_archive(seeded, viewer_client):
    quote = Quote.objects.get(exact__contains="We do not condone any arrangement")
    assert viewer_client.get(URL, {"q": "condone any arrangement"}).context["found_html"]
    assert quote.exact in found("condone any arrangement")[0]
    quote.kind = "partial"
    quote.save()
    assert viewer_client.get(URL, {"q": "condone", "kind": "partial"}).status_code == 200
    assert found("condone any arrangement", kind="partial")[0] == quote.exact
    quote.delete()
    assert found("condone any arrangement") == []
    html = viewer_client.get(URL, {"q": "condone any arrangement"}).content.decode()
    assert "No quote matches" in html


def test_page_links_carry_the_search_not_another_readers_query(viewer_client, db):
    article = make_article(" ".join(["budget talk"] * 40), title="Budget")
    for i in range(30):
        make_quote(article, i * 12, i * 12 + 11)
    tracked = viewer_client.get(URL, {"q": "budget", "kind": "direct", "utm_source": "mail"})
    html = tracked.content.decode()
    assert "q=budget&amp;kind=direct&amp;page=2" in html and "utm_source" not in html
    plain = viewer_client.get(URL, {"q": "budget", "kind": "direct"}).content.decode()
    assert "q=budget&amp;kind=direct&amp;page=2" in plain and "utm_source" not in plain
