import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.articles.importing import (
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    AlreadyImported,
    ImportRefused,
    Metadata,
    create_article,
    decode,
    format_for,
    parse,
    parse_date,
)

SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES

# Column names accepted in a --metadata file (case-insensitive), for each field.
COLUMNS = {
    "filename": ("filename", "file", "name"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "publisher", "publication"),
    "published": ("published", "publication_date", "date"),
    "byline": ("byline", "author", "authors"),
    "url": ("url", "link"),
}


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a CSV or TSV file keyed by file name without its suffix.

    The first row names the columns: a file name column (`filename`) and any of
    title, outlet (or publisher), published (or publication_date, date), byline (or
    author) and url. Unknown columns are ignored.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot read the metadata file ({exc}).") from None
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    rows = csv.reader(text.splitlines(), delimiter=delimiter)
    header = [name.strip().lower() for name in next(rows, [])]
    where = {
        field: next((header.index(n) for n in names if n in header), None)
        for field, names in COLUMNS.items()
    }
    if where["filename"] is None:
        raise CommandError(
            f"{path}: the first row must name the columns, one of them `filename` "
            f"(found: {', '.join(header) or 'nothing'})."
        )
    found = {}
    for row in rows:
        cells = {
            field: row[i].strip() if i is not None and i < len(row) else ""
            for field, i in where.items()
        }
        name = cells.pop("filename")
        if name:
            found[Path(name).stem if Path(name).suffix.lower() in SUFFIXES else name] = cells
    return found


class Command(BaseCommand):
    help = (
        "Import every .txt and .html article in a folder (one transaction per article; "
        "quotations are extracted as suggestions), then summarise."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--outlet", default="", help="Outlet of files the metadata omits.")
        parser.add_argument(
            "--metadata",
            type=Path,
            help=(
                "CSV or TSV file, one row per article: filename (with or without its "
                "suffix) and any of title, outlet/publisher, published/publication_date "
                "(YYYY-MM-DD), byline/author, url."
            ),
        )
        parser.add_argument("--recursive", action="store_true", help="Descend into subfolders.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, folder, outlet, metadata, recursive, no_progress, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder.")
        described = read_metadata(metadata) if metadata else {}
        pattern = "**/*" if recursive else "*"
        files = sorted(
            p for p in folder.glob(pattern)
            if p.is_file() and p.name.lower().endswith(SUFFIXES)
        )  # fmt: skip
        if not files:
            raise CommandError(f"{folder}: no .txt or .html files.")
        imported, skipped, refused = [], [], []
        progress = tqdm(files, unit="article", disable=no_progress, file=self.stderr._out)
        for path in progress:
            progress.set_postfix_str(path.name[:40])
            row = described.get(path.stem, {})
            try:
                meta = Metadata(
                    outlet=row.get("outlet") or outlet,
                    url=row.get("url", ""),
                    published=parse_date(row.get("published")),
                    byline=row.get("byline", ""),
                )
                # A file's own heading is still its first line; the metadata's title,
                # when given, replaces it.
                found_title, body = parse(decode(path.read_bytes()), format_for(path.name))
                article = create_article(row.get("title") or found_title, body, meta)
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
