import pytest

from apps.quotes.cues import guess_cue, guess_kind
from tests.conftest import SEED_MANIFEST

BODY = (SEED_MANIFEST.parent / "newsweek-raqqa-deal.txt").read_text()


def span(text):
    start = BODY.index(text)
    return start, start + len(text)


@pytest.mark.parametrize(
    ("text", "cue", "kind"),
    [
        ('"We didn\'t want anyone to leave,"', "told", "direct"),
        ('"make deals with terrorists"', "said", "partial"),
        ('"purportedly excludes foreign Daesh terrorists,"', "said", "partial"),
        ("there was a deal agreed by locals and ground forces", "admitted", "indirect"),
        (
            "\"The enemy hasn't declared that they're done with the area yet, so we'll keep "
            'fighting as long as they want to fight,"',
            "said",
            "direct",
        ),
    ],
)
def test_cue_and_kind_are_guessed_from_the_surrounding_sentence(text, cue, kind):
    start, end = span(text)
    assert guess_kind(BODY, start, end) == kind
    assert guess_cue(BODY, start, end) == cue


def test_no_cue_is_guessed_when_the_sentence_has_none():
    body = "The sky is blue. Nobody disputes “this” at all."
    start = body.index("“")
    assert guess_cue(body, start, start + 6) == ""
