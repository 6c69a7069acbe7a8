import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.articles.models import Article
from apps.quotes import webannotation
from apps.quotes.models import Quote


class Command(BaseCommand):
    help = "Print an article's quotes as W3C Web Annotation JSON-LD."

    def add_arguments(self, parser):
        parser.add_argument("article_id", type=int)
        parser.add_argument(
            "--base-url",
            default=settings.QUOTETRAIL_BASE_URL,
            help="Where Quotetrail is served, for the annotations' ids (default: %(default)s).",
        )

    def handle(self, *args, article_id, base_url, **options):
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise CommandError(f"No article with id {article_id}.")
        base = base_url.rstrip("/")
        document = webannotation.collection(
            article,
            Quote.objects.for_article(article).prefetch_related("stances__claim"),
            lambda path: f"{base}{path}",
        )
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
