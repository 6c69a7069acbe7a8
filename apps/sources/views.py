import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.articles.importing import ImportRefused
from apps.core.partials import kept
from apps.core.roles import can_tag, requires
from apps.core.versions import collecting, derived, key

from .forms import MergeForm, OriginalForm, SourceDocumentForm, SourceForm, SpeakerForm
from .lookup import (
    article_label,
    source_label,
    speaker_label,
    suggest_articles,
    suggest_sources,
    suggest_speakers,
)
from .merging import merge_speakers
from .models import Source, Speaker

PER_PAGE = 50


@require_GET
def speaker_list(request):
    speakers = Speaker.objects.select_related("affiliation").order_by("name", "id")
    page = Paginator(speakers, PER_PAGE).get_page(request.GET.get("page"))
    _count_quotes(Speaker, page)
    return render(request, "sources/speaker_list.html", {"page": page})


def _count_quotes(model, page) -> None:
    """Each row's `quote_count`, counted for the page's rows only (one indexed query),
    so a list page costs the same whatever the archive's size."""
    counts = dict(
        model.objects.filter(pk__in=[row.pk for row in page])
        .annotate(n=Count("quotes"))
        .values_list("pk", "n")
    )
    for row in page:
        row.quote_count = counts[row.pk]


@require_GET
def speaker_detail(request, pk):
    speaker = get_object_or_404(Speaker.objects.select_related("affiliation"), pk=pk)
    quotes = speaker.quotes.select_related("article", "source").order_by(
        "-article__published", "article_id", "start"
    )
    aliases, members = derived(
        "speaker-names",
        pk,
        lambda: (list(speaker.aliases.all()), list(speaker.members.all())),
        (key("speaker", pk),),
    )
    return render(
        request,
        "sources/speaker_detail.html",
        {
            "speaker": speaker,
            "aliases": aliases,
            "members": members,
            "quote_table": _quote_table(request, quotes, ("speaker", pk), show_speaker=False),
            "merge_form": MergeForm(),
        },
    )


def _quote_table(request, quotes, owner, show_speaker, show_verdict=False) -> SafeString:
    """A page of a speaker's or source's statements, rendered once per change to them
    (a verdict checked again in bulk moves the owners' counters: apps/quotes/verdicts.py)."""
    requested = str(request.GET.get("page") or 1)[:12]

    def table():
        page = Paginator(quotes.defer("article__body"), PER_PAGE).get_page(requested)
        return {"page": page, "show_speaker": show_speaker, "show_verdict": show_verdict}

    return kept(
        "sources/quote_table.html",
        table,
        parts=(owner, requested),
        owners=(key(*owner),),
        name="quote-table",
    )


def _edit(request, instance, form_class, name):
    """Edit one speaker or source on its own page; 400 with the errors when invalid."""
    form = form_class(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {name}.")
        return redirect(instance)
    context = {"form": form, "object": instance, "heading": f"Edit {name}"}
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


@requires(can_tag)
@require_http_methods(["GET", "POST"])
def speaker_edit(request, pk):
    speaker = get_object_or_404(Speaker, pk=pk)
    return _edit(request, speaker, SpeakerForm, speaker.name)


@requires(can_tag)
@require_http_methods(["POST"])
def speaker_merge(request, pk):
    survivor = get_object_or_404(Speaker, pk=pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        name = duplicate.name
        try:
            moved = merge_speakers(survivor, duplicate)
        except ValidationError as refusal:
            form.add_error("duplicate", refusal)
        else:
            messages.success(
                request, f"Merged {name} into {survivor.name}: {moved} quote(s) moved."
            )
            return redirect(survivor)
    return render(
        request,
        "sources/speaker_merge.html",
        {"speaker": survivor, "merge_form": form},
        status=400,
    )


def typed_query(request) -> str:
    """The typed text: `q`, or the one field an htmx input sends under its own name."""
    return (request.GET.get("q") or next(iter(request.GET.values()), ""))[:200]


@require_GET
def speaker_options(request):
    """Datalist options for the speaker fields, as the editor types."""
    speakers = suggest_speakers(typed_query(request))
    options = [(speaker_label(s), s.role or s.get_kind_display()) for s in speakers]
    return render_options(request, options, "speaker-options")


@require_GET
def source_options(request):
    sources = suggest_sources(typed_query(request))
    options = [(source_label(s), s.get_kind_display()) for s in sources]
    return render_options(request, options, "source-options")


def render_options(request, options, default_id):
    """A <datalist> for the input that asked (htmx names its target), or the default."""
    target = request.htmx.target if request.htmx and request.htmx.target else default_id
    datalist_id = target if re.fullmatch(r"[a-z-]{1,40}", target) else default_id
    return render(request, "sources/options.html", {"options": options, "datalist_id": datalist_id})


@require_GET
def article_options(request):
    """Datalist options for a source's original text: articles of the archive by title."""
    articles = suggest_articles(typed_query(request))
    options = [(article_label(a), a.outlet or "Article") for a in articles]
    return render_options(request, options, "original-options")


@require_GET
def source_list(request):
    sources = Source.objects.order_by("-date", "title", "id")
    page = Paginator(sources, PER_PAGE).get_page(request.GET.get("page"))
    _count_quotes(Source, page)
    return render(request, "sources/source_list.html", {"page": page})


def _source_page(request, source, original_form=None, status=200):
    quotes = source.quotes.select_related("article", "speaker").order_by("article_id", "start")
    table = _quote_table(request, quotes, ("source", source.pk), True, show_verdict=True)
    if original_form is None and can_tag(request.user):
        initial = {"original": article_label(source.article) if source.article_id else ""}
        original_form = OriginalForm(initial=initial)
    context = {"source": source, "quote_table": table, "original_form": original_form}
    return render(request, "sources/source_detail.html", context, status=status)


@require_GET
def source_detail(request, pk):
    source = get_object_or_404(Source.objects.select_related("article"), pk=pk)
    return _source_page(request, source)


@requires(can_tag)
@require_POST
def source_original(request, pk):
    """Link an article of the archive as the source's original text, or unlink it (an
    empty field, or the Unlink button); its quotes are checked again against it."""
    source = get_object_or_404(Source.objects.select_related("article"), pk=pk)
    data = {"original": ""} if "unlink" in request.POST else request.POST
    form = OriginalForm(data)
    if not form.is_valid():
        return _source_page(request, source, original_form=form, status=400)
    article = form.cleaned_data["original"]
    with collecting():  # the link and every verdict it changes, in one transaction
        locked = get_object_or_404(Source.objects.select_for_update(), pk=source.pk)
        locked.article = article
        locked.save(update_fields=["article", "updated_at"])
    if article is None:
        messages.success(request, f"“{source.title}” no longer has an original text.")
    else:
        messages.success(request, f"“{article.title}” is now the original text of “{source}”.")
    return redirect(source)


@requires(can_tag)
@require_http_methods(["GET", "POST"])
def import_original(request):
    """Import a document (press release, transcript, statement, investigation) as a
    source's original text: the import form, with the source it belongs to (an existing
    one, or a new one with its kind and publisher). Nothing is written unless both are."""
    if request.method == "POST":
        form = SourceDocumentForm(request.POST, request.FILES)
    else:
        form = SourceDocumentForm(initial={"source": request.GET.get("source", "")[:400]})
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source_obj"]
        try:
            with collecting():
                article = form.import_article(request.user)
                if source.pk is not None:
                    source = Source.objects.select_for_update().filter(pk=source.pk).first()
                    if source is None:  # rolls the import back with it
                        raise ImportRefused("That source was deleted a moment ago; pick it again.")
                source.article = article
                source.save()
        except ImportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Imported “{article.title}”, the original of “{source}”.")
            return redirect(article)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "source_document": True}
    return render(request, "articles/import.html", context, status=status)


@requires(can_tag)
@require_http_methods(["GET", "POST"])
def source_edit(request, pk):
    source = get_object_or_404(Source, pk=pk)
    return _edit(request, source, SourceForm, source.title)
