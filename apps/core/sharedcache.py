"""What the app does when its cache cannot be reached (Redis down or away).

With REDIS_URL the caches are one Redis shared by every host (config/settings.py), and
Django's RedisCache raises when it cannot reach it. Nothing kept there is the only copy:
derived pages can be computed again, sessions are rows in the database, and an API rate
limit can go uncounted for a while. So a read that fails is a miss, a write that fails is
skipped, and pages go on being served from the database; /readyz reports the cache as
unavailable (503) so the outage is seen.
"""

import logging
import time

from django.core.cache import caches
from redis.exceptions import RedisError

logger = logging.getLogger("quotetrail.cache")

# What a cache backend raises when its server cannot be reached.
CACHE_ERRORS = (RedisError, OSError)
WARN_EVERY_SECONDS = 60
_last_warned = 0.0


def unreachable(what: str, exc: BaseException) -> None:
    """Log that the cache failed, at most once a minute per process (not once a request)."""
    global _last_warned
    now = time.monotonic()
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

    def __contains__(self, key) -> bool:
        try:
            return key in caches[self.alias]
        except CACHE_ERRORS as exc:
            unreachable(self.alias, exc)
            return False

    def get(self, key, default=None):
        try:
            return caches[self.alias].get(key, default)
        except CACHE_ERRORS as exc:
            unreachable(self.alias, exc)
            return default

    def get_many(self, keys) -> dict:
        try:
            return caches[self.alias].get_many(keys)
        except CACHE_ERRORS as exc:
            unreachable(self.alias, exc)
            return {}

    def set(self, key, value, timeout=None) -> None:
        try:
            caches[self.alias].set(key, value, timeout)
        except CACHE_ERRORS as exc:
            unreachable(self.alias, exc)

    def delete(self, key) -> bool:
        try:
            return caches[self.alias].delete(key)
        except CACHE_ERRORS as exc:
            unreachable(self.alias, exc)
            return False

    def set_many(self, data: dict, timeout=None) -> list:
        try:
            return caches[self.alias].set_many(data, timeout)
        except CACHE_ERRORS as exc:
            unreachable(self.alias, exc)
            return list(data)
