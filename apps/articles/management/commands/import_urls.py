from pathlib import Path

from django.core.management.base import CommandError

from apps.articles import fetching, import_jobs
from apps.articles.importing import ImportRefused

from ._web_import import WebImportCommand


class Command(WebImportCommand):
    help = (
        "Import article pages by URL (arguments, or --file with one URL a line), here and "
        "now, with a progress bar; then print what was imported, skipped and refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*", help="http(s) URLs of article pages.")
        parser.add_argument("--file", type=Path, help="A text file, one URL a line.")
        super().add_arguments(parser)

    def handle(self, *args, urls, file, no_progress, **options):
        given = list(urls)
        if file:
            try:
                given += file.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"{file}: cannot read it ({exc}).") from None
        checked, problems = [], []
        for line in (u.strip() for u in given):
            if not line or line.startswith("#"):
                continue
            try:
                url = fetching.check_url(line)
            except ImportRefused as refusal:
                problems.append(str(refusal))
                continue
            if url not in checked:
                checked.append(url)
        if problems:
            raise CommandError("Nothing imported: " + " ".join(problems))
        if not checked:
            raise CommandError("No URLs given: name them, or a file of them with --file.")
        limit = import_jobs.max_urls()
        if len(checked) > limit:
            raise CommandError(f"{len(checked)} URLs; one import takes at most {limit}.")
        self.run_job(import_jobs.create_urls_job(checked, background=False), no_progress)
