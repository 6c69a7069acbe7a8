from django.core.management.base import BaseCommand

from apps.webhooks.delivery import attempt
from apps.webhooks.events import queue
from apps.webhooks.models import Delivery


class Command(BaseCommand):
    help = (
        "Queue every pending webhook delivery whose time has come (a sweep for queue entries "
        "that were lost), or send them here and now with --send."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--send",
            action="store_true",
            help="send each due delivery in this process instead of queueing it",
        )

    def handle(self, *args, send=False, **options):
        due = list(
            Delivery.objects.due().order_by("next_attempt_at", "id").values_list("pk", flat=True)
        )
        if send:
            outcomes = [attempt(pk) for pk in due]
            delivered = outcomes.count(Delivery.Status.DELIVERED)
            self.stdout.write(f"{len(due)} due deliveries attempted, {delivered} delivered.")
        else:
            queue(due)
            self.stdout.write(f"{len(due)} due deliveries queued.")
