"""What the learned model chooses between, and what it sees of each choice.

The rules propose; this module lists the alternatives the rules passed over and
describes each as a bag of named features (``dict[str, float]``), the input of
the linear models in ``model``:

* **Attribution candidates** of a quotation: the rules' own (speaker, cue), the
  subject of every verb of saying or stance in its sentence (before or after
  it), of a cue in the sentence that introduces it (``X said:`` / ``The Times
  reports:``), the previous quotation's attribution, other readings of the
  noun phrase (before a relative clause: ``Mulgrew, president of ..., which
  represents ..., said``; the relative pronoun itself; a loose phrase after an
  inverted cue: ``said one Democratic source``) and "no attribution".
* **Keep features** of a quotation: is it attributed speech at all, or a scare
  quote, a title, a term?
* **Indirect candidates**: a cue outside any found attribution with its clause
  (after the cue, or the sentence before it), for reported speech and beliefs
  the rules did not take.

Pure: standard library only, no Django.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .attribution import Ctx, cue_in, main_subject
from .indirect import content_end
from .lexicon import CANDIDATE_CUE_RE, CUE_BASE, PRONOUNS, WRITTEN_RE, cue_base
from .mentions import kind_of_speaker, subject_after, subject_before, trim
from .types import Extracted

Span = tuple[int, int]
Features = dict[str, float]

_RELATIVE = re.compile(r",\s+(?:who|which|whose)\b")
_KEEP_WORDS = {
    "called", "so-called", "as", "the", "titled", "dubbed", "a", "his", "her", "their", "of",
    "and", "or", "term", "word", "phrase", "label", "labeled", "named", "known",
}  # fmt: skip
_NEXT_WORDS = {
    "and",
    "or",
    "in",
    "of",
    "to",
    "is",
    "was",
    "that",
    "for",
    "he",
    "she",
    "said",
    "says",
}
_IND_PREV = {
    "the", "a", "to", "and", "also", "has", "have", "had", "not", "would", "will", "who",
    "which", "that",
}  # fmt: skip
_IND_NEXT = {
    "that", "the", "a", "to", "it", "he", "she", "they", "on", "in", "of", "for", "as", "him",
    "her", "them", "by",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Candidate:
    speaker: Span | None
    cue: Span | None
    features: Features


def bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 13, 21, 34)) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return "more"


def mention_kind(text: str, span: Span | None) -> str:
    if span is None:
        return "none"
    mention = text[span[0] : span[1]]
    return kind_of_speaker(mention) + ("+doc" if WRITTEN_RE.search(mention) else "")


def cue_matches(ctx: Ctx, lo: int, hi: int) -> dict[Span, tuple[str, str]]:
    """Cues in [lo, hi) outside quotations: the rules' lexicon, then the wider candidate verbs."""
    found: dict[Span, tuple[str, str]] = {}
    for m in ctx.cues_between(lo, hi):
        if not ctx.in_quote(m.start()):
            found[(m.start(1), m.end(1))] = ("lex", cue_base(m))
    for m in CANDIDATE_CUE_RE.finditer(ctx.text, lo, hi):
        key = (m.start(1), m.end(1))
        if ctx.in_quote(m.start()) or any(a <= key[0] < b for a, b in found):
            continue
        found[key] = ("extra", m.group(1).lower()[:5])
    return dict(sorted(found.items()))


def _quote_features(ctx: Ctx, qi: int) -> Features:
    text, q = ctx.text, ctx.quotes[qi]
    s_start, s_end = ctx.sentence(q.start)
    s_end = max(s_end, ctx.sentence(max(q.start, q.end - 1))[1])
    inner = text[q.start : q.end]
    return {
        "qkind=" + (q.kind or "none"): 1,
        "qlen=" + bucket(len(inner.split())): 1,
        "qconf=" + str(round(q.confidence, 2)): 1,
        "qlower": int(inner.lstrip("\"“„«' ‘")[:1].islower()),
        "qstart_sent": int(not text[s_start : q.start].strip()),
        "qend_sent": int(not text[q.end : s_end].strip(" .!?\n")),
        "qcontinued": int(q.continued),
    }


def _with_speaker(text: str, base: Features, origin: str, speaker: Span | None) -> Features:
    features = dict(base)
    features["origin=" + origin] = 1
    kind = mention_kind(text, speaker)
    features["skind=" + kind] = 1
    features[f"origin*skind={origin}|{kind}"] = 1
    if speaker is not None:
        features["slen=" + bucket(len(text[speaker[0] : speaker[1]].split()))] = 1
    return features


def attribution_candidates(ctx: Ctx, qi: int) -> list[Candidate]:
    """Every (speaker, cue) reading of quotation ``qi``; the last is "no attribution"."""
    text, q = ctx.text, ctx.quotes[qi]
    base = _quote_features(ctx, qi)
    s_start, s_end = ctx.sentence(q.start)
    s_end = max(s_end, ctx.sentence(max(q.start, q.end - 1))[1])
    found: dict[tuple[Span | None, Span | None], Features] = {}

    def add(origin: str, speaker: Span | None, cue: Span | None, extra: Features) -> None:
        features = _with_speaker(text, base, origin, speaker)
        features.update(extra)
        if cue is None:
            features["nocue"] = 1
        key = (speaker, cue)
        if key in found:  # one reading found two ways: it carries what each way saw
            for name, value in features.items():
                found[key].setdefault(name, value)
            found[key]["also=" + origin] = 1
        else:
            found[key] = features

    if q.cue is not None:
        speaker = (q.speaker.start, q.speaker.end) if q.speaker else None
        base_word = CUE_BASE.get(q.cue.text.lower(), q.cue.text.lower()[:8])
        add(
            "rule",
            speaker,
            (q.cue.start, q.cue.end),
            {"cue=" + base_word: 1, "rule_own": int(q.own_cue), f"rconf={q.confidence:.2f}": 1},
        )
    for cue, (source, word) in cue_matches(ctx, s_start, s_end).items():
        add("sent", *_sentence_reading(ctx, q, cue, source, word, s_start, s_end))
    if not text[s_start : q.start].strip():
        for speaker, cue, extra in _introducing_sentence(ctx, s_start):
            add("prevsent", speaker, cue, extra)
    if qi > 0:
        p = ctx.quotes[qi - 1]
        if p.cue is not None and p.para >= q.para - 1:
            add(
                "prev",
                (p.speaker.start, p.speaker.end) if p.speaker else None,
                (p.cue.start, p.cue.end),
                {
                    "prev_same_para": int(p.para == q.para),
                    "prev_cue_between": int(cue_in(ctx, p.end, q.start)),
                },
            )
    for (speaker, cue), features in list(found.items()):
        if cue is None:
            continue
        for name, other in _other_readings(ctx, speaker, cue, features):
            if (other, cue) in found:
                continue
            kind = mention_kind(text, other)
            variant = {
                k: v
                for k, v in features.items()
                if not k.startswith(("skind", "origin*skind", "slen", "also"))
            }
            variant.update(
                {
                    "variant=" + name: 1,
                    "skind=" + kind: 1,
                    "slen=" + bucket(len(text[other[0] : other[1]].split())): 1,
                    f"variant*skind={name}|{kind}": 1,
                }
            )
            found[(other, cue)] = variant
    found.pop((None, None), None)
    none = _with_speaker(text, base, "none", None)
    none["nocue"] = 1
    return [Candidate(s, c, f) for (s, c), f in found.items()] + [Candidate(None, None, none)]


def _sentence_reading(ctx: Ctx, q, cue: Span, source: str, word: str, s_start: int, s_end: int):
    text = ctx.text
    after = cue[0] >= q.end
    if after:
        between = text[q.end : cue[0]]
        n_quotes = len(ctx.quotes_within(q.end, cue[0]))
        if between.strip(" ,—–-\t\u00a0"):
            speaker, side = subject_before(text, q.end, cue[0], max_words=30), "sb"
        else:
            speaker, side = subject_after(text, cue[1], s_end), "sa"
    else:
        between = text[cue[1] : q.start]
        n_quotes = len(ctx.quotes_within(cue[1], q.start))
        lo = max(s_start, ctx.prev_quote_end(cue[0], s_start))
        if word == "according to":
            speaker, side = subject_after(text, cue[1], s_end), "sa"
        elif cue_word_is_participle(text, cue):
            speaker, side = main_subject(ctx, lo, cue[0]), "main"  # "..., saying"
        else:
            speaker, side = subject_before(text, lo, cue[0]), "sb"
            if speaker is None and not text[lo : cue[0]].strip(" ,"):
                speaker, side = (
                    subject_after(text, cue[1], q.start if q.start > cue[1] else s_end),
                    "sa",
                )
    words = len(between.split())
    pos = "after" if after else "before"
    # another cue between this one and the quotation opens a clause of its own
    lo, hi = (q.end, cue[0]) if after else (cue[1], q.start)
    nearer = sum(1 for m in ctx.cues_between(lo, hi) if not ctx.in_quote(m.start()))
    return (
        speaker,
        cue,
        {
            "cue=" + word: 1,
            "src=" + source: 1,
            "pos=" + pos: 1,
            "dist=" + bucket(words): 1,
            f"pos*dist={pos}|{bucket(words)}": 1,
            f"cue*pos={word}|{pos}": 1,
            "nq=" + bucket(n_quotes, (0, 1, 2)): 1,
            "side=" + side: 1,
            "ing": int(text[cue[0] : cue[1]].lower().endswith("ing")),
            "that_between": int(bool(re.search(r"\bthat\b", between))),
            "comma_adj": int(between.strip() in (",", ":", ', "', "")),
            "same_as_rule": int(q.cue is not None and q.cue.start == cue[0]),
            "nearer_cues=" + bucket(nearer, (0, 1)): 1,
            f"pos*nearer={pos}|{bucket(nearer, (0, 1))}": 1,
        },
    )


def _introducing_sentence(ctx: Ctx, s_start: int):
    """Cues of the sentence before one that opens with the quotation ('X said:')."""
    text = ctx.text
    p_start, _ = ctx.sentence(max(0, s_start - 2))
    if p_start >= s_start:
        return
    before = text[p_start:s_start].rstrip()
    p_end = p_start + len(before)
    colon = int(before.endswith(":"))
    has_quote = int(bool(ctx.quotes_within(p_start, s_start)))
    for cue, (source, word) in cue_matches(ctx, p_start, p_end).items():
        lo = max(p_start, ctx.prev_quote_end(cue[0], p_start))
        speaker = subject_before(text, lo, cue[0]) or subject_after(text, cue[1], p_end)
        tail = len(text[cue[1] : p_end].split())
        yield (
            speaker,
            cue,
            {
                "cue=" + word: 1,
                "src=" + source: 1,
                "colon": colon,
                "tail=" + bucket(tail): 1,
                f"cue*colon={word}|{colon}": 1,
                "prevsent_quote": has_quote,
            },
        )


def _other_readings(ctx: Ctx, speaker: Span | None, cue: Span, features: Features):
    text = ctx.text
    s_start, s_end = ctx.sentence(cue[0])
    if features.get("side=sa") or speaker is None or speaker[0] >= cue[1]:
        loose = _loose_after(text, cue[1], s_end)
        if loose:
            yield "loose_after", loose
    lo = max(s_start, ctx.prev_quote_end(cue[0], s_start))
    if cue[0] <= lo:
        return
    if text[cue[0] : cue[1]].lower().endswith("ing") or features.get("ing"):
        main = main_subject(ctx, lo, cue[0])  # "..., saying": the main clause's subject
        if main:
            yield "main", main
    region = text[lo : cue[0]]
    stripped = region.rstrip()
    if stripped.split() and stripped.split()[-1].lower() == "who":
        end = lo + len(stripped)
        yield "who", (end - 3, end)
    relative = _RELATIVE.search(region)
    if relative:
        before = subject_before(text, lo, lo + relative.start())
        if before:
            yield "prerel", before


def cue_word_is_participle(text: str, cue: Span) -> bool:
    return text[cue[0] : cue[1]].lower().endswith("ing")


def _loose_after(text: str, lo: int, hi: int) -> Span | None:
    """The phrase right after an inverted cue, up to punctuation ('said one Democratic source')."""
    m = re.match(r"\s*([^,.;:!?\"“”()]{2,80})", text[lo:hi])
    if not m or not 0 < len(m.group(1).split()) <= 12:
        return None
    start, end = trim(text, lo + m.start(1), lo + m.end(1))
    return (start, end) if start < end else None


def keep_features(ctx: Ctx, qi: int, candidates: list[Candidate], scores: list[float]) -> Features:
    """Is quotation ``qi`` attributed speech? (against a scare quote, a title, a term)"""
    text, q = ctx.text, ctx.quotes[qi]
    features = _quote_features(ctx, qi)
    best = max(range(len(candidates)), key=scores.__getitem__)
    origin = next((k for k in candidates[best].features if k.startswith("origin=")), "origin=?")
    features["best=" + origin] = 1
    features["bestp=" + str(int(scores[best] * 10))] = 1
    features["bestp"] = float(scores[best])
    features["nonep"] = float(scores[-1])
    inner = text[q.start : q.end].strip("\"“”„«»' ‘’")
    words = inner.split()
    capitals = sum(1 for w in words if w[:1].isupper())
    features["titlecase"] = int(len(words) > 1 and capitals == len(words))
    features["caps=" + (str(int(4 * capitals / len(words))) if words else "x")] = 1
    features["inner_punct"] = int(inner[-1:] in ".,!?…") if inner else 0
    features["twoapos"] = int(text.startswith("''", q.start))
    before = text[max(0, q.start - 20) : q.start].split()
    prev = before[-1].lower().strip(",;:") if before else "^"
    prev = prev if prev in _KEEP_WORDS else ("cap" if prev[:1].isupper() else "other")
    features["prevw=" + prev] = 1
    after = text[q.end : q.end + 20].split()
    nxt = after[0].lower().strip(".,;:") if after else "$"
    features["nextw=" + (nxt if nxt in _NEXT_WORDS else "other")] = 1
    sentence_cues = sum(1 for c in candidates if c.features.get("origin=sent"))
    features["sentcues=" + bucket(sentence_cues, (0, 1, 2))] = 1
    return features


@dataclass(frozen=True, slots=True)
class IndirectCandidate:
    content: Span
    speaker: Span | None
    cue: Span
    features: Features


def indirect_candidates(ctx: Ctx, items: list[Extracted]) -> list[IndirectCandidate]:
    """A cue with its clause wherever no found attribution covers that clause."""
    text = ctx.text
    taken = sorted((i.start, i.end) for i in items)
    starts = [a for a, _ in taken]

    def covered(lo: int, hi: int) -> bool:
        k = bisect.bisect_right(starts, hi)
        return any(a < hi and lo < b for a, b in taken[max(0, k - 30) : k])

    found: dict[Span, IndirectCandidate] = {}
    for cue, (source, word) in cue_matches(ctx, 0, len(text)).items():
        s_start, s_end = ctx.sentence(cue[0])
        has_quote = ctx.quote_starts_in(s_start, s_end)
        c_end = content_end(ctx, cue[1], s_end)
        after = text[cue[1] : c_end]
        before = text[s_start : cue[0]]
        if len(after.split()) >= 3:
            lead = len(after) - len(after.lstrip(" ,:"))
            content, side = trim(text, cue[1] + lead, c_end), "after"
            if cue_word_is_participle(text, cue):
                speaker = main_subject(ctx, s_start, cue[0])
            else:
                speaker = subject_before(text, s_start, cue[0])
        elif len(before.split()) >= 3:
            content, side = trim(text, s_start, cue[0]), "before"
            speaker = subject_after(text, cue[1], s_end)
        else:
            continue
        if content[1] - content[0] < 10 or covered(*content):
            continue
        cue_word = text[cue[0] : cue[1]]
        prev = before.split()[-1].lower().strip(",") if before.split() else "^"
        if prev not in PRONOUNS and prev not in _IND_PREV:
            prev = "cap" if prev[:1].isupper() else "other"
        nxt = after.split()[0].lower().strip(",") if after.split() else "$"
        if nxt not in _IND_NEXT:
            nxt = "cap" if nxt[:1].isupper() else "other"
        features = {
            "cue=" + word: 1,
            "src=" + source: 1,
            "side=" + side: 1,
            f"cue*side={word}|{side}": 1,
            "after=" + bucket(len(after.split())): 1,
            "before=" + bucket(len(before.split())): 1,
            "prevw=" + prev: 1,
            "nextw=" + nxt: 1,
            "ing": int(cue_word.lower().endswith("ing")),
            "ed": int(cue_word.lower().endswith("ed")),
            "cap": int(cue_word[:1].isupper()),
            "subj": int(speaker is not None),
            "skind=" + mention_kind(text, speaker): 1,
            "used": int(cue[0] in ctx.used_cues),
            "hasq": int(has_quote),
        }
        found[content] = IndirectCandidate(content, speaker, cue, features)
    return list(found.values())
