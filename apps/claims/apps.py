from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "apps.claims"
    label = "claims"

    def ready(self):
        from apps.quotes import item_notes

        from . import article_notes, owners

        owners.connect()
        # The article page lists which quotes take part in a contradiction: the quotes
        # app asks its providers (it must not import this app), this app answers.
        item_notes.register(article_notes.contradiction_notes)
