import pytest
from playwright.sync_api import expect

from apps.quotes.models import Quote
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_logs_in_and_sees_every_seed_quote_highlighted(seeded, login, live_server):
    make_user("vic", "viewer")
    page = login("vic")
    page.get_by_role("link", name=seeded.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(seeded.title)
    quotes = list(Quote.objects.filter(article=seeded))
    # Every quote's first segment is a focusable highlight with its description.
    for quote in quotes:
        mark = page.locator(f'mark.hl[aria-describedby~="qi-{quote.pk}"]')
        expect(mark).to_have_count(1)
    # The rendered text is the body, character for character.
    assert page.locator("#article-body").inner_text() == seeded.body


def test_focusing_a_highlight_shows_its_speaker_and_source(seeded, login, live_server):
    make_user("vic", "viewer")
    page = login("vic")
    page.goto(f"{live_server.url}{seeded.get_absolute_url()}")
    braga = Quote.objects.get(speaker__name="Jonathan Braga")
    page.locator(f'mark.hl[aria-describedby~="qi-{braga.pk}"]').focus()
    card = page.locator("#quote-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Jonathan Braga")
    expect(card).to_contain_text("Coalition press release")
    # Every segment of the quote lights up, and its side-panel entry too.
    expect(page.locator(f"#qi-{braga.pk}")).to_have_class("quote-item is-active")
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()


def test_search_box_shows_live_results_as_one_types(seeded, login, live_server):
    make_user("vic", "viewer")
    page = login("vic")
    page.get_by_role("searchbox", name="Search quotes, speakers and articles").press_sequentially(
        "Dilon", delay=40
    )
    live = page.locator("#live-results")
    expect(live).to_contain_text("Ryan Dillon")
    live.get_by_role("link", name="All results").click()
    expect(page.locator(".search-results")).to_contain_text("We didn't want anyone to leave")
