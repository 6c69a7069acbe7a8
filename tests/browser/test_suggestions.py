import pytest
from playwright.sync_api import expect

from apps.quotes.models import Quote
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = (
    "Cup final\n\n"
    "Fans cheered all night in the square.\n\n"
    '"We won it for the city," coach Pat Riley said after the match.\n'
)


def test_import_then_accept_a_suggestion_in_one_click(login, live_server, tmp_path):
    make_user("edna", "editor")
    path = tmp_path / "cup-final.txt"
    path.write_text(STORY, encoding="utf-8")
    page = login("edna")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cup final")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("We won it for the city")
    expect(suggestions).to_contain_text("Pat Riley (new)")
    suggestions.get_by_role("button", name="Accept: ").first.click()
    expect(page.locator("#summary")).to_contain_text("1 quote")
    quote = Quote.objects.select_related("speaker").get()
    assert quote.speaker.name == "Pat Riley"
    expect(page.locator(f'mark.hl[aria-describedby~="qi-{quote.pk}"]')).to_have_text(quote.exact)
    expect(suggestions).not_to_contain_text("We won it for the city")


@pytest.mark.queue
def test_the_suggestions_appear_when_the_worker_has_found_them(login, live_server, tmp_path):
    from tests.conftest import run_worker_once

    make_user("edna", "editor")
    path = tmp_path / "cup-final.txt"
    path.write_text(STORY, encoding="utf-8")
    page = login("edna")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cup final")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("Finding quotes in this article…")
    run_worker_once()
    # The panel polls: no reload.
    expect(suggestions).to_contain_text("We won it for the city", timeout=10_000)
    expect(suggestions).not_to_contain_text("Finding quotes")
