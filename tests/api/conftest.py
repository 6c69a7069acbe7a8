import json

import pytest
from django.test import Client

from apps.api.tokens import issue
from tests.conftest import make_user


class Api:
    """A client of the JSON API: a personal token, JSON in, JSON (or problem+json) out."""

    def __init__(self, user=None, raw_token: str | None = None):
        self.client = Client(raise_request_exception=False)
        self.user = user
        self.token = raw_token
        if raw_token is None and user is not None:
            self.token = issue(user, "tests")[1]

    def _headers(self, extra):
        headers = {} if self.token is None else {"Authorization": f"Bearer {self.token}"}
        return {**headers, **(extra or {})}

    def get(self, path, headers=None, **params):
        return self.client.get("/api/v1" + path, params, headers=self._headers(headers))

    def send(self, method, path, body=None, headers=None, content_type="application/json"):
        data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
        return self.client.generic(
            method,
            "/api/v1" + path,
            data or "",
            content_type=content_type,
            headers=self._headers(headers),
        )

    def post(self, path, body=None, **kwargs):
        return self.send("POST", path, body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.send("PUT", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.send("PATCH", path, body, **kwargs)

    def delete(self, path, **params):
        query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
        return self.send("DELETE", path + query)


@pytest.fixture
def api_as(db):
    """api_as("editor") → an Api acting with an editor's token."""
    made = {}

    def factory(role: str | None) -> Api:
        if role == "anonymous":
            return Api()
        if role not in made:
            extra = {"is_staff": True, "is_superuser": True} if role == "admin" else {}
            user = make_user(f"api-{role}", None if role == "admin" else role, **extra)
            made[role] = Api(user)
        return made[role]

    return factory


def problem(response, status: int) -> dict:
    """The problem document of a refusal, after checking its status and media type."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


def fields_of(body: dict) -> set[str]:
    return {error["field"] for error in body.get("errors", [])}


STORY = (
    "Officials met on Monday.\n\n"
    "“We will not negotiate with anyone,” said Colonel Jane Smith, a coalition spokeswoman.\n\n"
    "“The deadline stands and it will not move,” Minister Paul Brown told reporters.\n\n"
    "The talks continue."
)


def new_article(api, **fields):
    body = {"title": "Talks resume", "body": STORY, "outlet": "Wire", **fields}
    return api.post("/articles", body)
