"""What the article page shows: highlights, the legend and the side panel.

The last step of reading an article (apps/articles/reading/ lists the steps before it:
the canonical text, its segments, the highlighted HTML). It lives here, not beside
them, because it reads the quotes and their speakers, which articles may not import.

Built from one query of the article's quotes (speakers, affiliations and
sources joined), so the page costs the same number of queries for 5 quotes
as for 5,000.
"""

import functools
import hashlib
from dataclasses import dataclass, field

from apps.articles.models import Article
from apps.articles.reading.highlighting import Mark, highlighted_body
from apps.sources.models import Speaker

from .models import Quote

PALETTE_SIZE = 8


@dataclass
class SpeakerGroup:
    speaker: Speaker | None  # None groups the unattributed quotes
    number: int  # legend number, shown after each highlight so colour is not the only cue
    colour: int
    quotes: list[Quote] = field(default_factory=list)

    @property
    def css(self) -> str:
        return f"sp-{self.colour}" if self.speaker is not None else "sp-none"

    @property
    def key(self) -> str:
        """Names the group's legend entry (lg-KEY) and list section (qg-KEY) on the page."""
        return str(self.speaker.pk) if self.speaker is not None else "none"


@dataclass
class Reading:
    article: Article
    groups: list[SpeakerGroup]
    quotes: list[Quote]
    orphans: list[Quote]
    marks: list[Mark]  # the highlights, in the order the body is rendered with
    notes: str = ""  # names the notes other apps add to the side panel (item_notes.digest)
    passage: tuple[int, int] | None = None  # a span of the body marked besides the quotes
    verdicts: tuple[str, ...] | None = None  # the side panel lists only these (a filter)

    @functools.cached_property
    def body_html(self) -> str:
        return highlighted_body(self.article.body, self.marks, self.passage)

    @functools.cached_property
    def state(self) -> str:
        """Names what the page shows of this reading: the article's text and every quote as
        last saved, with its speaker and source, and the notes on them. The page sends it
        with each htmx request, so a save can tell whether the page shows what it changed
        (apps/quotes/fragments.py)."""
        seen = [
            (
                q.pk,
                q.version,
                q.updated_at,
                q.orphaned,
                q.verdict,
                q.speaker_id,
                q.speaker and (q.speaker.updated_at, q.speaker.affiliation_id),
                q.source_id,
                q.source and q.source.updated_at,
            )
            for q in sorted(self.quotes + self.orphans, key=lambda q: q.pk)
        ]
        text = repr((self.article.pk, self.article.fingerprint, seen, self.notes))
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()

    @property
    def flagged_count(self) -> int:
        """Quotes altered or not found in their source's original (stored verdicts)."""
        return sum(1 for q in self.quotes if q.flagged)

    def only_verdicts(self, verdicts) -> None:
        """Keep in the groups only the quotes with one of these verdicts (the side panel's
        `?verdict=` filter); the highlights and the legend still show every quote."""
        for group in self.groups:
            group.quotes = [q for q in group.quotes if q.verdict in verdicts]
        self.groups = [g for g in self.groups if g.quotes]
        self.verdicts = verdicts

    @property
    def speaker_count(self) -> int:
        return sum(1 for group in self.groups if group.speaker is not None)

    @property
    def unattributed_count(self) -> int:
        return sum(len(group.quotes) for group in self.groups if group.speaker is None)


def read(article: Article) -> Reading:
    return arrange(article, list(Quote.objects.for_article(article)))


def _groups(quotes: list[Quote]) -> dict[int | None, SpeakerGroup]:
    """The quotes (in reading order) grouped by speaker, numbered in the order the speakers
    were first tagged in the article (their earliest quote's id), not where they first
    speak: tagging a new speaker, wherever in the text, gives them the next number and
    colour and moves nobody else's. Only when a speaker's first-tagged quote is deleted
    or given to someone else can the others' numbers shift."""
    first: dict[int, tuple] = {}
    for position, quote in enumerate(quotes):
        if quote.speaker_id is not None:
            seen = (quote.pk is None, quote.pk or 0, position)
            first[quote.speaker_id] = min(first.get(quote.speaker_id, seen), seen)
    groups: dict[int | None, SpeakerGroup] = {}
    for index, speaker_id in enumerate(sorted(first, key=first.__getitem__)):
        groups[speaker_id] = SpeakerGroup(
            speaker=None, number=index + 1, colour=index % PALETTE_SIZE
        )
    for quote in quotes:
        if quote.speaker_id is None and None not in groups:
            groups[None] = SpeakerGroup(speaker=None, number=0, colour=0)
        group = groups[quote.speaker_id]
        group.speaker = quote.speaker
        group.quotes.append(quote)
    return groups


def arrange(article: Article, all_quotes: list[Quote]) -> Reading:
    """The reading of these quotes (in reading order); the body is rendered when asked for."""
    quotes = [q for q in all_quotes if not q.orphaned]
    orphans = [q for q in all_quotes if q.orphaned]
    groups = _groups(quotes)
    ordered = [g for k, g in groups.items() if k is not None]
    if None in groups:
        ordered.append(groups[None])
    marks = []
    for group in ordered:
        badge = str(group.number) if group.speaker is not None else "?"
        for quote in group.quotes:
            marks.append(
                Mark(quote.start, quote.end, quote.pk, f"{group.css} kind-{quote.kind}", badge)
            )
    return Reading(article=article, groups=ordered, quotes=quotes, orphans=orphans, marks=marks)
