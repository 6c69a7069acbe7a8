"""Sessions in the database, with a copy in the shared cache (SESSION_ENGINE with Redis).

Django's cached_db store, made to carry on while the cache is unreachable: a session is
then read from and saved to the database alone (apps/core/sharedcache.py), so signing in
and out go on working. The copy in the cache is kept for a minute at most, not for the
session's whole age: a logout while Redis is away cannot delete the copy, and Redis, if
it kept its data through the outage, would otherwise hand that ended session back for
hours once it answers again. Active sessions are read from the database about once a
minute instead of never.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db

from .sharedcache import Tolerant

CACHED_SECONDS = 60


class CappedTolerant(Tolerant):
    def set(self, key, value, timeout=None) -> None:
        capped = CACHED_SECONDS if timeout is None else min(timeout, CACHED_SECONDS)
        super().set(key, value, capped)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = CappedTolerant(settings.SESSION_CACHE_ALIAS)
