"""Articles: pushed in by the CMS, read with their quotes, corrected."""

import datetime

from django.conf import settings
from django.db.models import Count
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from apps.articles.importing import AlreadyImported, ImportRefused, Metadata, create_article, parse
from apps.articles.models import Article
from apps.quotes.correction import correct_body
from apps.quotes.models import Quote
from apps.quotes.tagging import StaleVersion, TaggingRefused

from ..access import require_import
from ..pagination import aware, page
from ..problems import Problem, invalid
from ..schemas import (
    ArticleDetail,
    ArticleIn,
    ArticlePage,
    BodyIn,
    CorrectionOut,
    article_out,
    quote_out,
)

router = Router(tags=["articles"])


def _too_long(text: str, what: str) -> None:
    limit = settings.QUOTETRAIL_MAX_BODY_CHARS
    if len(text) > limit:
        raise Problem(
            413,
            f"The {what} is {len(text):,} characters long; Quotetrail accepts at most {limit:,}.",
            errors=[{"field": what, "message": f"At most {limit:,} characters."}],
        )


def detail(article: Article) -> dict:
    quotes = list(Quote.objects.for_article(article))
    out = article_out(article, len(quotes))
    out.update(body=article.body, quotes=[quote_out(q) for q in quotes])
    return out


@router.post("/articles", response={201: ArticleDetail}, summary="Import an article")
def import_article(request, payload: ArticleIn):
    """The same checks and refusals as the import page. Suggestions are extracted and
    the archive indexed after the article is written, as after an import."""
    require_import(request)
    if (payload.body is None) == (payload.html is None):
        raise invalid("body", "Send the text as `body` or the page as `html` (one of the two).")
    text, fmt = (payload.body, "text") if payload.body is not None else (payload.html, "html")
    _too_long(text, "body" if fmt == "text" else "html")
    title = payload.title.strip()
    try:
        title, body = parse(text, fmt, title=title)
        article = create_article(
            title,
            body,
            Metadata(
                outlet=payload.outlet,
                url=payload.url,
                published=payload.published,
                byline=payload.byline,
            ),
            request.user,
        )
    except AlreadyImported as refusal:
        raise Problem(409, str(refusal), existing=refusal.existing.pk) from None
    except ImportRefused as refusal:
        raise Problem(
            422, str(refusal), errors=[{"field": "body", "message": str(refusal)}]
        ) from None
    return Status(201, detail(article))


@router.get("/articles", response=ArticlePage, summary="List articles, oldest first")
def list_articles(
    request,
    outlet: str | None = None,
    updated_since: datetime.datetime | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    articles = Article.objects.annotate(quote_count=Count("quotes"))
    if outlet:
        articles = articles.filter(outlet__iexact=outlet)
    if updated_since:
        articles = articles.filter(updated_at__gte=aware(updated_since))
    return page(request, articles, cursor, limit, lambda a: article_out(a, a.quote_count))


@router.get("/articles/{int:article_id}", response=ArticleDetail, summary="An article")
def get_article(request, article_id: int):
    """The article with its body and every quote in reading order."""
    return detail(get_object_or_404(Article, pk=article_id))


@router.put("/articles/{int:article_id}/body", response=CorrectionOut, summary="Correct an article")
def correct_article(request, article_id: int, payload: BodyIn):
    """Replace the body (and title); every quote is found again in the new text, and a
    quote whose words are gone is kept and flagged orphaned."""
    require_import(request)
    article = get_object_or_404(Article, pk=article_id)
    _too_long(payload.body, "body")
    title = article.title if payload.title is None else payload.title
    try:
        result = correct_body(article.pk, payload.fingerprint, title, payload.body)
    except StaleVersion:
        current = Article.objects.filter(pk=article_id).values_list("fingerprint", flat=True)
        raise Problem(
            409,
            "The article was corrected since you read it; read it again and reapply your change.",
            fingerprint=current.first(),
        ) from None
    except TaggingRefused as refusal:
        raise invalid("body", str(refusal)) from None
    return {
        "article": article_out(result.article),
        "kept": result.kept,
        "moved": [q.pk for q in result.moved],
        "orphaned": [q.pk for q in result.orphaned],
        "repaired": [q.pk for q in result.repaired],
    }
