"""Train the extractor's learned step on PolNeAR's training split (``make train``)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.quotes.extraction.model import ARTIFACT
from apps.quotes.extraction.training import TrainingError, train


class Command(BaseCommand):
    help = (
        "Train the extraction model on the PolNeAR training split and write extraction/model.json."
    )
    requires_system_checks = []  # the model being rebuilt may be missing or broken

    def add_arguments(self, parser):
        parser.add_argument(
            "data_dir",
            nargs="?",
            default=str(Path(settings.BASE_DIR).parent / "shared" / "eval" / "polnear-train"),
            help="Directory with text/, attributions/ and metadata.tsv (default: %(default)s).",
        )
        parser.add_argument("--output", default=str(ARTIFACT), help="Where to write the model.")

    def handle(self, *args, data_dir, output, **options):
        path = Path(data_dir)
        if not (path / "text").is_dir() or not (path / "attributions").is_dir():
            raise CommandError(f"{path} has no text/ and attributions/ directories.")
        try:
            artifact = train(path, progress=lambda line: self.stderr.write(line))
        except TrainingError as exc:
            raise CommandError(str(exc)) from exc
        Path(output).write_text(artifact, encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({len(artifact.encode()) // 1024} KB).")
