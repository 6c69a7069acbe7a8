"""Login with a throttle on repeated failures.

Failures are counted per (username, client address) in a cache, so one person
mistyping does not lock out a colleague and a guesser is slowed on every account it
tries. The count is kept for any username typed, existing or not, and a locked pair is
refused even with the right password: neither the message, the status nor the lockout
tells whether an account exists.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import caches

from apps.core.clientip import client_ip


def _throttle_key(username: str, address: str) -> str:
    # Hashed: the cache key never carries what was typed, and any length fits.
    digest = hashlib.sha256(f"{username.casefold()}\x00{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def _cache():
    return caches[settings.QUOTETRAIL_LOGIN_THROTTLE_CACHE]


def client_address(request) -> str:
    """The client's address: the peer's, or behind trusted proxies the one they report."""
    return client_ip(request) or "unknown"


def failures(username: str, address: str) -> int:
    count, _started = _cache().get(_throttle_key(username, address), (0, 0.0))
    return count


def record_failure(username: str, address: str) -> int:
    """Count one failure; the window starts at the first and later ones do not extend it.

    The timeout is always given explicitly: a cache's own `incr` may reset it to the
    cache's default (the file cache used in production does). Two workers counting the
    same pair at the same instant may lose one count, which a throttle can afford.
    """
    cache = _cache()
    key = _throttle_key(username, address)
    now = time.time()
    count, started = cache.get(key, (0, now))
    remaining = started + settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS - now
    if remaining <= 0:
        count, started, remaining = 0, now, settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS
    cache.set(key, (count + 1, started), timeout=max(1, round(remaining)))
    return count + 1


def clear_failures(username: str, address: str) -> None:
    _cache().delete(_throttle_key(username, address))


def is_locked(username: str, address: str) -> bool:
    return failures(username, address) >= settings.QUOTETRAIL_LOGIN_MAX_FAILURES


class LoginView(auth_views.LoginView):
    """Django's login view that refuses (429) after too many failures."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = client_address(request)
        if is_locked(username, address):
            # An unbound form: binding would authenticate, which a locked pair may not do.
            form = self.get_form_class()(request, initial={"username": username[:150]})
            return self.render_to_response(
                self.get_context_data(form=form, throttled=True),
                status=429,
                headers={"Retry-After": str(settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS)},
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        clear_failures(self.request.POST.get("username", ""), client_address(self.request))
        return super().form_valid(form)

    def form_invalid(self, form):
        record_failure(self.request.POST.get("username", ""), client_address(self.request))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lockout_minutes"] = max(1, settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS // 60)
        return context
