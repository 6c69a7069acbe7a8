"""A source's original document: linked from the archive or imported as one, shown on the
source's page, the article list and the reader, and what its quotes are checked against."""

import pytest
from django.urls import reverse

from apps.articles.models import Article
from apps.quotes.models import Quote
from apps.sources.models import Source
from tests.conftest import make_article, make_quote

ORIGINAL = "Coalition statement.\n\nWe will not let the fighters leave Raqqa with their weapons."
CHANGED = "We will not let the fighters leave Tabqa with their weapons"


@pytest.fixture
def release(db):
    return Source.objects.create(title="Coalition release", kind=Source.Kind.PRESS_RELEASE)


@pytest.fixture
def original(db):
    return make_article(ORIGINAL, title="Coalition statement of October 14")


@pytest.fixture
def quote(release):
    report = make_article(f"The coalition said “{CHANGED}” in October.", title="Report")
    start = report.body.index(CHANGED)
    return make_quote(report, start, start + len(CHANGED), source=release)


def link(client, source, value, **extra):
    url = reverse("sources:source_original", args=[source.pk])
    return client.post(url, {"original": value, **extra})


def test_an_editor_links_an_article_as_the_sources_original(
    editor_client, release, original, quote
):
    response = link(editor_client, release, f"{original.title} (#{original.pk})")
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.article_id == original.pk
    assert Quote.objects.get(pk=quote.pk).verdict == "altered"
    page = editor_client.get(release.get_absolute_url()).text
    assert "Original text:" in page and original.title in page
    assert "verdict-flag-altered" in page


def test_a_reviewer_may_link_and_a_title_alone_is_enough(reviewer_client, release, original):
    assert link(reviewer_client, release, original.title).status_code == 302
    release.refresh_from_db()
    assert release.article_id == original.pk


def test_unlinking_clears_the_verdicts(editor_client, release, original, quote):
    release.article = original
    release.save()
    assert Quote.objects.get(pk=quote.pk).verdict == "altered"
    assert link(editor_client, release, "", unlink="1").status_code == 302
    release.refresh_from_db()
    assert release.article_id is None
    assert Quote.objects.get(pk=quote.pk).verdict == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("No such article", "No article titled"),
        ("Coalition (#abc)", "No article titled"),
        ("Nothing (#99999999999999999999999)", "No article titled"),
        ("x" * 500, "at most 400"),
    ],
)
def test_linking_something_not_in_the_archive_is_refused_and_writes_nothing(
    editor_client, release, original, typed, message
):
    response = link(editor_client, release, typed)
    assert response.status_code == 400
    assert message in response.text
    release.refresh_from_db()
    assert release.article_id is None


def test_a_viewer_cannot_link(viewer_client, release, original):
    assert link(viewer_client, release, original.title).status_code == 403
    release.refresh_from_db()
    assert release.article_id is None


def test_the_source_edit_form_links_and_keeps_the_link(editor_client, release, original):
    url = reverse("sources:source_edit", args=[release.pk])
    form = {"title": release.title, "kind": release.kind}
    assert editor_client.post(url, {**form, "original": original.title}).status_code == 302
    release.refresh_from_db()
    assert release.article_id == original.pk
    assert f"{original.title} (#{original.pk})" in editor_client.get(url).text
    assert editor_client.post(url, {**form, "publisher": "CJTF-OIR"}).status_code == 302
    release.refresh_from_db()
    assert release.article_id == original.pk  # a post without the field leaves it
    response = editor_client.post(url, {**form, "original": "Missing"})
    assert response.status_code == 400 and "No article titled" in response.text


def test_article_options_offer_articles_by_title(viewer_client, original):
    response = viewer_client.get(reverse("sources:article_options"), {"q": "october 14"})
    assert f'value="{original.title} (#{original.pk})"' in response.text


def import_original(client, **fields):
    data = {"text": "Coalition briefing\n\n" + ORIGINAL, "pasted_format": "text", **fields}
    return client.post(reverse("sources:import_original"), data)


def test_importing_a_document_for_a_new_source(editor_client, db):
    response = import_original(
        editor_client,
        new_source_title="Briefing of October 14",
        new_source_kind="briefing",
        new_source_publisher="CJTF-OIR",
    )
    assert response.status_code == 302
    source = Source.objects.get(title="Briefing of October 14")
    assert (source.kind, source.publisher) == ("briefing", "CJTF-OIR")
    assert source.article.title == "Coalition briefing"
    reader = editor_client.get(source.article.get_absolute_url()).text
    assert "Original of:" in reader and "Briefing of October 14" in reader
    listing = editor_client.get(reverse("articles:list")).text
    assert "Original of:" in listing and "Source document" in listing


def test_importing_a_document_for_an_existing_source_checks_its_quotes(
    reviewer_client, release, quote
):
    response = import_original(reviewer_client, source=f"{release.title} (#{release.pk})")
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.article.title == "Coalition briefing"
    assert Quote.objects.get(pk=quote.pk).verdict == "altered"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "an existing source or a new one"),
        ({"source": "Unknown source"}, "No source titled"),
        ({"new_source_title": "X", "new_source_kind": "gossip"}, "not one of the available"),
        ({"new_source_title": "X", "text": ""}, "Choose a file or paste"),
    ],
)
def test_a_refused_source_document_import_writes_nothing(editor_client, db, fields, message):
    articles, sources = Article.objects.count(), Source.objects.count()
    response = import_original(editor_client, **fields)
    assert response.status_code == 400
    assert message in response.text
    assert (Article.objects.count(), Source.objects.count()) == (articles, sources)


def test_a_document_already_in_the_archive_creates_no_source(editor_client, original):
    Article.objects.filter(pk=original.pk).update(title="Coalition briefing")
    Article.objects.get(pk=original.pk).save()  # the fingerprint follows the title
    sources = Source.objects.count()
    response = import_original(editor_client, new_source_title="Another")
    assert response.status_code == 400 and "Already imported" in response.text
    assert Source.objects.count() == sources


def test_the_import_page_offers_the_source_document_form(editor_client, db):
    page = editor_client.get(reverse("articles:import")).text
    assert reverse("sources:import_original") in page
    form = editor_client.get(reverse("sources:import_original")).text
    assert 'name="new_source_kind"' in form and "Press release" in form
