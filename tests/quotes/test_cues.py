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


def test_every_inflected_cue_verb_of_the_extractor_is_guessed():
    body = 'The mayor spoke at noon. "We will rebuild the bridge," she conceded.'
    start = body.index('"')
    end = body.index(",", start) + 2
    assert guess_kind(body, start, end) == "direct"
    assert guess_cue(body, start, end) == "conceded"


def test_a_quotation_after_any_verb_of_saying_is_direct():
    body = 'Asked about the budget, she insisted, "We will balance it."'
    start = body.index('"')
    assert guess_kind(body, start, len(body) - 1) == "direct"
    body = 'Asked about the budget, she wanted "a balanced one."'
    start = body.index('"')
    assert guess_kind(body, start, len(body) - 1) == "partial"


def test_an_abbreviated_title_does_not_end_the_sentence():
    body = 'The colonel told Lt. Smith that the unit "would hold the line" until dawn.'
    start = body.index('"')
    end = body.index('"', start + 1) + 1
    assert guess_cue(body, start, end) == "told"


def test_a_verb_inside_another_quotation_is_not_the_cue():
    body = 'Critics call it "what he said" and "a mess."'
    start = body.rindex('"a mess')
    assert guess_cue(body, start, len(body) - 1) == ""
