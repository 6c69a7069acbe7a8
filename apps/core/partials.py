"""Rendered parts of a page, kept until what they show changes.

A view asks for a partial the way it renders one, naming what the partial shows (its
owners, apps/core/versions.py) and what else it varies on (its parts):

    context["filters"] = kept("claims/board.html#filter-form", filter_context,
                              parts=chosen, owners=("claims", "speakers"))

and the page template places `{{ filters }}`. `context` is a function, called only when
nothing is kept, so a page whose parts are all kept runs none of their queries. What is
kept is the HTML, so a partial never renders anything that depends on the request (no
CSRF token, no user): those stay in the page template around it.
"""

from collections.abc import Callable, Sequence

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .versions import derived, derived_many


def kept(
    template: str, context: Callable[[], dict], *, parts=(), owners, name: str = ""
) -> SafeString:
    """`template` (a file or "file#partial") rendered with `context()`, kept until one of
    `owners`' counters moves. What is kept is filed under `name` (the cache key's
    namespace, which the rebuild counts go by), the template's own by default."""
    html = derived(name or template, parts, lambda: render_to_string(template, context()), owners)
    return mark_safe(html)  # noqa: S308 - rendered by our autoescaping templates


def kept_together(
    templates: dict[str, str], contexts: Callable[[], dict], *, parts=(), owners, name: str
) -> dict[str, SafeString]:
    """Several partials drawn from one computation, kept as one under the same owners:
    `contexts()` gives each partial's context under its name in `templates`. A page that
    shows them all reads the counters and the cache once, and builds what they share once."""

    def render():
        built = contexts()
        return {part: render_to_string(templates[part], built[part]) for part in templates}

    rendered = derived(name, parts, render, owners)
    return {part: mark_safe(html) for part, html in rendered.items()}  # noqa: S308


def kept_many(
    template: str,
    entries: Sequence[tuple],
    contexts: Callable[[list[int]], list[dict]],
    *,
    name: str = "",
) -> list[SafeString]:
    """One partial per entry, each kept under its own owners: `entries` holds (parts,
    owners) per partial, `contexts(indexes)` the contexts of those not kept. One query
    reads every counter and one cache round trip fetches the kept ones. `name` as for
    `kept()`."""

    def render(indexes):
        return [render_to_string(template, context) for context in contexts(indexes)]

    kept_ones = derived_many(name or template, list(entries), render)
    return [mark_safe(html) for html in kept_ones]  # noqa: S308
