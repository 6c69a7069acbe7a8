"""Bringing an article into Quotetrail from a .txt or .html file, or pasted text.

Every refusal is an `ImportRefused` with a one-line message meant for the
person importing; nothing is written unless the whole article is accepted.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from apps.webhooks.events import emit

from .models import Article, fingerprint
from .reading.text import canonicalize, split_title
from .sanitize import html_to_text

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TITLE_MAX = Article._meta.get_field("title").max_length
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportRefused(Exception):
    """The input cannot become an article; the message says why, in one line."""


class AlreadyImported(ImportRefused):
    """The same article (URL, or title and text) is already in Quotetrail: `existing`."""

    def __init__(self, message: str, existing: Article):
        super().__init__(message)
        self.existing = existing


@dataclass(frozen=True)
class Metadata:
    outlet: str = ""
    url: str = ""
    published: datetime.date | None = None
    byline: str = ""


def decode(data: bytes) -> str:
    """UTF-8 text from raw bytes, or a refusal that says what is wrong with them."""
    if not data or not data.strip():
        raise ImportRefused("The file is empty.")
    if b"\x00" in data[:8192]:
        raise ImportRefused("The file looks like binary data, not text.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"The file is not UTF-8 text (undecodable byte at position {exc.start}); "
            "save it as UTF-8 and try again."
        ) from None
    return text.removeprefix("\ufeff")


def format_for(filename: str) -> str:
    name = filename.lower()
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    raise ImportRefused(
        f"Unsupported file type {filename!r}: import a .txt (first line is the title) "
        "or an .html file."
    )


def parse(text: str, fmt: str, title: str = "") -> tuple[str, str]:
    """(title, canonical body) from decoded text in the given format.

    Given a title, the whole text is the body; otherwise the title comes from
    the text (its first line, or the HTML title or first heading).
    """
    if "\x00" in text:
        raise ImportRefused("The text contains NUL characters; it looks like binary data.")
    if fmt == "html":
        found_title, body = html_to_text(text)
    elif title:
        found_title, body = "", canonicalize(text)
    else:
        found_title, body = split_title(text)
    return (title or found_title), body


def parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise ImportRefused(f"Published date {value!r} is not a date like 2017-11-14.") from None


def create_article(title: str, body: str, meta: Metadata, user=None) -> Article:
    """Validate everything, then write the article in one transaction."""
    title = canonicalize(title).replace("\n", " ")
    body = canonicalize(body)
    if not body:
        raise ImportRefused("The article has no body text.")
    if not title:
        raise ImportRefused("The article has no title.")
    if len(title) > TITLE_MAX:
        raise ImportRefused(
            f"The title is {len(title):,} characters long (at most {TITLE_MAX}); "
            "is the first line really the title?"
        )
    limit = settings.QUOTETRAIL_MAX_BODY_CHARS
    if len(body) > limit:
        raise ImportRefused(
            f"The body is {len(body):,} characters long; Quotetrail accepts at most {limit:,}."
        )
    url = meta.url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ImportRefused(f"{url!r} is not an http(s) URL.") from None
        if len(url) > Article._meta.get_field("url").max_length:
            raise ImportRefused("The URL is too long.")
    existing = None
    if url:
        existing = Article.objects.filter(url=url).first()
    existing = existing or Article.objects.filter(fingerprint=fingerprint(title, body)).first()
    if existing is not None:
        raise AlreadyImported(
            f"Already imported as article #{existing.pk} “{existing.title}”.", existing
        )
    article = Article(
        title=title,
        body=body,
        outlet=meta.outlet.strip()[:200],
        url=url,
        published=meta.published,
        byline=meta.byline.strip()[:300],
        created_by=user if user is not None and user.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            article.save()
            emit("article.imported", lambda: imported_event(article))
    except IntegrityError:
        # Lost a race with a concurrent import of the same article.
        raise ImportRefused("This article was imported by someone else a moment ago.") from None
    return article


def imported_event(article: Article) -> dict:
    """The `article.imported` webhook's data."""
    return {
        "id": article.pk,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "api_url": f"/api/v1/articles/{article.pk}",
    }


def import_bytes(data: bytes, filename: str, meta: Metadata, user=None, title: str = "") -> Article:
    fmt = format_for(filename)
    title, body = parse(decode(data), fmt, title=title)
    return create_article(title, body, meta, user)
