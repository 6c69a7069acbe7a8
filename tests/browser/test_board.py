"""The board reads at a glance: the seed's four claims on about one screen."""

import pytest
from playwright.sync_api import expect

from apps.claims.models import Claim, Stance
from apps.sources.models import Speaker
from tests.conftest import make_article, make_quote, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_BOARD_MAX_HEIGHT = 1800  # pixels, at 1,400 wide
TEN_CLAIMS_MAX_HEIGHT = 3 * 900 + 300  # about three screens of 900 pixels


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


def test_ten_crowded_claims_stay_within_about_three_screens(login, live_server, page):
    article = make_article(" ".join(f"w{i:05d}" for i in range(80)), title="Crowded")
    parties = []
    for name in ("Ministry", "Opposition"):
        org = Speaker.objects.create(name=name, kind=Speaker.Kind.ORGANIZATION)
        parties += [
            Speaker.objects.create(name=f"{name} voice {i}", affiliation=org) for i in range(3)
        ]
    quotes = [
        make_quote(article, i * 7, i * 7 + 6, speaker=parties[i % len(parties)], status="approved")
        for i in range(16)
    ]
    for c in range(10):
        claim = Claim.objects.create(text=f"Claim number {c} that many parties speak to")
        for i, quote in enumerate(quotes):
            Stance.objects.create(
                quote=quote, claim=claim, position="affirms" if i % 2 else "denies"
            )
    make_user("vic", "viewer")
    page.set_viewport_size({"width": 1400, "height": 900})
    login("vic")
    page.goto(f"{live_server.url}/board/")
    expect(page.locator(".claim-card")).to_have_count(10)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= TEN_CLAIMS_MAX_HEIGHT, f"ten claims take {height}px"
