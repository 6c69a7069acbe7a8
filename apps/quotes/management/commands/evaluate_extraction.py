"""Score the rule-based quote extractor against the PolNeAR dev split.

A thin wrapper around ``apps.quotes.evaluation``; the definitions of the
figures are in that module's docstring.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.quotes import evaluation
from apps.quotes.extraction import extract


class Command(BaseCommand):
    help = "Evaluate apps.quotes.extraction on PolNeAR (brat standoff) and print the scores."

    def add_arguments(self, parser):
        parser.add_argument(
            "data_dir",
            nargs="?",
            default=str(Path(settings.BASE_DIR).parent / "shared" / "eval" / "polnear-dev"),
            help="Directory with text/ and attributions/ (default: %(default)s).",
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument(
            "--show-errors",
            type=int,
            default=0,
            metavar="N",
            help="Also print up to N examples of each kind of error.",
        )

    def handle(self, *args, data_dir, json, show_errors, **options):
        path = Path(data_dir)
        if not (path / "text").is_dir() or not (path / "attributions").is_dir():
            raise CommandError(f"{path} has no text/ and attributions/ directories.")
        docs = evaluation.load_corpus(path)
        if not docs:
            raise CommandError(f"No annotated articles found in {path}.")
        result, errors = evaluation.evaluate(docs, extract)
        if json:
            self.stdout.write(evaluation.to_json(result))
        else:
            self.stdout.write(evaluation.format_report(result))
        if show_errors:
            self.stdout.write(evaluation.format_errors(errors, show_errors))
