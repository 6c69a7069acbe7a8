from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "apps.claims"
    label = "claims"

    def ready(self):
        from . import owners

        owners.connect()
