"""Quotations traced across the archive: the stable contract for batch use."""

import json

from django.core.management.base import BaseCommand, CommandError

from apps.articles.models import Article
from apps.quotes.archive_trails import find_trails
from apps.quotes.models import Shingle
from apps.quotes.shingles import WINDOW
from apps.quotes.trails import TrailError


class Command(BaseCommand):
    help = (
        "Print every run of at least --min-words words found in two or more articles as one "
        'JSON object: {"trails": [{"words", "occurrences": [{"article", "title", "published", '
        '"start", "end", "text", "quoted", "verbatim", "near", "outlet"}]}]}. Offsets index '
        "the article body; keys are only ever added after these. This listing finds "
        'near-verbatim repetitions in pieces, so "near" is false here (see a quote\'s trail).'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-words",
            type=int,
            default=WINDOW,
            help=f"Shortest repetition to report, in words (default and minimum {WINDOW}).",
        )
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument(
            "--quoted",
            action="store_true",
            help="Only trails with at least one occurrence inside quotation marks.",
        )

    def handle(self, *args, min_words, format, quoted, **options):
        try:
            trails = find_trails(min_words)
        except TrailError as exc:
            raise CommandError(str(exc)) from None
        if not Shingle.objects.exists() and Article.objects.exists():
            self.stderr.write("The trail index is empty: run `manage.py index_trails` to build it.")
        if quoted:
            trails = [t for t in trails if any(o.quoted for o in t.occurrences)]
        if format == "json":
            self.stdout.write(
                json.dumps({"trails": [t.as_json() for t in trails]}, ensure_ascii=False)
            )
            return
        for trail in trails:
            self.stdout.write(f"“{trail.words}” — {trail.articles} articles")
            for o in trail.occurrences:
                marks = ", ".join(
                    name for name, on in (("quoted", o.quoted), ("verbatim", o.verbatim)) if on
                )
                date = o.published.isoformat() if o.published else "undated   "
                self.stdout.write(
                    f"  {date}  #{o.article} {o.title[:60]}  [{o.start}:{o.end}]"
                    + (f"  ({marks})" if marks else "")
                )
            self.stdout.write("")
        self.stdout.write(f"{len(trails)} trail(s) of at least {min_words} words.")
