"""The line over time on a claim's page: every mark is a link a reader can name."""

import re

import pytest
from playwright.sync_api import expect

from apps.claims.models import Claim
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_seed_claim_chart_marks_are_named_links_to_their_quotes(login, live_server, seeded):
    make_user("vic", "viewer")
    claim = Claim.objects.get(text__startswith="The US-led coalition was party")
    page = login("vic")
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    chart = page.get_by_role("group", name="The line over time")
    expect(chart).to_be_visible()
    marks = chart.locator("a.tl-mark")
    expect(marks).to_have_count(11)
    denial = chart.get_by_role(
        "link", name='CJTF-OIR, denies, 14 Nov 2017: "make deals with terrorists"'
    )
    expect(denial).to_have_count(1)
    expect(denial).to_have_attribute("href", re.compile(r"^/articles/\d+/#q-\d+$"))
    for i in range(marks.count()):
        mark = marks.nth(i)
        expect(mark).to_have_accessible_name(re.compile(r"^[^,]+, (affirms|denies|qualifies), "))
    # Each mark can be reached with the keyboard and is drawn where it can be seen.
    denial.focus()
    expect(denial).to_be_focused()
    box = denial.bounding_box()
    assert box and box["width"] > 4 and box["height"] > 4
    denial.click()
    page.wait_for_url(re.compile(r"/articles/\d+/#q-\d+$"))
    expect(page.locator("#article-body")).to_be_visible()
