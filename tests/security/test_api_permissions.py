"""The JSON API under the same guard as the pages: every route × method × role, acting
through personal tokens; session writes need the CSRF token; every refusal is a problem
document and changes nothing.
"""

import json

from django.conf import settings
from django.urls import reverse

from .support import METHODS, ROLES, send, suggestion_span, walk

PUBLIC = frozenset(ROLES)
EVERYONE = frozenset({"viewer", "editor", "reviewer", "admin"})
TAGGERS = frozenset({"editor", "reviewer", "admin"})
IMPORTERS = frozenset({"editor", "admin"})
REVIEWERS = frozenset({"reviewer", "admin"})
READ = {"GET": EVERYONE}

# {route under /api/v1/: {method: roles allowed}}; a method not listed is refused to all.
API_RULES = {
    "": {"GET": PUBLIC},
    "openapi.json": {"GET": PUBLIC},
    "docs": {"GET": PUBLIC},
    "articles": {"GET": EVERYONE, "POST": IMPORTERS},
    "articles/<int:article_id>": READ,
    "articles/<int:article_id>/body": {"PUT": IMPORTERS},
    "articles/<int:article_id>/quotes": {"POST": TAGGERS},
    "quotes": READ,
    "quotes/<int:quote_id>": {"GET": EVERYONE, "PATCH": TAGGERS, "DELETE": TAGGERS},
    "quotes/<int:quote_id>/review": {"POST": TAGGERS},  # submit; approve: see variants
    "suggestions": READ,
    "suggestions/<int:suggestion_id>/accept": {"POST": TAGGERS},
    "suggestions/<int:suggestion_id>/dismiss": {"POST": TAGGERS},
    "speakers": {"GET": EVERYONE, "POST": TAGGERS},
    "speakers/<int:speaker_id>": READ,
    "sources": {"GET": EVERYONE, "POST": TAGGERS},
    "sources/<int:source_id>": READ,
    "claims": {"GET": EVERYONE, "POST": REVIEWERS},
    "claims/<int:claim_id>": READ,
    "stances": {"GET": EVERYONE, "POST": TAGGERS},
    "stances/<int:stance_id>/review": {"POST": TAGGERS},
    "contradictions": READ,
}


def api_routes() -> set[str]:
    """Every named route of /api/v1/ (django-ninja names one pattern per operation)."""
    prefix = "api/v1/"
    return {
        r.route.removeprefix(prefix)
        for r in walk()
        if r.route.startswith(prefix) and r.name.startswith("api-v1:") and r.name != "api-v1:"
    }


def _cases(world) -> list[tuple[str, str, dict, dict]]:
    """(label, path, rules, {method: JSON body or query}) for every route, filled with
    seeded objects so that an allowed role really acts."""
    w = world
    ids = {
        "article_id": w.article.pk,
        "quote_id": w.quote.pk,
        "suggestion_id": w.suggestion.pk,
        "speaker_id": w.person.pk,
        "source_id": w.source.pk,
        "claim_id": w.claim.pk,
        "stance_id": w.stance.pk,
    }
    bodies = {
        "articles": {
            "POST": {"title": "API check", "body": "The mayor said “the bridge opens soon”."},
            "GET": {"limit": 5},
        },
        "articles/<int:article_id>/body": {
            "PUT": {"body": w.article.body + "\n\nCorrected.", "fingerprint": w.article.fingerprint}
        },
        "articles/<int:article_id>/quotes": {"POST": suggestion_span(w)},
        "quotes": {"GET": {"article": w.article.pk}},
        "quotes/<int:quote_id>": {
            "PATCH": {"version": w.quote.version, "note": "Checked again."},
            "DELETE": {"version": w.quote.version},
        },
        "quotes/<int:quote_id>/review": {"POST": {"action": "submit"}},
        "suggestions": {"GET": {"article": w.article.pk}},
        "speakers": {"POST": {"name": "Permission Person"}},
        "sources": {"POST": {"title": "Permission source"}},
        "claims": {"POST": {"text": "A claim made through the API check"}},
        "stances": {
            "POST": {"quote_id": w.quote.pk, "claim_id": w.other_claim.pk, "position": "denies"}
        },
        "stances/<int:stance_id>/review": {"POST": {"action": "submit"}},
    }
    found = []
    for route, rules in API_RULES.items():
        path = route
        for name, value in ids.items():
            path = path.replace(f"<int:{name}>", str(value))
        found.append((route, "/api/v1/" + path, rules, bodies.get(route, {})))
    # Approving is for reviewers, whatever the route.
    approve = {"POST": {"action": "approve"}}
    found.append(
        (
            "quotes/<int:quote_id>/review[approve]",
            f"/api/v1/quotes/{w.submitted_quote.pk}/review",
            {"POST": REVIEWERS},
            approve,
        )
    )
    found.append(
        (
            "stances/<int:stance_id>/review[approve]",
            f"/api/v1/stances/{w.submitted_stance.pk}/review",
            {"POST": REVIEWERS},
            approve,
        )
    )
    return found


def _request(world, token, method, path, payload, counter, headers=None):
    extra = dict(headers or {})
    if token:
        extra["Authorization"] = f"Bearer {token}"
    if method in ("GET", "HEAD", "DELETE") and payload:
        query = "&".join(f"{k}={v}" for k, v in payload.items())
        path = f"{path}?{query}"
        payload = None
    body = json.dumps(payload).encode() if payload is not None else b""
    return send(
        world,
        "anonymous",  # no session: the token alone says who is asking
        method,
        path,
        raw_body=body,
        content_type="application/json",
        headers=extra,
        counter=counter,
    )


def test_every_api_route_is_in_the_table(world):
    assert api_routes() == set(API_RULES)


def test_api_permission_matrix(world):
    tokens = world.bearer
    checked, problems = 0, []
    for label, path, rules, payloads in _cases(world):
        for role in ROLES:
            for method in METHODS:
                payload = payloads.get("GET" if method == "HEAD" else method)
                outcome = _request(world, tokens.get(role), method, path, payload, "api matrix")
                checked += 1
                allowed = role in rules.get("GET" if method == "HEAD" else method, ())
                wrong = None
                if outcome.status >= 500:
                    wrong = f"server error {outcome.error}"
                elif allowed and outcome.status in (401, 403, 405) and method != "HEAD":
                    wrong = f"refused ({outcome.status}) but the role is allowed"
                elif not allowed and 200 <= outcome.status < 400:
                    wrong = f"UNEXPECTED SUCCESS {outcome.status}"
                elif not allowed and role == "anonymous" and outcome.status not in (401, 405):
                    wrong = f"anonymous got {outcome.status}, not 401"
                elif not allowed and role != "anonymous" and outcome.status not in (403, 405):
                    wrong = f"refused with {outcome.status}, not 403/405"
                elif not allowed and outcome.changed:
                    wrong = f"refused but changed {outcome.changed}"
                elif outcome.status >= 400 and outcome.content_type != "application/problem+json":
                    wrong = f"{outcome.status} answered as {outcome.content_type}"
                if wrong:
                    problems.append(f"{label} {method} as {role}: {wrong}")
    print(f"API permission matrix: {checked} requests (routes × roles × methods)")
    assert checked >= 20 * len(ROLES) * len(METHODS)
    assert problems == [], "\n".join(problems)


def _writes(world):
    for label, path, rules, payloads in _cases(world):
        for method, roles in rules.items():
            if method != "GET":
                role = "admin" if "admin" in roles else sorted(roles)[0]
                yield label, path, method, role, payloads.get(method)


def _session_write(world, role, method, path, payload, headers=None):
    if method == "DELETE" and payload:
        path = f"{path}?" + "&".join(f"{k}={v}" for k, v in payload.items())
        payload = None
    body = json.dumps(payload).encode() if payload is not None else b""
    return send(
        world,
        role,
        method,
        path,
        raw_body=body,
        content_type="application/json",
        headers=headers,
        counter="api csrf",
    )


def test_session_writes_to_the_api_need_the_csrf_token(csrf_world):
    world = csrf_world
    problems, writes = [], list(_writes(world))
    assert len(writes) >= 12
    for label, path, method, role, payload in writes:
        outcome = _session_write(world, role, method, path, payload)
        if outcome.status != 403 or outcome.changed:
            problems.append(f"{label} {method} as {role}: {outcome.status} {outcome.changed}")
    assert problems == [], "\n".join(problems)


def test_the_same_session_writes_pass_with_the_token(csrf_world):
    world = csrf_world
    problems, writes = [], list(_writes(world))
    assert len(writes) >= 12
    for label, path, method, role, payload in writes:
        client = world.client(role)
        client.get(reverse("login"))
        csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
        outcome = _session_write(world, role, method, path, payload, {"X-CSRFToken": csrf})
        if outcome.status in (401, 403) or outcome.status >= 500:
            problems.append(f"{label} {method} as {role}: {outcome.status}")
    assert problems == [], "\n".join(problems)
