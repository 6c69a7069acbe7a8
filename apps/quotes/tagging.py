"""Creating, changing and deleting quotes, and correcting an article's body.

Every write runs in one transaction. Changes to an existing quote carry the
version they were made from; a save against a newer version raises
StaleVersion instead of overwriting a colleague's edit.

A tag save and a correction of the same article take the article's row lock,
so they happen one after the other: a save that waited for a correction finds
the selected words again in the corrected text (or is refused), and never
stores a span of the old text.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.articles.models import Article, fingerprint
from apps.articles.reading.text import canonicalize
from apps.core.versions import collecting
from apps.sources.models import Source, Speaker

from .anchoring import Selector, resolve, selector_for
from .models import Quote


class StaleVersion(Exception):
    """The quote changed since the editor loaded it; `current` is the newer one."""

    def __init__(self, current: Quote | None):
        super().__init__("This quote was changed by someone else.")
        self.current = current


class TaggingRefused(Exception):
    """The change cannot be saved; the message says why, for the editor."""


# What an editor is told when a passage already has its quote (Quote.objects.on_span).
ALREADY_TAGGED = "This passage is already tagged as a quote."


@dataclass
class NewSpeaker:
    name: str
    kind: str
    role: str = ""
    affiliation: Speaker | None = None


@dataclass
class NewSource:
    title: str
    kind: str
    publisher: str = ""
    url: str = ""
    date: object = None


@dataclass
class QuoteChange:
    """Everything the tag form decided, already validated and resolved."""

    start: int
    end: int
    kind: str
    cue: str = ""
    note: str = ""
    speaker: Speaker | None = None
    source: Source | None = None
    new_speaker: NewSpeaker | None = None
    new_source: NewSource | None = None
    created: list[str] = field(default_factory=list)
    # The selected words with their context, as in the text the span was chosen in.
    selector: Selector | None = None


def _created(instance, what: str, change: QuoteChange):
    """Validate and save a speaker or source made inline in the tag form."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise TaggingRefused(f"New {what}: " + " ".join(exc.messages)) from None
    instance.save()
    change.created.append(f"{what} {instance}")
    return instance


def _speaker_for(change: QuoteChange) -> Speaker | None:
    new = change.new_speaker
    if new is None:
        return change.speaker
    return _created(
        Speaker(name=new.name, kind=new.kind, role=new.role, affiliation=new.affiliation),
        "speaker",
        change,
    )


def _source_for(change: QuoteChange) -> Source | None:
    new = change.new_source
    if new is None:
        return change.source
    return _created(
        Source(title=new.title, kind=new.kind, publisher=new.publisher, url=new.url, date=new.date),
        "source",
        change,
    )


REVIEWED_FIELDS = ("start", "end", "exact", "kind", "cue", "note", "speaker_id", "source_id")


def _lock_article(article_id: int) -> Article:
    """Lock the article until the save commits and read its current text.

    A correction locks the same row, so it cannot commit between reading the body
    and storing the span. FOR NO KEY UPDATE: quotes still reference the row meanwhile.
    """
    article = Article.objects.select_for_update(no_key=True).filter(pk=article_id).first()
    if article is None:
        raise TaggingRefused("This article was deleted a moment ago.")
    return article


def _follow_correction(body: str, change: QuoteChange) -> None:
    """Move the span to where its words are now if the text was corrected meanwhile."""
    chosen = change.selector
    if chosen is None:
        return
    inside = 0 <= change.start < change.end <= len(body)
    if inside and selector_for(body, change.start, change.end) == chosen:
        return
    found = resolve(body, chosen, hint=change.start)
    if found is None:
        raise TaggingRefused(
            "The article's text was corrected a moment ago and no longer holds the selected "
            "words; reload the page and select the passage again."
        )
    change.start, change.end = found


def _apply(quote: Quote, change: QuoteChange) -> Quote:
    _follow_correction(quote.article.body, change)
    before = [getattr(quote, name) for name in REVIEWED_FIELDS]
    quote.anchor(change.start, change.end)
    quote.kind = change.kind
    quote.cue = change.cue
    quote.note = change.note
    quote.speaker = _speaker_for(change)
    quote.source = _source_for(change)
    if quote.pk and [getattr(quote, name) for name in REVIEWED_FIELDS] != before:
        quote.reopen()  # what was reviewed is no longer what is saved
    try:
        # Constraints are the database's to enforce (a duplicate span is caught below);
        # checking them here would cost a query apiece on every save.
        quote.full_clean(
            exclude=["article", "speaker", "source", "created_by", "reviewed_by"],
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise TaggingRefused(_friendly(exc)) from None
    try:
        with transaction.atomic():
            quote.save()
    except IntegrityError as error:
        if "does not match" in str(error):  # the span trigger: cannot happen under the lock
            raise TaggingRefused(
                "The article's text changed while saving; reload the page and select again."
            ) from None
        raise TaggingRefused(ALREADY_TAGGED) from None
    return quote


def _lock_chosen(change: QuoteChange) -> None:
    """Lock the chosen speaker and source until the save commits, and refuse if a merge or
    deletion took one away since the form was checked (the reference would otherwise
    fail only at commit, as an error instead of a message)."""
    for chosen, label in ((change.speaker, "speaker"), (change.source, "source")):
        if chosen is None or chosen.pk is None:
            continue
        if not type(chosen).objects.select_for_update().filter(pk=chosen.pk).exists():
            raise TaggingRefused(
                f"That {label} was merged or deleted a moment ago; choose the {label} again."
            )


def _friendly(exc: ValidationError) -> str:
    messages = exc.messages
    if any("already exists" in m for m in messages):
        return ALREADY_TAGGED
    return " ".join(messages)


@collecting()
def create_quote(article: Article, change: QuoteChange, user) -> Quote:
    """Tag a passage of `article`; the change's span was chosen in `article.body`."""
    if change.selector is None and 0 <= change.start < change.end <= len(article.body):
        change.selector = selector_for(article.body, change.start, change.end)
    _lock_chosen(change)  # speakers, then the article, then quotes: one order for every write
    quote = Quote(
        article=_lock_article(article.pk), created_by=user if user.is_authenticated else None
    )
    return _apply(quote, change)


def _lock(quote_id: int, expected_version: int | None) -> Quote:
    current = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("article")
        .filter(pk=quote_id)
        .first()
    )
    if current is None:
        raise StaleVersion(None)
    if expected_version is None or current.version != expected_version:
        raise StaleVersion(current)
    return current


@collecting()
def update_quote(quote_id: int, expected_version: int | None, change: QuoteChange) -> Quote:
    _lock_chosen(change)  # speakers before quotes, the order a merge takes its locks in
    article_id = Quote.objects.filter(pk=quote_id).values_list("article_id", flat=True).first()
    if article_id is None:
        raise StaleVersion(None)
    _lock_article(article_id)
    quote = _lock(quote_id, expected_version)
    quote.version += 1
    return _apply(quote, change)


@collecting()
def delete_quote(quote_id: int, expected_version: int | None) -> Quote:
    quote = _lock(quote_id, expected_version)
    quote.delete()
    return quote


@dataclass
class Correction:
    article: Article
    kept: int = 0  # quotes whose span did not move
    moved: list[Quote] = field(default_factory=list)
    orphaned: list[Quote] = field(default_factory=list)
    repaired: list[Quote] = field(default_factory=list)  # orphans found again


def _offset_mapper(old: str, new: str):
    """Map an offset in `old` to `new`, assuming one edited region in between."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    delta = len(new) - len(old)

    def mapped(offset: int) -> int:
        if offset <= prefix:
            return offset
        if offset >= len(old) - suffix:
            return offset + delta
        return min(max(offset, 0), len(new))

    return mapped


@collecting()
def correct_body(article_id: int, expected_fingerprint: str, title: str, body: str) -> Correction:
    """Replace an article's title and body and re-anchor every quote.

    Each quote is looked for again by its text and context, nearest to where
    the edit moved it; a quote whose text is gone is kept and flagged orphaned
    (the database allows an orphan's span not to match). Orphans whose text
    reappears are repaired.
    """
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None:
        raise TaggingRefused("This article no longer exists.")
    if article.fingerprint != expected_fingerprint:
        raise StaleVersion(None)
    title = canonicalize(title).replace("\n", " ")
    body = canonicalize(body)
    if not title or not body:
        raise TaggingRefused("The title and the body cannot be empty.")
    if len(title) > Article._meta.get_field("title").max_length:
        raise TaggingRefused("The title is over 300 characters.")
    if len(body) > settings.QUOTETRAIL_MAX_BODY_CHARS:
        raise TaggingRefused(
            f"The body is {len(body):,} characters long; "
            f"Quotetrail accepts at most {settings.QUOTETRAIL_MAX_BODY_CHARS:,}."
        )
    clash = Article.objects.filter(fingerprint=fingerprint(title, body)).exclude(pk=article.pk)
    if clash.exists():
        raise TaggingRefused("Another article already has exactly this title and text.")
    quotes = list(Quote.objects.select_for_update().filter(article=article).order_by("start", "pk"))
    mapped = _offset_mapper(article.body, body)
    result = Correction(article=article)
    # Detach every quote first: the database refuses a body that strands a quote.
    Quote.objects.filter(pk__in=[q.pk for q in quotes]).update(orphaned=True)
    article.title, article.body = title, body
    article.save()
    taken: set[tuple[int, int]] = set()
    for quote in quotes:
        was_orphan = quote.orphaned
        old_span = (quote.start, quote.end)
        found = resolve(
            body, Selector(quote.exact, quote.prefix, quote.suffix), mapped(quote.start)
        )
        quote.article = article
        if found is None or found in taken:
            if not was_orphan:
                quote.orphaned = True
                quote.version += 1
                quote._change_reason = "Text no longer found after a body correction"
                quote.save()
                result.orphaned.append(quote)
            continue
        taken.add(found)
        selector = selector_for(body, *found)
        if (
            not was_orphan
            and found == old_span
            and selector.prefix == quote.prefix
            and selector.suffix == quote.suffix
        ):
            Quote.objects.filter(pk=quote.pk).update(orphaned=False)
            result.kept += 1
            continue
        quote.anchor(*found)
        quote.version += 1
        quote._change_reason = "Re-anchored after a body correction"
        quote.save()
        (result.repaired if was_orphan else result.moved).append(quote)
    return result
