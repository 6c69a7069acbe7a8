"""Fetching pages and feeds on loopback: what is read, and every clear refusal."""

import datetime
import time

import pytest

from apps.articles import fetching
from apps.articles.importing import ImportRefused

pytestmark = pytest.mark.usefixtures("fetch_settings")


def refusal(call, *args) -> str:
    with pytest.raises(ImportRefused) as caught:
        call(*args)
    message = str(caught.value)
    assert "\n" not in message and message.endswith(".")
    return message


def test_a_news_page_is_reduced_to_its_article(web):
    page = fetching.read_page(web.url("/pages/article.html"))
    assert page.title == "Bridge reopens after repairs"
    assert page.body.startswith("The Old Mill bridge reopened to traffic on Tuesday morning")
    assert "“The bridge is safe, and it will stay open through the winter,” said Tom Reyes" in (
        page.body
    )
    assert page.body.endswith("until inspections in the spring.")
    for noise in ("NAVLINK", "ADVERT", "COMMENT", "RELATED", "FOOTER", "TRACKER", "UA-0000"):
        assert noise not in page.body
    assert "<" not in page.body and "Bridge reopens after repairs" not in page.body
    assert page.meta.outlet == "Riverside Courier"
    assert page.meta.byline == "Maria Lopez"
    assert page.meta.published == datetime.date(2024, 3, 5)
    assert page.meta.url == web.url("/pages/article.html")


def test_markup_smuggled_into_the_page_goes_through_the_sanitizer():
    html = (
        "<html><head><title>Hostile &lt;b onclick=x&gt;page</title></head><body><article>"
        "<h1>Hostile page</h1>"
        + "<p>The minister said “we will not resign” <img src=x onerror=alert(1)>today, "
        "and <a href='javascript:alert(1)'>repeated it</a> later in a long interview.</p>"
        * 3
        + "</article></body></html>"
    )
    page = fetching.extract(html, "https://example.org/hostile")
    assert "onerror" not in page.body and "javascript" not in page.body and "<" not in page.body
    assert "“we will not resign” today" in page.body


def test_a_redirect_is_followed_and_the_final_url_kept(web):
    page = fetching.read_page(web.url("/moved"))
    assert page.title == "Council approves new library budget"
    assert page.meta.url == web.url("/pages/second.html")
    assert web.requests == ["/moved", "/pages/second.html"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/empty", "empty page"),
        ("/blank", "empty page"),
        ("/image.png", "not an HTML page (image/png)"),
        ("/report.pdf", "not an HTML page (application/pdf)"),
        ("/no-type", "not an HTML page (no content type)"),
        ("/loop-a", "the redirects go round in a loop"),
        ("/chain/0", "more than 3 redirects"),
        ("/pages/gone.html", "the server answered HTTP 404 Not Found"),
        ("/error", "the server answered HTTP 500"),
        ("/pages/no-article.html", "no article text found on the page"),
        ("/huge-declared", "100.0 MB, more than the 256 KB Quotetrail reads"),
    ],
)
def test_pages_that_cannot_be_imported_are_refused_with_a_reason(web, path, expected):
    message = refusal(fetching.read_page, web.url(path))
    assert expected in message
    assert message.startswith(web.base)


def test_a_huge_page_is_refused_and_reading_stops_at_the_cap(web):
    message = refusal(fetching.read_page, web.url("/huge"))
    assert "more than the 256 KB Quotetrail reads" in message
    time.sleep(0.2)
    # The server meant to send 50 MB; the client hung up after about 256 KB (what is
    # left in flight is the sockets' buffers).
    assert web.huge_sent < 16 * 1024 * 1024


def test_a_server_that_does_not_answer_in_time_is_refused(web):
    started = time.monotonic()
    message = refusal(fetching.read_page, web.url("/slow"))
    assert "no answer within 1 s" in message
    assert time.monotonic() - started < 2.5


def test_a_download_that_drags_on_past_the_timeout_is_refused(web):
    started = time.monotonic()
    message = refusal(fetching.read_page, web.url("/trickle"))
    assert "not downloaded within 1 s" in message
    assert time.monotonic() - started < 2.5


def test_nothing_listens_there(web):
    web.server_close()
    assert "cannot connect" in refusal(fetching.read_page, web.url("/pages/article.html"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", "No URL given."),
        ("not a url", "is not a URL"),
        ("example.org/news", "is not a URL (it should start with https://)"),
        ("ftp://example.org/feed.xml", "only http:// and https:// URLs can be imported"),
        ("file:///etc/passwd", "only http:// and https:// URLs can be imported"),
        ("javascript:alert(1)", "only http:// and https:// URLs can be imported"),
        ("http://", "has no host name"),
        ("http://user:secret@example.org/", "put no user name or password"),
        ("http://example.org:99999/", "is not a URL"),
    ],
)
def test_what_is_not_an_http_url_is_refused_before_any_request(url, expected):
    assert expected in refusal(fetching.check_url, url)
    assert expected in refusal(fetching.read_page, url)


def test_in_production_loopback_and_private_addresses_are_refused(web, settings):
    settings.QUOTETRAIL_FETCH_ALLOW_PRIVATE = False
    message = refusal(fetching.read_page, web.url("/pages/article.html"))
    assert "127.0.0.1" in message and "only imports from the public internet" in message
    assert web.requests == []
    for url in ("http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/"):
        assert "not a public address" in refusal(fetching.read_feed, url)


def test_a_redirect_to_a_private_address_is_refused(web, settings, monkeypatch):
    """A public page that redirects inside: each hop is checked like the first URL."""
    settings.QUOTETRAIL_FETCH_ALLOW_PRIVATE = False
    opened = []
    real_check = fetching.addresses.check

    def check(url, private=None, reach=""):
        opened.append(url)
        if len(opened) == 1:  # pretend the first URL is a public host (the loopback server)
            return real_check(url, private=True, reach=reach)
        return real_check(url, private=private, reach=reach)

    monkeypatch.setattr(fetching.addresses, "check", check)
    message = refusal(fetching.read_page, web.url("/moved"))
    assert "not a public address" in message
    assert web.requests == ["/moved"]


def test_an_rss_feed_lists_its_entries_links(web):
    feed = fetching.read_feed(web.url("/feeds/feed.rss"))
    assert feed.title == "Riverside Courier: News"
    assert feed.links == [web.url("/pages/article.html"), web.url("/pages/second.html")]


def test_an_atom_feed_lists_its_entries_links(web):
    feed = fetching.read_feed(web.url("/feeds/feed.atom"))
    assert feed.links == [web.url("/pages/third.html")]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/feeds/empty.rss", "the feed has no entries"),
        ("/pages/article.html", "not an RSS or Atom feed (text/html)"),
        ("/image.png", "not an RSS or Atom feed (image/png)"),
        ("/empty", "not an RSS or Atom feed"),
        ("/loop-a", "loop"),
        ("/slow", "no answer within 1 s"),
    ],
)
def test_feeds_that_cannot_be_read_are_refused(web, path, expected):
    assert expected in refusal(fetching.read_feed, web.url(path))


def test_xml_that_is_not_a_feed_is_refused():
    message = refusal(fetching.parse_feed, b"<?xml version='1.0'?><note>hi</note>", "http://x/f")
    assert "not an RSS or Atom feed" in message
