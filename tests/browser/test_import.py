import pytest
from playwright.sync_api import expect

from apps.articles.models import Article
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_title_over_300_characters_is_refused_not_cut(login, live_server):
    make_user("edna", "editor")
    page = login("edna")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Or paste the article").fill("Fans cheered all night in the square.")
    title = page.get_by_label("Title")
    title.fill("A" * 400)
    expect(title).to_have_value("A" * 400)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-errors")).to_contain_text(
        "The title is 400 characters long (at most 300)"
    )
    expect(title).to_have_value("A" * 400)  # kept for the editor to shorten
    assert Article.objects.count() == 0
