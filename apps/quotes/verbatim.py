"""The verbatim check: does a quotation give its original's words? (pure, no database)

Given a quotation's words and the original text it was taken from, `check()` finds
the passage of the original the quotation comes from and says how faithfully it is
quoted:

- `verbatim`: the same text, once the quotation marks around the quotation and the
  white space at its ends are set aside;
- `faithful`: the same words, changed only by editorial conventions: an ellipsis
  (… or ...) for omitted words, bracketed insertions or replacements ("[the
  coalition]" for "we", "[t]he"), capitalisation, punctuation, curly or straight
  quotation marks and apostrophes, white space;
- `altered`: words omitted, added or changed without such a mark;
- `not_found`: no passage holds at least `FOUND_SHARE` of the quotation's words in
  order.

Paraphrases (indirect quotes) are not checked: their words are the writer's, so the
caller skips them.

How the passage is found. Both texts are cut into words (letters and digits, with
apostrophes inside a word), compared without case, accents composed the same way
and apostrophes straightened. The quotation's rarest words (fewest occurrences in
the original) say where the passage may begin; each likely place, padded by the
omissions the quotation's ellipses allow, is aligned word by word with difflib's
SequenceMatcher, and the place whose aligned words form the longest chain wins. So a
15,000-word original costs one pass to cut it into words (kept for the next check of
the same text) and a few alignments of windows a little longer than the quotation,
never a comparison at every character. The final alignment, between the quotation's
words and the passage's, gives the word diff (`Op`): each operation with its words and
their offsets in the quotation and in the original, and whether an editorial mark
accounts for it.
"""

import functools
import itertools
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

VERBATIM = "verbatim"
FAITHFUL = "faithful"
ALTERED = "altered"
NOT_FOUND = "not_found"

# A passage must hold this share of the quotation's own (unbracketed) words, in order.
FOUND_SHARE = 0.6

QUOTATION_MARKS = "\"'“”„‟‘’‚‛«»‹›「」『』"
_STRAIGHT = str.maketrans({c: '"' for c in "“”„‟«»「」『』"} | {c: "'" for c in "‘’‚‛‹›"})

# Letters and digits (with combining marks), joined by apostrophes inside a word.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+(?:['’](?:[^\W_]|[\u0300-\u036f])+)*")
_ELLIPSIS = re.compile(r"…|\.(?:\s?\.){2}")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_SENTENCE_END = re.compile(r"[.!?]|\n\s*\n")

_CANDIDATES = 5  # likely places aligned, best-supported first
_RARE_WORDS = 6  # quotation words used to find them
_OCCURRENCES = 100  # occurrences of one word considered
_GAP_WORDS = 60  # original words one ellipsis may stand for
_SLACK = 15  # original words an unmarked omission may leave out (still altered)


@dataclass(frozen=True, slots=True)
class Op:
    """One step of the word diff. `op` is "equal", "insert" (words only in the
    quotation), "delete" (words only in the original) or "replace". Offsets are string
    indices of the first word's start and the last word's end; an empty side's offsets
    are both where its words would be. `marked` says an editorial convention accounts
    for the difference (an ellipsis where words are omitted, brackets round inserted
    or replacing words)."""

    op: str
    quote_words: tuple[str, ...]
    quote_start: int
    quote_end: int
    original_words: tuple[str, ...]
    original_start: int
    original_end: int
    marked: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """`kind` is one of VERBATIM, FAITHFUL, ALTERED, NOT_FOUND; [start, end) is the passage
    in the original (None when not found); `diff` the word diff from the quotation to
    it; `conventions` names what a faithful quotation changed ("ellipsis", "brackets",
    "capitalisation", "punctuation", "quotation marks", "white space")."""

    kind: str
    start: int | None
    end: int | None
    diff: tuple[Op, ...] = ()
    conventions: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.kind != NOT_FOUND

    @property
    def changes(self) -> tuple[Op, ...]:
        """The differences no editorial mark accounts for."""
        return tuple(op for op in self.diff if op.op != "equal" and not op.marked)


@dataclass(frozen=True, slots=True)
class _Word:
    norm: str
    start: int
    end: int
    bracketed: bool = False


def _norm(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().replace("’", "'")


@functools.lru_cache(maxsize=16)
def _original_words(text: str) -> tuple[tuple[_Word, ...], dict[str, list[int]]]:
    """The original's words and where each (normalised) word occurs."""
    words = tuple(_Word(_norm(m.group()), m.start(), m.end()) for m in _WORD.finditer(text))
    where: dict[str, list[int]] = defaultdict(list)
    for index, word in enumerate(words):
        where[word.norm].append(index)
    return words, dict(where)


@dataclass(frozen=True, slots=True)
class _Quotation:
    start: int  # the quotation inside its marks and white space: text[start:end]
    end: int
    words: tuple[_Word, ...]
    gaps: frozenset[int]  # an ellipsis stands before word i (len(words): after the last)
    brackets: bool


def _quotation(text: str) -> _Quotation:
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in QUOTATION_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in QUOTATION_MARKS):
        end -= 1
    core = text[start:end]
    ellipses = [(m.start(), m.end()) for m in _ELLIPSIS.finditer(core)]
    # Brackets: a bracketed ellipsis is an ellipsis; brackets inside a word ("[t]he")
    # are dropped so that the word is read whole; the words of other brackets are
    # insertions. `reading` is the quotation without the bracket characters; `kept`
    # maps its positions back to the quotation's.
    dropped: set[int] = set()
    bracketed: list[tuple[int, int]] = []
    for match in _BRACKET.finditer(core):
        inner = match.group(1).strip()
        if inner and _ELLIPSIS.fullmatch(inner):
            ellipses.append((match.start(), match.end()))
            continue
        dropped.update((match.start(), match.end() - 1))
        bracketed.append((match.start(), match.end()))
    kept = [i for i in range(len(core)) if i not in dropped]
    reading = "".join(core[i] for i in kept)
    words = []
    for match in _WORD.finditer(reading):
        first, last = kept[match.start()] + start, kept[match.end() - 1] + 1 + start
        inside = any(b <= first - start < e or b < last - start <= e for b, e in bracketed)
        words.append(_Word(_norm(match.group()), first, last, inside))
    gaps = set()
    for left, _right in ellipses:
        gaps.add(bisect_left([w.start - start for w in words], left))
    return _Quotation(start, end, tuple(words), frozenset(gaps), bool(bracketed))


def check(quotation: str, original: str) -> Verdict:
    """The verdict on `quotation` as a quotation of `original` (see the module's doc)."""
    quote = _quotation(quotation)
    own = [w for w in quote.words if not w.bracketed]
    words, where = _original_words(original)
    if not own or not words:
        return Verdict(NOT_FOUND, None, None)
    span = _best_passage(quote, words, where)
    if span is None:
        return Verdict(NOT_FOUND, None, None)
    first, last = _widen(quote, words, original, *span)
    diff, matched = _diff(quotation, quote, original, words[first:last])
    if matched < FOUND_SHARE * len(own):
        return Verdict(NOT_FOUND, None, None)
    start, end = words[first].start, words[last - 1].end
    # The quotation's own punctuation at its ends, when the original has it there too.
    lead = quotation[quote.start : quote.words[0].start]
    tail = quotation[quote.words[-1].end : quote.end]
    if lead and start >= len(lead) and original[start - len(lead) : start] == lead:
        start -= len(lead)
    if tail and original[end : end + len(tail)] == tail:
        end += len(tail)
    if any(op.op != "equal" and not op.marked for op in diff):
        return Verdict(ALTERED, start, end, diff)
    if quotation[quote.start : quote.end] == original[start:end]:
        return Verdict(VERBATIM, start, end, diff)
    conventions = _conventions(quotation, quote, original, start, end, diff)
    return Verdict(FAITHFUL, start, end, diff, conventions)


def _best_passage(quote, words, where) -> tuple[int, int] | None:
    """The original's words [first, last) the quotation most likely comes from."""
    counts = Counter(w.norm for w in quote.words if not w.bracketed)
    rare = sorted((len(where[norm]), norm) for norm in counts if norm in where)  # fewest first
    if not rare:
        return None
    anchors = []  # (where the passage would begin, which quotation word says so)
    for _, norm in rare[:_RARE_WORDS]:
        for index, word in enumerate(quote.words):
            if word.norm == norm and not word.bracketed:
                anchors += [(p - index, index) for p in where[norm][:_OCCURRENCES]]
    anchors.sort()
    gaps = len(quote.gaps)
    reach = _SLACK + len(quote.words) // 2 + _GAP_WORDS * gaps
    groups: list[list[tuple[int, int]]] = []
    for anchor in anchors:
        if groups and anchor[0] - groups[-1][0][0] <= reach:
            groups[-1].append(anchor)
        else:
            groups.append([anchor])
    groups.sort(key=lambda g: (-len({index for _, index in g}), g[0][0]))
    # Aligned on the quotation's own words: bracketed ones are not the original's.
    own = [index for index, word in enumerate(quote.words) if not word.bracketed]
    quote_norms = [quote.words[index].norm for index in own]
    best, best_score = None, None
    for group in groups[:_CANDIDATES]:
        low = max(0, group[0][0] - reach)
        high = min(len(words), group[-1][0] + len(quote.words) + reach)
        window = [w.norm for w in words[low:high]]
        matcher = SequenceMatcher(None, quote_norms, window, autojunk=False)
        blocks = [(own[a], b, size) for a, b, size in matcher.get_matching_blocks()[:-1]]
        chain = _chain(quote, blocks)
        if not chain:
            continue
        matched = sum(size for _, _, size in chain)
        first, last = low + chain[0][1], low + chain[-1][1] + chain[-1][2]
        score = (matched, -(last - first))
        if best_score is None or score > best_score:
            best, best_score = (first, last), score
    return best


def _chain(quote, blocks) -> list[tuple[int, int, int]]:
    """The matching blocks around the longest that lie close enough together: the gap
    between two in the original may exceed theirs in the quotation by `_SLACK` words
    (3 beside a one-word block), and by `_GAP_WORDS` more for each ellipsis between
    them."""
    if not blocks:
        return []
    core = max(range(len(blocks)), key=lambda i: blocks[i][2])

    def close(left, right):
        quote_gap = right[0] - (left[0] + left[2])
        original_gap = right[1] - (left[1] + left[2])
        ellipses = sum(1 for g in quote.gaps if left[0] + left[2] <= g <= right[0])
        # One word far off is more likely a common word met by chance than the quotation.
        slack = _SLACK if min(left[2], right[2]) > 1 else 3
        return original_gap <= quote_gap + slack + _GAP_WORDS * ellipses

    first = last = core
    while first > 0 and close(blocks[first - 1], blocks[first]):
        first -= 1
    while last + 1 < len(blocks) and close(blocks[last], blocks[last + 1]):
        last += 1
    return [tuple(b) for b in blocks[first : last + 1]]


def _widen(quote, words, original, first, last) -> tuple[int, int]:
    """Take in the original words beside the passage that the quotation's unmatched
    first and last words may stand for (changed words; a bracket stands for one word),
    within the sentence."""
    matcher = SequenceMatcher(
        None, [w.norm for w in quote.words], [w.norm for w in words[first:last]], autojunk=False
    )
    blocks = matcher.get_matching_blocks()[:-1]
    if not blocks:
        return first, last

    def standing_for(unmatched):
        return sum(1 for w in unmatched if not w.bracketed) + any(w.bracketed for w in unmatched)

    def one_sentence(left, right):
        return not _SENTENCE_END.search(original[words[left].end : words[right].start])

    if 0 not in quote.gaps:
        for _ in range(standing_for(quote.words[: blocks[0][0]])):
            if first == 0 or not one_sentence(first - 1, first):
                break
            first -= 1
    if len(quote.words) not in quote.gaps:
        for _ in range(standing_for(quote.words[blocks[-1][0] + blocks[-1][2] :])):
            if last == len(words) or not one_sentence(last - 1, last):
                break
            last += 1
    return first, last


def _diff(quotation, quote: _Quotation, original, passage) -> tuple[tuple[Op, ...], int]:
    """The word diff from the quotation to the passage, and how many of the quotation's
    own (unbracketed) words it finds there."""
    matcher = SequenceMatcher(
        None, [w.norm for w in quote.words], [w.norm for w in passage], autojunk=False
    )
    ops, matched = [], 0
    last_said, last_there = quote.words[-1].end, passage[-1].end
    for step, i1, i2, j1, j2 in matcher.get_opcodes():
        # difflib turns the quotation into the passage; the diff says what the quotation
        # did to the original: its "insert" is words the quotation omitted.
        tag = {"insert": "delete", "delete": "insert"}.get(step, step)
        said, there = quote.words[i1:i2], passage[j1:j2]
        if said:
            q_start, q_end = said[0].start, said[-1].end
        else:  # where the omitted words would be
            q_start = q_end = quote.words[i1].start if i1 < len(quote.words) else last_said
        if there:
            o_start, o_end = there[0].start, there[-1].end
        else:  # where the added words would be
            o_start = o_end = passage[j1].start if j1 < len(passage) else last_there
        if tag == "equal":
            marked = False
            matched += sum(1 for w in said if not w.bracketed)
        elif tag == "delete":  # an ellipsis there, or brackets beside standing in for them
            beside = quote.words[max(0, i1 - 1) : i1 + 1]
            marked = any(i1 <= g <= i2 for g in quote.gaps) or any(w.bracketed for w in beside)
        else:  # insert, replace: only bracketed words may stand in
            marked = all(w.bracketed for w in said)
        ops.append(
            Op(
                tag,
                tuple(quotation[w.start : w.end] for w in said),
                q_start,
                q_end,
                tuple(original[w.start : w.end] for w in there),
                o_start,
                o_end,
                marked,
            )
        )
    return tuple(ops), matched


def _conventions(quotation, quote, original, start, end, diff) -> tuple[str, ...]:
    """What changed a faithful quotation: its equal words compared one by one, and the
    text between two of them, and at its ends, where both sides run on unbroken."""
    found = set()
    if quote.gaps:
        found.add("ellipsis")
    if quote.brackets:
        found.add("brackets")
    for op in diff:
        if op.op != "equal":
            continue
        said = [w for w in quote.words if op.quote_start <= w.start and w.end <= op.quote_end]
        there = list(_WORD.finditer(original, op.original_start, op.original_end))
        pairs = [(w, (m.start(), m.end())) for w, m in zip(said, there, strict=True)]
        for w, (o_start, o_end) in pairs:
            if not w.bracketed and quotation[w.start : w.end] != original[o_start:o_end]:
                found.add(_within(quotation[w.start : w.end], original[o_start:o_end]))
        for (w1, o1), (w2, o2) in itertools.pairwise(pairs):
            if not (w1.bracketed or w2.bracketed):
                found.add(_between(quotation[w1.end : w2.start], original[o1[1] : o2[0]]))
    first, last = diff[0], diff[-1]
    if first.op == "equal":
        found.add(
            _between(
                quotation[quote.start : first.quote_start], original[start : first.original_start]
            )
        )
    if last.op == "equal":
        found.add(
            _between(quotation[last.quote_end : quote.end], original[last.original_end : end])
        )
    found.discard("")
    if not found:
        found.add("punctuation")
    order = (
        "ellipsis",
        "brackets",
        "capitalisation",
        "punctuation",
        "quotation marks",
        "white space",
    )
    return tuple(name for name in order if name in found)


def _within(said: str, was: str) -> str:
    if said.translate(_STRAIGHT) == was.translate(_STRAIGHT):
        return "quotation marks"  # an apostrophe
    return "capitalisation"


def _between(said: str, was: str) -> str:
    if said == was or _ELLIPSIS.search(said) or "[" in said or "]" in said:
        return ""  # the same, or marks accounted for already
    if said.translate(_STRAIGHT) == was.translate(_STRAIGHT):
        return "quotation marks"
    if " ".join(said.split()) == " ".join(was.split()):
        return "white space"
    return "punctuation"


def marked_up(quotation: str, original: str, verdict: Verdict) -> list[tuple[str, str]]:
    """The quotation as (kind, text) pieces for showing the diff: "same" text as quoted,
    "added" words only the quotation has, "omitted" words of the original left out, each
    unmarked difference in place (a replacement is its omitted then its added words)."""
    pieces: list[tuple[str, str]] = []
    cursor = 0

    def same(upto):
        nonlocal cursor
        if upto > cursor:
            pieces.append(("same", quotation[cursor:upto]))
            cursor = upto

    for op in verdict.diff:
        if op.op == "equal" or op.marked:
            continue
        same(op.quote_start)
        if op.op in ("delete", "replace"):
            pieces.append(("omitted", original[op.original_start : op.original_end]))
        if op.op in ("insert", "replace"):
            pieces.append(("added", quotation[op.quote_start : op.quote_end]))
            cursor = op.quote_end
    same(len(quotation))
    return pieces
