"""(Re)build the quote-trail index of every article; or, with --stale, queue the
indexing of the articles whose index is behind their text."""

import time

from django.core.management.base import BaseCommand
from django.db import connection
from tqdm import tqdm

from apps.articles.models import Article
from apps.quotes.models import Shingle
from apps.quotes.shingles import WINDOW, rebuild_index


class Command(BaseCommand):
    help = (
        f"Rebuild the quote-trail index (windows of {WINDOW} words) of every article, in one "
        "transaction: for archives imported or restored before the index existed. On "
        "PostgreSQL the rows are copied in with the table's indexes dropped and built again "
        "after; trail lookups wait until it is done. With --stale: only queue the indexing "
        "of every article whose index is behind its text, for the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--stale",
            action="store_true",
            help="queue the indexing of the articles whose index is behind their text instead",
        )

    def handle(self, *args, no_progress, stale=False, **options):
        if stale:
            from apps.quotes.tasks import Kind, sweep

            queued = sweep(Kind.INDEXING)
            self.stdout.write(f"{queued} article(s) queued for indexing.")
            return
        began = time.monotonic()
        total = Article.objects.count()
        progress = tqdm(
            total=total, unit="article", disable=no_progress, file=self.stderr._out, smoothing=0.1
        )
        seen = {"windows": 0}

        def advance(articles: int, windows: int) -> None:
            seen["windows"] += windows
            progress.set_postfix(windows=f"{seen['windows']:,}", refresh=False)
            progress.update(articles)
            if progress.n >= total:
                progress.set_description("building the indexes")

        with progress:
            windows = rebuild_index(advance)
        size = ""
        if connection.vendor == "postgresql":
            table = Shingle._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_table_size(%s), pg_indexes_size(%s), pg_relation_size(%s)",
                    [table, table, "shingle_hash"],
                )
                table_bytes, index_bytes, hash_bytes = cursor.fetchone()
            size = (
                f"; table {table_bytes / 2**20:,.0f} MB, indexes {index_bytes / 2**20:,.0f} MB "
                f"(on the hash {hash_bytes / 2**20:,.0f} MB)"
            )
        self.stdout.write(
            f"Indexed {total:,} article(s): {windows:,} windows of {WINDOW} words "
            f"in {time.monotonic() - began:.1f} s{size}."
        )
