"""Login with a lockout after repeated failures, counted by django-axes in the database.

Failures are counted per (username, client address), so one person mistyping does not
lock out a colleague and a guesser is slowed on every account it tries. The counts are
rows of the database (axes' `AccessAttempt`, written by `AxesDatabaseHandler`), so every
worker on every host sees the same ones and none is evicted before its cool-off ends;
axes deletes the expired ones as it records new failures.

Any username typed is counted, existing or not (Django signals `user_login_failed` for
both), and a locked pair is refused even with the right password: neither the message,
the status nor the lockout tells whether an account exists.

How a login goes: the view asks axes whether the pair is locked before the form is
bound, so a locked pair is never authenticated and its refused attempts are not counted
(they do not extend the lockout). Otherwise Django authenticates: axes' backend, first in
AUTHENTICATION_BACKENDS, refuses a pair locked in the meantime; axes' signal handlers
count a failure, or clear the pair's count after a success (AXES_RESET_ON_SUCCESS).
The settings are in config/settings.py under "Login lockout".
"""

import hashlib
import unicodedata
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.cache import add_never_cache_headers

# Longest username axes can store; longer keys are stored as a digest.
_USERNAME_COLUMN = AccessAttempt._meta.get_field("username").max_length


def lockout_username(request, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the username the count is kept under.

    As the login form cleans it (stripped, NFKC) and case-folded, so `EDNA`, `edna` and
    ` edna` are one pair, however a guesser varies them. Axes calls this with the
    credentials given to `authenticate` (or the signed-in user's name); the view's check
    before the form is bound passes the raw POSTed name, which gives the same key.
    """
    if credentials is not None:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    key = unicodedata.normalize("NFKC", str(typed or "").strip()).casefold()
    if len(key) > _USERNAME_COLUMN:
        # Case-folding can lengthen a name (ß → ss); a digest fits the column.
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def failure_limit(request, credentials=None) -> int:
    """AXES_FAILURE_LIMIT, read when used: QUOTETRAIL_LOGIN_MAX_FAILURES stays the setting."""
    return settings.QUOTETRAIL_LOGIN_MAX_FAILURES


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: how long failures are remembered and a lockout lasts."""
    return timedelta(seconds=settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: when axes refuses a login itself, the same 429 page."""
    view = LoginView()
    view.setup(request)
    # Returned by middleware, after Django renders template responses: render it here.
    return view.refused().render()


class LoginView(auth_views.LoginView):
    """Django's login view that refuses (429) a locked (username, address) pair."""

    def post(self, request, *args, **kwargs):
        credentials = get_credentials(request.POST.get("username", ""))
        if not AxesProxyHandler.is_allowed(request, credentials):
            return self.refused()
        return super().post(request, *args, **kwargs)

    def refused(self):
        # An unbound form: binding would authenticate, which a locked pair may not do.
        username = self.request.POST.get("username", "")
        form = self.get_form_class()(self.request, initial={"username": username[:150]})
        response = self.render_to_response(
            self.get_context_data(form=form, throttled=True),
            status=429,
            headers={"Retry-After": str(settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS)},
        )
        add_never_cache_headers(response)
        return response

    def form_invalid(self, form):
        # When this failure reaches the limit axes marks the request locked, and its
        # middleware would answer with the 429 page instead. The failure is answered like
        # the ones before it; the pair's next attempt is refused by post().
        self.request.axes_locked_out = False
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lockout_minutes"] = max(1, settings.QUOTETRAIL_LOGIN_LOCKOUT_SECONDS // 60)
        return context
