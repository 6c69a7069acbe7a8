import time

import pytest
from playwright.sync_api import expect

from apps.quotes.models import Quote
from apps.sources.models import Speaker
from tests.conftest import make_article, make_quote, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "Fans 😀 cheered all night.\n\n"
    "“We never gave up,” the coach said after the match.\n\n"
    "The captain called it “the best day of my life” on Sunday."
)


@pytest.fixture
def article(db):
    team = Speaker.objects.create(name="City FC", kind=Speaker.Kind.ORGANIZATION)
    Speaker.objects.create(name="Pat Coach", role="head coach", affiliation=team)
    return make_article(BODY, title="Match report")


BUSY = (
    "() => !!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
)


def wait_until_settled(page, timeout=10.0):
    """Until no htmx request runs and no swap is settling. Polled from here: the page's
    CSP (no 'unsafe-eval') refuses Playwright's own polling of wait_for_function."""
    deadline = time.monotonic() + timeout
    while page.evaluate(BUSY):
        assert time.monotonic() < deadline, "the page never settled"
        page.wait_for_timeout(25)


def drag_select(page, text, attempts=3):
    """Select `text` in the article body with the mouse, as a person would: once the page
    has settled (no htmx request running or settling), and again if a late swap (a panel
    loading) moved the text under the pointer mid-drag."""
    for attempt in range(attempts):
        wait_until_settled(page)
        _drag(page, text)
        if page.evaluate("getSelection().toString()") == text or attempt == attempts - 1:
            break
        page.evaluate("getSelection().removeAllRanges()")
    assert page.evaluate("getSelection().toString()") == text


def _drag(page, text):
    box = page.evaluate(
        """(needle) => {
          const body = document.getElementById('article-body');
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const i = node.data.indexOf(needle);
            if (i < 0) continue;
            const first = document.createRange();
            first.setStart(node, i);
            first.setEnd(node, i + 1);
            const last = document.createRange();
            last.setStart(node, i + needle.length - 1);
            last.setEnd(node, i + needle.length);
            const a = first.getBoundingClientRect();
            const b = last.getBoundingClientRect();
            return {
              x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2
            };
          }
          return null;
        }""",
        text,
    )
    assert box, text
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def test_select_with_the_mouse_tag_reload_and_find_it_attributed(article, login, live_server):
    make_user("edna", "editor")
    page = login("edna")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    drag_select(page, "“We never gave up,”")
    page.get_by_role("button", name="Tag").click()
    form = page.locator("#editor form[data-quote-form]")
    expect(form).to_be_visible()
    expect(page.locator("#id_text")).to_have_value("“We never gave up,”")
    expect(page.locator("#id_cue")).to_have_value("said")
    expect(page.locator("#id_speaker")).to_be_focused()
    page.locator("#id_speaker").fill("Pat Coach")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#editor")).to_contain_text("Quote tagged.")
    quote = Quote.objects.get()
    assert quote.exact == "“We never gave up,”"
    assert BODY[quote.start : quote.end] == quote.exact  # the emoji before did not shift it
    highlight = page.locator(f'mark.hl[aria-describedby~="qi-{quote.pk}"]')
    expect(highlight).to_be_focused()
    expect(page.locator("#summary")).to_contain_text("1 quote")
    page.reload()
    expect(highlight).to_have_text("“We never gave up,”")
    expect(page.locator(f"#qi-{quote.pk}")).to_contain_text("Direct")
    expect(page.locator("#quote-groups")).to_contain_text("Pat Coach")


def test_tag_with_the_keyboard_only(article, login, live_server):
    make_user("edna", "editor")
    page = login("edna")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.keyboard.press("n")
    text = page.locator("#id_text")
    expect(text).to_be_focused()
    page.keyboard.type("“the best day of my life”")
    page.keyboard.press("Tab")
    expect(page.locator("#id_speaker")).to_be_focused()
    page.keyboard.type("The Captain")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # "New speaker: create it"
    page.keyboard.press("Control+Enter")
    quote_item = page.locator("#quote-groups .quote-item")
    expect(quote_item).to_have_count(1)
    quote = Quote.objects.select_related("speaker").get()
    assert (quote.exact, quote.speaker.name) == ("“the best day of my life”", "The Captain")
    expect(page.locator(f'mark.hl[aria-describedby~="qi-{quote.pk}"]')).to_be_focused()
    # J moves between highlights; Enter opens the focused one for editing.
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page.locator("#editor")).to_contain_text("Edit quote")
    expect(page.locator("#id_speaker")).to_be_focused()
    # The first Escape may only close the speaker suggestions the field opened.
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page.locator("#editor form[data-quote-form]")).to_have_count(0)
    expect(page.locator(f'mark.hl[aria-describedby~="qi-{quote.pk}"]')).to_be_focused()


def test_two_editors_change_one_quote_and_the_second_gets_the_conflict_panel(
    article, browser, live_server
):
    quote = make_quote(article, BODY.index("“We"), BODY.index("said") - 11, kind="direct")
    pages = []
    for name in ("first", "second"):
        make_user(name, "editor")
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(name)
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}{article.get_absolute_url()}")
        page.locator(f'mark.hl[aria-describedby~="qi-{quote.pk}"]').click()
        expect(page.locator("#editor")).to_contain_text("Edit quote")
        pages.append(page)
    first, second = pages
    first.locator("#id_cue").fill("insisted")
    first.get_by_role("button", name="Save").click()
    expect(first.locator("#editor")).to_contain_text("Quote saved.")
    second.locator("#id_cue").fill("claimed")
    second.get_by_role("button", name="Save").click()
    panel = second.locator("#editor")
    expect(panel).to_contain_text("Someone else changed this quote")
    expect(panel).to_contain_text("insisted")
    expect(second.locator(".conflict-title")).to_be_focused()
    second.get_by_role("button", name="Overwrite with mine").click()
    expect(second.locator("#editor")).to_contain_text("Quote saved.")
    cues = list(quote.history.order_by("history_date").values_list("cue", "history_user__username"))
    assert cues[-2:] == [("insisted", "first"), ("claimed", "second")]


def test_tagging_a_tagged_passage_again_says_so_inline_and_keeps_the_page(
    article, login, live_server, served_as
):
    tagged = "“the best day of my life”"
    make_quote(article, BODY.index(tagged), BODY.index(tagged) + len(tagged), kind="partial")
    make_user("edna", "editor")
    page = login("edna")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.keyboard.press("n")
    expect(page.locator("#id_text")).to_be_focused()
    page.keyboard.type(tagged)
    page.keyboard.press("Control+Enter")
    editor = page.locator("#editor")
    expect(editor.locator(".errorlist, .form-error, [role=alert]").first).to_contain_text(
        "already tagged"
    )
    # The refusal came back as a 400 and was swapped into the editor alone: the page
    # around it, its styles and its highlights are all still there.
    expect(page.locator("header.topbar nav")).to_be_visible()
    expect(page.locator("#article-body mark.hl")).to_have_count(1)
    expect(page.locator("#id_text")).to_have_value(tagged)
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    assert page.evaluate("document.styleSheets.length") >= 1
    assert Quote.objects.count() == 1, served_as


def first_letter_to_word(page, quote, word):
    """Points on the first letter of `quote`'s highlight and on the last letter of the
    first `word` after it, in viewport coordinates."""
    box = page.evaluate(
        """([id, word]) => {
          const mark = document.querySelector(`mark.hl[aria-describedby~="qi-${id}"]`);
          const point = (node, i, edge) => {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const r = range.getBoundingClientRect();
            return { x: edge === 'left' ? r.left + 1 : r.right - 1, y: r.top + r.height / 2 };
          };
          const walker = document.createTreeWalker(
            document.getElementById('article-body'), NodeFilter.SHOW_TEXT);
          walker.currentNode = mark.firstChild;
          let node = mark.firstChild;
          do {
            const i = node.data.indexOf(word);
            if (i < 0) continue;
            const last = i + word.length - 1;
            return { from: point(mark.firstChild, 0, 'left'), to: point(node, last, 'right') };
          } while ((node = walker.nextNode()));
          return null;
        }""",
        [quote.pk, word],
    )
    assert box, word
    return box["from"], box["to"]


def select_in_body(page, text):
    """Select `text` (inside one text node) with a DOM range, as assistive tools may."""
    found = page.evaluate(
        """(needle) => {
          const walker = document.createTreeWalker(
            document.getElementById('article-body'), NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const i = node.data.indexOf(needle);
            if (i < 0) continue;
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + needle.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return true;
          }
          return false;
        }""",
        text,
    )
    assert found, text


BEST_DAY = "“the best day of my life”"


@pytest.fixture
def best_day(article):
    """A quote that starts mid-line, after other words of its paragraph."""
    start = BODY.index(BEST_DAY)
    return make_quote(article, start, start + len(BEST_DAY), kind="direct")


def test_dragging_from_the_first_letter_of_a_highlight_selects_and_tags_a_nested_quote(
    best_day, login, live_server
):
    make_user("edna", "editor")
    page = login("edna")
    page.goto(f"{live_server.url}{best_day.article.get_absolute_url()}")
    start, end = first_letter_to_word(page, best_day, "day")
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(end["x"], end["y"], steps=8)
    page.mouse.up()
    assert page.evaluate("getSelection().toString()") == "“the best day"
    expect(page.locator("#selection-actions")).to_be_visible()
    expect(page.locator("#editor")).not_to_contain_text("Edit quote")
    page.get_by_role("button", name="Tag").click()
    expect(page.locator("#editor")).to_contain_text("Tag a quote")
    expect(page.locator("#id_text")).to_have_value("“the best day")


def test_a_plain_click_on_a_highlight_opens_the_quote_for_editing(best_day, login, live_server):
    make_user("edna", "editor")
    page = login("edna")
    page.goto(f"{live_server.url}{best_day.article.get_absolute_url()}")
    page.locator(f'mark.hl[aria-describedby~="qi-{best_day.pk}"]').click()
    expect(page.locator("#editor")).to_contain_text("Edit quote")
    expect(page.locator("#id_text")).to_have_value(BEST_DAY)


def test_re_span_is_offered_only_while_a_quote_is_edited_and_moves_it(best_day, login, live_server):
    make_user("edna", "editor")
    page = login("edna")
    page.goto(f"{live_server.url}{best_day.article.get_absolute_url()}")
    tag = page.get_by_role("button", name="Tag")
    respan = page.get_by_role("button", name="Re-span")
    drag_select(page, "cheered all night")
    expect(tag).to_be_visible()
    expect(respan).to_be_hidden()

    highlight = page.locator(f'mark.hl[aria-describedby~="qi-{best_day.pk}"]')
    highlight.click()
    expect(page.locator("#editor")).to_contain_text("Edit quote")
    # The form focuses its first field once settled; that focus would drop a selection.
    expect(page.locator("#id_speaker")).to_be_focused()
    drag_select(page, "cheered all night")
    expect(respan).to_be_visible()
    page.locator("#editor").get_by_role("link", name="Cancel").click()
    expect(page.locator("#editor")).not_to_contain_text("Edit quote")
    expect(tag).to_be_visible()  # the selection is still there, but nothing to re-span
    expect(respan).to_be_hidden()

    highlight.click()
    expect(page.locator("#editor")).to_contain_text("Edit quote")
    expect(page.locator("#id_speaker")).to_be_focused()
    drag_select(page, "the coach said after the match")
    expect(respan).to_be_visible()
    respan.click()
    expect(page.locator("#id_text")).to_have_value("the coach said after the match")
    expect(page.locator("#selection-actions")).to_be_hidden()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#editor")).to_contain_text("Quote saved.")
    best_day.refresh_from_db()
    assert best_day.exact == "the coach said after the match"
    assert BODY[best_day.start : best_day.end] == best_day.exact


def test_tagging_an_already_tagged_passage_warns_at_once_and_links_to_that_quote(
    best_day, login, live_server
):
    make_user("edna", "editor")
    page = login("edna")
    page.goto(f"{live_server.url}{best_day.article.get_absolute_url()}")
    select_in_body(page, BEST_DAY)
    page.keyboard.press("t")
    editor = page.locator("#editor")
    expect(editor).to_contain_text("Tag a quote")
    warning = editor.locator(".already-tagged")
    expect(warning).to_contain_text("This passage is already tagged as a quote.")
    warning.get_by_role("link", name="Edit that quote").click()
    expect(editor).to_contain_text("Edit quote")
    expect(page.locator("#id_text")).to_have_value(BEST_DAY)
    expect(page.locator("#id_version")).to_have_value(str(best_day.version))


def test_tagging_a_passage_nested_in_a_quote_gives_no_warning(best_day, login, live_server):
    make_user("edna", "editor")
    page = login("edna")
    page.goto(f"{live_server.url}{best_day.article.get_absolute_url()}")
    select_in_body(page, "best day of my life")
    page.keyboard.press("t")
    editor = page.locator("#editor")
    expect(page.locator("#id_text")).to_have_value("best day of my life")
    expect(editor.locator(".already-tagged")).to_have_count(0)
    expect(editor).not_to_contain_text("already tagged")
