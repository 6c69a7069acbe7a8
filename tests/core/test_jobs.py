"""Work queued after a write reaches the task queue only when the write commits."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from apps.core import jobs

done = []


@task()
def note(value: str) -> str:
    done.append(value)
    return value


pytestmark = pytest.mark.queue


@pytest.mark.django_db(transaction=True)
def test_work_is_queued_when_the_write_commits():
    with transaction.atomic():
        jobs.after_commit(note, "kept")
        assert not DBTaskResult.objects.exists()  # not before the commit
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path.endswith("test_jobs.note") and queued.args_kwargs["args"] == ["kept"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.after_commit(note, "lost")
        raise RuntimeError("the write fails")
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_cannot_be_reached_does_not_undo_the_write(monkeypatch, caplog):
    def refuse(*args):
        raise ConnectionError("queue away")

    monkeypatch.setattr(type(note.get_backend()), "enqueue", refuse)
    with transaction.atomic():
        Group.objects.create(name="written")
        jobs.after_commit(note, "later")
    assert Group.objects.filter(name="written").exists()
    assert "Could not queue" in caplog.text and "sweep" in caplog.text
