"""POST/GET /api/v1/articles and the correction of a body through the API."""

from django.test import override_settings

from apps.articles.models import Article
from apps.quotes.models import Quote

from .conftest import fields_of, new_article, problem


def test_an_editor_pushes_an_article_and_its_suggestions_follow(api_as):
    editor = api_as("editor")
    response = new_article(
        editor, url="https://example.org/talks", published="2017-11-14", byline="A. Writer"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    article = Article.objects.get(pk=body["id"])
    assert (article.title, article.outlet, article.url) == (
        "Talks resume",
        "Wire",
        "https://example.org/talks",
    )
    assert body["body"] == article.body and body["published"] == "2017-11-14"
    assert article.created_by == editor.user
    assert body["quotes"] == [] and body["fingerprint"] == article.fingerprint
    found = editor.get("/suggestions", article=article.pk).json()["items"]
    assert any("We will not negotiate" in item["text"] for item in found)


def test_html_is_sanitized_into_text(api_as):
    html = "<html><head><title>Page</title><script>alert(1)</script></head><body>"
    html += "<h1>Heading</h1><p>First <b>paragraph</b>.</p><p>Second.</p></body></html>"
    response = api_as("editor").post("/articles", {"html": html})
    assert response.status_code == 201, response.content
    body = response.json()
    assert "alert" not in body["body"] and "<b>" not in body["body"]
    assert "First paragraph." in body["body"]


def test_refusals_name_the_field_and_write_nothing(api_as):
    editor = api_as("editor")
    before = Article.objects.count()
    both = problem(editor.post("/articles", {"body": "x", "html": "<p>x</p>"}), 422)
    assert fields_of(both) == {"body"}
    neither = problem(editor.post("/articles", {"title": "Only a title"}), 422)
    assert fields_of(neither) == {"body"}
    empty = problem(editor.post("/articles", {"title": "T", "body": "   "}), 422)
    assert "no body" in empty["detail"]
    bad_url = problem(new_article(editor, url="javascript:alert(1)"), 422)
    assert "http(s) URL" in bad_url["detail"]
    bad_date = problem(new_article(editor, published="2017-02-30"), 422)
    assert fields_of(bad_date) == {"published"}
    wrong_type = problem(editor.post("/articles", {"body": ["a", "list"]}), 422)
    assert fields_of(wrong_type) == {"body"}
    long_outlet = problem(new_article(editor, outlet="x" * 201), 422)
    assert fields_of(long_outlet) == {"outlet"}
    assert Article.objects.count() == before


def test_a_duplicate_is_a_conflict_naming_the_article(api_as):
    editor = api_as("editor")
    first = new_article(editor, url="https://example.org/same").json()
    again = problem(new_article(editor, url="https://example.org/same"), 409)
    assert again["existing"] == first["id"]
    assert f"#{first['id']}" in again["detail"]
    same_text = problem(new_article(editor), 409)  # no URL: the same title and text
    assert same_text["existing"] == first["id"]


@override_settings(QUOTETRAIL_MAX_BODY_CHARS=100)
def test_too_long_a_body_is_413(api_as):
    before = Article.objects.count()
    problem(api_as("editor").post("/articles", {"title": "T", "body": "word " * 100}), 413)
    assert Article.objects.count() == before


def test_not_json_is_415_and_broken_json_is_400(api_as):
    editor = api_as("editor")
    problem(editor.post("/articles", "title=T&body=B", content_type="text/plain"), 415)
    problem(
        editor.post("/articles", "title=T", content_type="application/x-www-form-urlencoded"), 415
    )
    broken = problem(editor.post("/articles", '{"title": "T", "body": '), 400)
    assert "JSON" in broken["detail"]


def test_who_may_import(api_as):
    for role in ("viewer", "reviewer"):
        refused = problem(new_article(api_as(role)), 403)
        assert "editors do" in refused["detail"]
    anonymous = problem(new_article(api_as("anonymous")), 401)
    assert "Bearer" in anonymous["detail"]
    assert new_article(api_as("admin")).status_code == 201


def test_an_article_reads_with_its_quotes_in_order(api_as, seeded):
    response = api_as("viewer").get(f"/articles/{seeded.pk}")
    assert response.status_code == 200
    body = response.json()
    expected = list(Quote.objects.for_article(seeded).values_list("pk", flat=True))
    assert [quote["id"] for quote in body["quotes"]] == expected
    assert body["quote_count"] == len(expected) > 0
    first = body["quotes"][0]
    assert body["body"][first["start"] : first["end"]] == first["text"]
    problem(api_as("viewer").get("/articles/999999"), 404)


def test_the_list_filters_by_outlet(api_as, seeded):
    editor = api_as("editor")
    new_article(editor)
    listed = editor.get("/articles", outlet="wire").json()["items"]
    assert [item["title"] for item in listed] == ["Talks resume"]
    assert "body" not in listed[0]


def test_a_correction_reanchors_the_quotes(api_as):
    editor = api_as("editor")
    article = new_article(editor).json()
    quote = editor.post(
        f"/articles/{article['id']}/quotes", {"text": "We will not negotiate with anyone"}
    ).json()
    corrected = "Breaking.\n\n" + article["body"]
    response = editor.put(
        f"/articles/{article['id']}/body",
        {"body": corrected, "fingerprint": article["fingerprint"]},
    )
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["moved"] == [quote["id"]] and result["orphaned"] == []
    moved = Quote.objects.get(pk=quote["id"])
    assert corrected[moved.start : moved.end] == "We will not negotiate with anyone"
    assert result["article"]["fingerprint"] != article["fingerprint"]
    assert Article.objects.get(pk=article["id"]).title == "Talks resume"


def test_a_stale_correction_is_a_conflict_and_changes_nothing(api_as):
    editor = api_as("editor")
    article = new_article(editor).json()
    first = editor.put(
        f"/articles/{article['id']}/body",
        {"body": article["body"] + "\n\nMore.", "fingerprint": article["fingerprint"]},
    )
    assert first.status_code == 200
    stale = problem(
        editor.put(
            f"/articles/{article['id']}/body",
            {"body": "Something else entirely.", "fingerprint": article["fingerprint"]},
        ),
        409,
    )
    assert stale["fingerprint"] == first.json()["article"]["fingerprint"]
    assert Article.objects.get(pk=article["id"]).body.endswith("More.")
    empty = problem(
        editor.put(
            f"/articles/{article['id']}/body",
            {"body": " ", "fingerprint": stale["fingerprint"]},
        ),
        422,
    )
    assert fields_of(empty) == {"body"}
    problem(
        api_as("reviewer").put(
            f"/articles/{article['id']}/body", {"body": "x", "fingerprint": stale["fingerprint"]}
        ),
        403,
    )
