"""Score the quote extractor against the PolNeAR dev split.

Prints the current figures (``apps.quotes.extraction.evaluation``, with the speed of
``extract`` per 1,000 words), then the strict figures of the data directory's
``score_attributions.py``, overall and per outlet, from the same predictions.
"""

import json as jsonlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.quotes import extraction
from apps.quotes.extraction import evaluation, strict_scoring


def extract(text):
    """``extract`` as the suggestion path calls it (looked up at call time)."""
    return extraction.extract(text)


class Command(BaseCommand):
    help = (
        "Evaluate apps.quotes.extraction on PolNeAR (brat standoff): current figures, "
        "strict figures (score_attributions.py), per outlet, and speed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "data_dir",
            nargs="?",
            default=str(Path(settings.BASE_DIR).parent / "shared" / "eval" / "polnear-dev"),
            help="Directory with text/ and attributions/ (default: %(default)s).",
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument(
            "--scorer",
            default=None,
            metavar="PATH",
            help="The strict scorer (default: DATA_DIR/../score_attributions.py).",
        )
        parser.add_argument(
            "--show-errors",
            type=int,
            default=0,
            metavar="N",
            help="Also print up to N examples of each kind of error.",
        )

    def handle(self, *args, data_dir, json, scorer, show_errors, **options):
        path = Path(data_dir)
        if not (path / "text").is_dir() or not (path / "attributions").is_dir():
            raise CommandError(f"{path} has no text/ and attributions/ directories.")
        docs = evaluation.load_corpus(path)
        if not docs:
            raise CommandError(f"No annotated articles found in {path}.")
        predictions: dict = {}
        result, errors = evaluation.evaluate(docs, extract, predictions)
        scorer_path = Path(scorer) if scorer else strict_scoring.default_scorer(path)
        strict = outlets = None
        note = None
        if scorer_path.is_file():
            module = strict_scoring.load_scorer(scorer_path)
            strict = strict_scoring.run_scorer(module, path, predictions)
            outlets = strict_scoring.per_outlet(module, path, predictions)
        else:
            note = (
                f"Strict scorer not found at {scorer_path}: strict and per-outlet figures skipped."
            )
        if json:
            payload = {**result, "strict": strict, "per_outlet": outlets}
            if note:
                payload["note"] = note
            self.stdout.write(jsonlib.dumps(payload, indent=2, sort_keys=True))
        else:
            self.stdout.write("Current figures")
            self.stdout.write(evaluation.format_report(result))
            self.stdout.write("")
            if note:
                self.stdout.write(note)
            else:
                self.stdout.write(strict_scoring.format_strict(strict))
                self.stdout.write("")
                self.stdout.write(strict_scoring.format_outlets(outlets))
        if show_errors:
            self.stdout.write(evaluation.format_errors(errors, show_errors))
