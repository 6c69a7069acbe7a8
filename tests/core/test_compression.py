"""Responses are gzipped for clients that accept it (Django's GZipMiddleware)."""

import gzip
import re

import pytest
from django.conf import settings
from django.test import Client

from tests.api.conftest import Api
from tests.conftest import make_article, make_quote, make_user

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def article(db):
    article = make_article(
        "Alpha said “beta gamma delta”. " * 200 + "Epsilon said “zeta”.", title="Long"
    )
    make_quote(article, article.body.index("“"), article.body.index("”") + 1)
    return article


def test_a_page_is_gzipped_when_the_client_accepts_it(viewer_client, article):
    plain = viewer_client.get(article.get_absolute_url())
    packed = viewer_client.get(article.get_absolute_url(), headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
    assert _same_page(gzip.decompress(packed.content), plain.content)


def test_an_htmx_fragment_is_gzipped_and_keeps_its_htmx_headers(editor_client, article):
    url = f"/articles/{article.pk}/quotes/new/"
    htmx = {"HX-Request": "true", "HX-Target": "editor"}
    plain = editor_client.get(url, {"start": 0, "end": 5}, headers=htmx)
    packed = editor_client.get(url, {"start": 0, "end": 5}, headers={**htmx, **GZIP})
    assert plain.status_code == packed.status_code == 200, plain.content[:300]
    assert len(plain.content) >= 200  # shorter answers are not worth compressing
    assert packed["Content-Encoding"] == "gzip"
    assert _same_page(gzip.decompress(packed.content), plain.content)
    assert {k for k in plain.headers if k.startswith("HX-")} == {
        k for k in packed.headers if k.startswith("HX-")
    }


def test_json_from_the_api_is_gzipped(article):
    api = Api(make_user("api-reader", "viewer"))
    plain = api.get("/quotes", article=article.pk)
    packed = api.get("/quotes", headers=GZIP, article=article.pk)
    assert plain.status_code == packed.status_code == 200
    assert len(plain.content) >= 200
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content


def test_a_streamed_export_is_streamed_gzipped(viewer_client, article):
    plain = viewer_client.get("/exports/quotes.csv")
    packed = viewer_client.get("/exports/quotes.csv", headers=GZIP)
    assert plain.streaming and packed.streaming
    assert packed["Content-Encoding"] == "gzip" and "Content-Length" not in packed
    assert gzip.decompress(b"".join(packed.streaming_content)) == b"".join(plain.streaming_content)


def test_compressed_answers_differ_in_length_against_breach(viewer_client, article):
    """Django pads each gzipped answer with up to 100 random bytes (BREACH mitigation)."""
    sizes = {
        len(viewer_client.get(article.get_absolute_url(), headers=GZIP).content) for _ in range(8)
    }
    assert len(sizes) > 1


def test_static_files_are_left_to_whitenoise(db):
    """Whitenoise answers them before the gzip middleware: here (development) as they are,
    in production from the .gz copies collectstatic made."""
    response = Client().get(settings.STATIC_URL + "css/app.css", headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    served = b"".join(response.streaming_content)
    assert served == (settings.BASE_DIR / "static" / "css" / "app.css").read_bytes()
    middleware = settings.MIDDLEWARE
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < middleware.index(
        "django.middleware.gzip.GZipMiddleware"
    )


def test_without_accept_encoding_nothing_is_compressed(viewer_client, article):
    response = viewer_client.get(article.get_absolute_url(), headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and "Content-Encoding" not in response
    assert b"Long" in response.content


def _same_page(one: bytes, other: bytes) -> bool:
    """Equal but for the per-response CSRF token (masked anew on every render)."""
    token = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
    return token.sub(rb"\1", one) == token.sub(rb"\1", other)
