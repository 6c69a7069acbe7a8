"""Downloads: every quote (or one article's) as CSV, an article's quotes as W3C Web
Annotations."""

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from apps.articles.models import Article
from apps.core.http import number

from . import webannotation
from .exports import QUOTE_COLUMNS, csv_lines, quote_rows
from .models import Quote


@require_GET
def article_annotations(request, pk):
    """The article's quotes as a W3C Web Annotation collection (JSON-LD download)."""
    article = get_object_or_404(Article, pk=pk)
    document = webannotation.collection(
        article,
        Quote.objects.for_article(article).prefetch_related("stances__claim"),
        request.build_absolute_uri,
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
    )
    response["Content-Disposition"] = f'attachment; filename="article-{article.pk}-quotes.jsonld"'
    return response


@require_GET
def quotes_csv(request):
    """Every quote (or one article's, `?article=ID`) as CSV."""
    quotes = Quote.objects.select_related("article", "speaker__affiliation", "source").order_by(
        "article_id", "start", "id"
    )
    article = number(request.GET.get("article"))
    if article is not None:
        quotes = quotes.filter(article_id=article)
    response = StreamingHttpResponse(
        csv_lines(QUOTE_COLUMNS, quote_rows(quotes.iterator(chunk_size=2000))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="quotetrail-quotes.csv"'
    return response
