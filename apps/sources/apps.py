from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "apps.sources"
    label = "sources"

    def ready(self):
        from . import triggers  # noqa: F401 - registers the integrity triggers
