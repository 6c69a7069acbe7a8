"""Documents stand for their issuers: "an October 14 release" speaks for the coalition
that issued it, and a named speaker "said in a statement" has that statement as its
document."""

from __future__ import annotations

import re
from dataclasses import replace

from .attribution import Ctx, main_subject
from .lexicon import DOCUMENT_NOUNS, ISSUING_RE, PRONOUNS
from .mentions import clean_word, core_name, document_of, kind_of_speaker, subject_before
from .types import Extracted, Mention

_DOC_NOUN = "|".join(sorted(DOCUMENT_NOUNS, key=len, reverse=True))
# "said in a statement", "In the release, X said": the document the speaker spoke in
_IN_DOCUMENT = re.compile(
    r"\bin\s+((?:an?|the|its|his|her|their)\s+(?:[\w-]+\s+){0,3}?(?:" + _DOC_NOUN + r"))\b",
    re.IGNORECASE,
)


def _issuer_of(ctx: Ctx, verb_start: int, names: dict[int, str]) -> str:
    """The core name of the subject of the verb at ``verb_start`` ("X pointed to ...")."""
    text = ctx.text
    s_start, _ = ctx.sentence(verb_start)
    lo = max(s_start, ctx.prev_quote_end(verb_start))
    prior = [c for c in ctx.cues_between(lo, verb_start) if not ctx.in_quote(c.start())]
    if prior:
        lo = max(lo, prior[-1].end())
    span = subject_before(text, lo, verb_start)
    if span is None:
        span = main_subject(ctx, s_start, verb_start)
    if span is None:
        return ""
    if span[0] in names:
        return names[span[0]]
    mention = text[span[0] : span[1]]
    if kind_of_speaker(mention) == "pronoun" or document_of(mention)[0]:
        return ""
    return core_name(mention)


def _issued(ctx: Ctx, mention: Mention, noun: str, names: dict[int, str]) -> str:
    """The issuer of a document named with a verb of issuing before it ("X pointed to an
    October 14 release"), in its sentence or, for "the release", in an earlier one."""
    text = ctx.text
    s_start, _ = ctx.sentence(mention.start)
    verb = ISSUING_RE.search(text, s_start, mention.start)
    if verb is not None:
        return _issuer_of(ctx, verb.start(), names)
    if not re.match(r"the\s", mention.text, re.IGNORECASE):
        return ""
    earlier = re.compile(
        ISSUING_RE.pattern.removesuffix("$")
        + r"(?:an?|the|its|his|her|their)\s+(?:[\w-]+\s+){0,3}?"
        + re.escape(noun)
        + r"\b",
        re.IGNORECASE,
    )
    found = [m for m in earlier.finditer(text, max(0, s_start - 5000), s_start)]
    return _issuer_of(ctx, found[-1].start(), names) if found else ""


def tie_documents(ctx: Ctx, items: list[Extracted]) -> list[Extracted]:
    """Documents stand for their issuers: a speaker mention naming a document or a role
    ("an October 14 release", "the coalition's release", "a spokesperson for X") keeps
    its span, but ``speaker_name`` becomes the issuer's name and ``document`` the
    mention, when the text names the issuer (in the mention, as the subject of a verb of
    issuing before it, or for "the release" in an earlier sentence). A named speaker
    "said in a statement" keeps its name, with the statement as its document."""
    names = {i.speaker.start: i.speaker_name for i in items if i.speaker and i.speaker_name}
    tied: list[tuple[int, str, str]] = []  # (start, noun, issuer) of documents with an issuer
    done: dict[int, tuple[str, str]] = {}
    result = []
    for item in sorted(items, key=lambda i: i.speaker.start if i.speaker else i.start):
        mention = item.speaker
        if mention is None:
            result.append(item)
            continue
        if mention.start not in done:
            is_document, issuer = document_of(mention.text)
            if is_document:
                noun = clean_word(re.split(r"\s(?:of|from|by|for)\s", mention.text)[0].split()[-1])
                if not issuer and re.match(r"the\s", mention.text, re.IGNORECASE):
                    issuer = next((n for _, w, n in reversed(tied) if w == noun), "")
                issuer = issuer or _issued(ctx, mention, noun, names)
                if issuer:
                    tied.append((mention.start, noun, issuer))
                    done[mention.start] = (issuer, mention.text)
                else:
                    done[mention.start] = ("", "")
            else:
                done[mention.start] = ("", _spoken_in(ctx, item))
        issuer, document = done[mention.start]
        if issuer:
            item = replace(item, speaker_name=issuer, document=document)
        elif document:
            item = replace(item, document=document)
        result.append(item)
    return result


def _spoken_in(ctx: Ctx, item: Extracted) -> str:
    """'X said in a statement' / 'In the release, X said': the document a named speaker
    spoke in, or ""."""
    if item.cue is None or item.speaker is None or item.speaker.text.lower() in PRONOUNS:
        return ""
    text = ctx.text
    gap = re.compile(r"[ \t]*,?[ \t]*").match(text, item.cue.end)
    after = _IN_DOCUMENT.match(text, gap.end()) if gap else None
    if after:
        return after.group(1)
    s_start, _ = ctx.sentence(item.speaker.start)
    opening = _IN_DOCUMENT.match(text, s_start)
    if opening and opening.end() <= item.speaker.start:
        return opening.group(1)
    return ""
