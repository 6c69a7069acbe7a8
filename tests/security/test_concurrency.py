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
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from apps.quotes.correction import correct_body
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


def _stored_quotes_agree_with_their_articles() -> list[str]:
    """Every quote that is not flagged for repair is its article's body at its span."""
    wrong = []
    for quote in Quote.objects.select_related("article").filter(orphaned=False):
        if quote.article.body[quote.start : quote.end] != quote.exact:
            wrong.append(f"quote {quote.pk} [{quote.start}, {quote.end}) {quote.exact!r}")
    return wrong


def _waiting_on_a_lock(backend_pids: set[int]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND pid = ANY(%s)",
            [list(backend_pids)],
        )
        return cursor.fetchone()[0] > 0


def test_a_tag_saved_while_a_correction_is_committing_lands_on_the_corrected_text():
    """The editor selected in the old text; a colleague's correction commits first.

    The save waits for the correction and then finds the selected words in the
    corrected text; it never stores a span of the old text over the new one.
    """
    article = make_article("Alpha said “beta” on Monday. Gamma said “delta” on Tuesday.")
    editor = make_user("tagger", "editor")
    text = "“delta”"
    start = article.body.index(text)
    corrected = threading.Event()
    release = threading.Event()
    tag_backend: set[int] = set()
    tag_done = threading.Event()

    def correct(_index: int) -> int:
        with transaction.atomic():
            correct_body(
                article.pk, article.fingerprint, article.title, "Yesterday: " + article.body
            )
            corrected.set()
            release.wait(timeout=20)
        return 0

    def tag(_index: int) -> int:
        assert corrected.wait(timeout=20)
        client = Client()
        client.force_login(editor)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            tag_backend.add(cursor.fetchone()[0])
        response = client.post(
            reverse("quotes:create", args=[article.pk]),
            {"text": text, "start": start, "end": start + len(text), "offsets": "codepoints",
             "kind": "direct", "cue": "said"},
        )  # fmt: skip
        tag_done.set()
        return response.status_code

    def referee(_index: int) -> int:
        # Let the correction commit once the save is either finished or waiting for it.
        assert corrected.wait(timeout=20)
        for _ in range(200):
            if tag_done.is_set() or (tag_backend and _waiting_on_a_lock(tag_backend)):
                break
            threading.Event().wait(0.05)
        release.set()
        return 0

    roles = [correct, tag, referee]
    statuses = run_threads(len(roles), lambda index: roles[index](index))
    assert statuses[1] == 302, statuses
    assert _stored_quotes_agree_with_their_articles() == []
    quote = Quote.objects.get(article=article)
    article.refresh_from_db()
    assert article.body.startswith("Yesterday: ")
    assert quote.exact == text
    assert quote.start == article.body.index(text)


def test_parallel_tag_saves_and_text_corrections_never_leave_a_quote_out_of_step():
    words = [f"word{i}" for i in range(120)]
    article = make_article(" ".join(words) + ".")
    editors = [make_user(f"writer{i}", "editor") for i in range(THREADS)]
    rounds = 8

    def work(index: int) -> Counter:
        client = Client()
        client.force_login(editors[index])
        statuses = Counter()
        for k in range(rounds):
            current = type(article).objects.get(pk=article.pk)
            if index % 3 == 0:
                # A correction: a word inserted near the start moves every later span.
                body = f"note{index}x{k} " + current.body
                response = client.post(
                    reverse("quotes:article_edit", args=[article.pk]),
                    {"title": current.title, "body": body, "fingerprint": current.fingerprint},
                )
            else:
                # A tag made from the text as this editor loaded it, offsets and all.
                word = words[(index * rounds + k) % len(words)]
                start = current.body.find(f" {word} ") + 1 or current.body.find(word)
                response = client.post(
                    reverse("quotes:create", args=[article.pk]),
                    {"text": word, "start": start, "end": start + len(word),
                     "offsets": "codepoints", "kind": "indirect", "cue": "said"},
                )  # fmt: skip
            statuses[response.status_code] += 1
        return statuses

    totals = sum(run_threads(THREADS, work), Counter())
    assert set(totals) <= {302, 400, 409}, totals  # accepted or refused, never a 500
    assert totals[302] > 0
    assert _stored_quotes_agree_with_their_articles() == []
    assert Quote.objects.filter(orphaned=True).count() == 0  # no correction removed a word
    print(f"\ntag saves and corrections: {dict(totals)}, quotes out of step 0")


def test_a_page_shown_between_two_saves_committing_out_of_order_shows_both_afterwards():
    """Save A takes its ids first but commits last; a page read in between (without A)
    must not be served once A has committed."""
    from django.db.models.signals import post_save

    from apps.claims.models import Claim, Stance

    first_claim = Claim.objects.create(text="The first claim")
    second_claim = Claim.objects.create(text="The second claim")
    quotes = {}
    for name, words in (("first", "“we never agreed”"), ("second", "“we always agreed”")):
        article = make_article(f"A spokesman said {words} on Monday.", title=name)
        start = article.body.index(words)
        speaker = Speaker.objects.create(name=f"Spokesman {name}")
        quotes[name] = make_quote(article, start, start + len(words), speaker=speaker)
    reviewer = make_user("decider", "reviewer")
    reader = make_user("reader", "viewer")
    paused, release = threading.Event(), threading.Event()

    def hold_first_save(sender, instance, **kwargs):
        if threading.current_thread().name == "first-save":
            paused.set()
            assert release.wait(timeout=30)

    def record(quote, claim):
        """Record the quote's stance on the claim through the view; the status answered."""
        client = Client()
        client.force_login(reviewer)
        url = reverse("claims:quote_stances", args=[quote.pk])
        data = {"claim": claim.text, "position": "affirms", "note": ""}
        return client.post(url, data).status_code

    post_save.connect(hold_first_save, sender=Stance, dispatch_uid="hold-first-save")
    results = {}

    def first():
        try:
            results["first"] = record(quotes["first"], first_claim)
        finally:
            connection.close()

    thread = threading.Thread(target=first, name="first-save")
    try:
        thread.start()
        assert paused.wait(timeout=30)  # A is written (its ids taken), not committed
        assert record(quotes["second"], second_claim) == 302  # B: later ids, committed first
        viewer = Client()
        viewer.force_login(reader)
        board = viewer.get(reverse("claims:board")).content.decode()
        assert "we always agreed" in board and "we never agreed" not in board
        release.set()
        thread.join(timeout=30)
        assert results["first"] == 302
    finally:
        release.set()
        post_save.disconnect(sender=Stance, dispatch_uid="hold-first-save")
    ids = dict(Stance.history.values_list("claim_id", "history_id"))
    assert ids[first_claim.pk] < ids[second_claim.pk]  # committed out of id order
    board = viewer.get(reverse("claims:board")).content.decode()
    assert "we never agreed" in board and "we always agreed" in board


def test_a_search_made_between_two_quote_saves_committing_out_of_order_finds_both_afterwards():
    """Save A takes its quote id first but commits last; a search in between (without A)
    must bring A in once it has committed, though A's id is below everything it saw."""
    from django.db.models.signals import post_save

    from apps.core.versions import collecting
    from apps.quotes.search import search_quotes

    body = "They said “the ceasefire holds” and later “the ceasefire failed”."
    article = make_article(body)
    spans = [
        (body.index(words), body.index(words) + len(words))
        for words in ("“the ceasefire holds”", "“the ceasefire failed”")
    ]
    assert search_quotes("ceasefire").ids == []
    paused, release = threading.Event(), threading.Event()
    saved = {}

    def hold_first_save(sender, instance, **kwargs):
        if threading.current_thread().name == "first-save":
            paused.set()
            assert release.wait(timeout=30)

    def first():
        try:
            with collecting():
                saved["first"] = make_quote(article, *spans[0])
        finally:
            connection.close()

    post_save.connect(hold_first_save, sender=Quote, dispatch_uid="hold-first-quote")
    thread = threading.Thread(target=first, name="first-save")
    try:
        thread.start()
        assert paused.wait(timeout=30)  # A is written (its id taken), not committed
        with collecting():
            second = make_quote(article, *spans[1])  # B: a later id, committed first
        assert search_quotes("ceasefire").ids == [second.pk]
        release.set()
        thread.join(timeout=30)
    finally:
        release.set()
        post_save.disconnect(sender=Quote, dispatch_uid="hold-first-quote")
    assert saved["first"].pk < second.pk  # committed out of id order
    assert sorted(search_quotes("ceasefire").ids) == [saved["first"].pk, second.pk]
