from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from apps.articles.reading.highlighting import (
    Mark,
    highlighted_body,
    highlighted_paragraph,
    paragraph_starts,
)


class _Walker(HTMLParser):
    """Collects the text and, per character, the quote ids of the enclosing <mark>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.cover: list[set[int]] = []
        self._current: set[int] | None = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.depth += 1
            self._current = {int(x) for x in dict(attrs)["data-q"].split()}

    def handle_endtag(self, tag):
        if tag == "mark":
            self.depth -= 1
            self._current = None

    def handle_data(self, data):
        assert self.depth in (0, 1), "marks must never nest in the output"
        for char in data:
            self.text.append(char)
            self.cover.append(set(self._current or ()))


body_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
    min_size=1,
    max_size=120,
)


def _marks(draw, body: str, max_size: int) -> list[Mark]:
    """Random non-empty spans over the body, each a mark of its own."""
    n = len(body)
    raw = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=max_size))
    return [
        Mark(min(a, b), max(a, b), key, f"sp-{key % 8} kind-direct", str(key))
        for key, (a, b) in enumerate(raw, start=1)
        if a != b
    ]


@st.composite
def body_and_marks(draw):
    body = draw(body_text)
    return body, _marks(draw, body, max_size=12)


@given(body_and_marks())
def test_rendered_text_is_the_body_and_every_span_is_highlighted(case):
    body, marks = case
    walker = _Walker()
    walker.feed(str(highlighted_body(body, marks)))
    walker.close()
    assert "".join(walker.text) == body
    for mark in marks:
        for index in range(mark.start, mark.end):
            assert mark.key in walker.cover[index]
        outside = [i for i in range(len(body)) if not (mark.start <= i < mark.end)]
        assert all(mark.key not in walker.cover[i] for i in outside)


def test_markup_in_the_body_is_escaped_not_rendered():
    html = str(highlighted_body('<script>alert("x")</script> & <b>', [Mark(0, 8, 1, "sp-0", "1")]))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html


def test_each_quote_gets_an_anchor_focus_stop_and_badge():
    html = str(highlighted_body("He said “no” twice.", [Mark(8, 12, 7, "sp-2 kind-direct", "3")]))
    assert '<span class="anchor" id="q-7"></span>' in html
    assert 'tabindex="0" aria-describedby="qi-7"' in html
    assert 'data-badge="3"' in html
    assert 'class="hl sp-2 kind-direct"' in html
    assert 'data-inner="7"' in html


paragraphed_text = st.lists(body_text, min_size=1, max_size=4).map("\n\n".join)


@st.composite
def paragraphs_and_marks(draw):
    body = draw(paragraphed_text)
    return body, _marks(draw, body, max_size=8)


@given(paragraphs_and_marks())
def test_each_paragraph_is_rendered_alone_exactly_as_in_the_whole_body(case):
    body, marks = case
    starts = paragraph_starts(body)
    whole = "".join(
        f'<span class="para" id="p-{index}">{highlighted_paragraph(body, marks, index)}</span>'
        for index in range(len(starts))
    )
    assert str(highlighted_body(body, marks)) == whole
    walker = _Walker()
    walker.feed(whole)
    walker.close()
    assert "".join(walker.text) == body


def test_paragraphs_hold_the_blank_line_after_them_and_a_quote_over_a_break_is_cut_there():
    body = "First “one\n\ntwo” end.\n\nThird."
    assert paragraph_starts(body) == [0, body.index("two"), body.index("Third")]
    html = str(highlighted_body(body, [Mark(6, body.index(" end"), 4, "sp-0 kind-direct", "1")]))
    assert html.count('<span class="para"') == 3
    assert html.count("<mark ") == 2  # one per paragraph, one anchor, one focus stop, one badge
    assert html.count('id="q-4"') == html.count("tabindex") == html.count("data-badge") == 1
    assert '<span class="para" id="p-0">First <span class="anchor" id="q-4"></span>' in html
    assert html.endswith('<span class="para" id="p-2">Third.</span>')
