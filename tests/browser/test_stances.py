import pytest
from playwright.sync_api import expect

from apps.claims.models import Claim, Stance
from apps.sources.models import Speaker
from tests.conftest import make_article, make_quote, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_a_stance_from_the_quote_panel_and_see_the_board_update(login, live_server):
    make_user("rui", "reviewer")
    minister = Speaker.objects.create(name="The Minister")
    article = make_article("The minister said “we never agreed to it” on Monday.", title="Denial")
    start = article.body.index("“")
    quote = make_quote(article, start, start + len("“we never agreed to it”"), speaker=minister)
    claim = Claim.objects.create(text="The minister agreed to the plan")
    page = login("rui")
    page.goto(f"{live_server.url}/board/")
    expect(page.locator(f"#claim-{claim.pk}")).not_to_contain_text("we never agreed")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.locator(f'mark.hl[aria-describedby~="qi-{quote.pk}"]').click()
    stances = page.locator("#stances")
    expect(stances.get_by_role("heading", name="Stances on claims")).to_be_visible()
    stances.get_by_label("Claim", exact=True).fill(claim.text)
    stances.get_by_label("Denies").check()
    stances.get_by_role("button", name="Record stance").click()
    expect(stances).to_contain_text("Stance recorded: denies")
    assert Stance.objects.get().position == "denies"
    page.get_by_role("link", name="Board").click()
    row = page.locator(f"#claim-{claim.pk}")
    expect(row).to_contain_text("we never agreed to it")
    expect(row).to_contain_text("✗ denies")
    expect(row).to_contain_text("The Minister")
