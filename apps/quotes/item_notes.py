"""Notes that the apps above add to a quote's item in the article's side panel.

Imports flow down the layers (core → articles → sources → quotes → claims), so the
quotes app never imports the claims app; yet the side panel should say which quotes
take part in a contradiction. So an app above registers a provider here when it is
ready (apps.claims.apps: `ClaimsConfig.ready`), and the article page asks every
provider about the quotes it lists. A provider takes the article's id and a list of
its quotes and returns HTML per quote id (rendered by its own autoescaping template),
in a number of queries that does not grow with the archive.

The side panel is kept per article under its version counter (apps.core.versions): a
provider's app bumps `article:<id>` when what a note shows changes (apps.claims.owners).
The notes also count in the reading's state (`Reading.notes`), so a save whose answer
would leave a note on the page as it was before sends the whole quote list instead
(apps/quotes/fragments.py).
"""

import hashlib
from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Provider = Callable[[int, list], dict[int, str]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def for_quotes(article_id: int, quotes: list) -> dict[int, SafeString]:
    """Every provider's notes on these quotes of the article, by quote id."""
    if not quotes:
        return {}
    found: dict[int, list[str]] = {}
    for provider in _providers:
        for pk, html in provider(article_id, quotes).items():
            found.setdefault(pk, []).append(html)
    return {pk: mark_safe("".join(parts)) for pk, parts in found.items()}  # noqa: S308


def digest(notes: dict[int, str]) -> str:
    """Names a set of notes (for the reading's state)."""
    if not notes:
        return ""
    text = repr(sorted(notes.items()))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
