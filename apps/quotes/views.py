import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from apps.articles.models import Article

from . import webannotation
from .models import Quote
from .reader import read


@require_GET
def article_page(request, pk):
    article = get_object_or_404(Article, pk=pk)
    return render(request, "quotes/article.html", {"reading": read(article), "article": article})


@require_GET
def article_annotations(request, pk):
    """The article's quotes as a W3C Web Annotation collection (JSON-LD download)."""
    article = get_object_or_404(Article, pk=pk)
    document = webannotation.collection(
        article, Quote.objects.for_article(article), request.build_absolute_uri
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
    )
    response["Content-Disposition"] = f'attachment; filename="article-{article.pk}-quotes.jsonld"'
    return response
