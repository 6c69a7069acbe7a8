"""The XSS corpus rendered in Chromium: nothing from user content ever runs.

The corpus goes in through the views (see test_xss.py); each test then opens a
group of pages as an editor (and the review pages as a reviewer), hovers and
opens what a reader would, lets htmx settle and checks:

- no script ran: `window.__xss` is undefined and no dialog opened;
- no request left for another origin or for a payload's path (/xss-hit/,
  127.0.0.1:9): every request the page makes is recorded;
- nothing from user content is live in the DOM: no event-handler attribute, no
  javascript:/data:/vbscript: URL, no hx-*/data-hx-* attribute from a payload,
  no frame, object, media, SVG, MathML, style, base or meta element in the page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

# Debian's Chromium as for every browser test; the import also allows the ORM in the test thread.
from tests.browser.conftest import browser_type_launch_args  # noqa: F401

from .test_xss import CHUNKS, PAYLOADS, TEXT_INPUTS, Corpus, build_corpus, joined

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every page type is opened for every chunk with XSS_SWEEP=full (about three times longer);
# by default each page type takes every third chunk, a different third for each type, so
# every chunk is still opened on some detail page and on every list, board and search
# page. test_xss.py checks the HTML of every page for every chunk either way.
FULL_SWEEP = os.environ.get("XSS_SWEEP") == "full"


def sample(items: list, offset: int) -> list:
    return list(items) if FULL_SWEEP else list(items)[offset % 3 :: 3]


# Runs in the page: everything live in the DOM that user content could have put there.
SCAN = r"""() => {
  const found = [];
  if (typeof window.__xss !== "undefined") found.push("script ran: window.__xss = " + window.__xss);
  const TEXTUAL = new Set(["value", "title", "aria-label", "placeholder", "label", "alt"]);
  const URLS = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "background",
                        "poster", "srcset", "srcdoc", "to", "values", "from", "by", "codebase"]);
  const FORBIDDEN = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "math", "svg", "animate", "set", "image", "video", "audio", "source", "track", "img",
    "picture", "marquee", "isindex", "xmp", "style", "link", "meta", "script", "template",
    "noscript", "keygen", "portal"]);
  const APP_OOB = new Set(["article-body", "summary", "quote-groups", "suggestions", "claim-body"]);
  const tag = (el) => "<" + el.localName + (el.id ? "#" + el.id : "") + ">";
  const here = location.origin;
  for (const el of document.querySelectorAll("*")) {
    const head = el.closest("head") !== null;
    const name = el.localName;
    if (head) {
      const src = el.getAttribute("src") || el.getAttribute("href") || "";
      if (name === "script" && (!src.startsWith("/static/") || el.textContent.trim()))
        found.push("script in head: " + (src || el.textContent.slice(0, 60)));
      if (name === "link" && !src.startsWith("/static/")) found.push("link in head: " + src);
      if (name === "meta" && el.httpEquiv) found.push("meta http-equiv " + el.httpEquiv);
      if (["base", "style", "iframe", "object", "embed", "img", "svg"].includes(name))
        found.push("element in head " + tag(el));
    } else if (name === "svg" && el.classList.contains("tl-svg")
               && el.parentElement.closest("svg") === null) {
      // The app's own chart (templates/claims/timeline_svg.html); its children and their
      // attributes are still checked below.
    } else if (FORBIDDEN.has(name) || (name === "input" && el.type === "image")) {
      found.push("element " + tag(el));
    }
    for (const attr of el.attributes) {
      const key = attr.name.toLowerCase();
      // The page's own CSRF header: a random token that may spell anything.
      if (name === "body" && key === "hx-headers" && /^\{"X-CSRFToken": "\w+"\}$/.test(attr.value))
        continue;
      const value = attr.value;
      const flag = (why) =>
        found.push(tag(el) + " " + key + '="' + value.slice(0, 80) + '" (' + why + ")");
      if (key.includes("xss")) flag("attribute name from a payload");
      if (key.startsWith("on")) flag("event handler");
      if (/^(data-)?hx-/.test(key)) {
        if (key.startsWith("data-hx-") || /^hx-(on|boost|ext|select-oob|inherit)/.test(key))
          flag("htmx attribute from user content");
        else if (/xss|127\.0\.0\.1:9|window|js:|javascript:/.test(value))
          flag("htmx attribute from a payload");
        else if (key === "hx-swap-oob" && !APP_OOB.has(el.id))
          flag("out-of-band swap from user content");
        else if (key === "hx-headers" && name !== "body")
          flag("htmx headers from user content");
        else if (key === "hx-vals" && !/^\{"version": "\d*"\}$/.test(value))
          flag("htmx values from user content");
      }
      if (URLS.has(key)) {
        const bare = value.toLowerCase().replace(/[\s\x00-\x1f]/g, "");
        if (/^(javascript|data|vbscript):/.test(bare)) flag("script URL");
        let target = null;
        try { target = new URL(value, location.href); } catch (e) { }
        if (target && ((target.origin === here && /xss|leak/.test(target.pathname))
                       || target.host === "127.0.0.1:9"))
          flag("payload URL");
        if ((key === "action" || key === "formaction") && target && target.origin !== here)
          flag("form posting elsewhere");
        if (!["href", "action", "formaction"].includes(key) && /xss/.test(value))
          flag("loads a payload");
      } else if (key === "style") {
        if (/url\(|expression|xss|position:\s*fixed/.test(value)) flag("style from a payload");
      } else if (!TEXTUAL.has(key) && /xss/.test(value)) {
        flag("payload in a live attribute");
      }
    }
  }
  const busy = !!document.querySelector(".htmx-request, .htmx-settling, .htmx-swapping");
  return {busy, found};
}"""


@dataclass
class Watch:
    """Everything a page did that it should not have: requests, dialogs, DOM findings."""

    origin: str
    findings: list[str] = field(default_factory=list)
    pending: int = 0
    pages: int = 0
    where: str = ""

    def attach(self, context):
        context.on("request", self._started)
        context.on("requestfinished", self._ended)
        context.on("requestfailed", self._ended)
        context.on("page", lambda page: page.on("dialog", self._dialog))

    def _record(self, url: str):
        target = urlparse(url)
        if not url.startswith(self.origin + "/"):
            self.findings.append(f"{self.where}: request to another origin {url}")
        elif "xss" in target.path or "leak" in target.path:
            self.findings.append(f"{self.where}: request to a payload's path {url}")

    def _started(self, request):
        self._record(request.url)
        self.pending += 1

    def _ended(self, request):
        self.pending = max(0, self.pending - 1)

    def _dialog(self, dialog):
        self.findings.append(f"{self.where}: dialog {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def scan(self, page) -> tuple[bool, list[str]]:
        result = page.evaluate(SCAN)
        return bool(result["busy"] or self.pending), result["found"]

    def check(self, page, what: str):
        """Once htmx and the network have been quiet twice in a row, look at the DOM."""
        page.wait_for_load_state("load")
        quiet = 0
        for _ in range(500):
            busy, found = self.scan(page)
            quiet = 0 if busy else quiet + 1
            if quiet >= 2:
                self.findings += [f"{what}: {finding}" for finding in found]
                return
            page.wait_for_timeout(10)
        raise AssertionError(f"{what}: the page never settled")

    def visit(self, page, url: str):
        self.where = url
        self.pages += 1
        response = page.goto(self.origin + url)
        assert response is not None and response.status in (200, 400), (url, response)
        self.check(page, url)


def _session(browser, live_server, client, watch: Watch):
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    watch.attach(context)
    page = context.new_page()
    return context, page


def _reading(page, watch: Watch, corpus: Corpus):
    """Articles with their highlights hovered and opened, histories, speakers and sources."""
    for article in sample(corpus.articles, 0) + corpus.html_articles:
        watch.visit(page, article.get_absolute_url())
        marks = page.locator("mark.hl[tabindex]")
        if not marks.count():
            continue
        marks.first.hover()
        page.locator("#quote-card").wait_for(state="visible")
        watch.check(page, f"{article.get_absolute_url()} hover card")
        page.locator(".quote-item[data-q]").first.hover()
        marks.first.click()  # the edit form, its history and the stances panel
        page.locator("#stances form.stance-form").wait_for()
        page.locator("#stance_claim").focus()  # claim suggestions
        watch.check(page, f"{article.get_absolute_url()} quote opened")
    for quote in sample(corpus.quotes, 1):
        watch.visit(page, reverse("quotes:history", args=[quote.pk]))
    all_text = " ".join(PAYLOADS)[:2000]
    watch.visit(
        page, reverse("quotes:new", args=[corpus.articles[0].pk]) + "?text=" + _quote(all_text)
    )
    watch.visit(page, reverse("articles:list"))
    watch.visit(page, reverse("sources:speakers"))
    watch.visit(page, reverse("sources:sources"))
    for speaker in [corpus.speakers[0], *sample(corpus.speakers[1:], 1)]:  # 0: the organization
        watch.visit(page, speaker.get_absolute_url())  # with its timeline
    page.locator("summary", has_text="Merge a duplicate").click()
    page.locator("#id_duplicate").focus()  # speaker suggestions
    watch.check(page, "merge form")
    for source in sample(corpus.sources, 2):
        watch.visit(page, reverse("sources:source", args=[source.pk]))


def _reviewing(page, watch: Watch, corpus: Corpus):
    """Board, matrix, claims, stances, the review queue and search."""
    for url in (
        reverse("claims:board"),
        reverse("claims:board") + "?status=approved",
        reverse("claims:matrix"),
        reverse("claims:claims"),
        reverse("claims:review"),
    ):
        watch.visit(page, url)
    for claim in sample(corpus.claims, 0):
        watch.visit(page, claim.get_absolute_url())
    for quote in corpus.quotes[:3]:
        watch.visit(page, reverse("claims:quote_stances", args=[quote.pk]))
    for query in ("xss", "window"):
        watch.visit(page, reverse("quotes:search") + "?q=" + query)
    box = page.locator("#site-q")
    box.fill("window.__xss")  # typed: htmx asks for live results after a pause
    page.locator("#live-results li").first.wait_for()
    watch.check(page, "live results for typed text")
    for number, chunk in sample(list(enumerate(CHUNKS)), 2):
        text = joined(chunk)
        watch.visit(page, reverse("quotes:search") + "?q=" + _quote(text))
        # The box fires its search event (as on Enter) with the whole chunk in it.
        with page.expect_response(lambda r: "/search/live/" in r.url):
            box.evaluate(
                "(el, v) => { el.value = v; el.dispatchEvent(new Event('search')); }", text
            )
        watch.check(page, f"live results for chunk {number}")


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


GROUPS = {"reading": _reading, "reviewing": _reviewing}


@pytest.mark.parametrize("group", GROUPS)
def test_no_payload_runs_in_the_browser(group, browser, live_server, tmp_path):
    corpus = build_corpus(tmp_path)
    watch = Watch(origin=live_server.url)
    context, page = _session(browser, live_server, corpus.editor, watch)
    try:
        GROUPS[group](page, watch, corpus)
        if group == "reviewing":  # the reviewer's queue and board show other things
            reviewer_context, reviewer_page = _session(browser, live_server, corpus.reviewer, watch)
            try:
                for url in (reverse("claims:review"), reverse("claims:board")):
                    watch.visit(reviewer_page, url)
            finally:
                reviewer_context.close()
    finally:
        context.close()
    assert watch.pages >= len(CHUNKS) // 3 * 2
    assert not watch.findings, (
        f"{len(watch.findings)} finding(s) on {watch.pages} page(s):\n"
        + "\n".join(watch.findings[:40])
    )
    print(
        f"\n{group}: {len(PAYLOADS)} payloads x {len(TEXT_INPUTS)} inputs, "
        f"{watch.pages} page loads, 0 executed"
    )


# Where a template could put a value, written without escaping: the detector's calibration.
RAW_CONTEXTS = (
    "<main><p>{p}</p></main>",
    '<input value="{p}">',
    "<input value='{p}'>",
    "<input value={p}>",
    '<a href="{p}">link</a>',
    "<script id=harness>var s = '{p}';</script>",
    '<script id=harness>var d = "{p}";</script>',
)


def test_the_detector_catches_every_payload_written_unescaped(page, live_server):
    """Each payload, written raw where a value could land, is caught: the checks can fail."""
    from django.template import Context, Template

    head = Template("{% load django_htmx %}{% htmx_script %}").render(Context())
    watch = Watch(origin=live_server.url)
    watch.attach(page.context)
    documents: dict[str, str] = {}

    def serve(route):
        document = documents.get(route.request.url)
        if document is None:  # e.g. <img src=x> resolved beside the probe page
            return route.fulfill(status=404, body="")
        return route.fulfill(body=document, content_type="text/html; charset=utf-8")

    page.route(f"{live_server.url}/__probe__/**", serve)
    missed = []
    for number, payload in enumerate(PAYLOADS):
        url = f"{live_server.url}/__probe__/{number}"
        body = "\n".join(context.format(p=payload) for context in RAW_CONTEXTS)
        documents[url] = f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"
        watch.findings.clear()
        watch.where = url
        try:
            page.goto(url)  # requests made on load are recorded before it returns
            watch.findings += page.evaluate(SCAN)["found"]
        except PlaywrightError as error:  # the payload navigated the page away: caught too
            watch.findings.append(f"payload {number}: {error.message.splitlines()[0]}")
        if not [f for f in watch.findings if "#harness" not in f]:
            missed.append(payload)
    assert not missed, f"{len(missed)} payload(s) would go unnoticed: {missed}"
