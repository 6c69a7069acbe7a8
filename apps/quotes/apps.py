from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "apps.quotes"
    label = "quotes"

    def ready(self):
        from django.db.models.signals import post_save

        from apps.articles.models import Article

        from . import checks, owners, triggers, verdicts  # noqa: F401 - registers checks and triggers
        from .tasks import queue_on_save

        # A new text queues its extraction and trail indexing, run by the task worker.
        post_save.connect(queue_on_save, sender=Article, dispatch_uid="quotes-queue-work-on-save")
        owners.connect()
        verdicts.connect()
