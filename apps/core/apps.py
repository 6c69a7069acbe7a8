from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


def _remove_triggers(sender, using, **kwargs):
    from .dbsql import remove_all

    remove_all(using)


def _install_triggers(sender, using, **kwargs):
    from .dbsql import install_all

    install_all(using)


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self):
        # Integrity triggers must survive SQLite's table rebuilds during migrations.
        pre_migrate.connect(_remove_triggers, sender=self)
        post_migrate.connect(_install_triggers, sender=self)
