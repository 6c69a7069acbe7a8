from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.articles.importing import ImportRefused, Metadata, import_bytes, parse_date


class Command(BaseCommand):
    help = "Import one article from a .txt (first line is the title) or .html file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--outlet", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--published", default="", help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--byline", default="")
        parser.add_argument("--title", default="", help="Use this title instead of the file's.")

    def handle(self, *args, path, outlet, url, published, byline, title, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror}).") from None
        try:
            meta = Metadata(outlet=outlet, url=url, published=parse_date(published), byline=byline)
            article = import_bytes(data, path.name, meta, title=title)
        except ImportRefused as refusal:
            raise CommandError(f"{path}: {refusal}") from None
        self.stdout.write(
            f"Imported article #{article.pk} “{article.title}” ({len(article.body):,} characters)."
        )
