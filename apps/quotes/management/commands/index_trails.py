"""(Re)build the quote-trail index of every article."""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from tqdm import tqdm

from apps.articles.models import Article
from apps.quotes.models import Shingle
from apps.quotes.trails import WINDOW, index_article


class Command(BaseCommand):
    help = (
        f"Rebuild the quote-trail index (windows of {WINDOW} words) of every article, one "
        "transaction per article: for archives imported or restored before the index existed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, no_progress, **options):
        began = time.monotonic()
        total = Article.objects.count()
        articles = Article.objects.order_by("pk").only("body").iterator(chunk_size=200)
        windows = 0
        progress = tqdm(
            articles, total=total, unit="article", disable=no_progress, file=self.stderr._out
        )
        for article in progress:
            with transaction.atomic():
                windows += index_article(article)
        if connection.vendor == "postgresql":  # fresh statistics, or the planner scans
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(Shingle._meta.db_table)}")
        self.stdout.write(
            f"Indexed {total:,} article(s): {windows:,} windows of {WINDOW} words "
            f"in {time.monotonic() - began:.1f} s."
        )
