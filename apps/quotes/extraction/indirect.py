"""Indirect speech: a cue verb outside quotations with a subject and a reported clause,
sentence-final and parenthetical cues, and "according to"."""

from __future__ import annotations

import re

from . import lexicon
from .attribution import Ctx, cue_mention, main_subject, to_mention
from .mentions import subject_after, subject_before, trim
from .types import Extracted


def find_indirect(ctx: Ctx) -> list[Extracted]:
    found: list[Extracted] = []
    taken: list[tuple[int, int]] = []
    for m in ctx.cues:
        if m.start() in ctx.used_cues or ctx.in_quote(m.start()):
            continue
        word = m.group(1)
        base = lexicon.cue_base(m)
        s_start, s_end = ctx.sentence(m.start())
        if word.lower().endswith(lexicon.PARTICIPLE_SUFFIX) and base not in lexicon.PHRASES:
            item = _forward(ctx, m, s_start, s_end, participle=True)
        elif base == "according to":
            item = _according_to(ctx, m, s_start, s_end)
        else:
            item = _forward(ctx, m, s_start, s_end) or _backward(ctx, m, s_start, s_end)
        if item is None:
            continue
        if item.kind == "indirect" and any(a < item.end and item.start < b for a, b in taken[-20:]):
            # keep one content per clause
            continue
        found.append(item)
        taken.append((item.start, item.end))
    return found


def content_end(ctx: Ctx, lo: int, s_end: int) -> int:
    text = ctx.text
    end = s_end
    while end > lo and (text[end - 1].isspace() or text[end - 1] in ".!?;:"):
        end -= 1
    return end


def _forward(
    ctx: Ctx, m: re.Match, s_start: int, s_end: int, participle: bool = False
) -> Extracted | None:
    text = ctx.text
    word = m.group(1).lower()
    base = lexicon.cue_base(m)
    pos = m.end()
    after = text[pos:s_end]
    k = 0
    # optional adverbs and an addressee
    adv = re.match(r"\s*(?:,\s*)?(?:\w+ly\s+|again\s+|also\s+|on\s+\w+day\s+)*", after)
    if adv:
        k = adv.end()
    has_that = False
    # "says at a campaign stop in Toledo, Ohio, that ..." / "told a meeting of ... that"
    far = re.match(r"([^.;:!?\"“”]{0,120}?)\bthat\s+", after[k:])
    if far and far.group(1).strip() and len(far.group(1).split()) <= 14:
        lead_word = far.group(1).strip(" ,").split(" ", 1)[0].lower()
        if (
            base in lexicon.ADDRESSEE_VERBS or lead_word in lexicon.PREPOSITIONS
        ) and not lexicon.CUE_RE.search(far.group(1)):
            k += far.end()
            has_that = True
    if not has_that and base in lexicon.ADDRESSEE_VERBS:
        obj = re.match(
            r"(?:(?:the|a|an|his|her|their|its)\s+)?"
            r"(?:[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,4}|(?!that\b)[a-z][\w'’-]*)"
            r"(?:\s+(?:on|in)\s+\w+day)?\s*,?\s*",
            after[k:],
        )
        if obj:
            k += obj.end()
    if not has_that:
        that = re.match(r"that\s+|:\s*|,\s*", after[k:])
        if that:
            if that.group(0).startswith(","):
                return None
            has_that = True
            k += that.end()
    if word in lexicon.WEAK_FORMS and not has_that:
        return None
    c_start = pos + k
    c_end = content_end(ctx, c_start, s_end)
    # stop before a second reported clause ("..., but said it was ...")
    for c in ctx.cues_between(c_start + 1, c_end):
        if not ctx.in_quote(c.start()):
            window = max(c_start, c.start() - 30)
            gap = re.search(
                r"(?:,\s*|\s)(?:and|but|while)\s+(?:also\s+|later\s+)?$", text[window : c.start()]
            )
            if gap:
                c_end = trim(text, c_start, window + gap.start())[1]
                break
    if c_start >= c_end:
        return None
    content = text[c_start:c_end]
    n_words = len(content.split())
    stance = base in lexicon.STANCE_BASES and not has_that
    if n_words < (2 if stance else 3):
        return None
    first = content.split()[0]
    if not has_that and not stance:
        low = first.lower().strip(",")
        # a clause starts with a subject: a pronoun, a determiner, a name or a number
        if not (
            first[0].isupper()
            or low in lexicon.PRONOUNS
            or low in lexicon.DETERMINERS
            or low in lexicon.CLAUSE_OPENERS
            or first[0].isdigit()
        ):
            return None
        if base in {"add", "note", "state", "post", "report", "find", "show", "comment"} and not (
            low in lexicon.PRONOUNS or first[0].isupper() or low in lexicon.DETERMINERS
        ):
            return None
    if base in {"ask", "wonder"} and not re.match(
        r"(?:whether|if|why|how|what|who|when)\b", content.lower()
    ):
        return None
    # content containing a quotation is reported through the quotation itself
    if ctx.quote_starts_in(c_start, c_end):
        return None
    # subject
    if participle:
        subject = main_subject(ctx, s_start, m.start())
    else:
        lo = s_start
        prior = [
            c
            for c in ctx.cues_between(s_start, m.start())
            if not ctx.in_quote(c.start()) and c.end() <= m.start()
        ]
        if prior:
            lo = max(lo, prior[-1].end())
        lo = max(lo, ctx.prev_quote_end(m.start()))
        subject = subject_before(text, lo, m.start())
        if subject is None:
            between = text[lo : m.start()].strip(" ,\t")
            if re.search(
                r"(?:^|\s)(?:and|but|or|then)(?:\s+(?:also|then|later|still))?$", between
            ) or (prior and not between):
                subject = main_subject(ctx, s_start, m.start())
            else:
                return None
        else:
            words = text[subject[0] : subject[1]].split()
            if len(words) > 16:
                return None
    confidence = 0.6 if has_that else 0.45
    if word in lexicon.WEAK_FORMS:
        confidence = 0.35
    if stance:
        confidence = 0.25
    return _indirect_extracted(text, c_start, c_end, subject, m, confidence)


def _backward(ctx: Ctx, m: re.Match, s_start: int, s_end: int) -> Extracted | None:
    """'..., another source said.' / '..., said Patrick McGinley.'"""
    text = ctx.text
    word = m.group(1).lower()
    if word in lexicon.WEAK_FORMS or lexicon.cue_base(m) not in lexicon.SPEECH_BASES:
        return None
    rest = text[m.end() : s_end]
    before = text[s_start : m.start()]
    comma = before.rfind(",")
    if comma < 0:
        return None
    lead = before[comma + 1 :]
    parenthetical = False
    if lead.strip():
        # "..., X said [time]." : the subject sits between the comma and the cue
        if re.match(r"\s*(?:\w+ly\s+|on\s+\w+day\s+)?,\s*\S", rest) and len(rest.split()) >= 3:
            parenthetical = True  # "Acts of protest, Mr. Obama said, are acts of patriotism"
        elif not lexicon.is_time_tail(rest):
            return None
        subj_region_lo = s_start + comma
        # appositions: "..., Mr. X, a professor at Y, said."
        k = comma
        for _ in range(3):
            k2 = before.rfind(",", 0, k)
            if k2 < 0:
                break
            seg = before[k2 + 1 : k].strip()
            cur = before[k + 1 :].strip()
            if seg[:1].isupper() and cur[:1].islower() and len(seg.split()) <= 6:
                k = k2
                subj_region_lo = s_start + k2
                break
            break
        subject = subject_before(text, subj_region_lo + 1, m.start())
        if subject is None:
            return None
        content_hi = subj_region_lo
        if parenthetical:
            if len(text[subject[0] : subject[1]].split()) > 12:
                return None
            content_hi = content_end(ctx, m.end(), s_end)
    else:
        # "..., said X." : only a noun phrase may follow the cue
        if len(rest.split()) > 25 or ctx.quote_starts_in(m.end(), s_end):
            return None
        if ctx.cues_between(m.end(), s_end):
            return None
        first = rest.strip().split()[0] if rest.strip() else ""
        if not first or first.lower() in lexicon.PRONOUNS - {"i"} or first.lower() == "that":
            return None
        subject = subject_after(text, m.end(), s_end)
        if subject is None:
            return None
        content_hi = s_start + comma
    c_start, c_end = trim(text, s_start, content_hi, " \t,;:—–-")
    if c_end - c_start < 10 or len(text[c_start:c_end].split()) < 3:
        return None
    return _indirect_item(ctx, c_start, c_end, subject, m)


def _indirect_item(
    ctx: Ctx, c_start: int, c_end: int, subject, m: re.Match, confidence: float = 0.6
) -> Extracted | None:
    """An indirect attribution, unless its content holds a quotation (found as such)."""
    if ctx.quote_starts_in(c_start, c_end):
        return None
    return _indirect_extracted(ctx.text, c_start, c_end, subject, m, confidence)


def _indirect_extracted(
    text: str, c_start: int, c_end: int, subject, m: re.Match, confidence: float
) -> Extracted:
    return Extracted(
        c_start,
        c_end,
        text[c_start:c_end],
        "indirect",
        to_mention(text, subject),
        cue_mention(text, m),
        confidence,
    )


def _according_to(ctx: Ctx, m: re.Match, s_start: int, s_end: int) -> Extracted | None:
    text = ctx.text
    before = text[s_start : m.start()]
    if not before.strip(' \t,—–-("“'):
        # "According to X, ..."
        comma = text.find(",", m.end(), s_end)
        if comma < 0:
            return None
        subject = trim(text, m.end(), comma)
        c_start, c_end = comma + 1, content_end(ctx, comma + 1, s_end)
    else:
        # "..., according to X."
        subject = subject_after(text, m.end(), s_end)
        stripped = before.rstrip()
        c_end = s_start + len(stripped)
        c_start = s_start
        comma_pos = stripped.rfind(",")
        if stripped.endswith(","):
            c_end -= 1
        elif comma_pos > 0 and len(stripped[comma_pos:].split()) <= 2:
            c_end = s_start + comma_pos
    c_start, c_end = trim(text, c_start, c_end)
    if c_end - c_start < 10 or subject is None or subject[0] >= subject[1]:
        return None
    return _indirect_item(ctx, c_start, c_end, subject, m)
