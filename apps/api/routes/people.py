"""Speakers and sources: who said it, and where it was first said."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from apps.articles.models import Article
from apps.sources.forms import SourceForm, SpeakerForm
from apps.sources.lookup import article_label
from apps.sources.models import Source, Speaker

from ..access import require_tag
from ..pagination import page
from ..problems import form_errors, invalid
from ..schemas import (
    SourceIn,
    SourceOut,
    SourcePage,
    SpeakerIn,
    SpeakerOut,
    SpeakerPage,
    source_out,
    speaker_out,
)

router = Router(tags=["speakers and sources"])


def _speakers():
    return Speaker.objects.select_related("affiliation").prefetch_related("aliases")


@router.get("/speakers", response=SpeakerPage, summary="List speakers")
def list_speakers(
    request, q: str | None = None, cursor: str | None = None, limit: int | None = None
):
    """`q` matches a name or an alias, in part, ignoring case."""
    speakers = _speakers()
    if q:
        speakers = speakers.filter(Q(name__icontains=q) | Q(aliases__alias__icontains=q)).distinct()
    return page(request, speakers, cursor, limit, speaker_out)


@router.get("/speakers/{int:speaker_id}", response=SpeakerOut, summary="A speaker")
def get_speaker(request, speaker_id: int):
    return speaker_out(get_object_or_404(_speakers(), pk=speaker_id))


@router.post("/speakers", response={201: SpeakerOut}, summary="Add a speaker")
def add_speaker(request, payload: SpeakerIn):
    require_tag(request)
    if any("\n" in alias for alias in payload.aliases):
        raise invalid("aliases", "One alias per item, without line breaks.")
    form = SpeakerForm(
        {
            "name": payload.name,
            "kind": payload.kind,
            "role": payload.role,
            "affiliation": "" if payload.affiliation_id is None else str(payload.affiliation_id),
            "aliases": "\n".join(payload.aliases),
        }
    )
    if not form.is_valid():
        raise form_errors(form, {"affiliation": "affiliation_id"})
    speaker = form.save()
    return Status(201, speaker_out(get_object_or_404(_speakers(), pk=speaker.pk)))


@router.get("/sources", response=SourcePage, summary="List sources")
def list_sources(
    request, q: str | None = None, cursor: str | None = None, limit: int | None = None
):
    """`q` matches a title or a publisher, in part, ignoring case."""
    sources = Source.objects.all()
    if q:
        sources = sources.filter(Q(title__icontains=q) | Q(publisher__icontains=q))
    return page(request, sources, cursor, limit, source_out)


@router.get("/sources/{int:source_id}", response=SourceOut, summary="A source")
def get_source(request, source_id: int):
    return source_out(get_object_or_404(Source, pk=source_id))


@router.post("/sources", response={201: SourceOut}, summary="Add a source")
def add_source(request, payload: SourceIn):
    require_tag(request)
    original = ""
    if payload.original_article_id is not None:
        article = Article.objects.filter(pk=payload.original_article_id).first()
        if article is None:
            raise invalid(
                "original_article_id", f"No article has id {payload.original_article_id}."
            )
        original = article_label(article)
    form = SourceForm(
        {
            "title": payload.title,
            "kind": payload.kind,
            "publisher": payload.publisher,
            "url": payload.url,
            "date": payload.date.isoformat() if payload.date else "",
            "original": original,
        }
    )
    if not form.is_valid():
        raise form_errors(form, {"original": "original_article_id"})
    return Status(201, source_out(form.save()))
