"""The synthetic archive (`generate_demo_data`): every invariant the models promise holds."""

import io
import itertools
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from apps.articles.models import Article, fingerprint
from apps.claims.models import Claim, Position, Stance
from apps.core.review import ReviewStatus
from apps.demo import building, writing
from apps.demo.reprints import build_run
from apps.quotes.anchoring import selector_for
from apps.quotes.models import Quote, QuoteKind, Shingle
from apps.quotes.shingles import WINDOW, normalise, words
from apps.quotes.trails import trail_for_quote
from apps.sources.models import Source, SourceKind, Speaker, SpeakerAlias, SpeakerKind


def check_invariants(article_count: int, quote_count: int) -> None:
    """Everything the database and the models promise, checked on every row."""
    assert Article.objects.count() == article_count
    assert Quote.objects.count() == quote_count
    bodies = dict(Article.objects.values_list("pk", "body"))
    spans: dict[int, list[tuple[int, int]]] = {}
    for quote in Quote.objects.all():
        body = bodies[quote.article_id]
        assert 0 <= quote.start < quote.end <= len(body)
        assert quote.end == quote.start + len(quote.exact)
        assert quote.exact == body[quote.start : quote.end]
        assert quote.exact.strip() == quote.exact
        selector = selector_for(body, quote.start, quote.end)
        assert (quote.prefix, quote.suffix) == (selector.prefix, selector.suffix)
        assert not quote.orphaned
        assert quote.version == 1
        assert quote.status in ReviewStatus.values
        assert quote.kind in QuoteKind.values
        assert (quote.status == ReviewStatus.REJECTED) == bool(quote.review_reason)
        spans.setdefault(quote.article_id, []).append((quote.start, quote.end))
    for article_spans in spans.values():
        article_spans.sort()
        assert len(set(article_spans)) == len(article_spans)  # one quote per span
        for (_, end), (start, _) in itertools.pairwise(article_spans):
            assert end <= start  # and spans never overlap
    for article in Article.objects.all():
        assert article.fingerprint == fingerprint(article.title, article.body)
        assert article.title and article.outlet and article.byline.startswith("By ")
        assert article.url.startswith("https://")
        assert article.published >= building.FIRST_DAY
        assert (article.published - building.FIRST_DAY).days < building.ARCHIVE_DAYS
    urls = list(Article.objects.values_list("url", flat=True))
    assert len(set(urls)) == len(urls)
    for speaker in Speaker.objects.filter(affiliation__isnull=False).select_related("affiliation"):
        assert speaker.affiliation.kind == SpeakerKind.ORGANIZATION
        assert speaker.kind == SpeakerKind.PERSON
    pairs = list(Stance.objects.values_list("quote_id", "claim_id"))
    assert len(set(pairs)) == len(pairs)
    assert set(Stance.objects.values_list("status", flat=True)) <= set(ReviewStatus.values)
    assert set(Stance.objects.values_list("position", flat=True)) <= set(Position.values)
    # A stance is always on an attributed quote.
    assert not Stance.objects.filter(quote__speaker__isnull=True).exists()


def test_small_archive_keeps_every_invariant(db):
    report = writing.generate(15, 400, seed=6, batch_size=4)

    check_invariants(15, 400)
    assert report.counts["articles"] == 15
    assert report.counts["quotes"] == 400
    assert report.counts["stances"] == Stance.objects.count() > 0
    assert report.counts["sources"] == Source.objects.count()
    assert report.counts["claims"] == Claim.objects.count() >= 12
    assert report.counts["speakers"] == Speaker.objects.count()
    assert (report.seed, report.run) == (6, 1)
    # A realistic mix of everything.
    assert set(Source.objects.values_list("kind", flat=True)) == set(SourceKind.values)
    assert set(Quote.objects.values_list("kind", flat=True)) == set(QuoteKind.values)
    assert {p for p in Stance.objects.values_list("position", flat=True)} == set(Position.values)
    statuses = Counter(Quote.objects.values_list("status", flat=True))
    assert statuses.most_common(1)[0][0] == ReviewStatus.APPROVED
    assert statuses[ReviewStatus.APPROVED] > quote_share(0.6, 400)
    assert len(statuses) > 1
    assert Speaker.objects.filter(kind=SpeakerKind.ORGANIZATION).exists()
    assert Speaker.objects.filter(kind=SpeakerKind.PERSON, affiliation__isnull=False).exists()
    assert SpeakerAlias.objects.exists()
    assert Quote.objects.filter(speaker__kind=SpeakerKind.ORGANIZATION).exists()
    assert Quote.objects.filter(source__isnull=False).exists()
    # Direct quotations carry their marks, curly or straight; indirect ones none.
    for quote in Quote.objects.filter(kind=QuoteKind.DIRECT):
        assert quote.exact[0] in '“"' and quote.exact[-1] in '”"'
    for quote in Quote.objects.filter(kind=QuoteKind.INDIRECT):
        assert not set(quote.exact) & set('“”"')
    # Published dates spread over the archive's three years.
    dates = list(Article.objects.values_list("published", flat=True))
    assert len(set(dates)) > 10


def quote_share(share: float, total: int) -> int:
    return int(share * total)


def test_bench_articles_have_exactly_their_quotes(db):
    writing.generate(2, 10, seed=9, bench_sizes=(20, 300))

    check_invariants(4, 330)
    for n in (20, 300):
        article = Article.objects.get(title=f"Benchmark article with {n} quotes")
        assert article.quotes.count() == n
    big = Article.objects.get(title="Benchmark article with 300 quotes")
    # At this density 2,000 quotes stay under the 200,000-character import limit.
    assert len(big.body) < 300 * 100


def test_the_full_size_bench_article_fits_the_import_limit():
    cast = building.build_cast(0, 10)
    spec = building.build_article(0, 1, 10, 2000, cast, title="x", dense=True, ref="B2000")
    assert len(spec.quotes) == 2000
    assert len(spec.body) < 200_000
    for q in spec.quotes:
        assert spec.body[q.start : q.end].strip()


def test_rerunning_adds_a_new_run_without_clashing(db):
    first = writing.generate(6, 60, seed=3)
    speakers, claims = Speaker.objects.count(), Claim.objects.count()
    second = writing.generate(6, 60, seed=3)

    assert (first.run, second.run) == (1, 2)
    check_invariants(12, 120)
    # The cast is reused, not duplicated.
    assert Speaker.objects.count() == speakers
    assert Claim.objects.count() == claims
    assert second.counts["speakers"] == second.counts["claims"] == 0
    assert Article.objects.filter(url__contains="-qt3-r2-").count() == 6
    # The reference line at the end of each body names the run.
    assert Article.objects.filter(body__contains="Ref. QT3-R2-").count() == 6


def test_generation_is_deterministic_for_a_seed(db):
    assert building.build_cast(4, 20) == building.build_cast(4, 20)
    assert building.quote_counts(4, 1, 20, 999) == building.quote_counts(4, 1, 20, 999)
    assert sum(building.quote_counts(4, 1, 20, 999)) == 999
    cast = building.build_cast(4, 20)
    one = building.build_article(4, 1, 7, 30, cast)
    assert one == building.build_article(4, 1, 7, 30, cast)
    assert one.body != building.build_article(4, 2, 7, 30, cast).body
    assert one.body != building.build_article(5, 1, 7, 30, building.build_cast(5, 20)).body

    # What the database holds is exactly what the pure functions produce.
    writing.generate(12, 400, seed=4, batch_size=5)
    counts = building.quote_counts(4, 1, 12, 400)
    cast = building.build_cast(4, 12)
    run = list(build_run(4, 1, counts, cast))
    assert run == list(build_run(4, 1, counts, cast))
    for spec in run:
        article = Article.objects.get(url=spec.url)
        assert (article.title, article.body, article.published) == (
            spec.title,
            spec.body,
            spec.published,
        )
        stored = list(article.quotes.order_by("start").values_list("start", "end", "kind", "cue"))
        assert stored == [(q.start, q.end, q.kind, q.cue) for q in spec.quotes]


def test_pages_render(viewer_client):
    writing.generate(3, 40, seed=1, bench_sizes=(25,))
    article = Article.objects.get(title="Benchmark article with 25 quotes")
    quote = article.quotes.filter(speaker__isnull=False).first()

    assert viewer_client.get(reverse("articles:list")).status_code == 200
    for page in (article, Article.objects.exclude(pk=article.pk).first(), quote.speaker):
        response = viewer_client.get(page.get_absolute_url())
        assert response.status_code == 200
    response = viewer_client.get(article.get_absolute_url())
    assert quote.exact.replace("'", "&#x27;").replace('"', "&quot;") in response.content.decode()
    claim = Claim.objects.filter(stances__isnull=False).first()
    assert viewer_client.get(claim.get_absolute_url()).status_code == 200


def test_command_prints_counts(db):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "generate_demo_data",
        "--articles",
        "4",
        "--quotes",
        "50",
        "--seed",
        "2",
        "--batch-size",
        "3",
        "--no-progress",
        stdout=out,
        stderr=err,
    )

    assert "created 4 articles, 50 quotes" in out.getvalue()
    assert "Seed 2, run 1" in out.getvalue()
    assert err.getvalue() == ""
    check_invariants(4, 50)


def test_refuses_quotes_without_articles(db):
    with pytest.raises(ValueError, match="at least one article"):
        writing.generate(0, 10)


def runs_of(text: str) -> set[tuple[str, ...]]:
    """The windows of WINDOW normalised words of `text`."""
    norms = normalise(text).split()
    return {tuple(norms[i : i + WINDOW]) for i in range(len(norms) - WINDOW + 1)}


def test_later_articles_of_other_outlets_reprint_earlier_quotations(db):
    writing.generate(150, 6000, seed=2, batch_size=40)
    check_invariants(150, 6000)

    # The memorable lines each article first carried (pure, the same as was written).
    cast = building.build_cast(2, 150)
    run = list(build_run(2, 1, building.quote_counts(2, 1, 150, 6000), cast))
    article_of = {spec.url: spec for spec in run}
    origin = {}  # normalised line -> (article url, speaker index), first carrier only
    for spec in run:
        for said in spec.said:
            origin.setdefault(normalise(said.text), (spec.url, said.speaker))
    window_lines = defaultdict(set)
    for line in origin:
        for window in runs_of(line):
            window_lines[window].add(line)
    speaker_pk = {
        i: Speaker.objects.get(name=s.name, kind=s.kind).pk for i, s in enumerate(cast.speakers)
    }

    kinds = Counter()
    for quote in Quote.objects.select_related("article"):
        norm = normalise(quote.exact)
        # Linked by a window of one line only, holding its sum or figures (templates
        # repeat the rest of the words by chance).
        lines = {
            line
            for w in runs_of(norm)
            if len(window_lines.get(w, ())) == 1 and any(c.isdigit() for c in "".join(w))
            for line in window_lines[w]
        }
        for line in lines:
            url, speaker = origin[line]
            if url == quote.article.url:
                continue
            first = article_of[url]
            # Reprinted later, by another outlet, from an article of the same run.
            assert quote.article.outlet != first.outlet
            assert quote.article.published >= first.published
            if norm == line:
                kinds["verbatim"] += 1
            elif quote.kind == QuoteKind.PARTIAL and norm in line:
                kinds["partial"] += 1
            elif norm in line:
                kinds["trimmed"] += 1
            else:
                kinds["changed"] += 1
            same = quote.speaker_id == speaker_pk[speaker]
            kinds["same speaker" if same else "other speaker"] += 1
    # The generator wrote the trail index: a reprinted line's trail reaches the first
    # article that carried it.
    for article in Article.objects.all():
        assert Shingle.objects.filter(article=article).count() == len(words(article.body)) - 5
    carriers = defaultdict(set)
    for quote in Quote.objects.all():
        carriers[normalise(quote.exact)].add(quote)
    line = max(origin, key=lambda line: (len({q.article_id for q in carriers[line]}), line))
    first = next(q for q in carriers[line] if q.article.url == origin[line][0])
    trail = trail_for_quote(first)
    assert len({q.article_id for q in carriers[line]}) >= 2
    assert {q.article_id for q in carriers[line]} <= {o.article for o in trail.occurrences}

    reprints = kinds["same speaker"] + kinds["other speaker"]
    # A few percent of the quotes, in every form, nearly always the same speaker.
    assert 0.01 * 6000 < reprints < 0.06 * 6000, kinds
    assert all(kinds[form] for form in ("verbatim", "partial", "trimmed", "changed")), kinds
    assert 0 < kinds["other speaker"] < kinds["same speaker"] / 4, kinds


def test_generated_quotes_citing_an_original_in_the_archive_carry_its_verdict(db):
    report = writing.generate(40, 1200, seed=2, batch_size=8)
    checked = Quote.objects.filter(source__article__isnull=False).exclude(
        article_id=F("source__article_id")
    )
    direct = checked.exclude(kind=QuoteKind.INDIRECT)
    assert direct.exists()
    assert not direct.filter(verdict="").exists()
    assert not checked.filter(kind=QuoteKind.INDIRECT).exclude(verdict="").exists()
    assert report.counts["verdicts"] == Quote.objects.exclude(verdict="").count()
