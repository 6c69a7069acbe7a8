import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.webhooks import delivery as sending
from apps.webhooks.events import emit, redeliver, send_test_event
from apps.webhooks.models import MAX_ATTEMPTS, Delivery, backoff
from apps.webhooks.tasks import deliver

pytestmark = pytest.mark.django_db


def one_delivery(endpoint, event="article.imported", data=None) -> Delivery:
    [made] = emit(event, data or {"id": 7, "title": "Raqqa"})
    assert made.endpoint_id == endpoint.pk
    return made


def test_a_delivery_is_signed_and_the_receiver_verifies_the_hmac(endpoint, receiver):
    made = one_delivery(endpoint)
    assert deliver.call(made.pk) == "delivered"
    [request] = receiver.requests
    assert request["signed"]  # the receiver recomputed HMAC-SHA256 with the secret
    headers = request["headers"]
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Quotetrail-Event"] == "article.imported"
    assert headers["X-Quotetrail-Delivery"] == str(made.pk)
    body = json.loads(request["body"])
    assert body["id"] == str(made.event_id)
    assert body["event"] == "article.imported"
    assert body["data"] == {"id": 7, "title": "Raqqa"}
    assert body["created"].startswith(str(made.created.date()))
    made.refresh_from_db()
    assert (made.status, made.attempts, made.last_status_code) == ("delivered", 1, 200)
    assert made.delivered_at is not None and made.next_attempt_at is None


def test_a_wrong_secret_is_refused_by_the_receiver_and_retried(endpoint, receiver):
    receiver.secret = "not the endpoint's secret"
    made = one_delivery(endpoint)
    assert sending.attempt(made.pk) == "pending"
    made.refresh_from_db()
    assert made.last_status_code == 401 and "401" in made.last_error


def test_a_failing_receiver_gets_the_delivery_on_the_next_attempt(endpoint, receiver):
    receiver.answers = [500]
    made = one_delivery(endpoint)
    before = timezone.now()
    assert sending.attempt(made.pk) == "pending"
    made.refresh_from_db()
    assert (made.status, made.attempts, made.last_status_code) == ("pending", 1, 500)
    assert made.last_error == "The receiver answered HTTP 500."
    assert before + timedelta(seconds=29) <= made.next_attempt_at <= timezone.now() + backoff(1)
    # The retry is on the queue, deferred to the delivery's next attempt time.
    queued = DBTaskResult.objects.get(args_kwargs__args=[made.pk])
    assert queued.run_after == made.next_attempt_at
    assert sending.attempt(made.pk) == "skipped"  # not due yet: nothing sent
    assert len(receiver.requests) == 1

    Delivery.objects.filter(pk=made.pk).update(next_attempt_at=timezone.now())
    assert sending.attempt(made.pk) == "delivered"
    made.refresh_from_db()
    assert (made.status, made.attempts, made.last_status_code) == ("delivered", 2, 200)
    assert made.last_error == ""
    assert [r["signed"] for r in receiver.requests] == [True, True]


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour():
    waits = [backoff(n).total_seconds() for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits[:4] == [30, 60, 120, 240]
    assert max(waits) == 3600
    assert sum(waits[: MAX_ATTEMPTS - 1]) > 8 * 3600  # a receiver down for hours loses nothing


def test_a_timeout_counts_as_a_failed_attempt(endpoint, receiver, settings):
    settings.QUOTETRAIL_WEBHOOK_TIMEOUT = 0.3
    receiver.delay = 1.5
    made = one_delivery(endpoint)
    assert sending.attempt(made.pk) == "pending"
    made.refresh_from_db()
    assert made.attempts == 1 and made.last_status_code is None
    assert "Timed out" in made.last_error
    assert made.next_attempt_at > timezone.now()


def test_a_receiver_that_is_not_there_counts_as_a_failed_attempt(endpoint, receiver):
    endpoint.url = "http://127.0.0.1:9/hooks"  # the discard port: nothing listens
    endpoint.save()
    made = one_delivery(endpoint)
    assert sending.attempt(made.pk) == "pending"
    made.refresh_from_db()
    assert made.last_error.startswith("Connection failed")


def test_a_redirect_is_not_followed(endpoint, receiver):
    receiver.answers = [302]
    made = one_delivery(endpoint)
    assert sending.attempt(made.pk) == "pending"
    made.refresh_from_db()
    assert made.last_status_code == 302
    assert [r["path"] for r in receiver.requests] == ["/hooks"]  # never /elsewhere


def test_after_the_last_attempt_the_delivery_fails_and_can_be_redelivered(endpoint, receiver):
    receiver.answers = [503]
    made = one_delivery(endpoint)
    Delivery.objects.filter(pk=made.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert sending.attempt(made.pk) == "failed"
    made.refresh_from_db()
    assert made.status == "failed" and made.next_attempt_at is None
    assert sending.attempt(made.pk) == "skipped"

    again = redeliver(made)
    assert (again.event_id, again.payload, again.attempts) == (made.event_id, made.payload, 0)
    assert sending.attempt(again.pk) == "delivered"
    assert json.loads(receiver.requests[-1]["body"])["id"] == str(made.event_id)


def test_a_delivered_delivery_is_never_sent_again(endpoint, receiver):
    made = one_delivery(endpoint)
    assert deliver.call(made.pk) == "delivered"
    assert deliver.call(made.pk) == "skipped"
    assert deliver.call(made.pk + 1000) == "skipped"  # gone: nothing to do
    assert len(receiver.requests) == 1


def test_an_attempt_in_flight_is_not_taken_by_a_second_worker(endpoint, receiver):
    made = one_delivery(endpoint)
    claimed = sending._claim(made.pk)
    assert claimed is not None and claimed.attempts == 1
    assert sending._claim(made.pk) is None  # claimed until its timeout has passed
    assert receiver.requests == []


def test_a_switched_off_endpoint_is_not_sent_to(endpoint, receiver):
    made = one_delivery(endpoint)
    endpoint.active = False
    endpoint.save()
    assert sending.attempt(made.pk) == "pending"
    made.refresh_from_db()
    assert "switched off" in made.last_error and receiver.requests == []


def test_deliveries_are_queued_when_the_change_commits(
    endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = one_delivery(endpoint)
    assert not DBTaskResult.objects.exists()
    for callback in callbacks:
        callback()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "apps.webhooks.tasks.deliver"
    assert queued.args_kwargs["args"] == [made.pk]


def test_the_sweep_queues_or_sends_every_due_pending_delivery(endpoint, receiver):
    due = one_delivery(endpoint)
    later = one_delivery(endpoint)
    Delivery.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    call_command("deliver_webhooks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [r.args_kwargs["args"] for r in DBTaskResult.objects.all()] == [[due.pk]]

    call_command("deliver_webhooks", "--send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == ("delivered", "pending")
    assert len(receiver.requests) == 1


def test_a_test_event_goes_to_one_endpoint_whatever_it_subscribes_to(endpoint, receiver):
    endpoint.events = []
    endpoint.save()
    ping = send_test_event(endpoint)
    assert deliver.call(ping.pk) == "delivered"
    body = json.loads(receiver.requests[0]["body"])
    assert body["event"] == "ping" and receiver.requests[0]["signed"]
