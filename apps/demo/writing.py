"""Writing a built archive: batch by batch with `bulk_create`, one transaction per
batch of articles (articles, their sources, quotes, stances), never a per-row `save()`,
so memory stays bounded whatever the archive size.
"""

from __future__ import annotations

import datetime
import itertools
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from apps.articles.models import Article, fingerprint
from apps.claims.models import Claim, Stance
from apps.core.review import ReviewStatus
from apps.quotes import verdicts
from apps.quotes.anchoring import CONTEXT
from apps.quotes.models import Quote, Shingle
from apps.quotes.shingles import index_articles, rebuild_index
from apps.sources.models import Source, Speaker, SpeakerAlias, SpeakerKind

from .building import (
    BENCH_TITLE,
    ROWS_PER_INSERT,
    ArticleSpec,
    Cast,
    build_article,
    build_cast,
    quote_counts,
)
from .reprints import build_run
from .vocabulary import REJECTIONS

# --- writing ------------------------------------------------------------------------


@dataclass
class Report:
    seed: int
    run: int
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    index_seconds: float = 0.0  # building the trail index of a new archive, in `seconds`

    def summary(self) -> str:
        c = self.counts
        rate_a = c["articles"] / self.seconds if self.seconds else 0.0
        rate_q = c["quotes"] / self.seconds if self.seconds else 0.0
        return (
            f"Seed {self.seed}, run {self.run}: created {c['articles']:,} articles, "
            f"{c['quotes']:,} quotes, {c['sources']:,} sources, {c['stances']:,} stances, "
            f"{c['speakers']:,} speakers ({c['aliases']:,} aliases), {c['claims']:,} claims, "
            f"{c['windows']:,} quote-trail windows, {c['verdicts']:,} verbatim verdicts "
            f"in {self.seconds:,.1f} s "
            f"({rate_a:,.0f} articles/s, {rate_q:,.0f} quotes/s"
            + (f"; trail index built in {self.index_seconds:,.1f} s" if self.index_seconds else "")
            + ")."
        )


def next_run(seed: int) -> int:
    """The first run number of this seed not yet in the database."""
    run = 1
    while Article.objects.filter(url__contains=f"-qt{seed}-r{run}-").exists():
        run += 1
    return run


def _chunks(items: Sequence, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _write_cast(cast: Cast, report: Report) -> tuple[list[int], list[int]]:
    """Speaker and claim primary keys, reusing rows that already exist."""
    speaker_pks: list[int | None] = [None] * len(cast.speakers)
    wanted = {(s.name, s.kind): i for i, s in enumerate(cast.speakers)}
    for chunk in _chunks(sorted({s.name for s in cast.speakers}), 500):
        for pk, name, kind in Speaker.objects.filter(name__in=chunk).values_list(
            "pk", "name", "kind"
        ):
            i = wanted.get((name, kind))
            if i is not None and speaker_pks[i] is None:
                speaker_pks[i] = pk
    with transaction.atomic():
        for kind in (SpeakerKind.ORGANIZATION, SpeakerKind.PERSON):  # affiliations first
            todo = [
                i for i, s in enumerate(cast.speakers) if s.kind == kind and speaker_pks[i] is None
            ]
            rows = [
                Speaker(
                    name=cast.speakers[i].name,
                    kind=kind,
                    role=cast.speakers[i].role,
                    affiliation_id=(
                        speaker_pks[cast.speakers[i].affiliation]
                        if cast.speakers[i].affiliation is not None
                        else None
                    ),
                )
                for i in todo
            ]
            Speaker.objects.bulk_create(rows, batch_size=ROWS_PER_INSERT)
            for i, row in zip(todo, rows, strict=True):
                speaker_pks[i] = row.pk
            report.counts["speakers"] += len(rows)
            aliases = [
                SpeakerAlias(speaker_id=speaker_pks[i], alias=alias)
                for i in todo
                for alias in cast.speakers[i].aliases
            ]
            SpeakerAlias.objects.bulk_create(
                aliases, batch_size=ROWS_PER_INSERT, ignore_conflicts=True
            )
            report.counts["aliases"] += len(aliases)

        claim_pks: list[int | None] = [None] * len(cast.claims)
        by_text = {c.text.lower(): i for i, c in enumerate(cast.claims)}
        for chunk in _chunks(list(by_text), 500):
            for pk, lowered in (
                Claim.objects.annotate(lowered=Lower("text"))
                .filter(lowered__in=chunk)
                .values_list("pk", "lowered")
            ):
                claim_pks[by_text[lowered]] = pk
        todo = [i for i, pk in enumerate(claim_pks) if pk is None]
        rows = [
            Claim(text=cast.claims[i].text, description=cast.claims[i].description) for i in todo
        ]
        Claim.objects.bulk_create(rows, batch_size=ROWS_PER_INSERT)
        for i, row in zip(todo, rows, strict=True):
            claim_pks[i] = row.pk
        report.counts["claims"] += len(rows)
    return speaker_pks, claim_pks  # type: ignore[return-value]


def _write_batch(
    specs: list[ArticleSpec],
    speaker_pks: list[int],
    claim_pks: list[int],
    article_pks: dict[int, int],
    report: Report,
    index: bool = True,
) -> None:
    """One transaction: the articles, then their sources, quotes and stances."""
    now = timezone.now()
    with transaction.atomic():
        articles = [
            Article(
                title=s.title,
                outlet=s.outlet,
                url=s.url,
                published=s.published,
                byline=s.byline,
                body=s.body,
                fingerprint=fingerprint(s.title, s.body),
            )
            for s in specs
        ]
        Article.objects.bulk_create(articles, batch_size=ROWS_PER_INSERT)
        for spec, article in zip(specs, articles, strict=True):
            article_pks[spec.index] = article.pk
        if index:  # bulk_create sends no post_save: the trail index is written here
            report.counts["windows"] += index_articles(
                ((a.pk, a.body) for a in articles), replace=False
            )
        sources = [
            Source(
                kind=src.kind,
                title=src.title,
                publisher=src.publisher,
                url=src.url,
                date=src.date,
                article_id=article_pks.get(src.linked_article)
                if src.linked_article is not None
                else None,
            )
            for s in specs
            for src in s.sources
        ]
        Source.objects.bulk_create(sources, batch_size=ROWS_PER_INSERT)
        quotes: list[Quote] = []
        stance_specs: list[tuple[int, tuple]] = []
        offset = 0
        for spec, article in zip(specs, articles, strict=True):
            body = spec.body
            day = datetime.datetime.combine(spec.published, datetime.time(12), datetime.UTC)
            for q in spec.quotes:
                decided = q.status in (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
                if q.stances:
                    stance_specs.append((len(quotes), q.stances))
                quotes.append(
                    Quote(
                        article_id=article.pk,
                        start=q.start,
                        end=q.end,
                        exact=body[q.start : q.end],
                        prefix=body[max(0, q.start - CONTEXT) : q.start],
                        suffix=body[q.end : q.end + CONTEXT],
                        kind=q.kind,
                        speaker_id=speaker_pks[q.speaker] if q.speaker is not None else None,
                        source_id=sources[offset + q.source].pk if q.source is not None else None,
                        cue=q.cue,
                        note=q.note,
                        status=q.status,
                        review_reason=REJECTIONS[q.start % len(REJECTIONS)]
                        if q.status == ReviewStatus.REJECTED
                        else "",
                        reviewed_at=min(now, day + datetime.timedelta(days=1)) if decided else None,
                    )
                )
            offset += len(spec.sources)
        Quote.objects.bulk_create(quotes, batch_size=ROWS_PER_INSERT)
        stances = [
            Stance(quote_id=quotes[i].pk, claim_id=claim_pks[c], position=position, status=status)
            for i, specs_ in stance_specs
            for c, position, status in specs_
        ]
        Stance.objects.bulk_create(stances, batch_size=ROWS_PER_INSERT)
    report.counts["articles"] += len(articles)
    report.counts["sources"] += len(sources)
    report.counts["quotes"] += len(quotes)
    report.counts["stances"] += len(stances)


def generate(
    articles: int,
    quotes: int,
    *,
    seed: int = 0,
    batch_size: int = 100,
    bench_sizes: Sequence[int] = (),
    run: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    indexing: Callable[[int, int], None] | None = None,
) -> Report:
    """Write an archive of `articles` articles holding `quotes` quotes in all.

    `bench_sizes` adds one "Benchmark article with <n> quotes" per size, on top.
    `progress(articles_done, quotes_done)` is called after every batch, and
    `indexing(articles, windows)` as the trail index of a new archive is built.
    """
    if articles < 0 or quotes < 0 or seed < 0:
        raise ValueError("articles, quotes and seed cannot be negative")
    if quotes and not articles:
        raise ValueError("quotes need at least one article")
    started = time.perf_counter()
    run = next_run(seed) if run is None else run
    report = Report(seed=seed, run=run)
    cast = build_cast(seed, articles)
    speaker_pks, claim_pks = _write_cast(cast, report)
    counts = quote_counts(seed, run, articles, quotes)
    article_pks: dict[int, int] = {}
    batch_size = max(1, batch_size)
    # The quote-trail index: written batch by batch into an archive that has one, built
    # in one pass at the end (indexes dropped meanwhile, `rebuild_index`) when it is empty.
    rebuild = not Shingle.objects.exists()
    built = build_run(seed, run, counts, cast)
    while specs := list(itertools.islice(built, batch_size)):
        _write_batch(specs, speaker_pks, claim_pks, article_pks, report, index=not rebuild)
        if progress:
            progress(len(specs), sum(len(s.quotes) for s in specs))
    for n in bench_sizes:
        spec = build_article(
            seed,
            run,
            articles + n,
            n,
            cast,
            title=BENCH_TITLE.format(n=n),
            dense=True,
            ref=f"B{n}",
        )
        _write_batch([spec], speaker_pks, claim_pks, article_pks, report, index=not rebuild)
        if progress:
            progress(1, n)
    if rebuild:
        began = time.perf_counter()
        report.counts["windows"] = rebuild_index(indexing)
        report.index_seconds = time.perf_counter() - began
    # Quotes are written in bulk, past Quote.save(): check those whose source holds its
    # original text in the archive (their verbatim verdict), as a save would.
    report.counts["verdicts"] = len(
        verdicts.refresh(
            Quote.objects.filter(article_id__in=article_pks.values(), source__article__isnull=False)
        )
    )
    report.seconds = time.perf_counter() - started
    return report
