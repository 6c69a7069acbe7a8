import pytest
from playwright.sync_api import expect

from apps.quotes.models import Quote
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_viewer_logs_in_and_sees_every_seed_quote_highlighted(seeded, login, live_server):
    make_user("vic", "viewer")
    page = login("vic")
    page.get_by_role("link", name=seeded.title, exact=True).click()  # not its source's link
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


def card_inside_window(page):
    card = page.locator("#quote-card")
    expect(card).to_be_visible()
    box = card.bounding_box()
    width, height = page.evaluate(
        "[document.documentElement.clientWidth, document.documentElement.clientHeight]"
    )
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (box, height)
    return box


FIRST_LINE = "m => { const r = m.getClientRects()[0]; return [r.left, r.top, r.right, r.bottom]; }"


def hover_first_line(page, mark):
    left, top, right, bottom = mark.evaluate(FIRST_LINE)
    page.mouse.move(left + 3, (top + bottom) / 2)
    return left, top, right, bottom


def test_the_hover_card_stays_inside_a_small_window(seeded, login, live_server):
    make_user("vic", "viewer")
    page = login("vic")
    page.set_viewport_size({"width": 640, "height": 480})
    page.goto(f"{live_server.url}{seeded.get_absolute_url()}")

    # A highlight at the bottom edge of the window: the card opens above it.
    braga = Quote.objects.get(speaker__name="Jonathan Braga")
    mark = page.locator(f'mark.hl[aria-describedby~="qi-{braga.pk}"]')
    mark.evaluate("m => scrollBy(0, m.getClientRects()[0].bottom - innerHeight + 12)")
    _, top, _, bottom = hover_first_line(page, mark)
    assert bottom > 480 - 40
    box = card_inside_window(page)
    assert box["y"] + box["height"] <= top  # above the quote, not over it

    # A highlight starting near the right edge: the card is pulled back in.
    page.mouse.move(0, 0)
    expect(page.locator("#quote-card")).to_be_hidden()
    rightmost = page.locator("#article-body mark.hl").nth(
        page.evaluate(
            """() => {
              const marks = [...document.querySelectorAll('#article-body mark.hl')];
              const left = (m) => m.getClientRects().length === 1 ? m.getClientRects()[0].left : 0;
              return marks.indexOf(marks.reduce((a, b) => (left(b) > left(a) ? b : a)));
            }"""
        )
    )
    rightmost.evaluate("m => m.scrollIntoView({ block: 'center' })")
    left, top, _, bottom = hover_first_line(page, rightmost)
    assert left > 640 - 24 * 16  # a card 24rem wide placed at the quote would run off
    box = card_inside_window(page)
    assert box["y"] >= bottom or box["y"] + box["height"] <= top  # not over the quote

    # A window too short for the card on either side: it scrolls inside itself rather
    # than cover the quote (which would take the pointer away from it).
    page.mouse.move(0, 0)
    page.set_viewport_size({"width": 640, "height": 240})
    mark.evaluate("m => m.scrollIntoView({ block: 'center' })")
    _, top, _, bottom = hover_first_line(page, mark)
    box = card_inside_window(page)
    assert box["y"] >= bottom or box["y"] + box["height"] <= top
    assert page.locator("#quote-card").evaluate("c => c.scrollHeight > c.clientHeight")
