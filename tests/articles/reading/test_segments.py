from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.articles.reading.segments import segments


@st.composite
def length_and_spans(draw):
    length = draw(st.integers(min_value=1, max_value=200))
    pairs = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=length - 1),
                st.integers(min_value=1, max_value=length),
            ),
            max_size=30,
        )
    )
    spans = [(min(a, b), max(a, b), key) for key, (a, b) in enumerate(pairs) if a != b]
    return length, [(s, e, k) for s, e, k in spans if s < e]


@given(length_and_spans())
def test_segments_tile_the_text_and_list_exactly_the_covering_spans(case):
    length, spans = case
    result = segments(length, spans)
    assert result[0].start == 0
    assert result[-1].end == length
    for left, right in pairwise(result):
        assert left.end == right.start
    for segment in result:
        assert segment.start < segment.end
        expected = {k for s, e, k in spans if s <= segment.start and segment.end <= e}
        assert set(segment.keys) == expected
        # No span starts or ends strictly inside a segment.
        for s, e, _ in spans:
            assert not segment.start < s < segment.end
            assert not segment.start < e < segment.end


def test_nested_and_overlapping_spans():
    result = segments(10, [(0, 10, "outer"), (2, 4, "inner"), (3, 7, "cross")])
    assert [(s.start, s.end, s.keys) for s in result] == [
        (0, 2, ("outer",)),
        (2, 3, ("outer", "inner")),
        (3, 4, ("outer", "inner", "cross")),
        (4, 7, ("outer", "cross")),
        (7, 10, ("outer",)),
    ]


@pytest.mark.parametrize("span", [(-1, 3), (3, 3), (4, 2), (0, 11)])
def test_a_span_outside_the_text_is_an_error(span):
    with pytest.raises(ValueError, match="outside"):
        segments(10, [(*span, "bad")])
