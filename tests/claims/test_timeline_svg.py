"""The line over time: statements on a date axis, drawn on the server as SVG."""

import datetime
import itertools
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.claims import timeline_svg
from apps.claims.models import Claim, Stance
from apps.claims.timeline_svg import Entry, axis_ticks, layout
from apps.core.versions import cache as derived_cache
from apps.quotes.models import Quote
from apps.sources.models import Source, Speaker, SpeakerAlias
from tests.conftest import make_article

DAY = datetime.date(2017, 11, 13)


def entry(row="A", day=DAY, position="affirms", n=0):
    return Entry(row, day, position, f"{row} {position} {n}", f"/q/{n}")


# --- the pure layout ---------------------------------------------------------------------


def test_each_position_has_its_own_shape_and_every_mark_its_label_and_link():
    chart = layout(
        [
            entry("A", DAY, "affirms", 1),
            entry("B", DAY + datetime.timedelta(days=40), "denies", 2),
            entry("A", DAY + datetime.timedelta(days=90), "qualifies", 3),
        ]
    )
    shapes = {mark.position: mark.shape for mark in chart.marks}
    assert shapes == {"affirms": "circle", "denies": "cross", "qualifies": "diamond"}
    assert len({mark.path for mark in chart.marks}) == 3
    assert [(m.label, m.url) for m in chart.marks] == [
        ("A affirms 1", "/q/1"),
        ("A qualifies 3", "/q/3"),
        ("B denies 2", "/q/2"),
    ]
    assert [legend.shape for legend in chart.legend] == ["circle", "cross", "diamond"]
    assert chart.counts == {"affirms": 1, "denies": 1, "qualifies": 1}


def test_later_statements_sit_further_right_within_the_plot():
    days = [DAY + datetime.timedelta(days=d) for d in (0, 3, 10, 400)]
    chart = layout([entry("A", day, "affirms", i) for i, day in enumerate(days)])
    xs = [mark.x for mark in chart.marks]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert all(chart.plot_left < x < chart.plot_right for x in xs)


def test_rows_are_the_busiest_first_and_each_row_holds_its_marks():
    entries = [entry("Quiet", DAY, "denies", 0)] + [
        entry("Busy", DAY + datetime.timedelta(days=i), "affirms", i + 1) for i in range(3)
    ]
    chart = layout(entries)
    assert [(row.label, row.count) for row in chart.rows] == [("Busy", 3), ("Quiet", 1)]
    for row in chart.rows:
        inside = [m for m in chart.marks if row.top < m.y < row.bottom]
        assert {m.entry.row for m in inside} == {row.label}
        assert len(inside) == row.count
    assert chart.axis_y > chart.rows[-1].bottom


def test_many_statements_on_one_day_never_hide_each_other():
    entries = [entry("A", DAY, ("affirms", "denies", "qualifies")[i % 3], i) for i in range(60)]
    chart = layout(entries)
    assert len(chart.marks) == 60
    assert len({(m.x, m.y) for m in chart.marks}) == 60  # stacked: no two in one place
    row = chart.rows[0]
    assert all(row.top < m.y < row.bottom for m in chart.marks)
    assert row.height <= 2 * timeline_svg.ROW_PAD + timeline_svg.LANE * timeline_svg.MAX_LANES
    assert layout(entries).marks == chart.marks  # the same every time


def test_a_few_on_one_day_stack_in_lanes_a_lane_apart():
    chart = layout([entry("A", DAY, "affirms", i) for i in range(4)])
    ys = sorted(m.y for m in chart.marks)
    assert {m.x for m in chart.marks} == {chart.marks[0].x}
    assert [round(b - a, 2) for a, b in itertools.pairwise(ys)] == [timeline_svg.LANE] * 3


def test_a_one_day_range_puts_the_day_in_the_middle_with_its_label():
    chart = layout([entry("A", DAY, "denies", 1)])
    middle = (chart.plot_left + chart.plot_right) / 2
    assert abs(chart.marks[0].x - middle) < 1
    assert chart.start < DAY < chart.end
    assert "13 Nov 2017" in [tick.label for tick in chart.ticks]
    assert chart.summary.startswith("1 dated statement in 1 party, on 13 Nov 2017: 1 denies.")


def test_undated_statements_are_kept_apart_not_placed_at_a_made_up_date():
    chart = layout([entry("A", DAY, "affirms", 1), entry("B", None, "denies", 2)])
    assert [m.label for m in chart.marks] == ["A affirms 1"]
    assert [e.label for e in chart.undated] == ["B denies 2"]
    assert [row.label for row in chart.rows] == ["A"]
    assert "1 undated statement listed apart" in chart.summary
    only_undated = layout([entry("B", None, "denies", 2)])
    assert only_undated.marks == [] and only_undated.ticks == [] and not only_undated.empty


def test_past_the_row_limit_the_quieter_rows_share_others():
    entries = [entry(f"Party {i:02d}", DAY, "affirms", i) for i in range(20)]
    entries += [entry("Party 00", DAY, "denies", 99)]
    chart = layout(entries, max_rows=5)
    assert [row.label for row in chart.rows] == [
        "Party 00",
        "Party 01",
        "Party 02",
        "Party 03",
        "Others",
    ]
    assert chart.rows[-1].count == 16
    assert len(chart.marks) == 21


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (DAY, DAY + datetime.timedelta(days=3), ["13 Nov 2017", "14 Nov 2017", "15 Nov 2017"]),
        (datetime.date(2017, 10, 13), datetime.date(2017, 11, 15), ["16 Oct 2017"]),
        (datetime.date(2016, 12, 20), datetime.date(2017, 11, 15), ["Jan 2017", "Mar 2017"]),
        (datetime.date(1990, 5, 1), datetime.date(2017, 11, 15), ["1995", "2000"]),
    ],
)
def test_axis_ticks_are_round_dates_labelled_as_precisely_as_their_spacing(start, end, expected):
    ticks = axis_ticks(start, end)
    labels = [label for _, label in ticks]
    assert labels[: len(expected)] == expected
    assert 1 <= len(ticks) <= timeline_svg.MAX_TICKS
    assert all(start <= day <= end for day, _ in ticks)


def test_unknown_positions_are_refused():
    with pytest.raises(ValueError, match="unknown position"):
        layout([entry("A", DAY, "maybe", 1)])


# --- the claim page and the speaker's page --------------------------------------------------


def _chart(html: str) -> str:
    start = html.index('<svg class="tl-svg"')
    return html[start : html.index("</svg>", start)]


def _marks(svg: str) -> list[dict]:
    found = []
    for match in re.finditer(
        r'<a href="([^"]+)" class="tl-mark tl-(\w+)" data-shape="(\w+)" aria-label="([^"]+)">'
        r"<title>([^<]+)</title><path",
        svg,
    ):
        href, position, shape, label, title = match.groups()
        found.append(
            {
                "href": href,
                "position": position,
                "shape": shape,
                "label": unescape(label),
                "title": unescape(title),
            }
        )
    return found


def test_the_seed_claim_page_draws_each_statement_as_a_labelled_link(viewer_client, seeded):
    claim = Claim.objects.get(text__startswith="The US-led coalition was party")
    html = viewer_client.get(claim.get_absolute_url()).content.decode()
    svg = _chart(html)
    assert 'role="group"' in svg and "aria-labelledby=" in svg and "<desc>" in svg
    marks = _marks(svg)
    assert len(marks) == claim.stances.count() == 11
    assert {m["position"]: m["shape"] for m in marks} == {
        "affirms": "circle",
        "denies": "cross",
        "qualifies": "diamond",
    }
    quote_urls = {s.quote.get_absolute_url() for s in claim.stances.select_related("quote")}
    assert {m["href"] for m in marks} == quote_urls
    assert all(m["label"] == m["title"] for m in marks)
    labels = {m["label"] for m in marks}
    assert "Jonathan Braga, denies, 14 Oct 2017: " in {label[:37] for label in labels}
    assert 'CJTF-OIR, denies, 14 Nov 2017: "make deals with terrorists"' in labels
    assert "Ryan Dillon, affirms, 13 Nov 2017: Paraphrase: there was a deal" in {
        label[:63] for label in labels
    }
    # Rows per party, by top organization and its short name (an alias).
    rows = re.findall(r'<text class="tl-row-label"[^>]*><title>([^<]+)</title>', svg)
    assert rows == ["CJTF-OIR (8)", "BBC (3)"]
    # Readable dates on the axis, and the same data as text below the chart.
    assert re.findall(r'class="tl-tick-label"[^>]*><title>[^<]+</title>([^<]+)<', svg)[:2] == [
        "16 Oct 2017",
        "23 Oct 2017",
    ]
    table = html[html.index('<details class="tl-data">') :]
    table = table[: table.index("</details>")]
    assert table.count("<tr>") == 1 + 11
    assert "Style=" not in svg and "style=" not in svg  # the policy allows no inline styles


def test_undated_statements_are_listed_apart_on_the_claim_page(viewer_client, seeded):
    claim = Claim.objects.get(text__startswith="Foreign fighters")
    stance = claim.stances.select_related("quote__source", "quote__article").first()
    quote = stance.quote
    Source.objects.filter(pk=quote.source_id).update(date=None)
    quote.article.__class__.objects.filter(pk=quote.article_id).update(published=None)
    html = viewer_client.get(claim.get_absolute_url()).content.decode()
    undated = html[html.index('<div class="tl-undated">') :]
    undated = undated[: undated.index("</div>")]
    assert quote.get_absolute_url() in undated
    marks = _marks(_chart(html))
    assert quote.get_absolute_url() not in {m["href"] for m in marks}
    assert marks and all("undated" not in m["label"] for m in marks)
    assert "undated statement" in html


def test_a_claim_without_statements_draws_no_chart(viewer_client, db):
    claim = Claim.objects.create(text="Nobody spoke to this")
    response = viewer_client.get(claim.get_absolute_url())
    assert response.status_code == 200
    assert "tl-svg" not in response.content.decode()


def test_the_speaker_timeline_has_the_chart_with_a_row_per_claim(viewer_client, seeded):
    dillon = Speaker.objects.get(name="Ryan Dillon")
    html = viewer_client.get(reverse("claims:speaker_timeline", args=[dillon.pk])).content.decode()
    svg = _chart(html)
    marks = _marks(svg)
    stances = Stance.objects.filter(quote__speaker=dillon).select_related("claim", "quote")
    assert len(marks) == stances.count() > 0
    assert {m["href"] for m in marks} == {s.quote.get_absolute_url() for s in stances}
    assert all(m["label"].startswith("Ryan Dillon, ") for m in marks)
    for claim in {s.claim for s in stances}:
        assert f'<a href="{claim.get_absolute_url()}" class="tl-row-link">' in svg
    assert "Stances on a date axis, a row per claim" in html


def _crowded_claim(n: int) -> Claim:
    """A claim with n statements from n speakers in n // 3 organizations (some under a
    parent organization, some with aliases), over n sources and dates."""
    article = make_article(" ".join(f"w{i:05d}" for i in range(n * 2)), title=f"Crowd {n}")
    parent = Speaker.objects.create(name=f"Ministry {n}", kind=Speaker.Kind.ORGANIZATION)
    orgs = [
        Speaker.objects.create(
            name=f"Department number {i} of the ministry {n}",
            kind=Speaker.Kind.ORGANIZATION,
            affiliation=parent if i % 2 else None,
        )
        for i in range(max(n // 3, 1))
    ]
    for org in orgs:
        SpeakerAlias.objects.create(speaker=org, alias=f"D{org.pk}")
    claim = Claim.objects.create(text=f"Crowded claim {n}")
    quotes = []
    for i in range(n):
        speaker = Speaker.objects.create(name=f"Person {n}-{i}", affiliation=orgs[i % len(orgs)])
        source = Source.objects.create(
            title=f"Source {n}-{i}",
            date=DAY + datetime.timedelta(days=i % 40) if i % 7 else None,
        )
        quote = Quote(article=article, speaker=speaker, source=source, status="approved")
        quote.anchor(i * 7, i * 7 + 6)
        quotes.append(quote)
    quotes = Quote.objects.bulk_create(quotes)
    Stance.objects.bulk_create(
        Stance(quote=q, claim=claim, position=("affirms", "denies", "qualifies")[i % 3])
        for i, q in enumerate(quotes)
    )
    return claim


def _cold_queries(client, url) -> tuple[int, str]:
    derived_cache.clear()  # the cost of drawing the chart, not of reading it back
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_claim_page_costs_the_same_queries_for_6_and_300_statements(viewer_client, db):
    few, _small = _cold_queries(viewer_client, _crowded_claim(6).get_absolute_url())
    many, large = _cold_queries(viewer_client, _crowded_claim(300).get_absolute_url())
    assert few == many
    assert len(_marks(_chart(large))) == 300 - len(range(0, 300, 7))
    with CaptureQueriesContext(connection) as warm:
        viewer_client.get(Claim.objects.get(text="Crowded claim 300").get_absolute_url())
    assert len(warm.captured_queries) < many  # drawn once until the claim changes
    assert "claims_stance" not in " ".join(q["sql"] for q in warm.captured_queries)
