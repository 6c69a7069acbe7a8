"""Find quotations in text files: the stable contract for batch use and evaluation.

With --stale, instead: queue extraction for every article whose suggestions are behind
its text (the sweep `manage.py run_worker` runs as it starts)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.quotes.extraction import extract
from apps.quotes.extraction.contract import as_json


class Command(BaseCommand):
    help = (
        "Print the quotations found in each file as one JSON object: "
        '{"documents": [{"path", "quotes": [...]}]}. Offsets index the file decoded as UTF-8. '
        "With --stale: queue extraction of every article whose suggestions are behind its text."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=str)
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument(
            "--stale",
            action="store_true",
            help="queue extraction of every article whose suggestions are behind its text "
            "(lost queue entries, a worker killed mid-task, a failure) instead",
        )

    def handle(self, *args, paths, format, stale=False, **options):
        if stale:
            if paths:
                raise CommandError("Give files to read, or --stale, not both.")
            from apps.quotes.tasks import Kind, sweep

            queued = sweep(Kind.EXTRACTION)
            self.stdout.write(f"{queued} article(s) queued for finding quotes.")
            return
        if not paths:
            raise CommandError("Give the text files to read (or --stale).")
        documents, failures = [], 0
        for given in paths:
            try:
                text = Path(given).read_bytes().decode("utf-8")
            except OSError as exc:
                failures += 1
                self.stderr.write(f"{given}: cannot read ({exc.strerror or exc}).")
                continue
            except UnicodeDecodeError as exc:
                failures += 1
                self.stderr.write(f"{given}: not UTF-8 text (bad byte at position {exc.start}).")
                continue
            documents.append({"path": given, "quotes": [as_json(q) for q in extract(text)]})
        if format == "json":
            self.stdout.write(json.dumps({"documents": documents}, ensure_ascii=False))
        else:
            for document in documents:
                self.stdout.write(f"{document['path']}: {len(document['quotes'])} quotation(s)")
                for q in document["quotes"]:
                    who = q["speaker"]["name"] if q["speaker"] else "?"
                    self.stdout.write(
                        f"  [{q['start']}:{q['end']}] {q['kind']:<8} {who}: {q['text'][:80]}"
                    )
        if failures:
            sys.exit(1)
