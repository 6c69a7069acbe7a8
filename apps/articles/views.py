from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.roles import can_import, requires

from . import import_jobs
from .forms import FeedImportForm, ImportForm, UrlsImportForm
from .importing import ImportRefused
from .models import Article, ImportJob

ARTICLES_PER_PAGE = 25
COUNTS = ("quote_count", "speaker_count", "unattributed_count")


@require_GET
def article_list(request):
    articles = Article.objects.defer("body").order_by("-published", "-created_at", "-id")
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    # Counted for the page's articles only: an index lookup each, whatever the archive's size.
    counts = Article.objects.filter(pk__in=[a.pk for a in page]).with_counts()
    by_id = {row["pk"]: row for row in counts.values("pk", *COUNTS)}
    originals = _originals_of([a.pk for a in page])
    for article in page:
        for name in COUNTS:
            setattr(article, name, by_id[article.pk][name])
        article.original_of = originals.get(article.pk, [])
    return render(request, "articles/list.html", {"page": page})


def _originals_of(article_ids) -> dict[int, list[tuple[int, str]]]:
    """The sources (id, title) each article is the original document of (one query; the
    relation is the sources app's `Source.article`, read here by its name only)."""
    rows = (
        Article.objects.filter(pk__in=article_ids, as_sources__isnull=False)
        .order_by("pk", "as_sources__title")
        .values_list("pk", "as_sources__pk", "as_sources__title")
    )
    found: dict[int, list[tuple[int, str]]] = {}
    for pk, source_id, title in rows:
        found.setdefault(pk, []).append((source_id, title))
    return found


@requires(can_import)
@require_http_methods(["GET", "POST"])
def import_article(request):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            article = form.import_article(request.user)
        except ImportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Imported “{article.title}”.")
            return redirect(article)
    status = 400 if request.method == "POST" else 200
    return _import_page(request, status, form=form)


RECENT_JOBS = 10


def _import_page(request, status: int = 200, **forms):
    context = {
        "form": forms.get("form") or ImportForm(),
        "feed_form": forms.get("feed_form") or FeedImportForm(),
        "urls_form": forms.get("urls_form") or UrlsImportForm(),
        "recent_jobs": ImportJob.objects.select_related("created_by")[:RECENT_JOBS],
        "max_urls": import_jobs.max_urls(),
    }
    return render(request, "articles/import.html", context, status=status)


@requires(can_import)
@require_POST
def import_feed(request):
    """Queue the import of a feed's entries; the job's page follows it."""
    form = FeedImportForm(request.POST)
    if not form.is_valid():
        return _import_page(request, 400, feed_form=form)
    job = import_jobs.create_feed_job(form.cleaned_data["url"], request.user)
    return redirect(job)


@requires(can_import)
@require_POST
def import_urls(request):
    """Queue the import of article pages, one URL a line; the job's page follows it."""
    form = UrlsImportForm(request.POST)
    if not form.is_valid():
        return _import_page(request, 400, urls_form=form)
    job = import_jobs.create_urls_job(form.cleaned_data["urls"], request.user)
    return redirect(job)


@requires(can_import)
@require_GET
def import_job(request, pk: int):
    """A bulk import's progress and, once it ends, what became of each item. htmx polls
    the progress region (every second) until the job is finished."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    context = {"job": job, "counts": import_jobs.counts(job)}
    if job.finished:
        context["items"] = job.items.select_related("article").order_by("position")
    template = "articles/import_job.html#progress" if request.htmx else "articles/import_job.html"
    return render(request, template, context)
