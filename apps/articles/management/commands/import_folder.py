from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.articles.importing import (
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    AlreadyImported,
    ImportRefused,
    Metadata,
    import_bytes,
)


class Command(BaseCommand):
    help = (
        "Import every .txt and .html article in a folder (one transaction per article; "
        "quotations are extracted as suggestions), then summarise."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--outlet", default="")
        parser.add_argument("--recursive", action="store_true", help="Descend into subfolders.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, folder, outlet, recursive, no_progress, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder.")
        pattern = "**/*" if recursive else "*"
        files = sorted(
            p for p in folder.glob(pattern)
            if p.is_file() and p.name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES)
        )  # fmt: skip
        if not files:
            raise CommandError(f"{folder}: no .txt or .html files.")
        imported, skipped, refused = [], [], []
        progress = tqdm(files, unit="article", disable=no_progress, file=self.stderr._out)
        for path in progress:
            progress.set_postfix_str(path.name[:40])
            try:
                article = import_bytes(path.read_bytes(), path.name, Metadata(outlet=outlet))
            except AlreadyImported as duplicate:
                skipped.append((path, str(duplicate)))
            except ImportRefused as refusal:
                refused.append((path, str(refusal)))
            except OSError as exc:
                refused.append((path, f"cannot read the file ({exc.strerror})."))
            else:
                imported.append((path, article))
        self.stdout.write(
            f"Imported {len(imported)}, skipped {len(skipped)} (already in Quotetrail), "
            f"refused {len(refused)}."
        )
        for path, article in imported:
            count = article.suggestions.count()
            self.stdout.write(f"  imported  {path.name}: #{article.pk}, {count} suggestion(s)")
        for path, reason in skipped:
            self.stdout.write(f"  skipped   {path.name}: {reason}")
        for path, reason in refused:
            self.stdout.write(f"  refused   {path.name}: {reason}")
        if refused:
            raise CommandError(f"{len(refused)} file(s) refused; see above.")
