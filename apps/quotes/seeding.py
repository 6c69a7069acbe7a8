"""Load a curated seed: an article file plus its hand-checked attributions.

The manifest (JSON) names speakers, sources and quotes by key. A quote gives
the line of the article file it sits on and its exact text; its offsets are
computed here, never typed by hand, and the loader refuses any quote whose
text is not on that line exactly once. Loading is idempotent: a second run
finds everything in place and writes nothing.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from apps.articles.importing import Metadata, create_article, decode
from apps.articles.models import Article, fingerprint
from apps.articles.reading.text import split_title
from apps.sources.models import Source, Speaker, SpeakerAlias

from .models import Quote


class SeedError(Exception):
    """The manifest is inconsistent with its article; the message says where."""


@dataclass
class SeedResult:
    article: Article | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict, name: str) -> None:
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def sync(obj, result: SeedResult, name: str, **fields) -> None:
    """Set fields that differ and save only then, so a re-run writes no history."""
    changed = [key for key, value in fields.items() if getattr(obj, key) != value]
    for key in changed:
        setattr(obj, key, fields[key])
    if changed:
        obj.full_clean()
        obj.save()
        result.count(result.updated, name)


def span_on_line(raw_text: str, body: str, line_no: int, exact: str) -> tuple[int, int]:
    lines = raw_text.splitlines()
    if not 1 <= line_no <= len(lines):
        raise SeedError(f"line {line_no} does not exist (the file has {len(lines)} lines)")
    line = lines[line_no - 1].strip()
    occurrences = line.count(exact)
    if occurrences != 1:
        raise SeedError(f"line {line_no}: {exact!r} occurs {occurrences} times, expected once")
    line_start = body.find(line)
    if line_start == -1 or body.find(line, line_start + 1) != -1:
        raise SeedError(f"line {line_no} is not found exactly once in the article body")
    start = line_start + line.index(exact)
    return start, start + len(exact)


@transaction.atomic
def load_seed(manifest_path: Path) -> SeedResult:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    result = SeedResult()

    meta = manifest["article"]
    raw_text = decode((manifest_path.parent / meta["file"]).read_bytes())
    title, body = split_title(raw_text)
    article = Article.objects.filter(fingerprint=fingerprint(title, body)).first()
    if article is None:
        article = create_article(
            title,
            body,
            Metadata(
                outlet=meta.get("outlet", ""),
                url=meta.get("url", ""),
                published=_date(meta.get("published")),
                byline=meta.get("byline", ""),
            ),
        )
        result.count(result.created, "articles")
    result.article = article

    speakers: dict[str, Speaker] = {}
    for spec in manifest["speakers"]:
        affiliation_key = spec.get("affiliation")
        if affiliation_key and affiliation_key not in speakers:
            raise SeedError(
                f"speaker {spec['key']}: affiliation {affiliation_key!r} is not defined above it"
            )
        fields = {
            "kind": spec["kind"],
            "role": spec.get("role", ""),
            "affiliation": speakers.get(affiliation_key) if affiliation_key else None,
        }
        speaker = Speaker.objects.filter(name=spec["name"]).order_by("id").first()
        if speaker is None:
            speaker = Speaker(name=spec["name"], **fields)
            speaker.full_clean()
            speaker.save()
            result.count(result.created, "speakers")
        else:
            sync(speaker, result, "speakers", **fields)
        for alias in spec.get("aliases", []):
            _, created = SpeakerAlias.objects.get_or_create(speaker=speaker, alias=alias)
            if created:
                result.count(result.created, "aliases")
        speakers[spec["key"]] = speaker

    sources: dict[str, Source] = {}
    for spec in manifest["sources"]:
        fields = {
            "kind": spec["kind"],
            "publisher": spec.get("publisher", ""),
            "url": spec.get("url", ""),
            "date": _date(spec.get("date")),
            "article": article if spec.get("article") else None,
        }
        source = Source.objects.filter(title=spec["title"]).order_by("id").first()
        if source is None:
            source = Source(title=spec["title"], **fields)
            source.full_clean()
            source.save()
            result.count(result.created, "sources")
        else:
            sync(source, result, "sources", **fields)
        sources[spec["key"]] = source

    status = manifest.get("status", Quote.Status.DRAFT)
    for spec in manifest["quotes"]:
        start, end = span_on_line(raw_text, article.body, spec["line"], spec["exact"])
        for key, table in (("speaker", speakers), ("source", sources)):
            if spec.get(key) and spec[key] not in table:
                raise SeedError(f"line {spec['line']}: unknown {key} {spec[key]!r}")
        fields = {
            "kind": spec["kind"],
            "speaker": speakers.get(spec.get("speaker")),
            "source": sources.get(spec.get("source")),
            "cue": spec.get("cue", ""),
            "note": spec.get("note", ""),
            "status": spec.get("status", status),
        }
        quote = Quote.objects.filter(article=article, start=start, end=end, orphaned=False).first()
        if quote is None:
            quote = Quote(article=article, **fields)
            quote.anchor(start, end)
            quote.full_clean()
            quote.save()
            result.count(result.created, "quotes")
        else:
            sync(quote, result, "quotes", **fields)
    return result
