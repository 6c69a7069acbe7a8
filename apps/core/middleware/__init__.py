"""Quotetrail's own middleware, one module each, listed in their MIDDLEWARE order
(config/settings.py places them among Django's):

- `requestid`: `RequestIdMiddleware`, outermost; gives each request an id that every
  log line written while serving it carries (`RequestIdFilter`).
- `requestlog`: `RequestLogMiddleware`, one log line per request (user, method, path,
  status, duration).
- `outage`: `DatabaseUnavailableMiddleware`, a clean 503 while the database is
  unreachable.
- `nul`: `RejectNulCharactersMiddleware`, a 400 for any request carrying a NUL
  character.
"""
