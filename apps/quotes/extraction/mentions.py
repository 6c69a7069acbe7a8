"""Speaker mentions: the noun phrase next to a cue, its core name and kind, and the
resolution of pronouns to earlier speakers."""

from __future__ import annotations

import re
from dataclasses import replace

from .lexicon import (
    DETERMINERS,
    DOCUMENT_NOUNS,
    LEADING_NOISE,
    ORG_WORDS,
    PERSON_NOUNS,
    PREPOSITIONS,
    PRONOUNS,
    RELATIVES,
    TITLES,
    TRAILING_NOISE,
    WORD_RE,
)
from .types import Extracted


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD_RE.finditer(text, start, end)]


def trim(text: str, start: int, end: int, chars: str = " \t,;:—–-") -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


def clean_word(word: str) -> str:
    return word.strip(".,;:'’").lower()


def subject_before(text: str, lo: int, hi: int, max_words: int = 16) -> tuple[int, int] | None:
    """The noun phrase (with apposition) that ends at ``hi`` and begins after ``lo``."""
    start, end = trim(text, lo, hi, ' \t,;:—–-"“”(')
    if start >= end:
        return None
    # drop trailing auxiliaries and adverbs ("has also", "later")
    words = word_spans(text, start, end)
    while words and clean_word(text[words[-1][0] : words[-1][1]]) in TRAILING_NOISE:
        words.pop()
    if not words:
        return None
    last = clean_word(text[words[-1][0] : words[-1][1]])
    if last in {"and", "but", "or", "then", "yet"}:
        return None  # "... and said": the subject is the main clause's
    if last in PRONOUNS:
        return words[-1]
    end = words[-1][1]
    start, end = trim(text, start, end)
    region = text[start:end]
    # split at commas (apposition) and keep the part that forms the subject
    segments = []
    seg_start = start
    for m in re.finditer(r",\s*|\s[—–]\s*|\s\(|\)", region):
        segments.append((seg_start, start + m.start()))
        seg_start = start + m.end()
    segments.append((seg_start, end))
    chosen = [segments[-1]]
    for seg in reversed(segments[:-1]):
        s, e = trim(text, *seg)
        if s >= e:
            continue
        first = clean_word(text[s : min(e, s + 20)].split()[0])
        cur_first_word = text[chosen[0][0] : chosen[0][1]].strip().split()
        if not cur_first_word:
            break
        cur_first = cur_first_word[0]
        apposition = cur_first[0].islower() or clean_word(cur_first) in DETERMINERS
        if not apposition:
            break
        if first in PREPOSITIONS or first in LEADING_NOISE:
            break
        chosen.insert(0, (s, e))
        if text[s].isupper() and first not in DETERMINERS:
            break
    start = chosen[0][0]
    start, end = trim(text, start, end)
    # a clause ending at the cue: keep the words after a relative/conjunction word
    words = word_spans(text, start, end)
    if len(words) > 1 and clean_word(text[words[-1][0] : words[-1][1]]) in {
        "that",
        "which",
        "who",
    }:
        # "... an October 14 release that stated": the antecedent of the relative
        words.pop()
        tail = words[-8:]
        for k in range(len(tail) - 1, -1, -1):
            w = text[tail[k][0] : tail[k][1]]
            if w.lower() in DETERMINERS or w.lower() in PREPOSITIONS - {"this"}:
                words = tail[k + 1 :] if w.lower() in PREPOSITIONS else tail[k:]
                break
        if not words:
            return None
        return trim(text, words[0][0], words[-1][1])
    cut = None
    for k, (ws, we) in enumerate(words):
        w = clean_word(text[ws:we])
        if w in RELATIVES and k + 1 < len(words):
            cut = k + 1
        if w in LEADING_NOISE and k == 0 and len(words) > 1:
            cut = 1
    if cut is not None:
        words = words[cut:]
    # skip a leading prepositional phrase without a comma ("In the release the ...")
    if len(words) > max_words:
        words = words[-max_words:]
        # start at a capital or a determiner
        for k, (ws, we) in enumerate(words):
            w = text[ws:we]
            if w[0].isupper() or w.lower() in DETERMINERS or w.lower() in PRONOUNS:
                words = words[k:]
                break
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    start, end = trim(text, start, end, ' \t,;:—–-"“”(')
    if start >= end:
        return None
    if clean_word(text[start:end]) in {"it's", "there", "this", "that", "what", "which"}:
        return None
    return start, end


def subject_after(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase right after an inverted cue ("said Patrick McGinley, a ...")."""
    start, end = trim(text, lo, hi, " \t,;:—–-")
    while end > start and text[end - 1] in ".!?":
        end -= 1
    if start >= end:
        return None
    region = text[start:end]
    # stop at a participle clause or a relative/time phrase
    stop = re.search(
        r",\s*(?:who|which|speaking|adding|noting|referring|according|in an?|on|at|during|after)\b"
        r"|\s(?:on|in|at|during|after|before|last|this|yesterday|today|Monday|Tuesday|Wednesday"
        r"|Thursday|Friday|Saturday|Sunday)\b(?=[^,]*$)",
        region,
    )
    if stop and stop.start() > 0:
        end = start + stop.start()
    start, end = trim(text, start, end)
    words = word_spans(text, start, end)
    if not words or len(words) > 30:
        return None
    first = text[words[0][0] : words[0][1]]
    if not (first[0].isupper() or first.lower() in DETERMINERS or first.lower() in PRONOUNS):
        return None
    return start, end


def core_name(mention: str) -> str:
    """The name in a speaker mention, without apposition or titles."""
    head = re.split(r",|\s[—–(]|\s(?:who|which)\s", mention, maxsplit=1)[0].strip()
    cut = re.search(r"\s(?:of|at|for|from|in|with|on)\s", head)
    if cut and cap_runs(head[: cut.start()]):
        head = head[: cut.start()]
    runs = cap_runs(head)
    head_words = head.split()
    if (
        head_words
        and head_words[-1][:1].islower()
        and not any(clean_word(w) in TITLES - ORG_WORDS for w in head_words)
        and head_words[0].lower() in DETERMINERS
    ):
        head = head.strip(' .,;:"“”')
        return head[:1].upper() + head[1:]  # "The BBC investigation", "The coalition"
    for run in reversed(runs):
        tokens = run.split()
        while tokens and clean_word(tokens[0]) in TITLES | DETERMINERS:
            tokens.pop(0)
        while tokens and clean_word(tokens[-1]) in {"jr", "sr"}:
            tokens.pop()
        if tokens:
            name = " ".join(tokens)
            return re.sub(r"['’]s$", "", name)
    head = head.strip(' .,;:"“”')
    return head[:1].upper() + head[1:] if head else mention


def cap_runs(text: str) -> list[str]:
    runs, current = [], []
    for word in re.findall(r"[\w.'’&-]+|\"[^\"]*\"|“[^”]*”", text):
        if word[0] in '"“':
            continue  # nicknames
        if word[0].isupper() or (current and word.lower() in {"de", "van", "von", "la", "al"}):
            current.append(word)
        else:
            if current:
                runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    # a sentence-initial determiner is not a name
    return [r for r in runs if clean_word(r) not in DETERMINERS | PRONOUNS]


def kind_of_speaker(mention: str) -> str:
    """'pronoun', 'person', 'org' or 'group'."""
    low = mention.strip().lower()
    if low in PRONOUNS:
        return "pronoun"
    words = [clean_word(w) for w in mention.split()]
    head = re.split(r",|\s(?:of|for|at|from)\s", mention, maxsplit=1)[0]
    head_words = [clean_word(w) for w in head.split()]
    if any(w in TITLES and w not in ORG_WORDS for w in head_words[:3]) and cap_runs(head):
        return "person"
    if any(w in ORG_WORDS for w in head_words):
        return "org"
    if head_words and head_words[0] in DETERMINERS:
        if any(w in PERSON_NOUNS for w in head_words):
            return "person"
        return "org"
    name = core_name(mention)
    if name.isupper() and len(name) <= 6:
        return "org"
    if words and words[-1].endswith("s") and not cap_runs(head):
        return "group"
    if cap_runs(head):
        return "person"
    return "group"


def resolve_names(items: list[Extracted], salient: set[int] | None = None) -> list[Extracted]:
    """Fill speaker_name: core names, and pronouns resolved to an earlier speaker."""
    ordered = sorted(
        range(len(items)),
        key=lambda i: items[i].speaker.start if items[i].speaker else items[i].start,
    )
    history: list[tuple[str, str, bool]] = []  # (kind, name, salient)
    names: dict[int, str] = {}
    for i in ordered:
        item = items[i]
        if item.speaker is None:
            names[i] = ""
            continue
        mention = item.speaker.text
        kind = kind_of_speaker(mention)
        if kind == "pronoun":
            pronoun = mention.strip().lower()
            wanted = {"he": ("person",), "she": ("person",), "it": ("org", "group")}.get(
                pronoun, ("org", "group", "person")
            )
            name = next((n for k, n, sal in reversed(history[-6:]) if k in wanted and sal), "")
            if not name:
                name = next((n for k, n, _ in reversed(history[-200:]) if k in wanted), "")
            if not name and pronoun in {"it", "they"}:
                name = next((n for _, n, _ in reversed(history[-200:])), "")
            names[i] = name or mention
        else:
            name = core_name(mention)
            names[i] = name
            history.append((kind, name, salient is None or item.speaker.start in salient))
    return [replace(item, speaker_name=names[i]) for i, item in enumerate(items)]


_DOCUMENT_RE = re.compile(
    r"^(?:(?P<owner>.+?)['’]s?\s+|(?:an?|the|its|his|her|their|this|that)\s+)"
    r"(?:[\w-]+\s+){0,3}?(?P<noun>[\w-]+)"
    r"(?:\s+of\s+(?-i:[a-z][a-z\s-]*))?(?:\s+(?:from|by|for)\s+(?P<issuer>.+))?$",
    re.IGNORECASE | re.DOTALL,
)


def document_of(mention: str) -> tuple[bool, str]:
    """(is a document or role mention, its issuer named in it) -- "an October 14
    release" is (True, ""), "the coalition's release" and "a statement from the
    coalition" are (True, "The coalition"). A mention naming a person
    ("the coalition's director Jonathan Braga") is not a document."""
    m = _DOCUMENT_RE.match(mention.strip())
    if m is None or clean_word(m.group("noun")) not in DOCUMENT_NOUNS:
        return False, ""
    owner = m.group("owner") or m.group("issuer") or ""
    if clean_word(owner) in PRONOUNS | DETERMINERS:
        owner = ""
    return True, core_name(owner) if owner.strip() else ""
