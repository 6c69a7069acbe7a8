from apps.articles.reading.text import canonicalize, split_title


def test_canonical_text_uses_unix_newlines_and_single_blank_lines():
    raw = "Title\r\n\r\n\r\n\r\nFirst para.  \r\nstill first\r\n\r\n\r\nSecond\u00a0para.\t\r\n"
    assert canonicalize(raw) == "Title\n\nFirst para.\nstill first\n\nSecond\u00a0para."


def test_canonical_text_drops_control_characters_but_keeps_emoji():
    assert canonicalize("a\x07b\u200bc 😀\ufeff") == "abc 😀"


def test_canonical_text_composes_accents():
    decomposed = "Cafe\u0301"
    assert canonicalize(decomposed) == "Café"
    assert len(canonicalize(decomposed)) == 4


def test_first_line_is_title_and_rest_is_body():
    title, body = split_title("\n\n  Headline here \n\nBody one.\n\nBody two.\n")
    assert title == "Headline here"
    assert body == "Body one.\n\nBody two."


def test_title_only_text_has_empty_body():
    assert split_title("Just a title\n") == ("Just a title", "")
