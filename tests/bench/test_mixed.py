"""The benchmark's mixed phase: where its saves go and how they are summed up (no server)."""

import math
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import mixed
from load import percentile

BODY = "The council met on Tuesday. “We will cut the price cap,” said the minister. " * 4


def target(role, article, speaker=""):
    return {"role": role, "article": article, "body": BODY, "spans": [], "speaker": speaker}


def test_a_span_is_whole_words_nobody_tagged():
    quote = (BODY.index("“We"), BODY.index("minister.") + len("minister."))
    taken = [quote]
    for seed in range(50):
        start, end = mixed.choose_span(BODY, taken, random.Random(seed))
        words = BODY[start:end].split()
        assert 3 <= len(words) <= 6
        assert BODY[start:end] == BODY[start:end].strip()
        assert start == 0 or BODY[start - 1] == " "
        assert end == len(BODY) or BODY[end] == " "
        assert end <= quote[0] or start >= quote[1]


def test_a_fully_tagged_text_still_gives_a_span_not_tagged_exactly():
    body = "one two three four five six"
    taken = [(0, len(body)), (0, 13), (4, 18)]
    span = mixed.choose_span(body, taken, random.Random(1))
    assert span not in taken


def test_saves_take_turns_and_never_repeat_a_span():
    targets = [
        target("article_200", 1, speaker="Ana Ruiz (#7)"),
        target("stances", 2, speaker="Bo Lin (#8)"),
        target("stances", 3, speaker="Cy Ode (#9)"),
        target("archive", 4),
        target("speaker", 5, speaker="Ana Ruiz (#7)"),
    ]
    saves = mixed.plan_saves(targets, 12, random.Random(3))
    assert [s.role for s in saves[:4]] == list(mixed.ROLES)
    assert [s.article for s in saves if s.role == "stances"] == [2, 3, 2]
    assert len({(s.article, s.start, s.end) for s in saves}) == 12
    assert all(BODY[s.start : s.end] == s.text for s in saves)
    speakers = [s.speaker for s in saves if s.role == "article_200"]
    assert speakers and set(speakers) == {"Ana Ruiz (#7)"}
    method, path, body, headers = saves[0].request()
    assert (method, path, headers["HX-Request"]) == ("POST", "/articles/1/quotes/", "true")
    assert "speaker=Ana+Ruiz" in body


def test_an_archive_without_stances_skips_that_turn():
    saves = mixed.plan_saves([target("article_200", 1), target("archive", 4)], 4, random.Random(0))
    assert [s.role for s in saves] == ["article_200", "archive"] * 2


def test_save_latency_counts_from_when_the_save_was_due():
    records = [
        {"due": 0.0, "sent": 0.0, "done": 0.1, "status": 200, "bytes": 900},
        {"due": 0.5, "sent": 1.5, "done": 1.6, "status": 200, "bytes": 1100},  # sent late
        {"due": 1.0, "sent": 1.6, "done": 1.7, "status": 500, "bytes": 100},
    ]
    row = mixed.save_summary(records, seconds=1.5, rate=2)
    assert row["p50_ms"] == pytest.approx(700)  # 100, 700 and 1,100 ms from their due time
    assert row["service_p50_ms"] == pytest.approx(100)
    assert row["send_lag_max_ms"] == pytest.approx(1000)
    assert (row["saved"], row["errors"]) == (2, 1)
    assert row["rps"] == pytest.approx(2 / 1.7)  # the last answer came after the phase
    assert (row["answer_bytes_median"], row["answer_bytes_max"]) == (900, 1100)


def test_percentile_of_sorted_values():
    values = [float(i) for i in range(1, 101)]
    assert percentile(values, 99) == 100
    assert percentile(values, 50) == 51
    assert math.isnan(percentile([], 50))  # nothing was measured


def test_readers_also_open_a_quotes_trail_held_to_five_times_healthz():
    import run

    assert "trail" in mixed.PAGES
    assert mixed.TARGETS["trail"] == [("p50", "p50_ms", "healthz", 5)]
    assert run.TARGETS["trail"] == [("p50", "p50_ms", "healthz", 5)]
