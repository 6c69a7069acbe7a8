from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.articles.importing import ImportRefused
from apps.claims.seeding import load_full_seed
from apps.quotes.seeding import SeedError


class Command(BaseCommand):
    help = "Load the curated seed articles, attributions, claims and stances (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "manifests",
            nargs="*",
            type=Path,
            help="Seed manifests (JSON); default: every *.json in seeds/.",
        )

    def handle(self, *args, manifests, **options):
        manifests = manifests or sorted((settings.BASE_DIR / "seeds").glob("*.json"))
        if not manifests:
            raise CommandError("No seed manifests found.")
        for path in manifests:
            try:
                result = load_full_seed(path)
            except (SeedError, ImportRefused, OSError, ValueError, KeyError) as exc:
                raise CommandError(f"{path}: {exc}") from exc
            if result.changed:
                created = ", ".join(f"{n} {k}" for k, n in result.created.items()) or "nothing"
                updated = ", ".join(f"{n} {k}" for k, n in result.updated.items()) or "nothing"
                self.stdout.write(f"{path.name}: created {created}; updated {updated}.")
            else:
                self.stdout.write(f"{path.name}: already loaded, nothing changed.")
