"""Editors working at the same moment on PostgreSQL: no save is lost, none silently wins.

Threads post through the real views (django.test.Client, one database
connection per thread). Saves of one quote carry the version they were made
from: a save from the current version is accepted once, a save from an older
one gets 409, and the history holds exactly the accepted ones. Speakers merged
into each other at the same time (both ways, chains, cycles) never lose a quote.
SQLite serialises every write, so this only means something on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from apps.quotes.models import Quote
from apps.sources.lookup import speaker_label
from apps.sources.models import Speaker, SpeakerAlias
from tests.conftest import make_article, make_quote, make_user

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
SAVES_PER_THREAD = 10
KINDS = ("direct", "partial", "indirect")


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write at a time: concurrent saves need PostgreSQL")


def run_threads(count: int, work) -> list:
    """Run work(index) in `count` threads released together; each closes its connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def target(index: int):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread never finished (deadlock?)"
    assert not errors, errors
    return results


@dataclass
class Save:
    note: str
    sent_version: int
    status: int


def test_parallel_saves_of_one_quote_are_each_accepted_once_or_refused_with_409():
    editors = [make_user(f"editor{i}", "editor") for i in range(THREADS)]
    speakers = [Speaker.objects.create(name=f"Speaker {i}") for i in range(3)]
    article = make_article("The minister said “we never agreed to it” on Monday.")
    start = article.body.index("“")
    text = "“we never agreed to it”"
    quote = make_quote(article, start, start + len(text))
    url = reverse("quotes:update", args=[quote.pk])

    def work(index: int) -> list[Save]:
        client = Client()
        client.force_login(editors[index])
        fresh = index % 2 == 0  # half read the current version, half keep the one they loaded
        loaded = Quote.objects.get(pk=quote.pk).version
        saves = []
        for k in range(SAVES_PER_THREAD):
            version = Quote.objects.get(pk=quote.pk).version if fresh else loaded
            note = f"editor {index}, save {k}"
            response = client.post(
                url,
                {
                    "text": text,
                    "start": start,
                    "end": start + len(text),
                    "offsets": "codepoints",
                    "kind": KINDS[(index + k) % 3],
                    "speaker": speaker_label(speakers[(index * k) % 3]),
                    "cue": "said",
                    "note": note,
                    "version": version,
                },
            )
            saves.append(Save(note, version, response.status_code))
        return saves

    saves = [save for thread in run_threads(THREADS, work) for save in thread]
    statuses = Counter(save.status for save in saves)
    accepted = [s for s in saves if s.status == 302]
    refused = [s for s in saves if s.status == 409]
    assert set(statuses) <= {302, 409}, statuses  # never a 500, never another answer
    assert len(accepted) + len(refused) == THREADS * SAVES_PER_THREAD
    assert accepted, "no save was accepted"

    quote.refresh_from_db()
    history = list(Quote.history.filter(id=quote.pk, history_type="~").order_by("version"))
    assert len(history) == len(accepted)
    assert quote.version == 1 + len(accepted)
    # Each accepted save was made from a different version, one after the other: none was
    # applied on top of a change its editor had not seen.
    assert sorted(s.sent_version for s in accepted) == list(range(1, 1 + len(accepted)))
    assert [h.version for h in history] == list(range(2, 2 + len(accepted)))
    by_version = {s.sent_version + 1: s.note for s in accepted}
    assert {h.version: h.note for h in history} == by_version
    assert quote.note == by_version[quote.version]
    refused_notes = {s.note for s in refused}
    assert not refused_notes & {h.note for h in history}, "a refused save reached the history"
    print(
        f"\nsaves attempted {len(saves)}, accepted {len(accepted)}, "
        f"conflicts (409) {len(refused)}, lost 0"
    )


def _speakers(names: list[str], article, quotes_each: int) -> dict[str, Speaker]:
    """Speakers with long names (the history's merge reason must still fit) and quotes."""
    made = {}
    position = 0
    for name in names:
        speaker = Speaker.objects.create(
            name=f"{name} " + "of the Joint Task Force, Operation Inherent Resolve " * 3,
            kind=Speaker.Kind.ORGANIZATION,
        )
        SpeakerAlias.objects.create(speaker=speaker, alias=f"alias {name}")
        for _ in range(quotes_each):
            word = article.body.index("w", position)
            end = article.body.index(" ", word)
            make_quote(article, word, end, speaker=speaker)
            position = end
        made[name] = speaker
    return made


MERGE_PLANS = {
    # survivor ← duplicate, all posted at the same moment
    "both ways": [("A", "B"), ("B", "A"), ("A", "B"), ("B", "A")],
    "one into many": [("B", "A"), ("C", "A"), ("D", "A"), ("E", "A")],
    "chain": [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E"), ("E", "F")],
    "cycle": [("A", "B"), ("B", "C"), ("C", "D"), ("D", "A")],
    "star": [("A", "B"), ("A", "C"), ("A", "D"), ("A", "E"), ("F", "A"), ("G", "A")],
}


@pytest.mark.parametrize("plan", MERGE_PLANS)
def test_parallel_merges_never_lose_a_quote(plan):
    steps = MERGE_PLANS[plan]
    names = sorted({name for step in steps for name in step})
    article = make_article(" ".join(f"w{i}" for i in range(200)) + " end")
    speakers = _speakers(names, article, quotes_each=6)
    editors = [make_user(f"merger{i}", "editor") for i in range(len(steps))]
    quotes_before = Quote.objects.count()
    speakers_before = Speaker.objects.count()

    def work(index: int) -> int:
        survivor, duplicate = (speakers[name] for name in steps[index])
        client = Client()
        client.force_login(editors[index])
        response = client.post(
            reverse("sources:speaker_merge", args=[survivor.pk]),
            {"duplicate": speaker_label(duplicate)},
        )
        return response.status_code

    statuses = run_threads(len(steps), work)
    assert set(statuses) <= {302, 400, 404}, statuses  # refused at worst, never a 500
    merged = statuses.count(302)
    assert merged >= 1
    assert Quote.objects.count() == quotes_before
    assert Speaker.objects.count() == speakers_before - merged
    alive = set(Speaker.objects.values_list("pk", flat=True))
    assert set(Quote.objects.values_list("speaker_id", flat=True)) <= alive
    # Every name that disappeared lives on as an alias of a survivor, with its quotes.
    for name, speaker in speakers.items():
        if speaker.pk not in alive:
            assert SpeakerAlias.objects.filter(alias=speaker.name).exists(), name
    assert Quote.objects.filter(speaker__isnull=True).count() == 0
    print(f"\nmerges {plan}: attempted {len(steps)}, merged {merged}, quotes lost 0")
