import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.demo.building import BENCH_SIZES
from apps.demo.writing import generate, next_run


def positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Add a synthetic newsroom archive (articles, speakers, sources, quotes, claims, "
        "stances) with bulk inserts; deterministic for a seed. Re-running adds a new run "
        "(seed and run number in every URL), it never clashes with earlier ones. "
        "No history records or suggestions are made for generated rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=positive, default=100, help="Articles (100).")
        parser.add_argument(
            "--quotes", type=positive, default=10_000, help="Quotes over all articles (10,000)."
        )
        parser.add_argument("--seed", type=positive, default=0, help="Random seed (0).")
        parser.add_argument(
            "--batch-size",
            type=positive,
            default=100,
            help="Articles per transaction (100); rows go in INSERTs of up to 1,000.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--bench",
            action="store_true",
            help="Also add the articles “Benchmark article with 200 quotes” and "
            "“Benchmark article with 2000 quotes”.",
        )

    def handle(self, *args, articles, quotes, seed, batch_size, no_progress, bench, **options):
        if quotes and not articles:
            raise CommandError("--quotes needs at least one article.")
        bench_sizes = BENCH_SIZES if bench else ()
        run = next_run(seed)
        bar = tqdm(
            total=quotes + sum(bench_sizes),
            unit="quote",
            unit_scale=True,
            file=sys.stderr,
            disable=no_progress,
            desc=f"seed {seed} run {run}",
        )
        done = {"articles": 0}

        def progress(n_articles: int, n_quotes: int) -> None:
            done["articles"] += n_articles
            bar.set_postfix(articles=done["articles"], refresh=False)
            bar.update(n_quotes)

        index_bar = None

        def indexing(n_articles: int, n_windows: int) -> None:
            nonlocal index_bar
            if index_bar is None:
                bar.close()
                index_bar = tqdm(
                    total=done["articles"],
                    unit="article",
                    file=sys.stderr,
                    disable=no_progress,
                    desc="trail index",
                )
            index_bar.update(n_articles)
            if index_bar.n >= index_bar.total:
                index_bar.set_description("trail index: building the indexes")

        try:
            report = generate(
                articles,
                quotes,
                seed=seed,
                batch_size=batch_size or 1,
                bench_sizes=bench_sizes,
                run=run,
                progress=progress,
                indexing=indexing,
            )
        finally:
            bar.close()
            if index_bar is not None:
                index_bar.close()
        self.stdout.write(report.summary())
