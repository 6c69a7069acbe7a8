import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.articles.models import Article
from tests.conftest import make_article, make_quote

IMPORT_URL = reverse("articles:import")


def test_editor_imports_an_uploaded_text_file(editor_client):
    upload = SimpleUploadedFile("story.txt", "Headline\n\nHe said “yes.”\n".encode())
    response = editor_client.post(IMPORT_URL, {"file": upload, "outlet": "Wire"})
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert (article.title, article.outlet) == ("Headline", "Wire")
    assert article.created_by.username == "edna"


def test_editor_imports_pasted_html_with_a_separate_title(editor_client):
    response = editor_client.post(
        IMPORT_URL,
        {
            "text": "<p>One</p><p>Two <script>x()</script></p>",
            "pasted_format": "html",
            "title": "T",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.title, article.body) == ("T", "One\n\nTwo")


def test_pasted_text_with_a_title_keeps_its_first_line_in_the_body(editor_client):
    editor_client.post(IMPORT_URL, {"text": "First line.\n\nSecond.", "title": "Given"})
    assert Article.objects.get().body == "First line.\n\nSecond."


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "Choose a file or paste"),
        ({"file": SimpleUploadedFile("a.txt", b"\xff\xfe\xfa not utf8")}, "not UTF-8"),
        ({"file": SimpleUploadedFile("a.txt", b"\x00\x01\x02binary")}, "binary"),
        ({"file": SimpleUploadedFile("a.exe", b"MZ")}, "Unsupported file type"),
        ({"text": "Only a title"}, "no body"),
        ({"text": "T\n\nbody", "url": "javascript:alert(1)"}, "Enter a valid URL"),
    ],
)
def test_bad_imports_show_an_inline_error_with_400_and_write_nothing(
    editor_client, payload, message
):
    response = editor_client.post(IMPORT_URL, payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"text": "Fans cheered all night."},
        {"file": SimpleUploadedFile("story.txt", b"Fans cheered all night.")},
    ],
    ids=["pasted", "uploaded"],
)
def test_a_title_over_300_characters_is_refused_with_the_first_line_message(editor_client, payload):
    response = editor_client.post(IMPORT_URL, {**payload, "title": "A" * 400})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The title is 400 characters long (at most 300); is the first line" in html
    assert Article.objects.count() == 0


def test_the_title_field_does_not_cut_what_is_typed(editor_client):
    html = editor_client.get(IMPORT_URL).content.decode()
    field = html[html.index('name="title"') :].split(">", 1)[0]
    assert "maxlength" not in field


def test_duplicate_url_in_the_form_is_refused(editor_client):
    make_article(url="https://example.com/x", title="First")
    response = editor_client.post(
        IMPORT_URL, {"text": "Other\n\nbody", "url": "https://example.com/x"}
    )
    assert response.status_code == 400
    assert "Already imported" in response.content.decode()
    assert Article.objects.count() == 1


def test_viewer_and_reviewer_cannot_import(viewer_client, reviewer, client):
    assert viewer_client.get(IMPORT_URL).status_code == 403
    assert viewer_client.post(IMPORT_URL, {"text": "T\n\nbody"}).status_code == 403
    client.force_login(reviewer)
    assert client.post(IMPORT_URL, {"text": "T\n\nbody"}).status_code == 403
    assert Article.objects.count() == 0


def test_viewer_sees_no_import_link(viewer_client):
    response = viewer_client.get(reverse("articles:list"))
    assert IMPORT_URL not in response.content.decode()


def test_article_list_shows_counts_per_article(viewer_client, speaker):
    article = make_article("One “two” three “four” five “six”.", title="Counted")
    make_quote(article, 4, 9, speaker=speaker)
    make_quote(article, 16, 22, speaker=speaker)
    make_quote(article, 28, 33)
    response = viewer_client.get(reverse("articles:list"))
    row = next(a for a in response.context["page"].object_list if a.pk == article.pk)
    assert (row.quote_count, row.speaker_count, row.unattributed_count) == (3, 1, 1)
    assert "Counted" in response.content.decode()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_article_list_query_count_does_not_grow_with_articles(viewer_client, speaker):
    url = reverse("articles:list")
    article = make_article(title="A0")
    make_quote(article, 0, 5, speaker=speaker)
    few = _count_queries(viewer_client, url)
    for i in range(20):
        make_quote(make_article(f"Body {i} “said” it.", title=f"A{i + 1}"), 0, 4, speaker=speaker)
    assert _count_queries(viewer_client, url) == few
