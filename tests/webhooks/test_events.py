"""What is announced, when, and that nothing is announced for a change rolled back."""

import datetime

import pytest
from django.db import transaction

from apps.articles.importing import Metadata, import_bytes
from apps.claims.actions import decide
from apps.claims.models import Claim, Stance
from apps.sources.models import Speaker
from apps.webhooks.events import emit
from apps.webhooks.models import Delivery, Endpoint
from tests.conftest import make_article, make_quote, make_user

pytestmark = pytest.mark.django_db

BODY = "Dillon said “one”. Okay said “two”. The coalition said “three”. Braga said “four”."


def sent(event):
    return list(Delivery.objects.filter(event=event).order_by("id"))


@pytest.fixture
def world(endpoint):
    coalition = Speaker.objects.create(name="Coalition", kind=Speaker.Kind.ORGANIZATION)
    bbc = Speaker.objects.create(name="BBC", kind=Speaker.Kind.ORGANIZATION)
    dillon = Speaker.objects.create(name="Ryan Dillon", affiliation=coalition)
    braga = Speaker.objects.create(name="Jonathan Braga", affiliation=coalition)
    okay = Speaker.objects.create(name="Riyad Okay", affiliation=bbc)
    article = make_article(BODY, title="Raqqa")
    quotes = {}
    for word, speaker in (("one", dillon), ("two", okay), ("three", coalition), ("four", braga)):
        start = BODY.index(f"“{word}”")
        quotes[word] = make_quote(article, start, start + len(word) + 2, speaker=speaker)
    claim = Claim.objects.create(text="Foreign fighters left Raqqa")
    position = {"one": "affirms", "two": "denies", "three": "denies", "four": "denies"}
    stances = {
        word: Stance.objects.create(quote=q, claim=claim, position=position[word])
        for word, q in quotes.items()
    }
    return {
        "quotes": quotes,
        "stances": stances,
        "claim": claim,
        "reviewer": make_user("r", "reviewer"),
    }


def approve(world, kind, word):
    items = world["quotes"] if kind == "quote" else world["stances"]
    return decide(kind, items[word].pk, "approve", world["reviewer"])


def test_an_emit_inside_a_transaction_that_rolls_back_leaves_no_delivery(endpoint):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert len(emit("article.imported", {"id": 1})) == 1
        raise RuntimeError("the change fails after announcing it")
    assert not Delivery.objects.exists()


def test_an_import_that_fails_after_the_article_is_written_announces_nothing(endpoint):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError), transaction.atomic():
        import_bytes(b"Title\n\nThe mayor said \xe2\x80\x9cyes\xe2\x80\x9d.", "a.txt", Metadata())
        broken()
    assert not Delivery.objects.exists()


def test_importing_an_article_announces_it(endpoint):
    article = import_bytes(
        b"Deal denied\n\nThe spokesman said there was no deal.",
        "deal.txt",
        Metadata(outlet="Wire", url="https://example.com/a", published=datetime.date(2017, 11, 14)),
    )
    [delivery] = sent("article.imported")
    assert delivery.endpoint == endpoint and delivery.status == "pending"
    assert delivery.payload == {
        "id": article.pk,
        "title": "Deal denied",
        "outlet": "Wire",
        "url": "https://example.com/a",
        "published": "2017-11-14",
        "api_url": f"/api/v1/articles/{article.pk}",
    }


def test_only_subscribed_active_endpoints_get_an_event(endpoint):
    other = Endpoint.objects.create(url="https://example.org/a", events=["quote.approved"])
    Endpoint.objects.create(url="https://example.org/b", events=["article.imported"], active=False)
    emit("article.imported", {"id": 1})
    emit("quote.approved", {"id": 2})
    assert [d.endpoint for d in sent("article.imported")] == [endpoint]
    assert {d.endpoint for d in sent("quote.approved")} == {endpoint, other}


def test_with_no_endpoint_emitting_costs_one_query_and_builds_no_payload(
    db, django_assert_num_queries
):
    def payload():
        raise AssertionError("built for nobody")

    with django_assert_num_queries(1):
        assert emit("article.imported", payload) == []


def test_with_endpoints_emitting_costs_two_queries(endpoint, django_assert_num_queries):
    Endpoint.objects.create(url="https://example.org/a", events=["article.imported"])
    with django_assert_num_queries(2):  # the endpoints, and one insert of both deliveries
        assert len(emit("article.imported", {"id": 1})) == 2


def test_unknown_events_are_a_programming_error(endpoint):
    with pytest.raises(ValueError, match="Unknown webhook event"):
        emit("article.deleted", {})


def test_approving_a_quote_announces_it_once(world):
    approve(world, "quote", "one")
    approve(world, "quote", "one")  # approved again: nothing new to announce
    [delivery] = sent("quote.approved")
    quote = world["quotes"]["one"]
    assert delivery.payload == {
        "id": quote.pk,
        "article_id": quote.article_id,
        "text": "“one”",
        "kind": "direct",
        "speaker": {"id": quote.speaker_id, "name": "Ryan Dillon", "kind": "person"},
    }


def test_approving_a_stance_announces_it(world):
    approve(world, "stance", "one")
    [delivery] = sent("stance.approved")
    stance = world["stances"]["one"]
    assert delivery.payload == {
        "id": stance.pk,
        "claim": {"id": world["claim"].pk, "text": "Foreign fighters left Raqqa"},
        "quote_id": stance.quote_id,
        "position": "affirms",
    }


def test_submitting_or_rejecting_announces_nothing(world):
    decide("stance", world["stances"]["one"].pk, "reject", world["reviewer"], "Wrong claim.")
    decide("quote", world["quotes"]["one"].pk, "submit", world["reviewer"])
    assert not Delivery.objects.exists()


def test_each_new_contradiction_among_approved_statements_is_announced_once(world):
    for word in ("one", "two", "three"):
        approve(world, "quote", word)
    approve(world, "stance", "one")
    assert sent("contradiction.found") == []  # one side only
    approve(world, "stance", "two")
    [first] = sent("contradiction.found")
    stances = world["stances"]
    assert first.payload["kind"] == "external"  # the coalition's spokesman against the BBC
    assert first.payload["claim"] == {
        "id": world["claim"].pk,
        "text": "Foreign fighters left Raqqa",
    }
    assert first.payload["affirming"]["stance_id"] == stances["one"].pk
    assert first.payload["affirming"]["speaker"]["name"] == "Ryan Dillon"
    assert first.payload["denying"]["stance_id"] == stances["two"].pk
    assert first.payload["denying"]["speaker"]["name"] == "Riyad Okay"
    assert first.payload["denying"]["quote"]["text"] == "“two”"

    approve(world, "stance", "three")  # the coalition denies what its spokesman affirmed
    found = sent("contradiction.found")
    assert len(found) == 2  # the pair one/two, which already existed, is not announced again
    assert found[1].payload["kind"] == "internal"
    assert (
        found[1].payload["affirming"]["stance_id"],
        found[1].payload["denying"]["stance_id"],
    ) == (
        stances["one"].pk,
        stances["three"].pk,
    )
    approve(world, "stance", "three")  # approved again: nothing new
    assert len(sent("contradiction.found")) == 2


def test_a_pair_waiting_on_its_quote_is_announced_when_the_quote_is_approved(world):
    approve(world, "quote", "one")
    approve(world, "stance", "one")
    approve(world, "stance", "four")  # its quote is still a draft: not yet a contradiction
    assert sent("contradiction.found") == []
    approve(world, "quote", "four")
    [pair] = sent("contradiction.found")
    assert pair.payload["denying"]["stance_id"] == world["stances"]["four"].pk
    assert pair.payload["kind"] == "internal"  # Braga and Dillon are both in the coalition


def test_a_decision_rolled_back_announces_nothing(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        approve(world, "quote", "one")
        approve(world, "stance", "one")
        raise RuntimeError("rolled back")
    assert not Delivery.objects.exists()
