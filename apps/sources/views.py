from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Source, Speaker

PER_PAGE = 50


@require_GET
def speaker_list(request):
    speakers = (
        Speaker.objects.select_related("affiliation")
        .annotate(quote_count=Count("quotes"))
        .order_by("name", "id")
    )
    page = Paginator(speakers, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sources/speaker_list.html", {"page": page})


@require_GET
def speaker_detail(request, pk):
    speaker = get_object_or_404(Speaker.objects.select_related("affiliation"), pk=pk)
    quotes = speaker.quotes.select_related("article", "source").order_by(
        "-article__published", "article_id", "start"
    )
    page = Paginator(quotes, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sources/speaker_detail.html",
        {
            "speaker": speaker,
            "aliases": list(speaker.aliases.all()),
            "members": list(speaker.members.all()),
            "page": page,
        },
    )


@require_GET
def source_list(request):
    sources = Source.objects.annotate(quote_count=Count("quotes")).order_by("-date", "title", "id")
    page = Paginator(sources, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sources/source_list.html", {"page": page})


@require_GET
def source_detail(request, pk):
    source = get_object_or_404(Source.objects.select_related("article"), pk=pk)
    quotes = source.quotes.select_related("article", "speaker").order_by("article_id", "start")
    page = Paginator(quotes, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sources/source_detail.html", {"source": source, "page": page})
