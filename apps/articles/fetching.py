"""Bringing articles in from the web: a feed's entries or article pages, by URL.

`fetch` GETs one http(s) URL the way a server that fetches URLs typed by users must:
every URL and every redirect is checked by the webhooks' guard against server-side
request forgery (apps/webhooks/addresses.py) and the request goes to the address that
was checked; at most QUOTETRAIL_FETCH_MAX_REDIRECTS redirects, a loop refused at once;
QUOTETRAIL_FETCH_TIMEOUT seconds for the connection, each read and the whole download;
at most QUOTETRAIL_FETCH_MAX_BYTES read, streaming, and the download stopped as soon as
it passes that; the content type checked before the body is read.

`read_page` reduces a page to its article with trafilatura (the main text only: no
navigation, advertisements, related links or comments), and that HTML still goes through
the one sanitizing module (sanitize.html_to_text) before anything is stored.
`read_feed` parses a fetched feed with feedparser (which never fetches anything itself
here) and returns the links of its entries.

Every failure is an `ImportRefused` (`FetchRefused`) with a one-line reason.
"""

import datetime
import http.client
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import trafilatura
from django.conf import settings

from apps.webhooks import addresses

from .importing import ImportRefused, Metadata
from .sanitize import html_to_text

USER_AGENT = "Quotetrail-Import/1 (+newsroom archive)"
CHUNK = 64 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
REDIRECTS = (301, 302, 303, 307, 308)


class FetchRefused(ImportRefused):
    """The URL could not be fetched, or what it answered cannot be imported."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # lower case, without parameters
    charset: str | None
    data: bytes


def timeout() -> float:
    return float(settings.QUOTETRAIL_FETCH_TIMEOUT)


def max_bytes() -> int:
    return int(settings.QUOTETRAIL_FETCH_MAX_BYTES)


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


def check_url(url: str) -> str:
    """The URL, stripped, if it is an http(s) URL with a host and no password; else refused
    (nothing is resolved or fetched here: for forms)."""
    url = (url or "").strip()
    if not url:
        raise FetchRefused("No URL given.")
    if any(c in url for c in "\x00\r\n\t ") or len(url) > 1000:
        raise FetchRefused(f"{url[:80]!r} is not a URL.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a bad port raises ValueError)
    except ValueError:
        raise FetchRefused(f"{url[:80]!r} is not a URL.") from None
    if parts.scheme.lower() not in addresses.SCHEMES:
        if not parts.scheme:
            raise FetchRefused(f"{url[:80]!r} is not a URL (it should start with https://).")
        raise FetchRefused(f"{url[:80]!r}: only http:// and https:// URLs can be imported.")
    if not parts.hostname:
        raise FetchRefused(f"{url[:80]!r} has no host name.")
    if parts.username or parts.password:
        raise FetchRefused(f"{url[:80]!r}: put no user name or password in the URL.")
    return urldefrag(url)[0]


def guard(url: str) -> tuple[str, str]:
    """(scheme, checked address) for a URL that may be fetched, else refused."""
    check_url(url)
    try:
        scheme, _host, _port, found = addresses.check(
            url,
            private=bool(settings.QUOTETRAIL_FETCH_ALLOW_PRIVATE),
            reach="Quotetrail only imports from the public internet",
        )
    except addresses.Refused as refusal:
        raise FetchRefused(f"{url}: {refusal}") from None
    return scheme, found[0]


def _open(url: str, deadline: float):
    scheme, address = guard(url)
    opener = addresses.pinned_opener(scheme, address)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    # http(s) only: guard refused any other scheme, and the opener has no other handler.
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    wait = max(0.1, min(timeout(), deadline - time.monotonic()))
    try:
        return opener.open(request, timeout=wait)
    except TimeoutError:
        raise FetchRefused(f"{url}: no answer within {timeout():g} s.") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchRefused(f"{url}: no answer within {timeout():g} s.") from None
        raise FetchRefused(f"{url}: cannot connect ({exc.reason}).") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchRefused(f"{url}: cannot connect ({exc.__class__.__name__}).") from None


def _media_type(value: str) -> tuple[str, str | None]:
    message = Message()
    message["Content-Type"] = value or ""
    return message.get_content_type().lower(), message.get_content_charset()


def fetch(url: str, accept: tuple[str, ...], what: str = "a web page") -> Fetched:
    """GET `url` (see the module) and return what it answered; `accept` lists the content
    types wanted, `what` names them in the refusal."""
    url = check_url(url)
    deadline = time.monotonic() + timeout()
    seen = [url]
    limit = int(settings.QUOTETRAIL_FETCH_MAX_REDIRECTS)
    while True:
        response = _open(url, deadline)
        with response:
            status = response.status
            if status in REDIRECTS:
                location = response.headers.get("Location", "")
                if not location:
                    raise FetchRefused(f"{url}: redirected (HTTP {status}) to nowhere.")
                target = urldefrag(urljoin(url, location.strip()))[0]
                if target in seen:
                    raise FetchRefused(f"{seen[0]}: the redirects go round in a loop.")
                if len(seen) > limit:
                    raise FetchRefused(f"{seen[0]}: more than {limit} redirects.")
                seen.append(target)
                url = target
                continue
            if status != 200:
                reason = f" {response.reason}" if response.reason else ""
                raise FetchRefused(f"{url}: the server answered HTTP {status}{reason}.")
            content_type, charset = _media_type(response.headers.get("Content-Type", ""))
            if content_type not in accept:
                shown = response.headers.get("Content-Type") or "no content type"
                raise FetchRefused(f"{url}: not {what} ({shown.split(';')[0].strip()}).")
            return Fetched(url, content_type, charset, _read(response, url, deadline))


def _read(response, url: str, deadline: float) -> bytes:
    cap = max_bytes()
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise FetchRefused(
            f"{url}: {_size(int(declared))}, more than the {_size(cap)} Quotetrail reads."
        )
    chunks, total = [], 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise FetchRefused(f"{url}: not downloaded within {timeout():g} s.")
            chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > cap:
                raise FetchRefused(f"{url}: more than the {_size(cap)} Quotetrail reads.")
            chunks.append(chunk)
    except TimeoutError:
        raise FetchRefused(f"{url}: the download stalled for {timeout():g} s.") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchRefused(f"{url}: the download failed ({exc.__class__.__name__}).") from None
    data = b"".join(chunks)
    if not data.strip():
        raise FetchRefused(f"{url}: the server sent an empty page.")
    return data


# --- pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    title: str
    body: str
    meta: Metadata


def _decode(fetched: Fetched) -> str:
    for encoding in (fetched.charset, _declared_charset(fetched.data), "utf-8"):
        if not encoding:
            continue
        try:
            return fetched.data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return fetched.data.decode("utf-8", errors="replace")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def _published(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def extract(html: str, url: str) -> Page:
    """The article of an HTML page: trafilatura's main text, through sanitize."""
    if "\x00" in html:
        raise FetchRefused(f"{url}: the page contains NUL characters; it is not HTML text.")
    try:
        main = trafilatura.extract(
            html,
            url=url,
            output_format="html",
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
        )
        found = trafilatura.extract_metadata(html, default_url=url)
    except Exception as exc:  # a parser failure on hostile markup is a refusal, not a crash
        reason = exc.__class__.__name__
        raise FetchRefused(f"{url}: the page could not be read ({reason}).") from None
    if not main:
        raise FetchRefused(f"{url}: no article text found on the page.")
    heading, body = html_to_text(main)
    title = (found.title if found else "") or heading
    meta = Metadata(
        outlet=(found.sitename or "") if found else "",
        url=url,
        published=_published(found.date if found else None),
        byline=(found.author or "") if found else "",
    )
    # The title goes through the sanitizer too (it is plain text by then, so this is a no-op
    # for anything but markup smuggled into a <title> or og:title).
    title = html_to_text(f"<p>{_escape(title)}</p>")[1] if title else ""
    return Page(title=title, body=body, meta=meta)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_page(url: str) -> Page:
    fetched = fetch(url, HTML_TYPES, "an HTML page")
    return extract(_decode(fetched), fetched.url)


# --- feeds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    links: list[str]


def parse_feed(data: bytes, url: str) -> Feed:
    """The entries' links of a fetched RSS or Atom feed, in the feed's order, once each."""
    try:
        parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
    except Exception as exc:
        raise FetchRefused(f"{url}: not a readable feed ({exc.__class__.__name__}).") from None
    if not parsed.get("version"):
        raise FetchRefused(f"{url}: not an RSS or Atom feed.")
    entries = parsed.get("entries") or []
    if not entries:
        raise FetchRefused(f"{url}: the feed has no entries.")
    links: list[str] = []
    for entry in entries:
        link = entry.get("link") or ""
        if not link:
            for candidate in entry.get("links") or []:
                if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                    link = candidate["href"]
                    break
        if link:
            link = urldefrag(urljoin(url, link.strip()))[0]
            if link not in links:
                links.append(link)
    if not links:
        raise FetchRefused(f"{url}: none of the feed's entries links to an article.")
    title = (parsed.get("feed") or {}).get("title", "")
    return Feed(url=url, title=title[:200], links=links)


def read_feed(url: str) -> Feed:
    fetched = fetch(url, FEED_TYPES, "an RSS or Atom feed")
    return parse_feed(fetched.data, fetched.url)
