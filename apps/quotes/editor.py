"""What the editor region of the article page shows, made by the constructor for its
mode:

- `Editor.idle(message=, refresh=)`: at rest, saying what was just done; `refresh`
  has the htmx answer carry the page's regions and suggestions panel again;
- `Editor.new(form, problem=, tagged=)`: the tag form, with the selection's problem and
  the quote that already holds the passage, if any;
- `Editor.edit(quote, form, history=, check=, trail=)`: the quote's form and panel;
- `Editor.conflict(form, current, action, quote_id, history)`: the save or deletion
  refused because a colleague changed the quote first (`current`, None if deleted);
- `Editor.delete(quote)`: the confirmation of a deletion.

The template reads its fields (`editor.mode`, `editor.form`...).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .tagging import ALREADY_TAGGED


@dataclass(frozen=True)
class Editor:
    mode: str  # "idle", "new", "edit", "conflict" or "delete"
    message: str = ""
    refresh: bool = False
    form: Any = None  # a QuoteForm
    problem: str = ""
    tagged: Any = None  # the Quote already on the selected span
    warning: str = ""
    quote: Any = None  # the Quote edited or deleted
    history: Sequence = ()
    check: dict | None = None  # apps/quotes/quote_panel.py: verbatim_check()
    trail: dict | None = None  # apps/quotes/quote_panel.py: trail_line()
    current: Any = None  # the Quote as a colleague saved it
    action: str = ""  # "update" or "delete"
    quote_id: int | None = None

    @classmethod
    def idle(cls, message: str = "", *, refresh: bool = False) -> "Editor":
        return cls("idle", message=message, refresh=refresh)

    @classmethod
    def new(cls, form, problem: str = "", *, tagged=None) -> "Editor":
        warning = ALREADY_TAGGED if tagged is not None else ""
        return cls("new", form=form, problem=problem, tagged=tagged, warning=warning)

    @classmethod
    def edit(cls, quote, form, *, history=(), check=None, trail=None) -> "Editor":
        return cls("edit", quote=quote, form=form, history=history, check=check, trail=trail)

    @classmethod
    def conflict(cls, form, current, action: str, quote_id: int, history) -> "Editor":
        return cls(
            "conflict",
            form=form,
            current=current,
            action=action,
            quote_id=quote_id,
            history=history,
        )

    @classmethod
    def delete(cls, quote) -> "Editor":
        return cls("delete", quote=quote)
