"""Reviewers approving at the same moment on PostgreSQL: every new contradiction is
announced exactly once, even when the two stances of a pair are approved together."""

import contextlib
import threading
from collections import Counter

import pytest
from django.db import connection

from apps.claims import announcements
from apps.claims.actions import decide
from apps.claims.models import Claim, Stance
from apps.quotes.models import Quote
from apps.webhooks.models import Delivery, Endpoint
from tests.conftest import make_article, make_quote, make_user
from tests.security.test_concurrency import run_threads

pytestmark = pytest.mark.django_db(transaction=True)

SIDES = 4  # stances affirming, and as many denying: SIDES² pairs


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write at a time: concurrent approvals need PostgreSQL")


def submitted_stances(count: int) -> list[Stance]:
    """`count` submitted stances on one claim on approved quotes, the first half affirming."""
    Endpoint.objects.create(url="https://example.org/hooks", events=["contradiction.found"])
    claim = Claim.objects.create(text="Foreign fighters left Raqqa")
    stances = []
    for i in range(count):
        # One article each: approvals of quotes in one article take turns on its row anyway.
        article = make_article(f"Speaker {i} said “word {i}”.")
        start = article.body.index("“")
        quote = make_quote(article, start, start + len(f"“word {i}”"), status="approved")
        position = "affirms" if i < count // 2 else "denies"
        stances.append(
            Stance.objects.create(quote=quote, claim=claim, position=position, status="submitted")
        )
    return stances


def announced_pairs() -> Counter:
    return Counter(
        (d.payload["affirming"]["stance_id"], d.payload["denying"]["stance_id"])
        for d in Delivery.objects.filter(event="contradiction.found")
    )


def test_a_pair_completed_by_two_approvals_at_once_is_announced_once(monkeypatch):
    """One reviewer approves the affirming stance while another approves the quote under
    the denying one (its stance approved already). Both are held just before they look
    for new pairs, until both are there or two seconds pass: unless the second waits for
    the first to commit, neither sees the other's approval and the pair is never sent."""
    yes, no = submitted_stances(2)
    Stance.objects.filter(pk=no.pk).update(status="approved")
    Quote.objects.filter(pk=no.quote_id).update(status="submitted")
    reviewers = [make_user(f"reviewer{i}", "reviewer") for i in range(2)]
    both_there = threading.Barrier(2)
    announce = announcements.Approval.announce

    def held(self):
        # Broken after two seconds when the other approval waits for this one, as it should.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_there.wait(timeout=2)
        announce(self)

    monkeypatch.setattr(announcements.Approval, "announce", held)
    decisions = [("stance", yes.pk), ("quote", no.quote_id)]
    run_threads(2, lambda i: decide(*decisions[i], "approve", reviewers[i]))
    assert announced_pairs() == {(yes.pk, no.pk): 1}


def test_many_approvals_at_once_announce_each_new_pair_once():
    stances = submitted_stances(2 * SIDES)
    reviewers = [make_user(f"reviewer{i}", "reviewer") for i in range(2 * SIDES)]
    run_threads(2 * SIDES, lambda i: decide("stance", stances[i].pk, "approve", reviewers[i]))
    pairs = announced_pairs()
    expected = {(yes.pk, no.pk) for yes in stances[:SIDES] for no in stances[SIDES:]}
    assert set(pairs) == expected and set(pairs.values()) == {1}
