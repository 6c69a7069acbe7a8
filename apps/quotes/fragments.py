"""What a save changed on the article page, so that its htmx answer carries only that.

A tag save, edit or delete, and a suggestion accepted or dismissed, answer htmx with
the editor region and, out of band, the parts of the page that changed. `plan()`
compares the reading the page showed before the save (`reading_before`: the reading
after it, with the saved quote as it was) with the reading after it:

- the body paragraphs whose highlights differ (`#p-N`, contents replaced): those the
  quote's old and new span touch, and any whose colours or badges moved with it;
- the counts (`#counts`, which also carry the reading's state) and the legend entries
  whose number of quotes changed (`#lg-KEY`), or the whole summary when a speaker
  group appeared or emptied;
- the quote's list item (`#qi-ID`): replaced in place, or removed and inserted where it
  now belongs in its speaker's group (`#qg-KEY-quotes`); a group that appears or
  empties is inserted or removed with its section (`#qg-KEY`).

It falls back to whole regions where a piecewise answer could leave the page unlike a
reload: the body, summary and list when speakers are renumbered (speakers are numbered
in the order they were first tagged, so only deleting or re-attributing a speaker's
first-tagged quote shifts the later speakers' numbers and colours); those
and the suggestions panel when the page says it shows another state than the one the
save started from (a colleague's save, a correction of the text); the quote list when
quotes needing repair are involved or the list empties or fills.

`suggestions_plan()` does the same for the suggestions panel. Templates give the
elements the ids in `ELEMENT_IDS`.
"""

from dataclasses import dataclass

from django.db.models import Q

from apps.articles.reading.highlighting import paragraph_starts, paragraphs_of
from apps.sources.lookup import name_variants

from .models import Quote, Suggestion
from .reading import Reading, arrange

# The page sends the state of the reading it shows in this header (static/js/app.js).
# (Scripts that save without a page, such as the benchmark, leave it out.)
STATE_HEADER = "X-Quotetrail-Reading"

ELEMENT_IDS = {
    "body": "article-body",
    "summary": "summary",
    "quote-list": "quote-groups",
    "suggestions": "suggestions",
    "paragraph": "p-{}",
    "counts": "counts",
    "legend-entry": "lg-{}",
    "group": "qg-{}",
    "quote-item": "qi-{}",
    "suggestions-title": "suggestions-title",
    "suggestions-notice": "suggestions-notice",
    "suggestion": "suggestion-{}",
}


@dataclass(frozen=True)
class Fragment:
    """One part of the page to send: `part` names it (a key of ELEMENT_IDS), `key` says
    which paragraph, group, quote or suggestion, `swap` where htmx puts it: "true"
    replaces the element with the same id, "delete" removes it, "innerHTML:#id"
    replaces its contents, "beforebegin:#id" and "beforeend:#id" insert it."""

    part: str
    key: int | str | None = None
    swap: str = "true"

    @property
    def element_id(self) -> str:
        return ELEMENT_IDS[self.part].format(self.key)


WHOLE = [Fragment("body"), Fragment("summary"), Fragment("quote-list")]


def reading_order(quote: Quote) -> tuple:
    return (quote.start, -quote.end, quote.pk)  # Quote.objects.for_article's order


def reading_before(after: Reading, old: Quote | None = None, saved: int | None = None) -> Reading:
    """`after` as it was before one save: without the saved quote (id `saved`, None for a
    deletion) and with `old`, the quote as the page showed it (None for a new quote)."""
    gone = {saved, old.pk if old is not None else None}
    quotes = [q for q in after.quotes + after.orphans if q.pk not in gone]
    if old is not None:
        quotes.append(old)
    return arrange(after.article, sorted(quotes, key=reading_order))


def plan(before: Reading, after: Reading, shown: str | None) -> list[Fragment]:
    """The fragments that take the page to `after`. `shown` is the state of the reading the
    page says it shows; a page that says nothing is taken to show `before`."""
    if shown is not None and shown != before.state:
        return [*WHOLE, Fragment("suggestions")]  # the page is not what the save changed
    if before.state == after.state:
        return []
    numbers = {group.key: group.number for group in before.groups}
    if any(numbers.get(group.key, group.number) != group.number for group in after.groups):
        return list(WHOLE)  # renumbered: later speakers' badges and colours changed
    changed = _changed_quotes(before, after)
    return [*_paragraphs(before, after), *_summary(before, after), *_items(before, after, changed)]


def _changed_quotes(before: Reading, after: Reading) -> set[int]:
    def stamps(reading):
        return {
            q.pk: (q.version, q.updated_at, q.verdict) for q in reading.quotes + reading.orphans
        }

    old, new = stamps(before), stamps(after)
    return {pk for pk in old.keys() | new.keys() if old.get(pk) != new.get(pk)}


def _paragraphs(before: Reading, after: Reading) -> list[Fragment]:
    """Paragraphs whose highlights differ: a paragraph is rendered from its text and the
    marks touching it, in order, so equal marks give an equal paragraph."""
    starts = paragraph_starts(after.article.body)

    def marks_per_paragraph(reading):
        found: dict[int, list] = {}
        for mark in reading.marks:
            for index in paragraphs_of(starts, mark.start, mark.end):
                found.setdefault(index, []).append(mark)
        return found

    old, new = marks_per_paragraph(before), marks_per_paragraph(after)
    return [
        Fragment("paragraph", index, f"innerHTML:#p-{index}")
        for index in sorted(old.keys() | new.keys())
        if old.get(index) != new.get(index)
    ]


def _summary(before: Reading, after: Reading) -> list[Fragment]:
    sizes = {group.key: len(group.quotes) for group in before.groups}
    if sizes.keys() != {group.key for group in after.groups}:
        return [Fragment("summary")]  # a legend entry came or went
    return [Fragment("counts")] + [
        Fragment("legend-entry", group.key)
        for group in after.groups
        if len(group.quotes) != sizes[group.key]
    ]


def _items(before: Reading, after: Reading, changed: set[int]) -> list[Fragment]:
    """The changed quotes' list items, and the speaker groups that came or went."""
    orphans = {q.pk for q in before.orphans + after.orphans}
    if changed & orphans or not before.groups or not after.groups:
        return [Fragment("quote-list")]
    was = {group.key: group for group in before.groups}
    now = {group.key for group in after.groups}
    removals = [Fragment("group", g.key, "delete") for g in before.groups if g.key not in now]
    additions = []
    for position, group in enumerate(after.groups):
        if group.key not in was:
            following = next((g.key for g in after.groups[position + 1 :] if g.key in was), None)
            where = f"beforebegin:#qg-{following}" if following else "beforeend:#quote-groups"
            additions.append(Fragment("group", group.key, where))
            continue
        listed = [q.pk for q in was[group.key].quotes]
        ids = [q.pk for q in group.quotes]
        if listed == ids:
            additions += [Fragment("quote-item", pk) for pk in ids if pk in changed]
            continue
        kept = {pk for pk in listed if pk not in changed and pk in ids}
        removals += [Fragment("quote-item", pk, "delete") for pk in listed if pk not in kept]
        for index, pk in enumerate(ids):
            if pk in kept:
                continue
            following = next((later for later in ids[index + 1 :] if later in kept), None)
            where = (
                f"beforebegin:#qi-{following}" if following else f"beforeend:#qg-{group.key}-quotes"
            )
            additions.append(Fragment("quote-item", pk, where))
    return removals + additions


def suggestions_plan(
    article,
    *,
    decided: int | None = None,
    tagged: tuple = (),
    untagged: tuple = (),
    new_speaker: str = "",
    notice: bool = False,
    limit: int,
) -> list[Fragment]:
    """What changes in the suggestions panel (which lists at most `limit` open suggestions
    not yet tagged) when suggestion `decided` is accepted or dismissed, when spans
    (start, end) are `tagged` or `untagged`, or when a speaker so named is created, and
    whether the panel's notice line is to show a new message.

    A suggestion leaving the list is removed and the count updated; one that may come
    back, or whose speaker may now be known, resends the panel (at most three queries)."""
    tagged, untagged = set(tagged) - set(untagged), set(untagged) - set(tagged)
    open_ = Suggestion.objects.filter(article=article, status=Suggestion.Status.OPEN)
    spans = tagged | untagged
    found = []
    if spans:
        where = Q()
        for start, end in spans:
            where |= Q(start=start, end=end)
        found = list(open_.filter(where).values_list("pk", "start", "end"))
    if any((start, end) in untagged for _, start, end in found):
        return [Fragment("suggestions")]  # an untagged passage is suggested again
    if new_speaker and _names(open_, new_speaker):
        return [Fragment("suggestions")]  # a suggested speaker now is, or is now ambiguous
    left = [decided] if decided is not None else []
    left += [pk for pk, start, end in found if (start, end) in tagged and pk != decided]
    changes = [Fragment("suggestions-notice")] if notice else []
    if left:
        remaining = Suggestion.objects.open_for(article).count()
        if remaining == 0 or remaining >= limit:
            return [Fragment("suggestions")]  # the list empties, or one beyond it moves up
        changes += [Fragment("suggestion", pk, "delete") for pk in left]
        changes.append(Fragment("suggestions-title", remaining))
    return changes


def _names(suggestions, speaker: str) -> bool:
    """Whether a suggestion names `speaker` (as the panel matches names to speakers)."""
    wanted = speaker.lower()
    names = suggestions.exclude(speaker_name="").values_list("speaker_name", flat=True)
    return any(wanted in (v.lower() for v in name_variants(name)) for name in names.distinct())
