"""Direct and partial quotations: the cue and speaker after or before the marks,
transcript turns, signatures after a dash, inheritance, and whole versus partial."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicon import (
    ADDRESSEE_VERBS,
    ALL_MARKS,
    BREAKS,
    CUE_BASE,
    CUE_RE,
    DETERMINERS,
    PARTICIPLE_SUFFIX,
    PHRASES,
    PREPOSITIONS,
    PRONOUNS,
    SPEECH_BASES,
    STANCE_BASES,
    TRAILING_NOISE,
    WEAK_FORMS,
    cue_base,
)
from .marks import Quote
from .mentions import (
    cap_runs,
    clean_word,
    subject_after,
    subject_before,
    trim,
    word_spans,
)
from .types import Mention

_MAX_SENTENCE = 1000


@dataclass(slots=True)
class Ctx:
    text: str
    sent_starts: list[int]
    paras: list[tuple[int, int]]
    quotes: list[Quote]
    cues: list[re.Match]
    used_cues: set[int]
    # sorted indexes (quotations never overlap, so their ends are sorted too)
    q_starts: list[int] = field(default_factory=list)
    q_ends: list[int] = field(default_factory=list)
    cue_starts: list[int] = field(default_factory=list)
    para_starts: list[int] = field(default_factory=list)

    def reindex(self) -> None:
        self.quotes.sort(key=lambda q: q.start)
        self.q_starts = [q.start for q in self.quotes]
        self.q_ends = [q.end for q in self.quotes]
        self.cue_starts = [m.start() for m in self.cues]
        self.para_starts = [p[0] for p in self.paras]

    def sentence(self, pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.sent_starts, pos) - 1
        start = self.sent_starts[k] if k >= 0 else 0
        end = self.sent_starts[k + 1] if k + 1 < len(self.sent_starts) else len(self.text)
        # a sentence never crosses a paragraph
        p = bisect.bisect_right(self.para_starts, pos) - 1
        para_end = self.paras[p][1] if p >= 0 else pos
        end = min(end, para_end)
        if end - start > _MAX_SENTENCE:
            # a run-on "sentence" (no full stops): look only near ``pos``, keeping it linear
            start = max(start, pos - _MAX_SENTENCE // 2)
            end = min(end, pos + _MAX_SENTENCE // 2)
        return start, end

    def in_quote(self, pos: int) -> bool:
        k = bisect.bisect_right(self.q_starts, pos) - 1
        return k >= 0 and self.quotes[k].start <= pos < self.quotes[k].end

    def quote_at(self, pos: int) -> Quote | None:
        k = bisect.bisect_right(self.q_starts, pos) - 1
        if k >= 0 and self.quotes[k].start <= pos < self.quotes[k].end:
            return self.quotes[k]
        return None

    def prev_quote_end(self, pos: int, default: int = 0) -> int:
        """The end of the last quotation ending at or before ``pos``."""
        k = bisect.bisect_right(self.q_ends, pos) - 1
        return self.q_ends[k] if k >= 0 else default

    def next_quote_start(self, pos: int, default: int) -> int:
        k = bisect.bisect_left(self.q_starts, pos)
        return self.q_starts[k] if k < len(self.q_starts) else default

    def quote_starts_in(self, lo: int, hi: int) -> bool:
        return self.next_quote_start(lo, hi) < hi

    def quotes_within(self, lo: int, hi: int) -> list[Quote]:
        k = bisect.bisect_left(self.q_starts, lo)
        found = []
        while k < len(self.quotes) and self.quotes[k].end <= hi:
            found.append(self.quotes[k])
            k += 1
        return found

    def cues_between(self, lo: int, hi: int) -> list[re.Match]:
        k = bisect.bisect_left(self.cue_starts, lo)
        found = []
        while k < len(self.cues) and self.cues[k].start() < hi:
            if self.cues[k].end() <= hi:
                found.append(self.cues[k])
            k += 1
        return found


def to_mention(text: str, span: tuple[int, int] | None) -> Mention | None:
    if span is None:
        return None
    start, end = span
    if not 0 <= start < end <= len(text):
        return None
    return Mention(start, end, text[start:end])


def cue_mention(text: str, m: re.Match) -> Mention:
    return Mention(m.start(1), m.end(1), m.group(1))


def _attribute_after(ctx: Ctx, q: Quote) -> bool:
    """'"...," he said' / '"...," said X' / '"...," X, title, told the BBC.'"""
    text = ctx.text
    _, s_end = ctx.sentence(q.end - 1)
    k = q.end - 1
    while k > q.start + 1 and (text[k - 1] in "’'‘ " or text[k - 1] in ALL_MARKS):
        k -= 1
    inner_last = text[k - 1] if k - 1 > q.start else ""
    post_lo = q.end
    crossing = False
    if s_end <= q.end + 1 or not text[q.end : s_end].strip():
        # the quotation closes its sentence: '"...?" Clinton said.'
        nxt = q.end
        while nxt < len(text) and text[nxt] in " \t\u00a0":
            nxt += 1
        if nxt < len(text) and text[nxt] not in BREAKS:
            s_end = ctx.sentence(nxt)[1]
            crossing = True
    next_quote = ctx.next_quote_start(q.end, len(text))
    post_hi = min(s_end, next_quote, q.end + 300)
    if _dash_attribution(ctx, q, post_lo, post_hi):
        return True
    if post_lo >= post_hi:
        return False
    post = text[post_lo:post_hi]
    if not re.match(r"\s*[,—–-]?\s*\S", post):
        return False
    if inner_last not in ",?!—–-…" and not re.match(r"\s*[,—–]", post):
        return False
    if re.match(r"\s*[.!?]", post):
        return False
    for m in ctx.cues_between(post_lo, post_hi):
        if ctx.in_quote(m.start()):
            continue
        base = cue_base(m)
        if base not in SPEECH_BASES and base not in PHRASES and base != "according to":
            continue
        lead = text[post_lo : m.start()]
        if len(lead.split()) > 30 or ";" in lead:
            return False
        first = lead.strip(" ,—–-\t\u00a0").split(" ", 1)[0]
        if first in PREPOSITIONS | {"and", "or", "to", "than", "is", "was", "are", "were"}:
            return False  # '"..." to drive up the stock price, she said': not the cue's object
        if base == "according to":
            span = subject_after(text, m.end(), post_hi)
        elif lead.strip(" ,—–-\t"):
            span = subject_before(text, post_lo, m.start(), max_words=30)
            if span is None:
                return False
        else:
            span = subject_after(text, m.end(), post_hi)
        if m.group(1).lower().endswith("ing") and not lead.strip(" ,—–-\t"):
            # '"...," saying ...' has no subject of its own: leave it to the caller
            return False
        if crossing:
            tail = text[m.end() : s_end]
            if lead.strip() and len(lead.split()) > 8:
                return False
            if len(tail.split()) > 12 and not re.match(r"\s*,", tail):
                return False
        q.speaker = to_mention(text, span)
        q.cue = cue_mention(text, m)
        q.own_cue = True
        ctx.used_cues.add(m.start())
        mid_sentence = inner_last in ",—–-" or inner_last not in ".!?"
        q.confidence = 0.9 if mid_sentence else 0.75
        return True
    return False


_DASH_NAME = re.compile(
    r"[ \t\u00a0]*([―—–]|--)[ \t\u00a0]*((?:[A-Z][\w.'’-]*\.?[ \t\u00a0]*){1,5})(?=[.,;\s]|$)"
)


_LABEL = re.compile(r"[\"“](?:''|)?\s*([A-Z][A-Z .'’-]{1,40}[A-Z]):\s+")


def _transcript(ctx: Ctx) -> None:
    """'"WALLACE: Let's start ...' -- a transcript line: the label names the speaker."""
    text = ctx.text
    turn: Quote | None = None
    for q in ctx.quotes:
        m = _LABEL.match(text, q.start, q.end)
        if m is None or q.end - m.end() < 2:
            if turn is not None and q.continued and turn.continues:
                # a further paragraph of the same turn: same speaker, no marks either
                start = q.start + 1
                while start < q.end and (text[start].isspace() or text[start] in ALL_MARKS):
                    start += 1
                if q.end - start >= 2:
                    q.speaker, q.cue, q.kind = turn.speaker, turn.cue, "direct"
                    q.own_cue, q.confidence, q.start = True, 0.7, start
                    turn = q
                    continue
            turn = None
            continue
        q.speaker = Mention(m.start(1), m.end(1), m.group(1))
        q.cue = Mention(m.end(1), m.end(1) + 1, ":")
        q.own_cue = True
        q.kind = "direct"
        q.confidence = 0.75
        q.start = m.end()  # the line without its label, as the content of what was said
        turn = q


def _dash_attribution(ctx: Ctx, q: Quote, lo: int, hi: int) -> bool:
    """'"..." ― Pamela Padilla' (a name after a dash closing the quotation)."""
    text = ctx.text
    m = _DASH_NAME.match(text, lo, min(len(text), lo + 80))
    if m is None:
        return False
    after = text[m.end() : m.end() + 60].split("\n", 1)[0]
    if re.match(r"\s*[a-z]", after):
        return False  # "― Donald Trump says ..." is a new clause, not a signature
    name = trim(text, m.start(2), m.end(2), " \t\u00a0.,")
    if name[0] >= name[1]:
        return False
    q.speaker = to_mention(text, name)
    q.cue = Mention(m.start(1), m.end(1), m.group(1))
    q.own_cue = True
    q.confidence = 0.7
    return True


def _attribute_before(ctx: Ctx, q: Quote) -> bool:
    """'X said: "..."' / 'X said, "..."' / 'saying that "..."' / 'said it does not "..."'."""
    text = ctx.text
    s_start, _ = ctx.sentence(q.start)
    prev_quote_end = ctx.prev_quote_end(q.start)
    lo = max(s_start, prev_quote_end)
    hi = q.start
    if not text[s_start : q.start].strip():
        # 'He said:' closing the previous paragraph
        prev_end = q.start
        while prev_end > 0 and text[prev_end - 1].isspace():
            prev_end -= 1
        if prev_end > 0 and text[prev_end - 1] == ":":
            p_lo = ctx.sentence(prev_end - 1)[0]
            lo, hi = max(p_lo, prev_quote_end), prev_end
    pre = text[lo:hi]
    cues = [m for m in ctx.cues_between(lo, hi) if not ctx.in_quote(m.start())]
    if not cues:
        if _noun_cue(ctx, q, lo):
            return True
        if pre.rstrip().endswith(":") and len(pre.split()) <= 30 and not _clause_goes_on(ctx, q):
            # 'a new campaign message: "It's about me."' -- no verb of saying, but a colon
            q.kind = "direct"
            q.speaker = to_mention(text, main_subject(ctx, lo, hi))
            q.confidence = 0.5
            q.own_cue = True
            return True
        return False
    m = cues[-1]
    between = text[m.end() : hi]
    base = cue_base(m)
    tail = between.strip().lstrip(",;—– ")
    direct = False
    if re.fullmatch(r"\s*(?:[,:—–-]|,?\s*in\s+(?:a|an|the)\s+\w+\s*[,:]?)?\s*", between):
        direct = True
    elif (
        tail.endswith((":", ","))
        and len(tail.split()) <= 10
        and not re.search(r"\bthat\b", tail)
        and (
            clean_word(tail.split()[0]) in PREPOSITIONS
            or tail.split()[0].endswith(("ly", "ing"))
            or tail.endswith(":")
        )
    ):
        direct = (
            True  # 'says of Clinton, "..."' / 'said during a rally in Kenansville, N.C., "..."'
        )
    elif base in ADDRESSEE_VERBS and re.fullmatch(
        r"\s*(?:[\w.'’-]+\s+){0,4}[\w.'’-]+\s*[,:]?\s*(?:that\s*)?", between
    ):
        direct = tail.endswith((":", ","))
    if m.group(1).lower() in WEAK_FORMS and not direct:
        return False
    if len(pre.split()) > 60:
        return False
    # the subject: elided for participles ("saying") and after "but said"
    subject = None
    verb_lo = m.start()
    if not m.group(1).lower().endswith(PARTICIPLE_SUFFIX):
        subj_lo = lo
        prior = [c for c in cues[:-1] if c.end() <= verb_lo]
        if prior:
            subj_lo = max(subj_lo, prior[-1].end())
        if base == "according to":
            subject = subject_after(text, m.end(), q.start)
            if subject is None:
                return False
        else:
            subject = subject_before(text, subj_lo, verb_lo)
    if subject is None and base != "according to":
        subject = main_subject(ctx, lo, verb_lo)
    if hi != q.start:
        direct = True
    elif direct and (_clause_goes_on(ctx, q) or _lowercase_fragment(ctx, q)):
        direct = False
    if direct:
        q.kind = "direct"
        q.confidence = 0.9
    else:
        q.kind = "partial"
        # 'described as a "Western officer"': a stance verb before a short fragment is
        # more often a scare quote or a name than a quotation
        q.confidence = 0.35 if base in STANCE_BASES else 0.7
    q.speaker = to_mention(text, subject)
    q.cue = cue_mention(text, m)
    q.own_cue = True
    ctx.used_cues.add(m.start())
    return True


_NOUN_CUE = re.compile(
    r"['’]s\s+(claims?|assertions?|allegations?|findings?|conclusions?)\s+that\s", re.IGNORECASE
)


def _noun_cue(ctx: Ctx, q: Quote, lo: int) -> bool:
    """'the BBC investigation's claim that the coalition was party a "secret deal"': a
    quotation in the that-clause of a possessed noun of saying is its possessor's."""
    text = ctx.text
    found = list(_NOUN_CUE.finditer(text, lo, q.start))
    if not found or q.start - found[-1].end() > 150:
        return False
    m = found[-1]
    words = word_spans(text, max(lo, m.start() - 80), m.start())
    if not words:
        return False
    start = words[-1][0]
    for ws, we in reversed(words[:-1]):
        word = text[ws:we]
        if clean_word(word) in DETERMINERS:
            start = ws
            break
        if not word[:1].isupper():
            break
        start = ws
    q.speaker = Mention(start, m.start(), text[start : m.start()])
    q.cue = Mention(m.start(1), m.end(1), m.group(1))
    q.kind, q.confidence, q.own_cue = "partial", 0.6, True
    return True


def main_subject(ctx: Ctx, lo: int, hi: int) -> tuple[int, int] | None:
    """The subject of the sentence's main clause, for participles and elided subjects."""
    text = ctx.text
    s_start, _ = ctx.sentence(lo)
    last_quote = ctx.prev_quote_end(hi)
    # "footage of Hillary Clinton asking": the name right before the participle
    near_lo = max(s_start, last_quote)
    just_before = re.search(r"((?:[A-Z][\w.'’-]*\s+){1,4})$", text[near_lo:hi])
    if just_before and just_before.start() > 0:
        span = trim(text, near_lo + just_before.start(1), hi)
        if cap_runs(text[span[0] : span[1]]):
            return span
    # the subject opens the sentence, after any quotation opening it
    region_lo = s_start
    opening = ctx.quote_at(s_start) or ctx.quote_at(s_start + 1)
    if opening is not None and opening.end <= hi:
        region_lo = opening.end
    start, end = trim(text, region_lo, hi, ' \t,;:—–-"“”(')
    skipped_intro = False
    while True:
        words = word_spans(text, start, end)
        if not words:
            return None
        first = text[words[0][0] : words[0][1]]
        if first.lower() in PRONOUNS:
            return words[0]
        # skip an introductory phrase ending in a comma (once)
        intro = None if skipped_intro else re.match(r"[^,]{0,80},\s*", text[start:end])
        if not (intro and clean_word(first) in PREPOSITIONS):
            break
        start, skipped_intro = start + intro.end(), True
    # the noun phrase up to the first verb-looking lowercase word
    k_end = 0
    for k, (ws, we) in enumerate(words[:10]):
        w = text[ws:we]
        lw = clean_word(w)
        if (
            k > 0
            and w[0].islower()
            and lw not in DETERMINERS
            and lw not in {"of", "for"}
            and (lw.endswith(("ed", "s")) or lw in TRAILING_NOISE or lw in CUE_BASE)
        ):
            break
        if text[we : we + 1] == ",":
            k_end = k
            break
        k_end = k
    span = (words[0][0], words[k_end][1])
    return span if span[0] < span[1] else None


def attribute_quotes(ctx: Ctx) -> None:
    quotes = ctx.quotes
    _transcript(ctx)
    ctx.reindex()
    for q in quotes:
        if q.own_cue:
            continue
        if _attribute_after(ctx, q):
            q.kind = "direct" if is_whole(ctx, q) else "partial"
            if q.kind == "partial":
                q.confidence = min(q.confidence, 0.7)
            continue
        _attribute_before(ctx, q)
    # a quotation over several paragraphs: one attribution for the whole run
    runs: list[list[Quote]] = []
    for q in quotes:
        if q.continued and runs and runs[-1][-1].continues:
            runs[-1].append(q)
        else:
            runs.append([q])
    _inherit_in_runs(runs, 0.85)
    # a quotation following an attributed one: '"A," he said. "B."'
    for k, q in enumerate(quotes):
        if q.cue is not None:
            continue
        prev = quotes[k - 1] if k > 0 else None
        if (
            prev is not None
            and prev.cue is not None
            and prev.para >= q.para - 1
            and is_whole(ctx, q)
            and not cue_in(ctx, prev.end, q.start)
        ):
            _inherit(q, prev, 0.7)
            continue
        if prev is not None and prev.cue is not None and prev.para == q.para and is_whole(ctx, q):
            _inherit(q, prev, 0.7)
            continue
    _inherit_in_runs(runs, 0.8)
    # a quotation inside the content reported by an earlier one's cue, in the same
    # sentence: 'a release that stated a "convoy of vehicles" was to ... "civilians to ..."'
    for k, q in enumerate(quotes):
        prev = quotes[k - 1] if k > 0 else None
        if (
            q.cue is None
            and prev is not None
            and prev.cue is not None
            and prev.para == q.para
            and prev.cue.start < prev.start
            and ctx.sentence(prev.start)[0] == ctx.sentence(q.start)[0]
            and not cue_in(ctx, prev.end, q.start)
        ):
            q.speaker, q.cue, q.confidence = prev.speaker, prev.cue, 0.6
    for q in quotes:
        if q.cue is None:
            # no cue: a scare quote, a title or an unattributed quotation
            if is_whole(ctx, q) and len(ctx.text[q.start : q.end].split()) >= 6:
                q.kind = "direct"
                q.confidence = 0.3
            else:
                q.kind = "partial"
                q.confidence = 0.15
        elif not q.kind:
            q.kind = "direct" if is_whole(ctx, q) else "partial"


def cue_in(ctx: Ctx, lo: int, hi: int) -> bool:
    return any(not ctx.in_quote(m.start()) for m in ctx.cues_between(lo, hi))


def _inherit_in_runs(runs: list[list[Quote]], confidence: float) -> None:
    """Each paragraph of a quotation over several takes the run's attribution."""
    for run in runs:
        source = next((r for r in run if r.cue is not None), None)
        if source is not None:
            for r in run:
                if r.cue is None:
                    _inherit(r, source, confidence)


def _inherit(q: Quote, source: Quote, confidence: float) -> None:
    q.speaker = source.speaker
    q.cue = source.cue
    q.kind = "direct"
    q.confidence = confidence


def _clause_goes_on(ctx: Ctx, q: Quote) -> bool:
    """'"budget reforms" and the collection ...': the reporter's clause goes on after it."""
    text = ctx.text
    k = q.end - 1
    while k > q.start + 1 and (text[k - 1] in "’'‘ " or text[k - 1] in ALL_MARKS):
        k -= 1
    post = text[q.end : q.end + 60]
    if text[k - 1] not in ",.!?…—–-:;" and re.match(r"[ \t\u00a0]*[a-z(]", post):
        clause = re.match(r"\s*([\w'’]+)\s+([\w'’]+)", post)
        words = clause.groups() if clause else ()
        return not (words and (words[0] in CUE_BASE or words[1] in CUE_BASE))
    return False


def _lowercase_fragment(ctx: Ctx, q: Quote) -> bool:
    """A quotation opening in lower case continues a sentence begun by the reporter,
    unless it is the second half of a split quotation ('"A," he said, "but B."')."""
    text = ctx.text
    inner = text[q.start : q.end].lstrip("\"“„«' ‘")
    if not inner[:1].islower():
        return False
    s_start, _ = ctx.sentence(q.start)
    before = ctx.quotes_within(s_start, q.start)
    return not (before and before[-1].kind == "direct" and before[-1].own_cue)


def is_whole(ctx: Ctx, q: Quote) -> bool:
    """True when the quotation is not embedded in the reporter's own clause."""
    text = ctx.text
    s_start, _ = ctx.sentence(q.start)
    prev_quote_end = ctx.prev_quote_end(q.start, s_start)
    lo = max(s_start, prev_quote_end)
    pre = text[lo : q.start].strip()
    if re.search(r"\bthat$", pre):
        return False  # 'told Fox that "..."': the quotation is inside a that-clause
    if _clause_goes_on(ctx, q) or _lowercase_fragment(ctx, q):
        return False
    if (
        pre
        and not pre.endswith((":", ",", "—", "–", "-", "."))
        and not (prev_quote_end > s_start and re.search(r"[.!?]$", pre))
    ):
        cues = [m for m in ctx.cues_between(lo, q.start) if not ctx.in_quote(m.start())]
        if not (cues and not text[cues[-1].end() : q.start].strip(" ,:")):
            return False
    return not (
        pre.endswith(",") and not ctx.cues_between(lo, q.start) and prev_quote_end <= s_start
    )


def is_salient(ctx: Ctx, mention: Mention) -> bool:
    """A subject opening its sentence or clause (or named right after its cue)."""
    text = ctx.text
    s_start, _ = ctx.sentence(mention.start)
    pieces = []
    last = s_start
    k = bisect.bisect_left(ctx.q_ends, s_start + 1)
    while k < len(ctx.quotes) and ctx.quotes[k].start < mention.start:
        q = ctx.quotes[k]
        k += 1
        pieces.append(text[last : max(last, q.start)])
        last = max(last, q.end)
    pieces.append(text[last : mention.start])
    before = "".join(pieces).strip(' \t,;:—–-"“”')
    if not before or text[s_start : mention.start].rstrip().endswith(","):
        return True
    return bool(CUE_RE.search(before[-25:]) and before.split()[-1].lower() in CUE_BASE)
