"""The API as a whole: its OpenAPI document, tokens and roles, errors, paging, limits."""

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, get_resolver
from openapi_spec_validator import validate

from apps.api.tokens import revoke
from apps.quotes.models import Quote
from tests.conftest import make_article, make_quote

from .conftest import Api, problem


def api_routes() -> set[str]:
    """Every route of /api/v1/ as Django resolves it, in OpenAPI's spelling."""
    import re

    resolver = next(r for r in get_resolver().url_patterns if str(r.pattern) == "api/v1/")
    found = set()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        served_by_ninja = route in ("", "openapi.json", "docs")
        if isinstance(entry, URLPattern) and entry.name and not served_by_ninja:
            found.add("/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return found


def test_the_openapi_document_validates_and_lists_every_route(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    listed = set(document["paths"])
    assert api_routes() and api_routes() <= listed
    assert {"/api/v1/articles", "/api/v1/contradictions", "/api/v1/quotes/{quote_id}"} <= listed
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_the_documentation_page_is_served_from_our_own_static_files(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def test_unknown_routes_and_methods_are_problems(api_as):
    viewer = api_as("viewer")
    problem(viewer.get("/nothing-here"), 404)
    wrong = problem(viewer.send("DELETE", "/articles"), 405)
    assert "GET" in wrong["detail"]


def test_a_revoked_token_fails_at_once(api_as):
    viewer = api_as("viewer")
    assert viewer.get("/articles").status_code == 200
    from apps.api.models import ApiToken

    token = ApiToken.objects.get(user=viewer.user)
    revoke(token.pk, viewer.user)
    refused = problem(viewer.get("/articles"), 401)
    assert refused["detail"].startswith("This token is not valid")
    assert "Bearer" in viewer.get("/articles")["WWW-Authenticate"]


def test_a_malformed_header_or_unknown_token_is_401(db):
    problem(Api(raw_token="qt_not-a-real-token").get("/articles"), 401)
    client = Client()
    response = client.get("/api/v1/articles", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    problem(response, 401)


def test_a_token_acts_with_its_owners_role(api_as):
    article = make_article("Ann said “yes” today.", title="Roles")
    body = {"text": "yes"}
    problem(api_as("viewer").post(f"/articles/{article.pk}/quotes", body), 403)
    assert api_as("editor").post(f"/articles/{article.pk}/quotes", body).status_code == 201
    assert api_as("viewer").get("/quotes").status_code == 200


def test_a_session_request_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get("/api/v1/articles").status_code == 200
    refused = client.post(
        "/api/v1/articles", {"title": "T", "body": "B"}, content_type="application/json"
    )
    assert problem(refused, 403)["detail"].startswith("A signed-in browser request")
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/articles",
        {"title": "T", "body": "B"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201, accepted.content


@override_settings(QUOTETRAIL_API_RATE="3/m")
def test_requests_per_token_are_rate_limited(api_as):
    viewer, editor = api_as("viewer"), api_as("editor")
    for _ in range(3):
        assert viewer.get("/claims").status_code == 200
    limited = problem(viewer.get("/claims"), 429)
    assert int(viewer.get("/claims")["Retry-After"]) > 0
    assert "Retry-After" in limited["detail"]
    assert editor.get("/claims").status_code == 200  # another token has its own allowance


def test_pages_are_stable_while_rows_are_inserted(api_as):
    article = make_article(" ".join(f"w{i:03d}" for i in range(200)), title="Many")
    originals = [make_quote(article, i * 5, i * 5 + 4).pk for i in range(23)]
    viewer = api_as("viewer")
    seen, cursor, inserted = [], None, 23
    while True:
        params = {"article": article.pk, "limit": 5}
        if cursor:
            params["cursor"] = cursor
        page = viewer.get("/quotes", **params).json()
        seen += [item["id"] for item in page["items"]]
        make_quote(article, inserted * 5, inserted * 5 + 4)  # a colleague tags meanwhile
        inserted += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert page["next"].endswith(f"cursor={cursor}")
    assert len(seen) == len(set(seen)), "a row was read twice"
    assert set(originals) <= set(seen), "a row present from the start was skipped"
    assert seen == sorted(seen)
    assert Quote.objects.filter(article=article).count() == inserted


@pytest.mark.parametrize("cursor", ["!!!", "bm90IGpzb24", "InRleHQi", "LTE"])
def test_a_forged_cursor_is_refused(api_as, cursor):
    problem(api_as("viewer").get("/quotes", cursor=cursor), 422)


def test_list_queries_do_not_grow_with_the_page(api_as, django_assert_max_num_queries):
    article = make_article(" ".join(f"w{i:03d}" for i in range(300)), title="Counted")
    viewer = api_as("viewer")
    for i in range(5):
        make_quote(article, i * 5, i * 5 + 4)
    viewer.get("/quotes", limit=200)  # warm: the token's first use is recorded
    with django_assert_max_num_queries(6) as few:
        viewer.get("/quotes", limit=200)
    for i in range(5, 60):
        make_quote(article, i * 5, i * 5 + 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(viewer.get("/quotes", limit=200).json()["items"]) == 60
