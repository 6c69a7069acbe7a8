"""The verbatim check on hand-made pairs, and a property over random texts (no database)."""

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.quotes.verbatim import ALTERED, FAITHFUL, NOT_FOUND, VERBATIM, check, marked_up

ORIGINAL = (
    "The briefing began late. Col. Dillon said: We will not let the fighters leave Raqqa "
    "with their weapons, and we are watching every convoy closely. He added that the deal "
    "was a local one, and that he didn't know who made it."
)
PASSAGE = "We will not let the fighters leave Raqqa with their weapons"
AT = ORIGINAL.index(PASSAGE)


def test_the_same_words_are_verbatim_at_their_place():
    verdict = check(PASSAGE, ORIGINAL)
    assert verdict.kind == VERBATIM
    assert (verdict.start, verdict.end) == (AT, AT + len(PASSAGE))
    assert verdict.changes == ()


def test_the_quotations_own_marks_and_white_space_are_set_aside():
    for quoted in (f"“{PASSAGE}”", f'  "{PASSAGE}" ', f"\n«{PASSAGE}»"):
        verdict = check(quoted, ORIGINAL)
        assert verdict.kind == VERBATIM, quoted
        assert ORIGINAL[verdict.start : verdict.end] == PASSAGE


def test_a_sentence_quoted_with_its_full_stop_takes_it_in():
    verdict = check(
        "He added that the deal was a local one, and that he didn't know who made it.", ORIGINAL
    )
    assert verdict.kind == VERBATIM
    assert ORIGINAL[verdict.end - 1] == "." and verdict.end == len(ORIGINAL)


def test_an_ellipsis_may_stand_for_omitted_words():
    for ellipsis in ("…", "...", "[…]", ". . ."):
        quoted = (
            f"We will not let the fighters leave Raqqa {ellipsis} and we are watching every convoy"
        )
        verdict = check(quoted, ORIGINAL)
        assert verdict.kind == FAITHFUL, ellipsis
        assert "ellipsis" in verdict.conventions
        assert ORIGINAL[verdict.start : verdict.end].endswith("watching every convoy")
        omitted = [op for op in verdict.diff if op.op == "delete"]
        assert [op.original_words for op in omitted] == [("with", "their", "weapons")]
        assert all(op.marked for op in omitted)


def test_brackets_may_replace_or_add_words():
    replaced = check("[The coalition] will not let the fighters leave Raqqa", ORIGINAL)
    assert replaced.kind == FAITHFUL
    assert replaced.conventions == ("brackets",)
    assert ORIGINAL[replaced.start : replaced.end] == "We will not let the fighters leave Raqqa"
    added = check("We will not let the [ISIS] fighters leave Raqqa", ORIGINAL)
    assert added.kind == FAITHFUL and "brackets" in added.conventions
    capital = check("[T]he deal was a local one", ORIGINAL)
    assert capital.kind == FAITHFUL and capital.conventions == ("brackets",)


def test_changed_capitalisation_is_faithful():
    verdict = check("we will not let the Fighters leave Raqqa", ORIGINAL)
    assert verdict.kind == FAITHFUL
    assert verdict.conventions == ("capitalisation",)


def test_changed_punctuation_quotes_and_white_space_are_faithful():
    comma = check("We will not let the fighters leave Raqqa, with their weapons.", ORIGINAL)
    assert comma.kind == FAITHFUL and comma.conventions == ("punctuation",)
    apostrophe = check("he didn’t know who made it", ORIGINAL)
    assert apostrophe.kind == FAITHFUL and apostrophe.conventions == ("quotation marks",)
    spaced = check("We will not let\nthe fighters  leave Raqqa", ORIGINAL)
    assert spaced.kind == FAITHFUL and spaced.conventions == ("white space",)


def test_one_changed_word_is_altered_and_named_in_both_texts():
    quoted = "“We will not let the fighters leave Tabqa with their weapons”"
    verdict = check(quoted, ORIGINAL)
    assert verdict.kind == ALTERED
    assert (verdict.start, verdict.end) == (AT, AT + len(PASSAGE))
    (change,) = verdict.changes
    assert change.op == "replace"
    assert change.quote_words == ("Tabqa",) and change.original_words == ("Raqqa",)
    assert quoted[change.quote_start : change.quote_end] == "Tabqa"
    assert ORIGINAL[change.original_start : change.original_end] == "Raqqa"
    assert ("omitted", "Raqqa") in marked_up(quoted, ORIGINAL, verdict)
    assert ("added", "Tabqa") in marked_up(quoted, ORIGINAL, verdict)


def test_a_clause_left_out_without_an_ellipsis_is_altered():
    quoted = "We will not let the fighters leave Raqqa and we are watching every convoy closely"
    verdict = check(quoted, ORIGINAL)
    assert verdict.kind == ALTERED
    (change,) = verdict.changes
    assert change.op == "delete"
    assert ORIGINAL[change.original_start : change.original_end] == "with their weapons"
    assert change.quote_start == change.quote_end == quoted.index("and we")


def test_words_added_without_brackets_are_altered():
    quoted = "We will never ever let the fighters leave Raqqa"
    verdict = check(quoted, ORIGINAL)
    assert verdict.kind == ALTERED
    (change,) = verdict.changes
    assert quoted[change.quote_start : change.quote_end] == "never ever"
    assert change.original_words == ("not",)
    inserted = check("We will not let the armed fighters leave Raqqa", ORIGINAL)
    assert inserted.kind == ALTERED
    assert [(op.op, op.quote_words) for op in inserted.changes] == [("insert", ("armed",))]


def test_words_the_original_does_not_hold_are_not_found():
    verdict = check("Nothing of the sort was ever agreed by anybody here", ORIGINAL)
    assert verdict == check("Nothing of the sort was ever agreed by anybody here", ORIGINAL)
    assert verdict.kind == NOT_FOUND
    assert (verdict.start, verdict.end, verdict.diff) == (None, None, ())
    assert check("“ … ”", ORIGINAL).kind == NOT_FOUND
    assert check("We will", "").kind == NOT_FOUND


def test_less_than_the_threshold_of_words_in_order_is_not_found():
    # Four of the seven words are there, in order: under 60 %.
    assert check("We will not trust any convoy anywhere", ORIGINAL).kind == NOT_FOUND
    # Five of seven: found, and altered.
    assert check("We will not let any convoy leave", ORIGINAL).kind == ALTERED


def _long_original(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    common = ["the", "a", "of", "and", "to", "in", "said", "we", "will", "not"]
    vocabulary = common * 40 + [f"word{i}" for i in range(2000)]
    sentences, count = [], 0
    while count < words:
        length = rng.randint(8, 25)
        sentence = " ".join(rng.choice(vocabulary) for _ in range(length))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        count += length
    return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))


def test_a_passage_in_the_middle_of_a_long_original_is_found_at_its_offsets_quickly():
    original = _long_original(15_000)
    insert_at = original.index(" ", len(original) // 2)
    original = original[:insert_at] + " " + ORIGINAL + original[insert_at:]
    at = original.index(PASSAGE)
    began = time.perf_counter()
    verbatim = check(PASSAGE, original)
    altered = check("We will not let the fighters leave Tabqa with their weapons", original)
    elided = check("We will not let the fighters … watching every convoy closely", original)
    assert time.perf_counter() - began < 1.5  # a few hundredths of a second in practice
    assert (verbatim.kind, verbatim.start, verbatim.end) == (VERBATIM, at, at + len(PASSAGE))
    assert altered.kind == ALTERED
    (change,) = altered.changes
    assert original[change.original_start : change.original_end] == "Raqqa"
    assert change.original_start == original.index("Raqqa", at)
    assert elided.kind == FAITHFUL and elided.start == at


WORDS = st.sampled_from(
    ["alpha", "beta", "gamma", "delta", "Echo", "fox", "golf", "hotel", "India", "jazz"]
    + [f"w{i}" for i in range(40)]
)
SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", "\n", "; ", " — ", "\n\n"])


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(WORDS, min_size=6, max_size=120),
    separators=st.lists(SEPARATORS, min_size=120, max_size=120),
    data=st.data(),
)
def test_any_run_of_six_or_more_words_is_verbatim_at_its_own_offsets(words, separators, data):
    pieces, spans = [], []
    cursor = 0
    for word, separator in zip(words, separators, strict=False):
        spans.append((cursor, cursor + len(word)))
        pieces.append(word + separator)
        cursor += len(word) + len(separator)
    text = "".join(pieces)
    first = data.draw(st.integers(0, len(words) - 6))
    last = data.draw(st.integers(first + 5, len(words) - 1))
    start, end = spans[first][0], spans[last][1]
    quoted = text[start:end]
    verdict = check(quoted, text)
    assert verdict.kind == VERBATIM
    assert text[verdict.start : verdict.end] == quoted
    if text.count(quoted) == 1:
        assert (verdict.start, verdict.end) == (start, end)
