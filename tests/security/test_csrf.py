"""Every POST endpoint refuses a request without a CSRF token (403, nothing written),
and accepts the same request once the token is sent as htmx sends it (X-CSRFToken)."""

from django.conf import settings
from django.urls import reverse

from .support import ROLES, send
from .test_permissions import cases


def _post_cases(world):
    found = []
    for case in cases(world):
        allowed = case.rules.get("POST", frozenset())
        if allowed:
            # The most powerful role allowed: it reaches every check behind the token.
            role = "admin" if "admin" in allowed else next(r for r in ROLES if r in allowed)
            found.append((case, role))
    return found


def test_every_post_endpoint_needs_the_csrf_token(csrf_world):
    world = csrf_world
    posts = _post_cases(world)
    assert len(posts) >= 25
    problems = []
    for case, role in posts:
        outcome = send(world, role, "POST", case.url, case.data, counter="csrf")
        if outcome.status != 403 or outcome.changed:
            problems.append(f"{case.label} as {role}: {outcome.status}, changed {outcome.changed}")
    assert problems == [], "\n".join(problems)


def test_the_same_posts_pass_with_the_token_in_the_htmx_header(csrf_world):
    world = csrf_world
    problems, posts = [], _post_cases(world)
    assert len(posts) >= 25
    for case, role in posts:
        client = world.client(role)
        client.get(reverse("login"))  # renders a form, so the CSRF cookie is set
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        outcome = send(
            world, role, "POST", case.url, case.data, headers={"X-CSRFToken": token}, counter="csrf"
        )
        if outcome.status in (403, 500):
            problems.append(f"{case.label} as {role}: {outcome.status}")
    assert problems == [], "\n".join(problems)
