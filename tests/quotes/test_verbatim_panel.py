"""The verbatim check where an editor sees it: the quote's panel, and the passage marked
in the source article."""

import html
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.sources.models import Source
from tests.conftest import make_article, make_quote
from tests.quotes.conftest import ORIGINAL, PASSAGE


def _quoting(words: str, source=None, kind="direct"):
    report = make_article(f"The colonel said “{words}” on Tuesday.", title=f"Report {words[:20]}")
    start = report.body.index(words)
    return make_quote(report, start, start + len(words), source=source, kind=kind)


def _panel(client, quote) -> str:
    response = client.get(reverse("quotes:edit", args=[quote.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.text


def _check(page: str) -> str:
    found = re.search(r'<section class="verbatim.*?</section>', page, re.S)
    return found.group() if found else ""


def test_a_verbatim_quote_says_so_and_links_to_its_passage(editor_client, briefing, linked):
    quote = _quoting(PASSAGE, linked)
    check = _check(_panel(editor_client, quote))
    assert "verdict-verbatim" in check
    assert "<strong>Verbatim</strong> in" in check and "Dillon briefing" in check
    at = ORIGINAL.index(PASSAGE)
    url = f"{briefing.get_absolute_url()}?passage={at}-{at + len(PASSAGE)}#passage"
    assert f'href="{url}"' in check
    assert f'<blockquote class="passage-text">{PASSAGE}</blockquote>' in check


def test_a_faithful_quote_names_the_conventions(editor_client, linked):
    quote = _quoting(
        "[The coalition] will not let the fighters leave … watching every convoy", linked
    )
    check = _check(_panel(editor_client, quote))
    assert "<strong>Faithful</strong> to" in check
    assert "ellipsis, brackets." in check
    assert "<del>" not in check


def test_an_altered_quote_shows_its_word_diff_with_labels(editor_client, linked):
    quote = _quoting("We will not let the fighters leave Tabqa with their weapons", linked)
    check = _check(_panel(editor_client, quote))
    assert "<strong>Altered</strong> from" in check
    assert "1 word replaced" in check
    assert '<del><span class="diff-label">original:</span> Raqqa</del>' in check
    assert '<ins><span class="diff-label">quoted:</span> Tabqa</ins>' in check
    assert f'<blockquote class="passage-text">{PASSAGE}</blockquote>' in check  # the passage


def test_an_omission_without_ellipsis_is_counted(editor_client, linked):
    quote = _quoting("We will not let the fighters leave Raqqa and we are watching", linked)
    check = _check(_panel(editor_client, quote))
    assert "3 words omitted without an ellipsis" in check
    assert "original:</span> with their weapons</del>" in check


def test_words_not_in_the_original_are_not_found(editor_client, briefing, linked):
    quote = _quoting("Nobody agreed to anything of that kind", linked)
    check = _check(_panel(editor_client, quote))
    assert "<strong>Not found</strong> in" in check
    assert f'href="{briefing.get_absolute_url()}"' in check  # no passage to mark
    assert "passage-text" not in check


def test_no_check_without_a_source_article_or_for_a_paraphrase(editor_client, linked, source):
    plain = _quoting(PASSAGE, source)  # a source that is not an article here
    unsourced = _quoting("We will not let the fighters leave", None)
    paraphrase = _quoting("the fighters would not leave Raqqa", linked, kind="indirect")
    for quote in (plain, unsourced, paraphrase):
        page = _panel(editor_client, quote)
        assert "Edit quote" in page
        assert _check(page) == ""


def test_a_quote_whose_words_are_markup_is_shown_as_text(editor_client, briefing):
    briefing.body = ORIGINAL + " <b>bold</b> & <i>x</i> said the man"
    briefing.save()
    source = Source.objects.create(title="<script>t</script>", article=briefing)
    quote = _quoting("<b>bold</b> and <i>y</i> said the man", source)
    check = _check(_panel(editor_client, quote))
    assert "<script>t" not in check and "&lt;script&gt;t" in check
    assert "<b>" not in check.replace('<del><span class="diff-label">', "")


def test_the_check_costs_one_query(editor_client, linked, source):
    checked = _quoting(PASSAGE, linked)
    unchecked = _quoting("We will not let the fighters", source)

    def queries(quote):
        editor_client.get(reverse("quotes:edit", args=[quote.pk]), HTTP_HX_REQUEST="true")
        with CaptureQueriesContext(connection) as ctx:
            _panel(editor_client, quote)
        return len(ctx.captured_queries)

    assert queries(checked) == queries(unchecked) + 1


def test_the_form_refused_keeps_the_check(editor_client, linked):
    quote = _quoting("We will not let the fighters leave Tabqa with their weapons", linked)
    response = editor_client.post(
        reverse("quotes:update", args=[quote.pk]),
        {"text": "", "start": "", "end": "", "kind": "direct", "version": quote.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "<strong>Altered</strong> from" in _check(response.text)


# The passage marked in the source article.


def test_the_passage_is_marked_and_named_for_the_link(viewer_client, briefing):
    at = ORIGINAL.index(PASSAGE)
    response = viewer_client.get(f"{briefing.get_absolute_url()}?passage={at}-{at + len(PASSAGE)}")
    assert response.status_code == 200
    page = response.text
    assert page.count('id="passage"') == 1
    first = page.index('<mark class="passage" id="passage">')
    assert page[first:].startswith(f'<mark class="passage" id="passage">{PASSAGE}</mark>')


def test_a_passage_over_quotes_and_paragraphs_keeps_every_highlight(
    viewer_client, briefing, speaker
):
    tagged = make_quote(
        briefing, ORIGINAL.index("We will"), ORIGINAL.index(" with"), speaker=speaker
    )
    response = viewer_client.get(
        f"{briefing.get_absolute_url()}?passage=4-{ORIGINAL.index('Raqqa') + 5}"
    )
    assert response.status_code == 200
    body = re.search(r'<div class="article-body".*?</div>', response.text, re.S).group()
    assert f'id="q-{tagged.pk}"' in body and f'data-q="{tagged.pk}"' in body
    assert body.count('<mark class="passage"') >= 3  # cut at the paragraph break and the quote
    assert body.count('id="passage"') == 1
    text = html.unescape(re.sub(r"<[^>]+>", "", body))
    assert text == ORIGINAL  # the text is still exactly the body


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "5",
        "5-",
        "-5",
        "10-5",
        "7-7",
        "0-99999",
        "99999-100000",
        "²-3",
        "1-2-3",
        "0x1-4",
        "1 - 4",
        "9" * 12 + "-" + "9" * 13,
    ],
)
def test_a_bad_passage_is_ignored(viewer_client, briefing, value):
    response = viewer_client.get(briefing.get_absolute_url(), {"passage": value})
    assert response.status_code == 200
    assert 'class="passage"' not in response.text
    assert 'id="p-0"' in response.text


def test_the_whole_body_may_be_the_passage(viewer_client, briefing):
    response = viewer_client.get(briefing.get_absolute_url(), {"passage": f"0-{len(ORIGINAL)}"})
    assert response.status_code == 200
    assert 'id="passage"' in response.text


def _queries(client, url):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries), len(warm.captured_queries)


def test_a_passage_is_drawn_for_its_request_and_never_kept(viewer_client, briefing, speaker):
    make_quote(briefing, 4, 12, speaker=speaker)
    url = briefing.get_absolute_url()
    built, _ = _queries(viewer_client, url)
    entries = len(caches["derived"]._cache)
    for passage in ("30-60", "30-99999", "31-61"):
        cold, warm = _queries(viewer_client, f"{url}?passage={passage}")
        assert cold == warm <= built  # no more than the page built afresh, every time
    assert len(caches["derived"]._cache) <= entries  # no copy kept per passage
    assert _queries(viewer_client, f"{url}?passage=nonsense") == _queries(viewer_client, url)
