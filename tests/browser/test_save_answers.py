"""After every save swapped in without a reload, the page is the one a reload shows."""

import pytest
from playwright.sync_api import expect

from apps.quotes.models import Quote
from apps.sources.models import Speaker
from tests.conftest import make_article, make_quote, make_user

from .test_tagging import drag_select, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "Fans 😀 cheered all night.\n\n"
    "“We never gave up,” the coach said after the match.\n\n"
    "The captain called it “the best day of my life” on Sunday.\n\n"
    "“We go again next week,” Pat Coach said."
)

# The regions a save changes, as the browser holds them: classes set by scripts (hover,
# focus, the saved flash, htmx's settling) and white space between tags left out, except
# in the article body, where every character is text.
REGIONS = """() => {
  const TRANSIENT = ["is-active", "just-saved", "htmx-added", "htmx-settling", "htmx-swapping"];
  const read = (id, keepSpace) => {
    const copy = document.getElementById(id).cloneNode(true);
    for (const el of [copy, ...copy.querySelectorAll("*")]) {
      el.classList.remove(...TRANSIENT);
      if (el.getAttribute("class") === "") el.removeAttribute("class");
    }
    return keepSpace ? copy.outerHTML : copy.outerHTML.replace(/>\\s+</g, "><").trim();
  };
  return {
    body: read("article-body", true),
    summary: read("summary", false),
    quotes: read("quote-groups", false),
  };
}"""


def settled(page):
    wait_until_settled(page)


def assert_like_reload(page):
    settled(page)
    swapped = page.evaluate(REGIONS)
    page.reload()
    reloaded = page.evaluate(REGIONS)
    for region in ("body", "summary", "quotes"):
        assert swapped[region] == reloaded[region], region


def highlight(page, quote):
    return page.locator(f'mark.hl[aria-describedby~="qi-{quote.pk}"]')


def test_tag_edit_and_delete_swap_in_the_page_a_reload_shows(login, live_server):
    team = Speaker.objects.create(name="City FC", kind=Speaker.Kind.ORGANIZATION)
    Speaker.objects.create(name="Pat Coach", role="head coach", affiliation=team)
    article = make_article(BODY, title="Match report")
    make_user("edna", "editor")
    page = login("edna")
    page.on("dialog", lambda dialog: dialog.accept())  # "Delete this quote?"
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    editor = page.locator("#editor")

    # Tag: the coach's words, with the mouse.
    drag_select(page, "“We never gave up,”")
    page.get_by_role("button", name="Tag").click()
    page.locator("#id_speaker").fill("Pat Coach")
    shown = page.locator("#counts").get_attribute("data-reading")
    with page.expect_request(lambda request: request.method == "POST") as sent:
        page.get_by_role("button", name="Save").click()
    assert sent.value.headers["x-quotetrail-reading"] == shown  # the page says what it shows
    expect(editor).to_contain_text("Quote tagged.")
    coach = Quote.objects.get(exact="“We never gave up,”")
    expect(highlight(page, coach)).to_be_focused()
    assert_like_reload(page)

    # A colleague tags "on Sunday" meanwhile: the next save brings the whole page up to date.
    start = BODY.index("on Sunday")
    colleague = make_quote(article, start, start + len("on Sunday"), kind="indirect")

    # Tag: the captain's words, by a new speaker, with the keyboard.
    drag_select(page, "“the best day of my life”")
    page.keyboard.press("t")
    page.locator("#id_speaker").fill("The Captain")
    page.locator("#id_new_speaker").check()
    page.keyboard.press("Control+Enter")
    expect(editor).to_contain_text("Quote tagged.")
    captain = Quote.objects.get(exact="“the best day of my life”")
    expect(highlight(page, captain)).to_be_focused()
    expect(page.locator("#quote-groups")).to_contain_text("The Captain")
    expect(page.locator(f"#qi-{colleague.pk}")).to_have_count(1)
    assert_like_reload(page)

    # Accept the suggested quotation at the end: a quote in Pat Coach's group.
    page.locator("#suggestions").get_by_role("button", name="Accept: “We go again").click()
    expect(page.locator("#suggestions")).to_contain_text("Tagged as a draft quote")
    expect(page.locator("#summary")).to_contain_text("4 quotes")
    assert_like_reload(page)

    # Edit: the captain's quote becomes the coach's (the captain's group empties).
    highlight(page, captain).click()
    expect(editor).to_contain_text("Edit quote")
    page.locator("#id_speaker").fill("Pat Coach")
    page.locator("#id_kind_1").check()  # partial
    page.get_by_role("button", name="Save").click()
    expect(editor).to_contain_text("Quote saved.")
    expect(page.locator("#quote-groups")).not_to_contain_text("The Captain")
    assert_like_reload(page)

    # Edit: the coach's first-tagged quote goes to the captain, who now holds the article's
    # first-tagged quote and becomes number 1: everyone is renumbered.
    highlight(page, coach).click()
    expect(editor).to_contain_text("Edit quote")
    page.locator("#id_speaker").fill("The Captain")
    page.get_by_role("button", name="Save").click()
    expect(editor).to_contain_text("Quote saved.")
    expect(page.locator("#summary .legend li").first).to_contain_text("The Captain")
    assert_like_reload(page)

    # Re-span: the captain's quote moves to the fans' cheering.
    highlight(page, coach).click()
    expect(editor).to_contain_text("Edit quote")
    drag_select(page, "cheered all night")
    page.get_by_role("button", name="Re-span").click()
    expect(page.locator("#id_text")).to_have_value("cheered all night")
    page.get_by_role("button", name="Save").click()
    expect(editor).to_contain_text("Quote saved.")
    expect(highlight(page, coach)).to_have_text("cheered all night")
    assert_like_reload(page)

    # Delete the captain's words, now the coach's.
    highlight(page, captain).click()
    expect(editor).to_contain_text("Edit quote")
    editor.get_by_role("link", name="Delete…").click()
    expect(editor).to_contain_text("Quote deleted")
    expect(highlight(page, captain)).to_have_count(0)
    expect(page.locator(f"#qi-{captain.pk}")).to_have_count(0)
    assert_like_reload(page)
    assert Quote.objects.filter(article=article).count() == 3
