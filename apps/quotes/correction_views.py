"""Correcting an article's title or body from its page (apps/quotes/correction.py
re-anchors every quote)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from apps.articles.models import Article
from apps.core.roles import can_import, requires

from .correction import correct_body
from .tagging import StaleVersion, TaggingRefused

TEMPLATE = "quotes/article_edit.html"


@requires(can_import)
@require_http_methods(["GET", "POST"])
def article_edit(request, pk):
    """Correct an article's title or body; every quote is re-anchored."""
    article = get_object_or_404(Article, pk=pk)
    context = {
        "article": article,
        "title": article.title,
        "body": article.body,
        "fingerprint": article.fingerprint,
    }
    if request.method == "GET":
        return render(request, TEMPLATE, context)
    title = request.POST.get("title", "")
    body = request.POST.get("body", "")
    context.update(title=title, body=body)
    try:
        result = correct_body(article.pk, request.POST.get("fingerprint", ""), title, body)
    except StaleVersion:
        article.refresh_from_db()
        context.update(
            error="Someone else changed this article while you were editing. "
            "Their version is below; your text is kept in the box so you can copy it.",
            stale=True,
            theirs=article.body,
            fingerprint=article.fingerprint,
        )
        return render(request, TEMPLATE, context, status=409)
    except TaggingRefused as refusal:
        context["error"] = str(refusal)
        return render(request, TEMPLATE, context, status=400)
    summary = f"Article corrected: {result.kept + len(result.moved)} quote(s) in place"
    if result.repaired:
        summary += f", {len(result.repaired)} repaired"
    if result.orphaned:
        summary += f", {len(result.orphaned)} no longer found (listed under “Needs repair”)"
    messages.success(request, summary + ".")
    return redirect(article)
