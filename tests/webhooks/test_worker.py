"""The whole path: a committed import queues its delivery, and django-tasks-db's worker,
run here for one batch, sends it to a real receiver."""

import pytest
from django_tasks_db.models import DBTaskResult

from apps.articles.importing import Metadata, import_bytes
from apps.webhooks.models import Delivery, Endpoint
from tests.conftest import run_worker_once


@pytest.mark.django_db(transaction=True)
def test_an_import_is_delivered_by_the_worker_after_it_commits(receiver):
    endpoint = Endpoint.objects.create(url=receiver.url, events=["article.imported"])
    receiver.secret = endpoint.secret
    article = import_bytes(b"Deal denied\n\nNo deal, the spokesman said.", "a.txt", Metadata())
    [queued] = DBTaskResult.objects.all()  # queued when the import committed
    assert queued.task_path == "apps.webhooks.tasks.deliver"
    run_worker_once()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    [request] = receiver.requests
    assert request["signed"] and f'"id":{article.pk}' in request["body"].decode()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == "delivered"
