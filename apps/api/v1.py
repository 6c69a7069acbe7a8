"""The versioned JSON API, `/api/v1/`: one NinjaAPI with a router per resource.

django-ninja builds the OpenAPI 3 document from the same type hints that validate each
request (`/api/v1/openapi.json`, browsable at `/api/v1/docs`). Every answer that is not
a success is a problem+json document (`problems.py`), 404s and 405s included.
"""

import json
import logging
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.urls import re_path
from django.views.decorators.http import require_safe
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .access import AUTH, CHALLENGE, PerTokenThrottle
from .problems import Problem, from_problem, problem_response
from .routes import articles, claims, people, quotes, suggestions

log = logging.getLogger("quotetrail.api")

api = NinjaAPI(
    title="Quotetrail API",
    version="1",
    description=(
        "Articles in from the CMS, attributions and contradictions out. Authenticate with "
        "a personal token (`Authorization: Bearer <token>`, made on the Tokens page or by "
        "`manage.py create_api_token`); it acts with its owner's role. Errors are "
        "`application/problem+json` (RFC 9457). Lists page with `cursor` and `limit`."
    ),
    urls_namespace="api-v1",
    auth=AUTH,
    throttle=[PerTokenThrottle()],
)
for module in (articles, quotes, suggestions, people, claims):
    api.add_router("", module.router)


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return from_problem(exc)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "title") names the field "title"; ("query", "limit") "limit".
        field = ".".join(location[2:] if location[:1] == ["body"] else location[1:]) or "body"
        if error.get("type") == "json_invalid":
            field = "body"
        errors.append({"field": field, "message": error.get("msg", "Not valid.")})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem_response(422, detail or "The request is not valid.", errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(
        401,
        "Sign in, or send a personal token as “Authorization: Bearer <token>”.",
        headers=CHALLENGE,
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 403 and "CSRF" in detail:
        detail = "A signed-in browser request needs its CSRF token (X-CSRFToken header)."
    elif exc.status_code == 400:
        detail = "The request body is not valid JSON."
    elif exc.status_code == 429:
        detail = "Too many requests for this token; wait as Retry-After says, then retry."
    return problem_response(exc.status_code, detail)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(404, "No such resource: it does not exist or was deleted.")


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return problem_response(403, str(exc) or "Your role does not allow this.")


@api.exception_handler(Exception)
def _unexpected(request, exc):
    log.exception("API request failed: %s %s", request.method, request.path)
    return problem_response(500, "Quotetrail could not answer this request; it was logged.")


JSON_TYPES = ("application/json", "application/problem+json")


def _holds_nul(body: bytes) -> bool:
    """A NUL anywhere in the JSON's strings: PostgreSQL cannot store one, and no client
    means one (the pages refuse them at the door, in RejectNulCharactersMiddleware)."""
    if b"\\u0000" not in body and b"\x00" not in body:
        return False
    try:
        document = json.loads(body)
    except ValueError:
        return False  # not JSON: django-ninja refuses it with 400

    def walk(value) -> bool:
        if isinstance(value, str):
            return "\x00" in value
        if isinstance(value, dict):
            return any(walk(k) or walk(v) for k, v in value.items())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    return walk(document)


def _guarded(view):
    """The checks every API route shares before django-ninja parses the request: a body
    too large (413) or not JSON (415); and a 405 answered as a problem too."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                body = request.body
            except RequestDataTooBig:
                return problem_response(413, "The request body is larger than Quotetrail accepts.")
            content_type = request.content_type or ""
            if body and content_type not in JSON_TYPES:
                return problem_response(
                    415, f"Send JSON (Content-Type: application/json), not {content_type!r}."
                )
            if body and _holds_nul(body):
                return problem_response(400, "Requests may not contain NUL characters.")
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "problem" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            answer = problem_response(405, f"This resource answers {allowed} only.")
            answer["Allow"] = allowed
            return answer
        return response

    return login_not_required(wrapped)  # a token, not the login page, admits API requests


@require_safe
def index(request):
    """Where a client starts: the document and the documentation."""
    return JsonResponse(
        {
            "name": "Quotetrail API",
            "version": "1",
            "openapi": request.build_absolute_uri("openapi.json"),
            "docs": request.build_absolute_uri("docs"),
        }
    )


@login_not_required
def unknown(request, rest=""):
    return problem_response(404, f"No API route {request.path!r}; see /api/v1/docs.")


DOCUMENTS = ("openapi-json", "openapi-view")


def urlpatterns() -> list:
    patterns, _, _ = api.urls
    for pattern in patterns:
        view = index if pattern.name == "api-root" else pattern.callback
        if pattern.name in DOCUMENTS:  # read-only pages: other methods are 405
            view = require_safe(view)
        pattern.callback = _guarded(view)
    return [*patterns, re_path(r"^(?P<rest>.*)$", unknown)]
