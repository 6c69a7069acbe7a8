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


def test_a_reviewer_finds_claims_in_the_menu_and_adds_a_statement_in_two_clicks(login, live_server):
    make_user("rita", "reviewer")
    minister = Speaker.objects.create(name="The Minister")
    article = make_article(
        "The minister said “the tax cut is funded in full” on Monday.", title="Budget"
    )
    start = article.body.index("“")
    quote = make_quote(article, start, start + len("“the tax cut is funded in full”"))
    quote.speaker = minister
    quote.save()
    claim = Claim.objects.create(text="The tax cut is funded")
    page = login("rita")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
    page.get_by_role("link", name=claim.text).click()
    panel = page.locator("#add-statements")
    expect(panel.get_by_role("heading", name="Add statements")).to_be_visible()
    expect(panel).to_contain_text("the tax cut is funded in full")  # a likely statement
    panel.get_by_role("button", name="Affirms: “the tax cut is funded in full”").click()
    expect(panel).to_contain_text("1 statement recorded as affirms.")
    expect(page.locator("#claim-body")).to_contain_text("Affirming (1)")
    expect(page.locator("#claim-body")).to_contain_text("The Minister")
    assert Stance.objects.get(claim=claim).quote == quote


def test_the_quote_panel_offers_a_stance_before_the_quote_form(login, live_server):
    make_user("eddie", "editor")
    article = make_article("The minister said “we never agreed to it” on Monday.", title="Denial")
    start = article.body.index("“")
    quote = make_quote(article, start, start + len("“we never agreed to it”"))
    page = login("eddie")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.locator(f"#qi-{quote.pk}").get_by_role("link", name="Record a stance").click()
    editor = page.locator("#editor")
    expect(editor.get_by_role("heading", name="Stances on claims")).to_be_visible()
    stance_top = editor.locator("#stances").bounding_box()["y"]
    form_top = editor.locator("form.quote-form").bounding_box()["y"]
    assert stance_top < form_top
