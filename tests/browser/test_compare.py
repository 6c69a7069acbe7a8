import re

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOREIGN = "Foreign fighters left Raqqa under the deal"


def test_reviewer_follows_a_compare_link_from_the_board_and_turns_the_sides(
    seeded, login, live_server
):
    make_user("rui", "reviewer")
    page = login("rui")
    page.goto(f"{live_server.url}/board/")
    row = page.locator("section.claim-card", has=page.get_by_role("link", name=FOREIGN))
    row.get_by_role("link", name="Compare BBC ⟷ CJTF-OIR").click()
    page.wait_for_url("**/board/compare/?left=*&right=*")
    expect(page.get_by_role("heading", level=1)).to_contain_text("BBC against Combined Joint")
    claim = page.locator("section.compare-claim", has_text=FOREIGN)
    expect(claim.locator(".verdict")).to_contain_text("Contradict: BBC affirms, CJTF-OIR denies")
    expect(claim).to_contain_text("dozens did")  # the BBC's finding, on the left
    expect(claim).to_contain_text("purportedly excludes foreign Daesh terrorists")  # the release
    fighters = page.locator("section.compare-claim", has_text="not only civilians")
    expect(fighters).to_contain_text("civilians to depart Raqqa.")
    expect(fighters).to_contain_text("not just civilians")

    # The pickers suggest speakers as one types and take a name or an alias.
    left = page.get_by_label("Left side")
    left.fill("")
    left.press_sequentially("CJTF")
    suggestions = page.locator("#left-options option")
    expect(suggestions.first).to_have_attribute("value", re.compile(r"^Combined Joint .*\(#\d+\)$"))
    left.fill("CJTF-OIR")
    page.get_by_label("Right side").fill("BBC")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Combined Joint")
    expect(claim.locator(".verdict")).to_contain_text("Contradict: CJTF-OIR denies, BBC affirms")
    expect(page.get_by_role("alert")).to_have_count(0)
