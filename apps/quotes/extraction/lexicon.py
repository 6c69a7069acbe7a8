"""Word lists of the extraction rules: verbs of saying (inflected), verbs of stance,
titles, organisation words, the noise around noun phrases, and the cue pattern."""

from __future__ import annotations

import re


def _wordlist(words: str) -> list[str]:
    return words.split()


OPEN_MARKS = "“„«"
CLOSE_MARKS = "”»"
STRAIGHT = '"'
ALL_MARKS = OPEN_MARKS + CLOSE_MARKS + STRAIGHT
BREAKS = "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"

_IRREGULAR = {
    "say": ("said", "says", "saying", "said"),
    "tell": ("told", "tells", "telling", "told"),
    "write": ("wrote", "writes", "writing", "written"),
    "think": ("thought", "thinks", "thinking", "thought"),
    "find": ("found", "finds", "finding", "found"),
    "know": ("knew", "knows", "knowing", "known"),
    "feel": ("felt", "feels", "feeling", "felt"),
    "hear": ("heard", "hears", "hearing", "heard"),
    "read": ("read", "reads", "reading", "read"),
    "show": ("showed", "shows", "showing", "shown"),
    "sing": ("sang", "sings", "singing", "sung"),
    "understand": ("understood", "understands", "understanding", "understood"),
    "swear": ("swore", "swears", "swearing", "sworn"),
    "predict": ("predicted", "predicts", "predicting", "predicted"),
    "admit": ("admitted", "admits", "admitting", "admitted"),
    "quip": ("quipped", "quips", "quipping", "quipped"),
    "rebut": ("rebutted", "rebuts", "rebutting", "rebutted"),
    "retort": ("retorted", "retorts", "retorting", "retorted"),
    "forecast": ("forecast", "forecasts", "forecasting", "forecast"),
    "begin": ("began", "begins", "beginning", "begun"),
    "speak": ("spoke", "speaks", "speaking", "spoken"),
    "learn": ("learned", "learns", "learning", "learned"),
}

# Verbs that introduce speech or belief with or without "that".
STRONG_VERBS = _wordlist(
    """
say tell add state write explain claim admit acknowledge insist argue note reply respond warn
announce declare deny confirm tweet recall suggest reveal report believe think predict estimate
contend maintain assert allege concede complain emphasize emphasise stress remark comment testify
promise vow pledge agree caution conclude observe counter retort quip joke boast brag lament muse
wonder exclaim yell shout whisper sing chant post text email answer assure remind inform recount
mention hint imply charge concede speculate reiterate predict forecast swear worry fear hope
expect doubt suspect guess reckon figure speculate acknowledge urge ask demand propose write
continue scold plead snap gush marvel sigh laugh cry scream tout insist repeat add
"""
)
# Verbs that introduce speech only when followed by "that" or a colon.
_WEAK_VERBS = _wordlist(
    """
find show know feel hear learn understand indicate mean read consider realize recognize
"""
)
PHRASES = ("according to", "pointed out", "points out", "went on", "goes on", "put it")
# Verbs taking an addressee before the content ("told the BBC that ...").
ADDRESSEE_VERBS = {"tell", "assure", "remind", "inform", "warn", "ask", "email", "text", "urge"}
# Verbs whose subject is elided (the subject of the main clause speaks).
PARTICIPLE_SUFFIX = "ing"


def inflect(base: str) -> tuple[str, ...]:
    if base in _IRREGULAR:
        return (base, *_IRREGULAR[base])
    if base.endswith("e"):
        return base, base + "d", base + "s", base[:-1] + "ing"
    if base.endswith("y") and base[-2] not in "aeiou":
        return base, base[:-1] + "ied", base[:-1] + "ies", base + "ing"
    if base.endswith(("s", "sh", "ch", "x")):
        return base, base + "ed", base + "es", base + "ing"
    return base, base + "ed", base + "s", base + "ing"


CUE_BASE: dict[str, str] = {}
WEAK_FORMS: set[str] = set()
for _verb in STRONG_VERBS:
    for _form in inflect(_verb):
        CUE_BASE.setdefault(_form, _verb)
for _verb in _WEAK_VERBS:
    for _form in inflect(_verb):
        if _form not in CUE_BASE:
            CUE_BASE[_form] = _verb
            WEAK_FORMS.add(_form)
# Nouns or adjectives that share a form with a cue verb and mislead more than help.
for _form in ("post", "posts", "text", "texts", "email", "emails", "report", "reports", "comment",
              "comments", "answer", "answers", "guess", "figure", "figures", "figured", "read",
              "reading", "posting", "email", "hope", "fear", "fears", "doubt", "doubts", "charge",
              "charges", "charged", "charging", "counter", "counters", "mean", "meaning", "feeling",
              "finding", "findings", "showing", "know", "think", "say", "tell", "hear", "feel",
              "find", "show", "learn", "mention", "worry", "hoping", "expect", "suspect",
              "suspects", "ask", "demand", "demands", "urge", "urges", "joke", "jokes", "sing",
              "quip", "promise", "promises", "note", "notes", "state", "states", "claim", "report",
              "shout", "yell", "whisper", "chant", "chants", "post", "tweet", "tweets", "boast",
              "wonder", "believe", "consider", "recall", "recalls", "stress", "add", "deny",
              "warn", "admit", "agree", "explain", "insist", "argue", "swear", "vow", "vows",
              "pledge", "pledges", "reply", "replies", "respond", "remark", "remarks", "counter",
              "concede", "predict", "estimate", "estimates", "begin", "beginning", "speak",
              "speaking", "understanding", "caution", "lament", "muse", "assert", "allege",
              "declare", "announce", "reveal", "confirm", "suggest", "write", "writing",
              "comment", "testify", "conclude", "observe", "retort", "brag", "inform", "remind",
              "assure", "recount", "hint", "imply", "reiterate", "forecast", "forecasts",
              "doubt", "guess", "reckon", "speculate", "propose", "emphasize", "emphasise",
              "contend", "maintain", "complain", "acknowledge", "rebut",
              "exclaim"):  # fmt: skip
    CUE_BASE.pop(_form, None)
    WEAK_FORMS.discard(_form)
# Plural present forms: "experts say", "officials believe", "critics argue".
for _form in ("say", "believe", "think", "argue", "warn", "insist", "note", "worry",
              "fear", "contend", "maintain", "predict", "suggest", "agree", "tell", "know",
              "expect", "hope", "estimate", "allege", "assert", "feel"):  # fmt: skip
    CUE_BASE[_form] = _form
    if _form in ("know", "feel"):
        WEAK_FORMS.add(_form)
for _phrase in PHRASES:
    CUE_BASE[_phrase] = _phrase
# Verbs of stance and intention: PolNeAR counts "X called for Y", "X wants to Y" as
# attributions. Their content is whatever complement follows (low confidence).
_STANCE_VERBS = _wordlist(
    """
want plan urge propose cite agree support criticize criticise attack question pledge promise
describe refuse decline decide seem estimate defend demand vow accuse blame praise welcome
oppose endorse dismiss condemn slam blast mock acknowledge recommend push
"""
)
_STANCE_PHRASES = {
    f"{form} {particle}": "call " + particle
    for form in ("call", "calls", "called", "calling")
    for particle in ("for", "on")
}
STANCE_BASES = set(_STANCE_VERBS) | set(_STANCE_PHRASES.values())
for _verb in _STANCE_VERBS:
    for _form in inflect(_verb):
        CUE_BASE.setdefault(_form, _verb)
CUE_BASE.update(_STANCE_PHRASES)

CUE_RE = re.compile(
    r"(?<![\w'’-])("
    + "|".join(re.escape(f) for f in sorted(CUE_BASE, key=len, reverse=True))
    + r")(?![\w'’-])",
    re.IGNORECASE,
)
# Cues that usually follow a direct quotation: "...," he said / said X.
SPEECH_BASES = set(STRONG_VERBS) - {
    "believe",
    "think",
    "hope",
    "fear",
    "worry",
    "expect",
    "doubt",
    "suspect",
    "guess",
    "reckon",
    "figure",
    "urge",
    "demand",
    "propose",
}

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their"}
TITLES = {
    t.lower()
    for t in _wordlist(
        """
mr mrs ms miss dr sen senator rep representative del delegate gov governor president vice
secretary gen general brig brigadier col colonel lt lieutenant maj major capt captain adm admiral
sgt sergeant cmdr commander mayor judge justice chief director attorney speaker leader minister
prime chancellor ambassador defense state u.s. u.s us former democratic republican gop house
senate majority minority press deputy assistant spokesman spokeswoman spokesperson candidate
nominee presidential first lady sir rev reverend pastor father sister prof professor host anchor
reporter chairman chairwoman chair ceo founder co-founder executive campaign manager adviser
advisor strategist economist analyst pollster author rapper singer actor actress comedian
commissioner councilman councilwoman congressman congresswoman lawmaker officer official
treasurer agent detective inspector superintendent sheriff police white homeland security
national foreign affairs health education energy labor commerce interior transportation
agriculture veterans justice defence director-general gen. brig. col. lt. maj. capt. sen. rep.
gov. dr. mr. mrs. ms. st. inc. jr. sr.
"""
    )
}
ORG_WORDS = {
    w.lower()
    for w in _wordlist(
        """
coalition campaign company committee department administration agency house party post times
news investigation report study poll statement release office ministry government council
court board commission network association union foundation institute center centre university
college group organization organisation army navy force forces police pentagon kremlin bbc cnn
nbc cbs abc fox msnbc reuters ap afp nato un congress senate fbi cia nsa irs white journal
tribune magazine website network council caucus clinic hospital bank fund firm corporation corp
inc llc service services bureau survey document documents letter filing lawsuit complaint memo
analysis data research researchers review press state states
"""
    )
}
LEADING_NOISE = {
    "and",
    "but",
    "or",
    "so",
    "yet",
    "while",
    "as",
    "because",
    "when",
    "although",
    "though",
    "since",
    "if",
    "then",
    "now",
    "meanwhile",
    "still",
    "also",
    "however",
    "instead",
}
TRAILING_NOISE = {
    "still",
    "has",
    "have",
    "had",
    "would",
    "will",
    "could",
    "should",
    "may",
    "might",
    "must",
    "also",
    "later",
    "then",
    "again",
    "once",
    "never",
    "often",
    "previously",
    "recently",
    "repeatedly",
    "reportedly",
    "publicly",
    "privately",
    "first",
    "further",
    "only",
    "even",
    "already",
    "just",
    "frequently",
    "has also",
    "did",
    "does",
    "do",
    "not",
    "is",
    "was",
    "were",
    "are",
    "been",
    "be",
    "being",
    "flatly",
    "simply",
    "quickly",
    "immediately",
    "specifically",
    "explicitly",
    "emphatically",
    "openly",
    "falsely",
    "correctly",
    "famously",
    "initially",
    "subsequently",
    "ultimately",
    "finally",
    "similarly",
    "likewise",
    "separately",
    "in",
    "an",
    "interview",
}
PREPOSITIONS = {
    "in",
    "on",
    "at",
    "after",
    "before",
    "during",
    "for",
    "from",
    "with",
    "without",
    "by",
    "to",
    "of",
    "under",
    "over",
    "since",
    "until",
    "as",
    "like",
    "unlike",
    "despite",
    "through",
    "into",
    "about",
    "among",
    "against",
    "when",
    "while",
    "if",
    "although",
    "though",
    "because",
    "last",
    "this",
    "earlier",
    "later",
    "speaking",
    "asked",
    "writing",
    "meanwhile",
    "however",
    "still",
    "yet",
    "but",
    "and",
    "so",
    "instead",
    "also",
    "even",
    "now",
    "then",
    "there",
    "here",
    "yesterday",
    "today",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}
ABBREVIATIONS = {
    a.lower()
    for a in _wordlist(
        """
mr mrs ms dr sen rep gov gen brig col lt maj capt adm sgt cmdr st jr sr prof rev del vs etc inc
corp co ltd no fig jan feb mar apr jun jul aug sep sept oct nov dec ft mt pres sec gen atty supt
"""
    )
}
WORD_RE = re.compile(r"[\w'’.&-]+", re.UNICODE)
_TIME_TAIL_WORDS = set(
    _wordlist(
        """
on in at during last this earlier late early to via through before after from with over under
the a an his her their its monday tuesday wednesday thursday friday saturday sunday morning
afternoon evening night week month year today yesterday recently interview interviews statement
statements speech email e-mail news conference briefing
"""
    )
)


def is_time_tail(rest: str) -> bool:
    """'Monday.' / 'in an interview on Tuesday.' -- what may follow a sentence-final cue."""
    words = rest.split()
    if len(words) > 8:
        return False
    for word in words:
        bare = word.strip(".,!?;:\"”’'")
        if bare and not (
            bare.lower() in _TIME_TAIL_WORDS or bare[0].isupper() or bare[0].isdigit()
        ):
            return False
    return True


# Words that may open a reported clause given without "that" ("said the plan ...").
CLAUSE_OPENERS = set(
    _wordlist(
        """
there his her their our my its no all some most many both every any only if nothing none
more several one two what whether how why when where who they're he's she's it's we're i'm
this those these that americans people voters women men he’s it’s they’re she’s we’re
"""
    )
)
RELATIVES = {"that", "who", "which", "whom", "because", "if", "when", "while", "but", "and"}
PERSON_NOUNS = {
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "source",
    "aide",
    "adviser",
    "advisor",
    "officer",
    "man",
    "woman",
    "director",
    "senator",
    "lawmaker",
    "candidate",
    "nominee",
    "president",
    "secretary",
    "chairman",
    "governor",
    "mayor",
}


def cue_base(m: re.Match) -> str:
    return CUE_BASE.get(m.group(1).lower(), m.group(1).lower())


def is_false_cue(text: str, m: re.Match) -> bool:
    word = m.group(1)
    base = CUE_BASE.get(word.lower(), "")
    if base in STANCE_BASES and not word.lower().endswith(("ed", "ing")) and " " not in word:
        # "lagging support", "his plans": a bare stance form must follow its subject
        prev = text[max(0, m.start() - 30) : m.start()].split()
        last = prev[-1] if prev else ""
        if not (last.lower() in PRONOUNS or last[:1].isupper() or last.endswith("ly")):
            return True
    # Capitalised mid-sentence forms are titles ("Says Who"), not cues, except at a start.
    if word[0].isupper() and m.start() > 0:
        prev = text[: m.start()].rstrip()
        if prev and prev[-1] not in '.!?"”:\n' and word.lower() != "according to":
            return True
    # "the said", "a report", noun uses after determiners
    prev_word = text[max(0, m.start() - 12) : m.start()].strip().lower().split()
    if prev_word and prev_word[-1].endswith(("'s", "’s")):
        return True  # "the investigation's claim"
    return bool(
        prev_word
        and prev_word[-1]
        in {"the", "a", "an", "to", "be", "been", "his", "her", "their", "its", "our", "my", "this"}
    )


# Verbs the learned step also considers as cues (``candidates``): naming and
# characterising ("called the plan a 'disaster'"), writing and posting, reading
# ("the letter reads"), ruling, and delivery verbs the rules leave out. The model
# decides whether each one introduces an attribution.
CANDIDATE_CUE_RE = re.compile(
    r"(?<![\w'’-])("
    r"call(?:s|ed|ing)?|encourag(?:e|es|ed|ing)|jok(?:e|es|ed|ing)|shout(?:s|ed|ing)?|titled"
    r"|found|finds?|mock(?:s|ed|ing)?|pound(?:s|ed|ing)|yell(?:s|ed|ing)?|scream(?:s|ed|ing)?"
    r"|sing(?:s|ing)?|sang|chant(?:s|ed|ing)?|quip(?:s|ped|ping)?|boast(?:s|ed|ing)?"
    r"|blast(?:s|ed|ing)?|joked|tout(?:s|ed|ing)?|dub(?:s|bed|bing)?|label(?:s|ed|led|ing)?"
    r"|brand(?:s|ed|ing)?|lik(?:en|ens|ened|ening)|characteri[sz](?:e|es|ed|ing)"
    r"|refer(?:s|red|ring)? to|rul(?:e|es|ed|ing)|reads?|compar(?:e|es|ed|ing)"
    r"|tweet(?:s|ed|ing)?|post(?:s|ed|ing)?|writ(?:e|es|ing|ten)|wrote|quot(?:e|es|ed|ing)"
    r"|descri(?:be|bes|bed|bing)|term(?:s|ed|ing)?"
    r")(?![\w'’-])",
    re.IGNORECASE,
)

# Written things a mention may name ("the report", "a Times article"): a feature of a
# candidate speaker for the learned step (DOCUMENT_NOUNS below adds the roles that speak
# for an issuer, and leaves out what rarely does).
WRITTEN_RE = re.compile(
    r"\b(?:release|statement|report|letter|memo|article|study|poll|survey|complaint|lawsuit|ad"
    r"|video|post|tweet|email|document|filing|ruling|transcript|book|editorial|website|page)s?\b",
    re.IGNORECASE,
)

# Documents and roles that speak for whoever issued them: "an October 14 release",
# "the statement", "a spokesperson". Their speaker is the issuer ("the coalition's
# release", "a statement from X", "X pointed to a release").
DOCUMENT_NOUNS = {
    "release",
    "statement",
    "report",
    "letter",
    "memo",
    "filing",
    "response",
    "email",
    "e-mail",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "director",
}
# Verbs whose subject issues the document named after them: "X pointed to a release".
ISSUING_RE = re.compile(
    r"\b(?:pointed|points|point|referred|refers|issued|issues|released|releases|published"
    r"|publishes|put\s+out|puts\s+out|sent|sends|cited|cites|in)\s+(?:to\s+)?$",
    re.IGNORECASE,
)
