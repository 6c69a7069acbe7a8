"""The board reads at a glance: the seed's four claims on about one screen."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_BOARD_MAX_HEIGHT = 1800  # pixels, at 1,400 wide


def test_the_seed_board_fits_in_1800_pixels_and_opens_each_statement(
    seeded, login, live_server, page
):
    make_user("vera", "viewer")
    page.set_viewport_size({"width": 1400, "height": 900})
    login("vera")
    page.goto(f"{live_server.url}/board/")
    cards = page.locator(".claim-card")
    expect(cards).to_have_count(4)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= SEED_BOARD_MAX_HEIGHT, f"the seed's board is {height}px tall"
    # Contradictions come first in each card, in plain words.
    first = cards.first
    expect(first.locator(".card-pairs")).to_contain_text("against")
    # Every statement is reachable by keyboard, and opens to its role and source.
    line = page.locator("details.line").first
    line.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(line.locator(".line-more")).to_be_visible()
    expect(line.locator(".line-more .trail")).to_contain_text("·")
