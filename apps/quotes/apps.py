from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "apps.quotes"
    label = "quotes"

    def ready(self):
        from django.db.models.signals import post_save

        from apps.articles.models import Article

        from . import checks, owners, triggers, verdicts  # noqa: F401 - registers checks and triggers
        from .suggesting import extract_on_save
        from .trails import index_on_save

        post_save.connect(extract_on_save, sender=Article, dispatch_uid="quotes-extract-on-save")
        post_save.connect(index_on_save, sender=Article, dispatch_uid="quotes-index-trails-on-save")
        owners.connect()
        verdicts.connect()
