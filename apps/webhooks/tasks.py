from django.tasks import task

from . import delivery


@task()
def deliver(delivery_id: int) -> str:
    """Send one webhook delivery (retries are queued by the attempt itself)."""
    return delivery.attempt(delivery_id)
