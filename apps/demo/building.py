"""A synthetic newsroom archive, built from a seed with no database: speakers, claims,
article texts and quote spans (`build_cast`, `quote_counts`, `build_article`,
`build_run`). The same seed always gives the same text. `apps.demo.writing` writes
what is built here; the package's docstring says what the archive holds.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from apps.claims.models import Position
from apps.core.review import ReviewStatus
from apps.quotes.models import QuoteKind
from apps.sources.models import SourceKind, SpeakerKind

from .vocabulary import (
    ANONYMOUS,
    CITIES,
    CLAIMS,
    DIRECT,
    FILLER,
    FIRST_NAMES,
    FRAGMENTS,
    INDIRECT,
    LAST_NAMES,
    LEDES,
    MEMORABLE,
    NOTES,
    OUTLETS,
    PAST,
    QUESTIONS,
    TIMES,
    TOPICS,
    WEEKDAYS,
)

ROWS_PER_INSERT = 1000
FIRST_DAY = datetime.date(2022, 7, 1)
ARCHIVE_DAYS = 3 * 365
BENCH_TITLE = "Benchmark article with {n} quotes"
BENCH_SIZES = (200, 2000)


TOPIC_NAMES = tuple(TOPICS)

MEMORABLE_SHARE = 0.3  # of direct quotations that are not questions
# Reprints (see `Reprints`): how many an article carries, how each is changed.
REPRINTS_PER_ARTICLE = (0, 0, 1, 2, 2, 3, 4, 5, 6, 8)  # about 3 % of a 100-quote article
REPRINT_DAYS = 90  # a line is reprinted within this many days of its first appearance
REPRINTS_OF_A_LINE = 30  # at most, so the most repeated line is in 31 articles
REPRINT_FORMS = (("verbatim", 50), ("changed", 15), ("trimmed", 15), ("partial", 20))
MISATTRIBUTED_SHARE = 0.08
SOURCE_KIND_WEIGHTS = {
    SourceKind.INTERVIEW: 30,
    SourceKind.STATEMENT: 18,
    SourceKind.PRESS_RELEASE: 14,
    SourceKind.BRIEFING: 12,
    SourceKind.NEWS_REPORT: 10,
    SourceKind.SOCIAL_POST: 7,
    SourceKind.INVESTIGATION: 5,
    SourceKind.OTHER: 4,
}
STATUS_WEIGHTS = {
    ReviewStatus.APPROVED: 82,
    ReviewStatus.SUBMITTED: 7,
    ReviewStatus.DRAFT: 7,
    ReviewStatus.REJECTED: 4,
}
STANCE_SHARE = 0.05
UNATTRIBUTED_SHARE = 0.04
STRAIGHT_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})

_FORMATTER = string.Formatter()


def _parse(template: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((literal, slot) for literal, slot, _, _ in _FORMATTER.parse(template))


_PARSED: dict[str, tuple] = {}


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


_STATUS_KEYS = tuple(STATUS_WEIGHTS)
_STATUS_CUM = _cumulative(STATUS_WEIGHTS.values())
_SOURCE_KEYS = tuple(SOURCE_KIND_WEIGHTS)
_SOURCE_CUM = _cumulative(SOURCE_KIND_WEIGHTS.values())


# --- pure generation ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpeakerSpec:
    name: str
    kind: str
    role: str
    topic: str
    affiliation: int | None  # index into Cast.speakers, always an organization
    aliases: tuple[str, ...]
    surname: str


@dataclass(frozen=True, slots=True)
class ClaimSpec:
    topic: str
    text: str
    description: str


@dataclass
class Cast:
    """Everyone who can be quoted, and every claim, for one seed."""

    speakers: list[SpeakerSpec]
    claims: list[ClaimSpec]
    people_by_topic: dict[str, tuple[list[int], list[float]]]
    orgs_by_topic: dict[str, list[int]]
    claims_by_topic: dict[str, list[int]]
    reporters: list[str]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    kind: str
    title: str
    publisher: str
    url: str
    date: datetime.date
    linked_article: int | None  # index of an earlier article of the run


@dataclass(frozen=True, slots=True)
class QuoteSpec:
    start: int
    end: int
    kind: str
    speaker: int | None
    source: int | None  # index into ArticleSpec.sources
    cue: str
    status: str
    note: str
    stances: tuple[tuple[int, str, str], ...]  # (claim index, position, status)


@dataclass(frozen=True, slots=True)
class Said:
    """A memorable line an article quotes directly: what other outlets may reprint."""

    text: str  # between the marks, without the closing comma or point
    speaker: int  # index into Cast.speakers


@dataclass(frozen=True, slots=True)
class Reprint:
    """A line from an earlier article of another outlet, as this article quotes it."""

    text: str  # verbatim, a word dropped or changed, trimmed, or a fragment (PARTIAL)
    speaker: int  # who said it, or now and then someone else (misattributed)
    kind: str  # QuoteKind.DIRECT, or QuoteKind.PARTIAL for a fragment
    outlet: str  # the outlet that first carried it


@dataclass
class ArticleSpec:
    index: int
    title: str
    outlet: str
    url: str
    published: datetime.date
    byline: str
    body: str
    sources: list[SourceSpec]
    quotes: list[QuoteSpec]
    said: list[Said] = field(default_factory=list)


def _topic_orgs(topic: str, rng: random.Random, count: int) -> list[str]:
    templates = TOPICS[topic]["orgs"]
    names: list[str] = []
    seen: set[str] = set()
    cities = list(CITIES)
    rng.shuffle(cities)
    for template, city in itertools.product(templates, cities):
        name = template.format(city=city, n=rng.randint(100, 1999))
        if name not in seen:
            seen.add(name)
            names.append(name)
    rng.shuffle(names)
    return names[:count]


def _the(name: str) -> str:
    """An organization's name as it reads mid-sentence ("the State Board of Education")."""
    return f"the {name}" if name.split()[0] in _NEEDS_THE else name


_NEEDS_THE = {"State", "Department", "Office", "Police", "Friends", "Amalgamated"}


def _acronym(name: str) -> str:
    letters = [w[0] for w in name.replace("'", "").split() if w[0].isupper()]
    return "".join(letters) if len(letters) >= 3 else ""


def cast_size(articles: int) -> tuple[int, int, int]:
    """(organizations, people, claims) for an archive of this many articles."""
    orgs = max(2 * len(TOPICS), min(400, articles // 30 + 16))
    people = max(48, min(4000, articles // 3 + 40))
    claims = max(12, min(300, articles // 30 + 12))
    return orgs, people, claims


def build_cast(seed: int, articles: int) -> Cast:
    """Organizations, people (with roles, affiliations and aliases) and claims; pure."""
    rng = random.Random(f"cast:{seed}")
    n_orgs, n_people, n_claims = cast_size(articles)
    speakers: list[SpeakerSpec] = []
    orgs_by_topic: dict[str, list[int]] = {t: [] for t in TOPICS}
    per_topic = -(-n_orgs // len(TOPICS))
    for topic in TOPICS:
        for name in _topic_orgs(topic, rng, per_topic):
            acronym = _acronym(name)
            orgs_by_topic[topic].append(len(speakers))
            speakers.append(
                SpeakerSpec(
                    name=name,
                    kind=SpeakerKind.ORGANIZATION,
                    role=topic.replace("_", " "),
                    topic=topic,
                    affiliation=None,
                    aliases=(acronym,) if acronym else (),
                    surname=name,
                )
            )
    names = list(itertools.product(FIRST_NAMES, LAST_NAMES))
    rng.shuffle(names)
    people_by_topic: dict[str, tuple[list[int], list[float]]] = {}
    members: dict[str, list[int]] = {t: [] for t in TOPICS}
    for i, (first, last) in enumerate(names[:n_people]):
        topic = TOPIC_NAMES[i % len(TOPICS)]
        rng = random.Random(f"person:{seed}:{i}")  # the same person whatever the size
        independent = rng.random() < 0.12
        if independent:
            role = rng.choice(("resident", "local business owner", "community organiser"))
            affiliation = None
        else:
            role = rng.choice(TOPICS[topic]["roles"])
            affiliation = rng.choice(orgs_by_topic[topic])
        aliases = (last,) if rng.random() < 0.6 else (last, f"{first[0]}. {last}")
        members[topic].append(len(speakers))
        speakers.append(
            SpeakerSpec(
                name=f"{first} {last}",
                kind=SpeakerKind.PERSON,
                role=role,
                topic=topic,
                affiliation=affiliation,
                aliases=aliases,
                surname=last,
            )
        )
    for topic, indices in members.items():
        # A few people are quoted all the time, most now and then (Zipf-like).
        people_by_topic[topic] = (indices, _cumulative([1 / (r + 3) for r in range(len(indices))]))

    rng = random.Random(f"claims:{seed}")  # the same claims whatever the size
    claims: list[ClaimSpec] = []
    claims_by_topic: dict[str, list[int]] = {t: [] for t in TOPICS}
    seen: set[str] = set()
    attempts = 0
    while len(claims) < n_claims and attempts < n_claims * 50:
        attempts += 1
        topic = TOPIC_NAMES[len(claims) % len(TOPICS)]
        vocab = TOPICS[topic]
        org = _the(speakers[rng.choice(orgs_by_topic[topic][:2])].name)
        text = _fill(rng.choice(CLAIMS), rng, vocab, org=org, city=rng.choice(CITIES))
        text = text[0].upper() + text[1:]
        if text.lower() in seen:
            continue
        seen.add(text.lower())
        claims_by_topic[topic].append(len(claims))
        claims.append(
            ClaimSpec(
                topic=topic,
                text=text,
                description=f"Raised in coverage of {topic.replace('_', ' ')}; "
                "track who affirms, denies or qualifies it.",
            )
        )
    reporters = [f"{f} {last}" for f, last in names[n_people : n_people + 60]]
    return Cast(speakers, claims, people_by_topic, orgs_by_topic, claims_by_topic, reporters)


def _fill(template: str, rng: random.Random, vocab: dict, **given: str) -> str:
    parsed = _PARSED.get(template)
    if parsed is None:
        parsed = _PARSED[template] = _parse(template)
    out = []
    for literal, slot in parsed:
        out.append(literal)
        if slot is None:
            continue
        value = given.get(slot.lower())
        if value is None:
            value = _slot(slot.lower(), rng, vocab)
        if slot[0].isupper():
            value = value[0].upper() + value[1:]
        out.append(value)
    return "".join(out)


def _slot(slot: str, rng: random.Random, vocab: dict) -> str:
    match slot:
        case "thing":
            return rng.choice(vocab["things"])
        case "issue":
            return rng.choice(vocab["issues"])
        case "groups":
            return rng.choice(vocab["groups"])
        case "time":
            return rng.choice(TIMES)
        case "past":
            return rng.choice(PAST)
        case "count":
            return rng.choice(("three", "four", "five", "six", "seven", "nine", "twelve"))
        case "number":
            return f"{rng.randint(2, 90) * 100:,}"
        case "pct":
            return str(rng.randint(4, 65))
        case "city":
            return rng.choice(CITIES)
        case "weekday" | "weekday2":
            return rng.choice(WEEKDAYS)
        case "pct2":
            return str(rng.randint(4, 65))
        case "months":
            return str(rng.randint(2, 40))
        case "sum" | "sum2":
            return f"${rng.randint(11, 990) / 10:.1f} million"
        case _:
            raise KeyError(slot)


def quote_counts(seed: int, run: int, articles: int, quotes: int) -> list[int]:
    """How many quotes each article gets: uneven, summing exactly to `quotes`; pure."""
    if articles <= 0:
        return []
    rng = random.Random(f"counts:{seed}:{run}")
    weights = [rng.lognormvariate(0, 0.45) for _ in range(articles)]
    total = sum(weights)
    exact = [quotes * w / total for w in weights]
    counts = [int(x) for x in exact]
    missing = quotes - sum(counts)
    by_remainder = sorted(range(articles), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[:missing]:
        counts[i] += 1
    return counts


def _pick(rng: random.Random, keys: Sequence, cum: list[float]):
    return keys[bisect.bisect(cum, rng.random() * cum[-1])]


class _Body:
    """Accumulates the text of an article and the code-point spans of its quotes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[tuple[int, int]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def quote(self, text: str) -> None:
        self.spans.append((self.pos, self.pos + len(text)))
        self.add(text)

    def text(self) -> str:
        return "".join(self.parts)


class _Mentions:
    """First mention by full name and role, then by surname (or acronym)."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.seen: set[int] = set()

    def __call__(self, index: int) -> str:
        spec = self.cast.speakers[index]
        if index in self.seen:
            if spec.kind == SpeakerKind.ORGANIZATION:
                return spec.aliases[0] if spec.aliases else spec.name
            return spec.surname
        self.seen.add(index)
        if spec.kind == SpeakerKind.ORGANIZATION:
            return _the(spec.name)
        if spec.affiliation is not None:
            org = _the(self.cast.speakers[spec.affiliation].name)
            return f"{spec.name}, {spec.role} at {org},"
        return f"{spec.name}, a {spec.role},"


def build_article(
    seed: int,
    run: int,
    index: int,
    n_quotes: int,
    cast: Cast,
    *,
    title: str | None = None,
    dense: bool = False,
    ref: str | None = None,
    reprints: Callable[[str, datetime.date, int], Sequence[Reprint]] | None = None,
) -> ArticleSpec:
    """One article and its quotes (exactly `n_quotes`, never overlapping); pure.

    `dense` leaves out narrative filler and keeps quotations short, for the
    benchmark articles with thousands of quotes. `reprints(outlet, published,
    n_quotes)` gives lines of earlier articles this one quotes again, in place of
    some of its own (see `Reprints`).
    """
    rng = random.Random(f"article:{seed}:{run}:{index}")
    topic = rng.choice(TOPIC_NAMES)
    vocab = TOPICS[topic]
    city = rng.choice(CITIES)
    outlet, domain = rng.choice(OUTLETS)
    published = FIRST_DAY + datetime.timedelta(days=rng.randrange(ARCHIVE_DAYS))
    people, people_cum = cast.people_by_topic[topic]
    orgs = cast.orgs_by_topic[topic]
    article_people = list(
        dict.fromkeys(_pick(rng, people, people_cum) for _ in range(rng.randint(3, 8)))
    )
    article_orgs = rng.sample(orgs, min(len(orgs), rng.randint(1, 3)))
    topic_claims = cast.claims_by_topic[topic]
    article_claims = rng.sample(topic_claims, min(len(topic_claims), rng.randint(1, 3)))
    # Each speaker leans one way on each claim, so contradictions come from different people.
    leaning = {
        (s, c): rng.choice(
            (Position.AFFIRMS, Position.AFFIRMS, Position.DENIES, Position.QUALIFIES)
        )
        for s in article_people + article_orgs
        for c in article_claims
    }

    # The first source of article i is of kind i mod 8, so any 8 articles show every kind.
    sources = [
        _source(rng, cast, vocab, article_people, article_orgs, published, index, kind)
        for kind in (_ALL_KINDS[index % len(_ALL_KINDS)], *([None] * rng.randint(0, 2)))
    ]

    org_name = cast.speakers[article_orgs[0]].name
    headline = rng.choice(vocab["headlines"])
    if title is None:
        title = _fill(headline, rng, vocab, city=city, org=org_name)
        title = title[0].upper() + title[1:]
    mention = _Mentions(cast)
    body = _Body()
    quotes: list[QuoteSpec] = []
    said: list[Said] = []
    reprinted = list(reprints(outlet, published, n_quotes)) if reprints and not dense else []
    reprint_at = set(rng.sample(range(n_quotes), len(reprinted))) if reprinted else set()

    def attribute(speaker: int | None, kind: str, cue: str, source_bias: float = 0.7) -> None:
        status = _pick(rng, _STATUS_KEYS, _STATUS_CUM)
        stances: tuple = ()
        if (
            speaker is not None
            and article_claims
            and rng.random() < STANCE_SHARE
            and (speaker, article_claims[0]) in leaning  # not a reprint's speaker
        ):
            chosen = rng.sample(article_claims, min(len(article_claims), rng.choice((1, 1, 1, 2))))
            stances = tuple(
                (c, leaning[(speaker, c)], _pick(rng, _STATUS_KEYS, _STATUS_CUM)) for c in chosen
            )
        source = rng.randrange(len(sources)) if rng.random() < source_bias else None
        note = rng.choice(NOTES) if rng.random() < 0.03 else ""
        start, end = body.spans[-1]
        quotes.append(QuoteSpec(start, end, kind, speaker, source, cue, status, note, stances))

    def line(person: int) -> str:
        """A direct quotation of `person`: now and then a memorable one (see `MEMORABLE`)."""
        if not dense and rng.random() < MEMORABLE_SHARE:
            named = [cast.speakers[p].name for p in rng.sample(people, min(2, len(people)))]
            text = _fill(rng.choice(MEMORABLE), rng, vocab, name=named[0], name2=named[-1])
            said.append(Said(text, person))
            return text
        return _fill(rng.choice(DIRECT), rng, vocab)

    def reprint(r: Reprint) -> None:
        name = mention(r.speaker)
        if r.kind == QuoteKind.PARTIAL:
            body.add(f"{name.rstrip(',')} told {r.outlet} that ")
            body.quote(f"“{r.text}”")
            body.add(".")
            cue = "told"
        elif rng.random() < 0.5:
            body.quote(f"“{r.text},”")
            body.add(f" {name} said.")
            cue = "said"
        else:
            body.add(f"As {name.rstrip(',')} put it to {r.outlet}, ")
            body.quote(f"“{r.text}.”")
            cue = "put it"
        attribute(r.speaker, r.kind, cue)

    def sentence() -> None:
        roll = rng.random()
        person = rng.choice(article_people)
        if roll < UNATTRIBUTED_SHARE:
            text = _fill(rng.choice(DIRECT), rng, vocab)
            body.quote(f"“{text},”")
            body.add(f" said {rng.choice(ANONYMOUS)}.")
            attribute(None, QuoteKind.DIRECT, "said", 0.2)
        elif roll < 0.50:
            form = rng.randrange(5)
            if form == 0:
                body.quote(f"“{line(person)},”")
                body.add(f" {mention(person)} said.")
                cue = "said"
            elif form == 1:
                body.quote(f"“{line(person)},”")
                body.add(f" said {mention(person).rstrip(',')}.")
                cue = "said"
            elif form == 2:
                body.add(f"{mention(person)} said: ")
                body.quote(f"“{line(person)}.”")
                cue = "said"
            elif form == 3:
                body.quote(f"“{_fill(rng.choice(QUESTIONS), rng, vocab)}?”")
                body.add(f" {mention(person)} asked.")
                cue = "asked"
            else:
                body.quote(f"“{line(person)},”")
                body.add(f" {mention(person)} told {outlet}.")
                cue = "told"
            attribute(person, QuoteKind.DIRECT, cue)
        elif roll < 0.66:
            fragment = rng.choice(FRAGMENTS)
            name = mention(person)
            if rng.random() < 0.5:
                body.add(f"{name} called {rng.choice(vocab['things'])} ")
                body.quote(f"“{fragment}”")
                body.add(".")
                cue = "called"
            else:
                body.add(f"{name} described {rng.choice(vocab['issues'])} as ")
                body.quote(f"“{fragment}”")
                body.add(f" and said {_fill(rng.choice(INDIRECT), rng, vocab)}.")
                cue = "described"
            attribute(person, QuoteKind.PARTIAL, cue)
        elif roll < 0.88:
            cue = rng.choice(("said", "said", "argued", "acknowledged", "insisted", "added"))
            name = mention(person)
            body.add(f"{name} {cue} ")
            body.quote(_fill(rng.choice(INDIRECT), rng, vocab))
            body.add(".")
            attribute(person, QuoteKind.INDIRECT, cue)
        else:
            org = rng.choice(article_orgs)
            clause = _fill(rng.choice(INDIRECT), rng, vocab)
            if rng.random() < 0.5:
                body.add(f"According to {mention(org)}, ")
                body.quote(clause)
                body.add(".")
                cue = "according to"
            else:
                name = mention(org)
                body.add(f"{name[0].upper()}{name[1:]} said in a statement that ")
                body.quote(clause)
                body.add(".")
                cue = "said"
            attribute(org, QuoteKind.INDIRECT, cue, 0.9)

    # Lede: a scene-setting paragraph without quotes.
    if not dense:
        lede = _fill(rng.choice(LEDES), rng, vocab, city=city, org=org_name)
        body.add(f"{city.upper()} — {lede} {_fill(rng.choice(FILLER), rng, vocab, city=city)}")
        body.add("\n\n")
    placed = 0
    while placed < n_quotes:
        per_paragraph = rng.randint(2, 4) if dense else rng.randint(1, 3)
        for n in range(per_paragraph):
            if placed >= n_quotes:
                break
            if n:
                body.add(" ")
            if not dense and rng.random() < 0.25:
                body.add(_fill(rng.choice(FILLER), rng, vocab, city=city) + " ")
            if placed in reprint_at:
                reprint(reprinted.pop())
            else:
                sentence()
            placed += 1
        body.add("\n\n")
    reporters = rng.sample(cast.reporters, 2)
    byline = f"By {reporters[0]}" if rng.random() < 0.8 else f"By {reporters[0]} and {reporters[1]}"
    ref = ref or f"{index:06d}"
    body.add(f"Reporting by {reporters[0]}; editing by {reporters[1]}. Ref. QT{seed}-R{run}-{ref}")
    text = body.text()
    if rng.random() < 0.2:
        text = text.translate(STRAIGHT_QUOTES)  # same length: the spans still hold
    slug = "-".join(title.lower().translate(_SLUG).split())[:80].strip("-")
    url = (
        f"https://www.{domain}/{published:%Y/%m/%d}/{topic.replace('_', '-')}/"
        f"{slug}-qt{seed}-r{run}-{ref}"
    )
    return ArticleSpec(index, title, outlet, url, published, byline, text, sources, quotes, said)


_SLUG = str.maketrans({c: " " for c in string.punctuation + "“”‘’—–"})


_ALL_KINDS = tuple(SourceKind)


def _source(rng, cast, vocab, people, orgs, published, index, kind=None) -> SourceSpec:
    kind = kind or _pick(rng, _SOURCE_KEYS, _SOURCE_CUM)
    person = cast.speakers[rng.choice(people)]
    org = cast.speakers[rng.choice(orgs)].name
    outlet, domain = rng.choice(OUTLETS)
    date = published - datetime.timedelta(days=rng.randint(0, 6))
    thing = rng.choice(vocab["things"])
    linked = None
    match kind:
        case SourceKind.INTERVIEW:
            title, publisher = f"Interview with {person.name} on {thing}", outlet
        case SourceKind.PRESS_RELEASE:
            title, publisher = f"{org} press release on {thing}", org
        case SourceKind.BRIEFING:
            title, publisher = f"{org} press briefing, {date:%B} {date.day}, {date.year}", org
        case SourceKind.STATEMENT:
            title, publisher = f"Statement by {org} to {outlet}", org
        case SourceKind.INVESTIGATION:
            issue = rng.choice(vocab["issues"])
            title, publisher = f"{outlet} investigation into {issue}", outlet
        case SourceKind.SOCIAL_POST:
            title, publisher = f"Social media post by {person.name} about {thing}", ""
        case SourceKind.NEWS_REPORT:
            title, publisher = f"{outlet} report on {thing}", outlet
            if index > 0 and rng.random() < 0.5:
                linked = rng.randrange(index)
        case _:
            city = rng.choice(CITIES)
            title, publisher = (
                f"Public hearing on {thing}, {city} City Council",
                f"{city} City Council",
            )
    url = ""
    if rng.random() < 0.6:
        url = f"https://www.{domain}/sources/{date:%Y%m%d}-{rng.randrange(10**8):08d}"
    return SourceSpec(kind, title, publisher, url, date, linked)
