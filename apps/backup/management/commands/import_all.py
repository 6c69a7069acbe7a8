from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.backup.snapshot import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_all into an empty, migrated database, "
        "in one transaction, keeping every id."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The JSON file written by export_all.")

    def handle(self, *args, path, **options):
        try:
            counts = import_archive(path)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {sum(counts.values()):,} rows into {len(counts)} tables from {path}."
        )
        self.stdout.write("Run `manage.py index_trails` to build the quote-trail index again.")
        if options["verbosity"] > 1:
            for label, count in counts.items():
                self.stdout.write(f"  {label:<28} {count:>9,}")
