"""Personal API tokens: issued once, stored as a digest, looked up on every API request.

A token reads `qt_` followed by 43 URL-safe characters (32 random bytes). The raw
value exists only in the answer to whoever created it; the database keeps its
SHA-256 digest (why a fast hash is enough: `ApiToken`'s docstring) and its first
characters as a public label. Nothing about a token is cached between requests, so
a revoked token, or one whose owner was deactivated, fails on the very next request.
"""

import hashlib
import re
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "qt_"  # noqa: S105 - the public marker every token starts with
_RANDOM_BYTES = 32
# What token_urlsafe(32) gives: 43 characters of the URL-safe base64 alphabet.
_SHAPE = re.compile(r"qt_[A-Za-z0-9_-]{43}")
# Characters of the raw token kept in clear to label it in lists ("qt_" and 8 more).
_LABEL_CHARS = len(TOKEN_PREFIX) + 8
# last_used is a hint for its owner ("is this token still in use?"), so a busy client
# costs one write a minute, not one per request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user` named `name`, and its raw value, which is never stored.

    Raises ValidationError for a name that is empty, too long, holds a NUL character
    or is already used by one of the user's active tokens.
    """
    raw = TOKEN_PREFIX + secrets.token_urlsafe(_RANDOM_BYTES)
    token = ApiToken(
        user=user,
        name=(name or "").strip(),
        prefix=raw[:_LABEL_CHARS],
        digest=digest(raw),
    )
    token.full_clean()
    try:
        with transaction.atomic():
            token.save()
    except IntegrityError:
        # The same name saved by a concurrent request since full_clean() looked.
        raise ValidationError(
            {"name": "You already have an active token with this name."}
        ) from None
    return token, raw


def revoke(token_id: int, user) -> ApiToken:
    """Revoke one of `user`'s tokens; it stops working at once. Revoking a revoked
    token keeps the time it was first revoked.

    Raises ApiToken.DoesNotExist when `user` has no token with this id, so nobody
    can revoke, or learn of, another person's token.
    """
    ApiToken.objects.of(user).filter(pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return ApiToken.objects.of(user).get(pk=token_id)


def authenticate(raw: str) -> ApiToken | None:
    """The active token whose value is `raw` (owner loaded: `token.user`), or None.

    Input that cannot be a token is refused before any hashing or query. After that
    the lookup is by digest, an exact match on a unique index: a timing difference
    could only reveal digests, which tell nothing about tokens, so no constant-time
    comparison is needed.
    """
    if not isinstance(raw, str) or not _SHAPE.fullmatch(raw):
        return None
    token = ApiToken.objects.active().select_related("user").filter(digest=digest(raw)).first()
    if token is not None:
        _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    stale = now - LAST_USED_GRANULARITY
    if token.last_used is not None and token.last_used > stale:
        return
    # Conditional, so concurrent requests of the same minute write once between them.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used__isnull=True) | Q(last_used__lte=stale)
    ).update(last_used=now)
    token.last_used = now
