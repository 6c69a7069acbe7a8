"""A synthetic newsroom archive for demos and the benchmark (`manage.py generate_demo_data`).

Generation is split in two:

* pure functions (`build_cast`, `quote_counts`, `build_article`) that turn a seed
  into speakers, claims, article texts and quote spans, with no database; the
  same seed always gives the same text;
* `generate()`, which writes them batch by batch with `bulk_create`: one
  transaction per batch of articles (articles, their sources, quotes, stances),
  never a per-row `save()`, so memory stays bounded whatever the archive size.

Coverage repeats itself: about 3 % of the quotes reprint a memorable line an
earlier article of another outlet carried, verbatim, with a word dropped or
changed, trimmed, or in part, nearly always attributed to the same speaker
(`Reprints`), so quote trails have something to find. The run's articles are
built in order for that (`build_run`).

Every quote is a real span of its article's body: `exact == body[start:end]`
in code points, `end == start + len(exact)`, spans never overlap, and the
database triggers check each row as it goes in. Affiliations always point to
organizations; a stance's (quote, claim) pair is unique.

What is skipped on purpose: `bulk_create` sends no signals and bypasses
`save()`, so generated rows get no django-simple-history records and no
extractor suggestions; `Article.fingerprint` is computed here with
`apps.articles.models.fingerprint`, and the quote-trail index written (COPY on
PostgreSQL), as `save()` would.

Re-running adds to the archive without clashing. Each run has a marker: the
seed and a run number (the first run number not yet present in the database
for that seed). Both go into every article URL (`…-qt<seed>-r<run>-<n>`) and
into a reference line at the end of every body, so URLs and fingerprints stay
unique; the text of run r is drawn from (seed, r), so on a fresh database a
seed always produces the same archive. Speakers (matched by name and kind) and
claims (matched by text, ignoring case) that already exist are reused, not
duplicated. With `bench_sizes` (the command's `--bench`), articles titled
exactly "Benchmark article with <n> quotes" are added, with exactly n
non-overlapping quotes each (a 2,000-quote article's body stays under 200,000
characters, the import limit).
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import string
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from apps.articles.models import Article, fingerprint
from apps.core.review import ReviewStatus
from apps.quotes import verdicts
from apps.quotes.anchoring import CONTEXT
from apps.quotes.models import Quote, QuoteKind, Shingle
from apps.quotes.trails import index_articles, rebuild_index
from apps.sources.models import Source, SourceKind, Speaker, SpeakerAlias, SpeakerKind

from .models import Claim, Position, Stance

ROWS_PER_INSERT = 1000
FIRST_DAY = datetime.date(2022, 7, 1)
ARCHIVE_DAYS = 3 * 365
BENCH_TITLE = "Benchmark article with {n} quotes"
BENCH_SIZES = (200, 2000)

# --- word lists ------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Maria James Aisha Daniel Priya Thomas Elena Samuel Grace Omar Hannah Lucas Fatima "
    "Michael Sofia David Chloe Ibrahim Laura Peter Nadia Robert Julia Kwame Emily Marcus "
    "Ingrid Victor Amara Joseph Leila Andrew Rosa Benjamin Yuki Patrick Olivia Hassan "
    "Catherine Martin Zoë José Renée Søren Anna Carlos Miriam Henry Alice Dmitri Naomi "
    "George Sarah Kofi Helen Raj Teresa William Mei Adrian Claire Tomás Esther Paul Ruth "
    "Arjun Diane Felix Noura Simon Agnes Mateo Lydia Hugo Imani Oscar Vera Ahmed Nora"
)
LAST_NAMES = _words(
    "Okafor Lindqvist Brennan Castillo Nakamura Haddad Whitfield Moreau Adeyemi Kowalski "
    "Reyes Fitzgerald Osei Petrov Delgado Hartmann Mensah Sullivan Novak Iyer Calloway "
    "Byrne Achterberg Ferreira Tanaka Abernathy Gallo Rahman Sorensen Mwangi Prescott "
    "Valdez Kim Lachance Obi Marsh Rinaldi Stroud Haugen Chowdhury Pereira Whitmore "
    "Okonkwo Duarte Fischer Greaves Ibarra Kendall Lund Mahoney Nilsson Park Quintero "
    "Ramsey Sato Thornton Uddin Vasquez Wexler Yilmaz Zamora Ashworth Bianchi Coleman "
    "Dubois Eriksen Farouk Goldberg Holloway Ivanova Jensen Kaplan Lombardi Mbeki "
    "Nguyen Oyelaran Pham Quigley Rossi Schmidt Teague Underwood Varga Walsh Achebe "
    "Bergström Cruz Doyle Engel Fontaine Garrity Hale Inoue Jovanović Keane Lowell Mora"
)
CITIES = (
    "Port Halden",
    "Eastbridge",
    "Cresthaven",
    "Marlow",
    "Larkspur Valley",
    "Northgate",
    "Ashford Bay",
    "Riverton",
    "Kestrel Point",
    "Wycombe Falls",
    "Saltmarsh",
    "Greyford",
)
OUTLETS = (
    ("The Harbor Ledger", "harborledger.example"),
    ("Northgate Courier", "northgatecourier.example"),
    ("Eastbridge Evening Post", "eveningpost.example"),
    ("The Valley Sentinel", "valleysentinel.example"),
    ("Cresthaven Chronicle", "cresthavenchronicle.example"),
    ("Metro Wire Service", "metrowire.example"),
    ("The Civic Record", "civicrecord.example"),
    ("Riverton Daily Press", "rivertonpress.example"),
    ("Coastal Public Radio", "coastalradio.example"),
    ("The Independent Monitor", "independentmonitor.example"),
    ("Statehouse Report", "statehousereport.example"),
    ("Kestrel Point Gazette", "kestrelgazette.example"),
)
TIMES = (
    "the end of March",
    "next spring",
    "the autumn",
    "early next year",
    "the summer recess",
    "the next council meeting",
    "the end of the fiscal year",
    "the election",
    "December",
    "the next budget cycle",
)
PAST = (
    "last November",
    "last summer",
    "last spring",
    "last January",
    "last year",
    "last October",
)
FRAGMENTS = (
    "a serious mistake",
    "entirely predictable",
    "the best deal available",
    "a matter of public safety",
    "reckless and unnecessary",
    "deeply misleading",
    "a turning point",
    "premature",
    "not on the table",
    "long overdue",
    "a political stunt",
    "under active review",
    "a failure of oversight",
    "broadly accurate",
    "the right call",
    "a fair compromise",
    "simply wrong",
    "an accounting exercise",
    "a real concern",
    "unworkable",
)
REJECTIONS = (
    "The speaker is misidentified; check the paragraph above.",
    "The span cuts the quotation short.",
    "This needs the original source, not the wire copy.",
    "Paraphrase tagged as a direct quote.",
    "Duplicate of another quote in this article.",
)
NOTES = (
    "Confirmed against the recording.",
    "Wording checked with the press office.",
    "Also reported by two other outlets the same day.",
    "The speaker later said the remark was taken out of context.",
)

TOPICS = {
    "transport": {
        "things": (
            "the light-rail extension",
            "the bus network redesign",
            "the bridge repair contract",
            "the new fare structure",
            "the cycle lane programme",
            "the airport rail link",
            "the harbour tunnel project",
            "the parking levy",
        ),
        "issues": (
            "the signalling failures",
            "the cost overruns on the rail link",
            "the driver shortage",
            "the delays to the tunnel",
            "the safety inspection backlog",
            "the cancelled night services",
        ),
        "groups": ("commuters", "bus drivers", "residents near the depot", "small businesses"),
        "orgs": (
            "{city} Transit Authority",
            "{city} Rail Partnership",
            "Amalgamated Transit Workers Local {n}",
            "{city} Commuters' Alliance",
            "Department of Transportation",
        ),
        "roles": (
            "transport commissioner",
            "chief executive",
            "head of operations",
            "spokesperson",
            "union branch secretary",
            "chief engineer",
        ),
        "headlines": (
            "{city} delays vote on {thing}",
            "Costs climb again for {thing}",
            "Riders question {thing} amid {issue}",
            "Inside the fight over {thing}",
            "{org} defends its handling of {issue}",
        ),
    },
    "housing": {
        "things": (
            "the rent stabilisation ordinance",
            "the waterfront housing scheme",
            "the zoning overhaul",
            "the eviction moratorium",
            "the affordable homes fund",
            "the tower block refurbishment",
            "the vacant property tax",
        ),
        "issues": (
            "the damp complaints",
            "the rising rents",
            "the backlog of repairs",
            "the shortage of family homes",
            "the developer's missed deadlines",
            "the cladding inspections",
        ),
        "groups": ("tenants", "first-time buyers", "landlords", "families on the waiting list"),
        "orgs": (
            "{city} Housing Authority",
            "{city} Tenants Union",
            "Harbourside Developments",
            "{city} Landlords Association",
            "State Housing Finance Agency",
        ),
        "roles": (
            "housing director",
            "tenant organiser",
            "managing director",
            "spokesperson",
            "chief planner",
            "council member for housing",
        ),
        "headlines": (
            "Tenants push back on {thing}",
            "{city} weighs {thing} amid {issue}",
            "{org} under pressure over {issue}",
            "What {thing} means for {groups}",
            "Housing officials split on {thing}",
        ),
    },
    "health": {
        "things": (
            "the hospital merger",
            "the new emergency department",
            "the vaccination campaign",
            "the mental health hotline",
            "the clinic closure plan",
            "the ambulance dispatch system",
            "the nurse recruitment drive",
        ),
        "issues": (
            "the emergency room waiting times",
            "the staffing shortfall",
            "the data breach at the hospital",
            "the rise in measles cases",
            "the ambulance response times",
            "the drug shortages",
        ),
        "groups": ("patients", "nurses", "rural families", "junior doctors"),
        "orgs": (
            "{city} General Hospital",
            "{city} Public Health Department",
            "State Nurses Association",
            "Riverside Health System",
            "{city} Patients' Council",
        ),
        "roles": (
            "chief medical officer",
            "public health director",
            "nurses' union president",
            "spokesperson",
            "head of emergency medicine",
            "hospital board chair",
        ),
        "headlines": (
            "Hospital chiefs defend {thing}",
            "{thing} stalls amid {issue}",
            "Doctors warn over {thing}",
            "{org} faces questions on {issue}",
            "{city} patients wait as {thing} is delayed",
        ),
    },
    "energy": {
        "things": (
            "the offshore wind farm",
            "the grid upgrade",
            "the coal plant closure",
            "the solar rebate scheme",
            "the new gas pipeline",
            "the battery storage site",
            "the energy price cap",
        ),
        "issues": (
            "the winter blackouts",
            "the rising power bills",
            "the pipeline leak",
            "the connection backlog",
            "the missed emissions targets",
            "the turbine delays",
        ),
        "groups": ("ratepayers", "plant workers", "coastal residents", "local farmers"),
        "orgs": (
            "Northline Energy",
            "{city} Municipal Utilities",
            "State Energy Regulatory Board",
            "Coastal Wind Consortium",
            "{city} Climate Coalition",
        ),
        "roles": (
            "chief executive",
            "grid operations manager",
            "regulator",
            "spokesperson",
            "campaign director",
            "plant manager",
        ),
        "headlines": (
            "Regulator questions {thing}",
            "{city} braces for {issue}",
            "{org} presses ahead with {thing}",
            "Why {thing} is running late",
            "Bills, blackouts and {thing}",
        ),
    },
    "education": {
        "things": (
            "the school consolidation plan",
            "the new curriculum",
            "the free school meals programme",
            "the teacher pay deal",
            "the campus expansion",
            "the standardised testing overhaul",
            "the school bus contract",
        ),
        "issues": (
            "the teacher vacancies",
            "the falling test scores",
            "the crumbling classrooms",
            "the chronic absences",
            "the special education waiting lists",
            "the budget gap at the district",
        ),
        "groups": ("parents", "teachers", "students", "school support staff"),
        "orgs": (
            "{city} Unified School District",
            "{city} Teachers Union",
            "{city} Community College",
            "State Board of Education",
            "Parents for {city} Schools",
        ),
        "roles": (
            "superintendent",
            "union president",
            "school board member",
            "spokesperson",
            "headteacher",
            "professor of education",
        ),
        "headlines": (
            "Parents rally against {thing}",
            "{org} defends {thing}",
            "{city} schools grapple with {issue}",
            "Teachers and district clash over {thing}",
            "The quiet cost of {issue}",
        ),
    },
    "justice": {
        "things": (
            "the body camera policy",
            "the police budget",
            "the bail reform",
            "the new oversight board",
            "the jail expansion",
            "the gun buyback programme",
            "the youth diversion scheme",
        ),
        "issues": (
            "the rise in car thefts",
            "the misconduct complaints",
            "the overcrowding at the county jail",
            "the court backlog",
            "the unsolved shootings",
            "the use-of-force review",
        ),
        "groups": ("victims' families", "officers", "defence lawyers", "neighbourhood groups"),
        "orgs": (
            "{city} Police Department",
            "{city} County Sheriff's Office",
            "Office of the District Attorney",
            "{city} Civil Liberties Project",
            "Police Officers' Benevolent Association",
        ),
        "roles": (
            "police chief",
            "district attorney",
            "sheriff",
            "spokesperson",
            "public defender",
            "oversight board chair",
        ),
        "headlines": (
            "Police chief defends {thing}",
            "{issue} put {thing} under scrutiny",
            "{org} challenged over {issue}",
            "{city} debates {thing}",
            "Families demand answers on {issue}",
        ),
    },
    "city_hall": {
        "things": (
            "the city budget",
            "the procurement reform",
            "the stadium deal",
            "the pension settlement",
            "the redistricting map",
            "the ethics ordinance",
            "the downtown revitalisation plan",
        ),
        "issues": (
            "the budget shortfall",
            "the missing audit records",
            "the no-bid contracts",
            "the lobbying disclosures",
            "the overtime spending",
            "the consultant fees",
        ),
        "groups": ("taxpayers", "city employees", "council members", "neighbourhood associations"),
        "orgs": (
            "{city} City Council",
            "Office of the Mayor of {city}",
            "{city} Office of the Inspector General",
            "{city} Chamber of Commerce",
            "Good Government {city}",
        ),
        "roles": (
            "mayor",
            "council member",
            "city manager",
            "spokesperson",
            "inspector general",
            "budget director",
        ),
        "headlines": (
            "Council clashes over {thing}",
            "{org} faces audit over {issue}",
            "Mayor stands by {thing}",
            "{city} in talks on {thing}",
            "Questions grow about {issue}",
        ),
    },
    "environment": {
        "things": (
            "the river clean-up plan",
            "the wetlands protection order",
            "the recycling contract",
            "the air quality monitoring network",
            "the flood defence scheme",
            "the tree-planting target",
            "the quarry expansion",
        ),
        "issues": (
            "the sewage overflows",
            "the smog alerts",
            "the illegal dumping",
            "the fish die-off",
            "the flooding in the lower town",
            "the contaminated wells",
        ),
        "groups": ("anglers", "residents downstream", "farmers", "environmental groups"),
        "orgs": (
            "{city} Water Authority",
            "State Environmental Protection Agency",
            "Friends of the {city} River",
            "Greystone Quarries",
            "{city} Parks Department",
        ),
        "roles": (
            "environment director",
            "chief scientist",
            "campaigner",
            "spokesperson",
            "water quality manager",
            "operations director",
        ),
        "headlines": (
            "Residents demand action on {issue}",
            "{org} defends record on {issue}",
            "{city} approves {thing}",
            "Scientists question {thing}",
            "After {issue}, a reckoning over {thing}",
        ),
    },
}
TOPIC_NAMES = tuple(TOPICS)

DIRECT = (
    "We are not going to walk away from {thing}",
    "Nobody in this building thinks {thing} is finished",
    "The numbers simply do not support what is being said about {issue}",
    "I said from the start that {thing} would cost more than anyone admitted",
    "This is about {groups}, and it always has been",
    "We expect to have a decision by {time}",
    "There was no agreement, and there is no agreement now",
    "Our position has not changed since {past}",
    "We will look at every option, including pausing {thing}",
    "{Groups} deserve better than this",
    "It is too early to say whether {thing} will survive",
    "The report gets the timeline wrong",
    "We followed the rules, every one of them",
    "Frankly, {issue} should have been dealt with years ago",
    "We have asked for the documents {count} times and received nothing",
    "I would not call it a delay; I would call it a correction",
    "We welcome the review and will cooperate fully",
    "Nobody told us about {issue} until {past}",
    "We are talking about {number} people who rely on this every day",
    "I understand the frustration, I really do",
    "The plan is sound, and the money is there",
    "We made mistakes with {thing}, and we own them",
    "It’s not a question of money, it’s a question of will",
    "We can’t keep asking {groups} to wait",
    "Every week we lose is another week of {issue}",
    "That figure was never ours",
    "We were clear about the risks from day one",
    "I have not seen any evidence of that",
)
# Lines specific enough to be picked up by other outlets: names, sums and days make them
# (nearly) unique to the article that first carries them, so any later repetition is a
# reprint, not the template repeating itself.
MEMORABLE = (  # no stretch of six words without a name, a sum or a figure, mostly
    "I told {name} on {weekday} that {thing} needs {sum}, not {sum2}",
    "{Number} families in {city} have waited {months} months, and {name} knows it",
    "When {name} called me on {weekday} night, {issue} had already cost {sum}",
    "{Name} promised {groups} {sum} for {thing}, and I have {name2}'s letter",
    "On {weekday} we were told {pct} percent; {months} days later, {pct2}",
    "{Sum} went on consultants while {number} {groups} in {city} kept waiting",
    "If {name} wants to defend {thing}, let {name2} explain {sum} to {groups}",
    "I sat with {name} for {months} hours, and {issue} came up {count} times",
    "Ask {name} where the {sum} went, because {number} {groups} would like to know",
    "Nobody voted for {sum} of debt in {city}, and {name2} knows that better than anyone",
)
MEMORABLE_SHARE = 0.3  # of direct quotations that are not questions
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Reprints (see `Reprints`): how many an article carries, how each is changed.
REPRINTS_PER_ARTICLE = (0, 0, 1, 2, 2, 3, 4, 5, 6, 8)  # about 3 % of a 100-quote article
REPRINT_DAYS = 90  # a line is reprinted within this many days of its first appearance
REPRINTS_OF_A_LINE = 30  # at most, so the most repeated line is in 31 articles
REPRINT_FORMS = (("verbatim", 50), ("changed", 15), ("trimmed", 15), ("partial", 20))
MISATTRIBUTED_SHARE = 0.08
CHANGED_WORDS = {
    "never": "not",
    "not": "never",
    "told": "warned",
    "called": "rang",
    "promised": "offered",
    "waited": "been waiting",
    "kept": "were",
    "wants": "intends",
    "knows": "understands",
    "better": "more",
    "explain": "justify",
    "sat": "met",
}
QUESTIONS = (
    "Who is going to pay for {thing}",
    "Why did it take {count} months to tell the public about {issue}",
    "What exactly are {groups} supposed to do in the meantime",
    "How many more reviews do we need",
)
INDIRECT = (
    "{thing} would be delayed until {time}",
    "the agency had not been told about {issue} before {past}",
    "{groups} had been consulted before the decision",
    "the cost of {thing} had risen by {pct} percent since {past}",
    "about {number} people had been affected by {issue}",
    "no decision had yet been made about {thing}",
    "the figures published last week were accurate",
    "the city knew about {issue} as early as {past}",
    "{thing} was still on schedule",
    "the complaints about {issue} were being investigated",
    "a second independent review of {thing} would begin by {time}",
    "{groups} would not bear the cost of {thing}",
    "the contract for {thing} had been awarded without a competitive bid",
    "staff had raised concerns about {issue} more than once",
)
FILLER = (
    "{Thing} was first proposed {past}.",
    "The council is expected to vote on the matter by {time}.",
    "Public records show the budget for {thing} has been revised {count} times.",
    "{Issue} came up again and again at public meetings in {city}.",
    "Critics say the process has been opaque from the start.",
    "Supporters point to similar schemes in neighbouring towns.",
    "The documents were obtained through a public records request.",
    "An independent audit is due to be published by {time}.",
    "Neither side disputes the scale of {issue}.",
    "About {number} residents attended the hearing on Tuesday evening.",
)
LEDES = (
    "{City} officials spent the week defending {thing} as {issue} drew fresh criticism.",
    "The future of {thing} was thrown into doubt this week after new figures on {issue} emerged.",
    "{Groups} packed a public meeting in {city} on Tuesday to demand answers about {issue}.",
    "{Org} is facing mounting questions over {issue}, and over who knew what, and when.",
    "A year after it was announced, {thing} remains the subject of a bitter dispute.",
)
ANONYMOUS = (
    "one official who asked not to be named",
    "a person familiar with the negotiations",
    "a senior staff member who was not authorised to speak publicly",
    "a former employee",
)
CLAIMS = (
    "{org} knew about {issue} before it became public",
    "{thing} will cost more than the published estimate",
    "{thing} was approved without a proper public consultation",
    "{issue} affected more people than officials reported",
    "{thing} will be delayed beyond {time}",
    "{org} broke its own procurement rules on {thing}",
    "{groups} were consulted about {thing}",
    "{thing} will ease {issue}",
)
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


class Reprints:
    """Memorable lines of a run's earlier articles, quoted again by later ones.

    Coverage repeats quotations: a line one outlet carries is reprinted by others
    in the following weeks, verbatim or with a word dropped or changed, trimmed, or
    quoted in part, nearly always attributed to the same speaker (`MISATTRIBUTED_SHARE`
    of reprints name someone else). Each article offers up to two of its memorable
    lines (`Said`); a later article (by index) of another outlet, published on the
    same day or up to `REPRINT_DAYS` after, draws 0 to 8 of them (about 3 % of the
    quotes), preferring lines already reprinted, so a few travel widely (up to
    `REPRINTS_OF_A_LINE` reprints). The draw for
    article i comes from (seed, run, i) and what articles 0..i-1 said, so a run's
    articles are built in order (`build_run`) and the same seed gives the same text.
    """

    def __init__(self, seed: int, run: int, cast: Cast) -> None:
        self.seed, self.run, self.cast = seed, run, cast
        self.by_day: dict[datetime.date, list[list]] = {}  # [Said, outlet, times reprinted]

    def offer(self, spec: ArticleSpec) -> None:
        """Let later articles reprint what `spec` said."""
        day = self.by_day.setdefault(spec.published, [])
        day.extend([said, spec.outlet, 0] for said in spec.said[:2])

    def chooser(self, index: int) -> Callable[[str, datetime.date, int], list[Reprint]]:
        def choose(outlet: str, published: datetime.date, n_quotes: int) -> list[Reprint]:
            rng = random.Random(f"reprints:{self.seed}:{self.run}:{index}")
            wanted = min(rng.choice(REPRINTS_PER_ARTICLE), n_quotes // 5)
            if not wanted:
                return []
            candidates = [
                entry
                for days in range(REPRINT_DAYS + 1)
                for entry in self.by_day.get(published - datetime.timedelta(days=days), ())
                if entry[1] != outlet and entry[2] < REPRINTS_OF_A_LINE
            ]
            if not candidates:
                return []
            cum = _cumulative([1 + entry[2] for entry in candidates])
            picked: dict[int, None] = {}
            for _ in range(4 * wanted):
                picked[bisect.bisect(cum, rng.random() * cum[-1])] = None
                if len(picked) == min(wanted, len(candidates)):
                    break
            chosen = [candidates[i] for i in picked]
            for entry in chosen:
                entry[2] += 1
            return [self._reprint(rng, said, source) for said, source, _ in chosen]

        return choose

    def _reprint(self, rng: random.Random, said: Said, outlet: str) -> Reprint:
        words = said.text.split()
        kind = QuoteKind.DIRECT
        match _pick(rng, _FORM_KEYS, _FORM_CUM):
            case "changed":
                i = rng.randrange(1, len(words) - 1)
                if words[i] in CHANGED_WORDS and rng.random() < 0.7:
                    words[i] = CHANGED_WORDS[words[i]]
                else:
                    del words[i]
            case "trimmed":
                keep = rng.randint(max(6, len(words) // 2), len(words) - 2)
                words = words[:keep] if rng.random() < 0.5 else words[-keep:]
            case "partial":
                n = rng.randint(6, min(10, len(words) - 1))
                first = rng.randint(1, len(words) - n)
                words = words[first : first + n]
                kind = QuoteKind.PARTIAL
        text = " ".join(words).strip(",;:")
        if kind == QuoteKind.DIRECT:
            text = text[0].upper() + text[1:]
        speaker = said.speaker
        if rng.random() < MISATTRIBUTED_SHARE:
            others, _ = self.cast.people_by_topic[self.cast.speakers[speaker].topic]
            speaker = rng.choice(others)
        return Reprint(text, speaker, kind, outlet)


_FORM_KEYS = tuple(form for form, _ in REPRINT_FORMS)
_FORM_CUM = _cumulative([weight for _, weight in REPRINT_FORMS])


def build_run(seed: int, run: int, counts: Sequence[int], cast: Cast):
    """The run's articles in order, `counts[i]` quotes for article i, with reprints; pure."""
    reprints = Reprints(seed, run, cast)
    for index, n in enumerate(counts):
        spec = build_article(seed, run, index, n, cast, reprints=reprints.chooser(index))
        reprints.offer(spec)
        yield spec


# --- writing ------------------------------------------------------------------------


@dataclass
class Report:
    seed: int
    run: int
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    index_seconds: float = 0.0  # building the trail index of a new archive, in `seconds`

    def summary(self) -> str:
        c = self.counts
        rate_a = c["articles"] / self.seconds if self.seconds else 0.0
        rate_q = c["quotes"] / self.seconds if self.seconds else 0.0
        return (
            f"Seed {self.seed}, run {self.run}: created {c['articles']:,} articles, "
            f"{c['quotes']:,} quotes, {c['sources']:,} sources, {c['stances']:,} stances, "
            f"{c['speakers']:,} speakers ({c['aliases']:,} aliases), {c['claims']:,} claims, "
            f"{c['windows']:,} quote-trail windows, {c['verdicts']:,} verbatim verdicts "
            f"in {self.seconds:,.1f} s "
            f"({rate_a:,.0f} articles/s, {rate_q:,.0f} quotes/s"
            + (f"; trail index built in {self.index_seconds:,.1f} s" if self.index_seconds else "")
            + ")."
        )


def next_run(seed: int) -> int:
    """The first run number of this seed not yet in the database."""
    run = 1
    while Article.objects.filter(url__contains=f"-qt{seed}-r{run}-").exists():
        run += 1
    return run


def _chunks(items: Sequence, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _write_cast(cast: Cast, report: Report) -> tuple[list[int], list[int]]:
    """Speaker and claim primary keys, reusing rows that already exist."""
    speaker_pks: list[int | None] = [None] * len(cast.speakers)
    wanted = {(s.name, s.kind): i for i, s in enumerate(cast.speakers)}
    for chunk in _chunks(sorted({s.name for s in cast.speakers}), 500):
        for pk, name, kind in Speaker.objects.filter(name__in=chunk).values_list(
            "pk", "name", "kind"
        ):
            i = wanted.get((name, kind))
            if i is not None and speaker_pks[i] is None:
                speaker_pks[i] = pk
    with transaction.atomic():
        for kind in (SpeakerKind.ORGANIZATION, SpeakerKind.PERSON):  # affiliations first
            todo = [
                i for i, s in enumerate(cast.speakers) if s.kind == kind and speaker_pks[i] is None
            ]
            rows = [
                Speaker(
                    name=cast.speakers[i].name,
                    kind=kind,
                    role=cast.speakers[i].role,
                    affiliation_id=(
                        speaker_pks[cast.speakers[i].affiliation]
                        if cast.speakers[i].affiliation is not None
                        else None
                    ),
                )
                for i in todo
            ]
            Speaker.objects.bulk_create(rows, batch_size=ROWS_PER_INSERT)
            for i, row in zip(todo, rows, strict=True):
                speaker_pks[i] = row.pk
            report.counts["speakers"] += len(rows)
            aliases = [
                SpeakerAlias(speaker_id=speaker_pks[i], alias=alias)
                for i in todo
                for alias in cast.speakers[i].aliases
            ]
            SpeakerAlias.objects.bulk_create(
                aliases, batch_size=ROWS_PER_INSERT, ignore_conflicts=True
            )
            report.counts["aliases"] += len(aliases)

        claim_pks: list[int | None] = [None] * len(cast.claims)
        by_text = {c.text.lower(): i for i, c in enumerate(cast.claims)}
        for chunk in _chunks(list(by_text), 500):
            for pk, lowered in (
                Claim.objects.annotate(lowered=Lower("text"))
                .filter(lowered__in=chunk)
                .values_list("pk", "lowered")
            ):
                claim_pks[by_text[lowered]] = pk
        todo = [i for i, pk in enumerate(claim_pks) if pk is None]
        rows = [
            Claim(text=cast.claims[i].text, description=cast.claims[i].description) for i in todo
        ]
        Claim.objects.bulk_create(rows, batch_size=ROWS_PER_INSERT)
        for i, row in zip(todo, rows, strict=True):
            claim_pks[i] = row.pk
        report.counts["claims"] += len(rows)
    return speaker_pks, claim_pks  # type: ignore[return-value]


def _write_batch(
    specs: list[ArticleSpec],
    speaker_pks: list[int],
    claim_pks: list[int],
    article_pks: dict[int, int],
    report: Report,
    index: bool = True,
) -> None:
    """One transaction: the articles, then their sources, quotes and stances."""
    now = timezone.now()
    with transaction.atomic():
        articles = [
            Article(
                title=s.title,
                outlet=s.outlet,
                url=s.url,
                published=s.published,
                byline=s.byline,
                body=s.body,
                fingerprint=fingerprint(s.title, s.body),
            )
            for s in specs
        ]
        Article.objects.bulk_create(articles, batch_size=ROWS_PER_INSERT)
        for spec, article in zip(specs, articles, strict=True):
            article_pks[spec.index] = article.pk
        if index:  # bulk_create sends no post_save: the trail index is written here
            report.counts["windows"] += index_articles(
                ((a.pk, a.body) for a in articles), replace=False
            )
        sources = [
            Source(
                kind=src.kind,
                title=src.title,
                publisher=src.publisher,
                url=src.url,
                date=src.date,
                article_id=article_pks.get(src.linked_article)
                if src.linked_article is not None
                else None,
            )
            for s in specs
            for src in s.sources
        ]
        Source.objects.bulk_create(sources, batch_size=ROWS_PER_INSERT)
        quotes: list[Quote] = []
        stance_specs: list[tuple[int, tuple]] = []
        offset = 0
        for spec, article in zip(specs, articles, strict=True):
            body = spec.body
            day = datetime.datetime.combine(spec.published, datetime.time(12), datetime.UTC)
            for q in spec.quotes:
                decided = q.status in (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
                if q.stances:
                    stance_specs.append((len(quotes), q.stances))
                quotes.append(
                    Quote(
                        article_id=article.pk,
                        start=q.start,
                        end=q.end,
                        exact=body[q.start : q.end],
                        prefix=body[max(0, q.start - CONTEXT) : q.start],
                        suffix=body[q.end : q.end + CONTEXT],
                        kind=q.kind,
                        speaker_id=speaker_pks[q.speaker] if q.speaker is not None else None,
                        source_id=sources[offset + q.source].pk if q.source is not None else None,
                        cue=q.cue,
                        note=q.note,
                        status=q.status,
                        review_reason=REJECTIONS[q.start % len(REJECTIONS)]
                        if q.status == ReviewStatus.REJECTED
                        else "",
                        reviewed_at=min(now, day + datetime.timedelta(days=1)) if decided else None,
                    )
                )
            offset += len(spec.sources)
        Quote.objects.bulk_create(quotes, batch_size=ROWS_PER_INSERT)
        stances = [
            Stance(quote_id=quotes[i].pk, claim_id=claim_pks[c], position=position, status=status)
            for i, specs_ in stance_specs
            for c, position, status in specs_
        ]
        Stance.objects.bulk_create(stances, batch_size=ROWS_PER_INSERT)
    report.counts["articles"] += len(articles)
    report.counts["sources"] += len(sources)
    report.counts["quotes"] += len(quotes)
    report.counts["stances"] += len(stances)


def generate(
    articles: int,
    quotes: int,
    *,
    seed: int = 0,
    batch_size: int = 100,
    bench_sizes: Sequence[int] = (),
    run: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    indexing: Callable[[int, int], None] | None = None,
) -> Report:
    """Write an archive of `articles` articles holding `quotes` quotes in all.

    `bench_sizes` adds one "Benchmark article with <n> quotes" per size, on top.
    `progress(articles_done, quotes_done)` is called after every batch, and
    `indexing(articles, windows)` as the trail index of a new archive is built.
    """
    if articles < 0 or quotes < 0 or seed < 0:
        raise ValueError("articles, quotes and seed cannot be negative")
    if quotes and not articles:
        raise ValueError("quotes need at least one article")
    started = time.perf_counter()
    run = next_run(seed) if run is None else run
    report = Report(seed=seed, run=run)
    cast = build_cast(seed, articles)
    speaker_pks, claim_pks = _write_cast(cast, report)
    counts = quote_counts(seed, run, articles, quotes)
    article_pks: dict[int, int] = {}
    batch_size = max(1, batch_size)
    # The quote-trail index: written batch by batch into an archive that has one, built
    # in one pass at the end (indexes dropped meanwhile, `rebuild_index`) when it is empty.
    rebuild = not Shingle.objects.exists()
    built = build_run(seed, run, counts, cast)
    while specs := list(itertools.islice(built, batch_size)):
        _write_batch(specs, speaker_pks, claim_pks, article_pks, report, index=not rebuild)
        if progress:
            progress(len(specs), sum(len(s.quotes) for s in specs))
    for n in bench_sizes:
        spec = build_article(
            seed,
            run,
            articles + n,
            n,
            cast,
            title=BENCH_TITLE.format(n=n),
            dense=True,
            ref=f"B{n}",
        )
        _write_batch([spec], speaker_pks, claim_pks, article_pks, report, index=not rebuild)
        if progress:
            progress(1, n)
    if rebuild:
        began = time.perf_counter()
        report.counts["windows"] = rebuild_index(indexing)
        report.index_seconds = time.perf_counter() - began
    # Quotes are written in bulk, past Quote.save(): check those whose source holds its
    # original text in the archive (their verbatim verdict), as a save would.
    report.counts["verdicts"] = len(
        verdicts.refresh(
            Quote.objects.filter(article_id__in=article_pks.values(), source__article__isnull=False)
        )
    )
    report.seconds = time.perf_counter() - started
    return report
