import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.quotes.anchoring import (
    Selector,
    SpanRefused,
    confirm_span,
    resolve,
    selector_for,
    utf16_to_index,
)


def test_resolve_prefers_the_occurrence_whose_context_matches():
    body = "He said no. Later she said no. Then he said yes."
    second = body.index("no", body.index("no") + 1)
    selector = selector_for(body, second, second + 2)
    assert resolve(body, selector) == (second, second + 2)


def test_resolve_survives_an_edit_before_the_quote():
    body = "Intro. The minister said “we will act”. End."
    start = body.index("“")
    selector = selector_for(body, start, body.index("”") + 1)
    edited = "A corrected, longer intro. " + body
    found = resolve(edited, selector)
    assert found is not None
    assert edited[found[0] : found[1]] == "“we will act”"


def test_resolve_returns_none_when_the_text_is_gone():
    assert resolve("nothing here", Selector("missing", "", "")) is None


def test_hint_breaks_ties_between_identical_contexts():
    body = "x ab x ab x"
    assert resolve(body, Selector("ab", "", ""), hint=7) == (7, 9)


@given(st.text(min_size=1, max_size=80), st.data())
def test_a_selector_always_resolves_back_to_its_own_text(body, data):
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    selector = selector_for(body, start, end)
    found = resolve(body, selector, hint=start)
    assert found is not None
    assert body[found[0] : found[1]] == body[start:end]


# Browser offsets (UTF-16) and confirming a selection against the body.

EMOJI_BODY = "Fans 😀😀 said “we won” today."


def test_utf16_offsets_after_emoji_map_to_code_points():
    js_start = len(EMOJI_BODY[: EMOJI_BODY.index("“")].encode("utf-16-le")) // 2
    assert js_start == EMOJI_BODY.index("“") + 2  # each emoji is two UTF-16 units
    assert utf16_to_index(EMOJI_BODY, js_start) == EMOJI_BODY.index("“")


@pytest.mark.parametrize("offset", [-1, 10_000])
def test_utf16_offsets_outside_the_text_are_none(offset):
    assert utf16_to_index(EMOJI_BODY, offset) is None


def test_utf16_offset_inside_a_surrogate_pair_is_none():
    assert utf16_to_index(EMOJI_BODY, 6) is None  # between the halves of the first emoji


def test_confirm_trusts_offsets_whose_text_matches():
    start = EMOJI_BODY.index("“")
    assert confirm_span(EMOJI_BODY, "“we won”", start, start + 8) == (start, start + 8)


def test_confirm_trims_white_space_around_the_selection():
    start = EMOJI_BODY.index(" “")
    assert confirm_span(EMOJI_BODY, " “we won” ", start, start + 10) == (start + 1, start + 9)


def test_confirm_re_resolves_shifted_offsets_by_the_text():
    start = EMOJI_BODY.index("“")
    assert confirm_span(EMOJI_BODY, "“we won”", start + 2, start + 10) == (start, start + 8)


def test_confirm_widens_a_span_that_splits_a_combining_mark():
    body = "He said cafe\u0301 twice."
    start = body.index("cafe")
    assert confirm_span(body, "cafe", start, start + 4) == (start, start + 5)


@pytest.mark.parametrize(
    ("text", "start", "end", "message"),
    [
        ("", 0, 3, "empty"),
        ("   \n ", 0, 3, "empty"),
        ("Fans", -1, 3, "outside"),
        ("Fans", 5, 500, "outside"),
        ("Fans", 4, 4, "outside"),
        ("we lost", 14, 21, "does not match"),
        ("<script>", None, None, "does not match"),
    ],
)
def test_confirm_refuses_bad_selections_with_a_reason(text, start, end, message):
    with pytest.raises(SpanRefused, match=message):
        confirm_span(EMOJI_BODY, text, start, end)
