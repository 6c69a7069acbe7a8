from hypothesis import given
from hypothesis import strategies as st

from apps.quotes.anchoring import Selector, resolve, selector_for


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
