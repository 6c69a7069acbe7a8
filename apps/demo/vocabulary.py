"""The generator's vocabulary, kept as data in `words.json` beside this module.

Names, places, outlets and the templates that become ledes, quotations, paraphrases
and claims. `memorable` lines are specific enough to be picked up by other outlets:
names, sums and days make them (nearly) unique to the article that first carries
them, so any later repetition is a reprint, not the template repeating itself.
Lists are read as tuples, so the vocabulary cannot change while a run uses it.
"""

import json
from pathlib import Path


def _frozen(value):
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


_WORDS = _frozen(json.loads((Path(__file__).with_name("words.json")).read_text("utf-8")))

FIRST_NAMES = _WORDS["first_names"]
LAST_NAMES = _WORDS["last_names"]
CITIES = _WORDS["cities"]
OUTLETS = _WORDS["outlets"]
TIMES = _WORDS["times"]
PAST = _WORDS["past"]
FRAGMENTS = _WORDS["fragments"]
REJECTIONS = _WORDS["rejections"]
NOTES = _WORDS["notes"]
TOPICS = _WORDS["topics"]
DIRECT = _WORDS["direct"]
MEMORABLE = _WORDS["memorable"]
WEEKDAYS = _WORDS["weekdays"]
CHANGED_WORDS = _WORDS["changed_words"]
QUESTIONS = _WORDS["questions"]
INDIRECT = _WORDS["indirect"]
FILLER = _WORDS["filler"]
LEDES = _WORDS["ledes"]
ANONYMOUS = _WORDS["anonymous"]
CLAIMS = _WORDS["claims"]
