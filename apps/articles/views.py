from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.roles import can_import, requires

from .forms import ImportForm
from .importing import ImportRefused, create_article, import_bytes, parse
from .models import Article

ARTICLES_PER_PAGE = 25


@require_GET
def article_list(request):
    articles = (
        Article.objects.with_counts().defer("body").order_by("-published", "-created_at", "-id")
    )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/list.html", {"page": page})


@requires(can_import)
@require_http_methods(["GET", "POST"])
def import_article(request):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                upload = data["file"]
                article = import_bytes(
                    upload.read(), upload.name, form.metadata(), request.user, data["title"]
                )
            else:
                fmt = data.get("pasted_format") or "text"
                title, body = parse(data["text"], fmt, title=data["title"])
                article = create_article(title, body, form.metadata(), request.user)
        except ImportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Imported “{article.title}”.")
            return redirect(article)
    status = 400 if request.method == "POST" else 200
    return render(request, "articles/import.html", {"form": form}, status=status)
