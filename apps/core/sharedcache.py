"""What the app does when its cache cannot be reached (Redis down or away).

With REDIS_URL the caches are one Redis shared by every host (config/settings.py), and
Django's RedisCache raises when it cannot reach it. Nothing kept there is the only copy:
derived pages can be computed again, sessions are rows in the database, and an API rate
limit can go uncounted for a while. So a read that fails is a miss, a write that fails is
skipped, and pages go on being served from the database; /readyz reports the cache as
unavailable (503) so the outage is seen. After a failure the process leaves the cache
alone for a few seconds, so a Redis that does not answer (each call waits up to its
socket timeout) slows one request, not every cache call of every request.
"""

import logging
import time

from django.core.cache import caches
from redis.exceptions import RedisError

logger = logging.getLogger("quotetrail.cache")

# What a cache backend raises when its server cannot be reached.
CACHE_ERRORS = (RedisError, OSError)
WARN_EVERY_SECONDS = 60
RETRY_AFTER_SECONDS = 5
_last_warned = 0.0
_down_until = 0.0


def available() -> bool:
    """False for a few seconds after the cache last failed in this process."""
    return time.monotonic() >= _down_until


def unreachable(what: str, exc: BaseException) -> None:
    """Note that the cache failed, and log it at most once a minute per process."""
    global _last_warned, _down_until
    now = time.monotonic()
    _down_until = now + RETRY_AFTER_SECONDS
    if now - _last_warned >= WARN_EVERY_SECONDS or not _last_warned:
        _last_warned = now
        logger.warning("cache unavailable (%s), carrying on without it: %s", what, exc)


class Tolerant:
    """A cache alias whose reads miss and writes are skipped while it cannot be reached.

    The alias is looked up on each call, so each thread uses its own connection and a
    test's `override_settings(CACHES=...)` is seen; anything else goes to the cache itself.
    """

    def __init__(self, alias: str):
        self.alias = alias

    def __getattr__(self, name):
        return getattr(caches[self.alias], name)

    def _call(self, failed, method: str, *args):
        """The cache's `method(*args)`, or `failed` while the cache cannot be reached."""
        if not available():
            return failed
        try:
            return getattr(caches[self.alias], method)(*args)
        except CACHE_ERRORS as exc:
            unreachable(self.alias, exc)
            return failed

    def __contains__(self, key) -> bool:
        return self._call(False, "has_key", key)

    def get(self, key, default=None):
        return self._call(default, "get", key, default)

    def get_many(self, keys) -> dict:
        return self._call({}, "get_many", keys)

    def set(self, key, value, timeout=None) -> None:
        self._call(None, "set", key, value, timeout)

    def set_many(self, data: dict, timeout=None) -> list:
        return self._call(list(data), "set_many", data, timeout)

    def delete(self, key) -> bool:
        return self._call(False, "delete", key)
