from django.core.management.base import CommandError

from apps.articles import fetching, import_jobs
from apps.articles.importing import ImportRefused

from ._web_import import WebImportCommand


class Command(WebImportCommand):
    help = (
        "Import the article behind each entry of an RSS or Atom feed, here and now, with a "
        "progress bar; then print what was imported, skipped and refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="The feed's http(s) URL.")
        super().add_arguments(parser)

    def handle(self, *args, url, no_progress, **options):
        try:
            url = fetching.check_url(url)
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.run_job(import_jobs.create_feed_job(url, background=False), no_progress)
