"""An editor links a source to its original text in the archive and sees the quote's
verdict, its flag, and the passage it links to in the original."""

import pytest
from playwright.sync_api import expect

from apps.quotes.models import Quote
from apps.sources.models import Source, Speaker
from tests.browser.test_tagging import wait_until_settled
from tests.conftest import make_article, make_quote, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORIGINAL = (
    "Harbour authority, statement of 3 May.\n\n"
    "The north pier will reopen to ferries on Friday morning after the repairs."
)
QUOTED = "The north pier will reopen to ferries on Monday morning"


@pytest.fixture
def quote(db):
    make_article(ORIGINAL, title="Harbour authority statement")
    source = Source.objects.create(title="Harbour statement", kind=Source.Kind.STATEMENT)
    speaker = Speaker.objects.create(name="Harbour authority", kind=Speaker.Kind.ORGANIZATION)
    report = make_article(f"The authority said “{QUOTED}” in a statement.", title="Pier news")
    start = report.body.index(QUOTED)
    return make_quote(report, start, start + len(QUOTED), source=source, speaker=speaker)


def test_linking_a_sources_original_shows_the_verdict_and_the_passage(quote, login, live_server):
    make_user("edna", "editor")
    page = login("edna")
    page.goto(f"{live_server.url}{quote.source.get_absolute_url()}")
    expect(page.locator(".original-text")).to_contain_text("No original text")
    field = page.get_by_label("Original text (an article in the archive)")
    field.fill("Harbour authority statement")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator(".original-text")).to_contain_text(
        "Original text: Harbour authority statement"
    )
    expect(page.locator("td.verdict-cell")).to_have_text("Altered")
    assert Quote.objects.get(pk=quote.pk).verdict == "altered"

    page.goto(f"{live_server.url}{quote.article.get_absolute_url()}")
    expect(page.locator(f"#qi-{quote.pk} .verdict-flag")).to_have_text("Altered")
    page.locator(f'mark.hl[aria-describedby~="qi-{quote.pk}"]').click()
    wait_until_settled(page)
    check = page.locator("section.verbatim")
    expect(check).to_contain_text("Altered from Harbour statement")
    expect(check.locator("del")).to_contain_text("Friday")
    expect(check.locator("ins")).to_contain_text("Monday")
    check.get_by_role("link", name="Harbour statement").first.click()
    expect(page.locator("mark#passage")).to_contain_text("reopen to ferries on Friday morning")
    expect(page.locator(".original-of")).to_contain_text("Original of: Harbour statement")
