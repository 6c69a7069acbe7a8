"""Who is asking: a personal token (`Authorization: Bearer …`) or the browser's session.

A token acts with its owner's role. A session request needs its CSRF token, as every
form in the app does. Requests are rate limited per token (per user for sessions).
"""

from django.conf import settings
from ninja.security import HttpBearer, django_auth
from ninja.throttling import SimpleRateThrottle

from apps.core.roles import can_import, can_review, can_tag
from apps.core.sharedcache import CACHE_ERRORS, available, unreachable

from . import tokens
from .problems import Problem

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="quotetrail"'}


class BearerToken(HttpBearer):
    """A personal API token. A request that carries an Authorization header is judged
    by it alone: a revoked or unknown token is refused even with a session cookie."""

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise Problem(
                401, "Send the token as “Authorization: Bearer <token>”.", headers=CHALLENGE
            )
        return self.authenticate(request, raw.strip())

    def authenticate(self, request, token):
        found = tokens.authenticate(token)
        if found is None:
            raise Problem(
                401,
                "This token is not valid: it is unknown or revoked, or its owner's account "
                "is inactive.",
                headers=CHALLENGE,
            )
        request.user = found.user  # the history and every role check see the owner
        request.api_token = found
        return found


AUTH = [BearerToken(), django_auth]


class PerTokenThrottle(SimpleRateThrottle):
    """QUOTETRAIL_API_RATE requests per token (or per signed-in user), e.g. "600/m".

    Counted in the default cache: with REDIS_URL one count for every worker and host.
    While that cache cannot be reached, requests are let through uncounted."""

    scope = "api"

    def __init__(self):
        super().__init__(settings.QUOTETRAIL_API_RATE)

    def allow_request(self, request) -> bool:
        if self.rate != settings.QUOTETRAIL_API_RATE:  # changed since start-up (tests do)
            self.rate = settings.QUOTETRAIL_API_RATE
            self.num_requests, self.duration = self.parse_rate(self.rate)
        if not available():
            return True
        try:
            return super().allow_request(request)
        except CACHE_ERRORS as exc:
            unreachable("API rate limit", exc)
            return True

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise Problem(403, f"Your role does not allow you to {what}.")


def require_import(request) -> None:
    _require(can_import(request.user), "import or correct articles (editors do)")


def require_tag(request) -> None:
    _require(can_tag(request.user), "tag quotes or record stances (editors and reviewers do)")


def require_review(request) -> None:
    _require(can_review(request.user), "review or manage claims (reviewers do)")
