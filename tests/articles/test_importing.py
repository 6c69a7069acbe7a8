import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from apps.articles.importing import ImportRefused, Metadata, import_bytes
from apps.articles.models import Article

GOOD_TEXT = (
    "Officials deny deal\n\nThe spokesman said “there was no deal.”\n\nA second paragraph.\n"
)


def snapshot():
    return (Article.objects.count(), Article.history.count())


@pytest.mark.django_db
def test_text_file_first_line_is_title_and_body_is_canonical():
    article = import_bytes(
        GOOD_TEXT.encode(),
        "deal.txt",
        Metadata(outlet="Wire", url="https://example.com/a", published=datetime.date(2017, 11, 14)),
    )
    assert article.title == "Officials deny deal"
    assert article.body == "The spokesman said “there was no deal.”\n\nA second paragraph."
    assert (article.outlet, article.url, article.published) == (
        "Wire",
        "https://example.com/a",
        datetime.date(2017, 11, 14),
    )
    assert article.history.count() == 1


@pytest.mark.django_db
def test_html_file_is_sanitized_to_paragraphs():
    html = (
        b"<html><head><title>Raqqa</title><script>steal()</script></head>"
        b"<body><h1>Raqqa</h1><p onclick='x()'>First <i>para</i>.</p><p>Second.</p></body></html>"
    )
    article = import_bytes(html, "page.html", Metadata())
    assert article.title == "Raqqa"
    assert article.body == "First para.\n\nSecond."


@pytest.mark.django_db
def test_utf8_with_bom_and_windows_newlines_imports():
    data = "\ufeffTitle\r\n\r\nBody with emoji 😀.\r\n".encode()
    article = import_bytes(data, "a.txt", Metadata())
    assert (article.title, article.body) == ("Title", "Body with emoji 😀.")


BAD_INPUTS = [
    (b"", "a.txt", "empty"),
    (b"   \n\n  ", "a.txt", "empty"),
    (b"Title only\n", "a.txt", "no body"),
    ("Title\n\nCaf\xe9".encode("latin-1"), "a.txt", "not UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt", "binary"),
    (b"Title\n\nBody", "a.pdf", "Unsupported file type"),
    (b"<html><body><script>x</script></body></html>", "a.html", "no body"),
    (("T" * 301 + "\n\nbody").encode(), "a.txt", "title"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "name", "message"), BAD_INPUTS)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_written(data, name, message):
    before = snapshot()
    with pytest.raises(ImportRefused, match=message):
        import_bytes(data, name, Metadata())
    assert snapshot() == before


@pytest.mark.django_db
@override_settings(QUOTETRAIL_MAX_BODY_CHARS=100)
def test_body_over_the_size_limit_is_refused():
    before = snapshot()
    with pytest.raises(ImportRefused, match="at most 100"):
        import_bytes(("Title\n\n" + "x" * 101).encode(), "a.txt", Metadata())
    assert snapshot() == before


@pytest.mark.django_db
def test_duplicate_url_is_refused():
    import_bytes(GOOD_TEXT.encode(), "a.txt", Metadata(url="https://example.com/a"))
    before = snapshot()
    with pytest.raises(ImportRefused, match="Already imported as article"):
        import_bytes(b"Other\n\nOther body", "b.txt", Metadata(url="https://example.com/a"))
    assert snapshot() == before


@pytest.mark.django_db
def test_same_text_twice_is_refused_even_without_url():
    import_bytes(GOOD_TEXT.encode(), "a.txt", Metadata())
    before = snapshot()
    with pytest.raises(ImportRefused, match="Already imported"):
        import_bytes(GOOD_TEXT.encode(), "copy.txt", Metadata())
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a url", "ftp://example.com/x"])
def test_non_http_url_is_refused(url):
    with pytest.raises(ImportRefused, match="not an http"):
        import_bytes(GOOD_TEXT.encode(), "a.txt", Metadata(url=url))
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_a_file_and_prints_its_id(tmp_path, capsys):
    path = tmp_path / "story.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    call_command(
        "import_article",
        str(path),
        "--outlet=Wire",
        "--url=https://example.com/story",
        "--published=2017-11-14",
        "--byline=A. Reporter",
    )
    article = Article.objects.get()
    assert f"#{article.pk}" in capsys.readouterr().out
    assert (article.outlet, article.byline, article.published.isoformat()) == (
        "Wire",
        "A. Reporter",
        "2017-11-14",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", [], "empty"),
        (b"\xff\xfe\x00bad", [], "binary"),
        (b"Title\n\nBody", ["--published=14/11/2017"], "not a date"),
        (b"Title\n\nBody", ["--url=javascript:alert(1)"], "not an http"),
    ],
)
def test_command_refuses_bad_input_with_one_line_error(tmp_path, content, args, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as excinfo:
        call_command("import_article", str(path), *args)
    assert "\n" not in str(excinfo.value)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_article", str(tmp_path / "missing.txt"))
