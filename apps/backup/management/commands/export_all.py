from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.backup.snapshot import ArchiveError, export_archive


class Command(BaseCommand):
    help = (
        "Write the whole archive (articles, speakers, sources, quotes, suggestions, claims, "
        "stances, review decisions, accounts and roles, and all history) to one JSON file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The JSON file to write (replaced if present).")
        parser.add_argument(
            "--include-password-hashes",
            action="store_true",
            help="Keep the accounts' password hashes so logins survive a restore "
            "(the file then holds secrets).",
        )

    def handle(self, *args, path, include_password_hashes, **options):
        try:
            counts = export_archive(path, include_passwords=include_password_hashes)
        except OSError as exc:
            raise CommandError(f"{path}: cannot write the file ({exc.strerror}).") from None
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        total = sum(counts.values())
        size = path.stat().st_size
        self.stdout.write(
            f"Exported {total:,} rows from {len(counts)} tables to {path} ({size:,} bytes)."
        )
        if options["verbosity"] > 1:
            for label, count in counts.items():
                self.stdout.write(f"  {label:<28} {count:>9,}")
