import pytest

from apps.articles.sanitize import html_to_text


def test_block_elements_become_paragraphs_and_inline_markup_disappears():
    html = (
        "<html><head><title>Deal report</title></head><body>"
        "<p>He said <b>“no”</b> <a href='x'>loudly</a>.</p><div>Second <em>block</em></div>"
        "<ul><li>one</li><li>two</li></ul></body></html>"
    )
    title, body = html_to_text(html)
    assert title == "Deal report"
    assert body == "He said “no” loudly.\n\nSecond block\n\none\n\ntwo"


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<style>p { color: red }</style>",
        "<svg><script>alert(2)</script></svg>",
        "<template><p>hidden</p></template>",
        "<noscript>no script</noscript>",
        "<iframe src='https://evil.example'></iframe>",
        "<!-- a comment -->",
    ],
)
def test_scripts_styles_and_hidden_content_are_dropped_entirely(hostile):
    _, body = html_to_text(f"<p>Before</p>{hostile}<p>After</p>")
    assert body == "Before\n\nAfter"


def test_attributes_never_survive_even_as_text():
    html = (
        '<p onclick="steal()" hx-get="/admin" style="x" data-x="1">'
        "Plain <img src=x onerror=alert(1)>words</p>"
    )
    _, body = html_to_text(html)
    assert body == "Plain words"


def test_headline_becomes_title_when_there_is_no_title_element():
    title, body = html_to_text("<h1>Big news</h1><p>Text.</p>")
    assert (title, body) == ("Big news", "Text.")


def test_line_breaks_are_kept_inside_a_paragraph_and_entities_decoded():
    _, body = html_to_text("<p>one<br>two &amp; three&nbsp;four</p>")
    assert body == "one\ntwo & three\u00a0four"


def test_malformed_html_still_yields_text():
    _, body = html_to_text("<p>unclosed <b>bold <i>both</p><p>next")
    assert body == "unclosed bold both\n\nnext"
