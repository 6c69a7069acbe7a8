from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "apps.quotes"
    label = "quotes"

    def ready(self):
        from . import triggers  # noqa: F401 - registers the integrity triggers
