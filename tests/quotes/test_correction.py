import pytest
from django.urls import reverse

from apps.articles.models import Article
from apps.quotes.models import Quote
from tests.conftest import make_article, make_quote, make_user

BODY = "The minister said “we will act”. Critics said “too late”. He was tired."


@pytest.fixture
def article(db):
    return make_article(BODY, title="Minister")


@pytest.fixture
def quotes(article):
    first = BODY.index("“we will act”")
    second = BODY.index("“too late”")
    return (
        make_quote(article, first, first + len("“we will act”")),
        make_quote(article, second, second + len("“too late”")),
    )


def correct(client, article, body, title=None, fingerprint=None):
    return client.post(
        reverse("quotes:article_edit", args=[article.pk]),
        {
            "title": title or article.title,
            "body": body,
            "fingerprint": fingerprint or article.fingerprint,
        },
    )


def test_quotes_follow_their_text_when_the_body_changes_before_them(editor_client, article, quotes):
    new_body = (
        "Late on Monday, the minister said “we will act”. Critics said “too late”. He was tired."
    )
    response = correct(editor_client, article, new_body)
    assert response.status_code == 302
    article.refresh_from_db()
    for quote in quotes:
        quote.refresh_from_db()
        assert not quote.orphaned
        assert article.body[quote.start : quote.end] == quote.exact
        assert quote.version == 2
    assert "Re-anchored" in quotes[0].history.latest("history_date").history_change_reason


def test_a_quote_whose_text_is_gone_is_kept_as_an_orphan_and_listed(editor_client, article, quotes):
    new_body = "The minister said “we will act”. Critics were silent. He was tired."
    response = correct(editor_client, article, new_body)
    assert response.status_code == 302
    kept, lost = (Quote.objects.get(pk=q.pk) for q in quotes)
    assert not kept.orphaned
    assert lost.orphaned
    assert lost.exact == "“too late”"
    page = editor_client.get(article.get_absolute_url())
    html = page.content.decode()
    assert "Needs repair" in html
    assert f'id="qi-{lost.pk}"' in html
    assert f'id="q-{lost.pk}"' not in html  # not highlighted anywhere in the new body
    assert page.context["reading"].orphans == [lost]


def test_an_orphan_is_repaired_when_its_text_comes_back(editor_client, article, quotes):
    correct(editor_client, article, "The minister said “we will act”. He was tired.")
    article.refresh_from_db()
    assert Quote.objects.get(pk=quotes[1].pk).orphaned
    correct(editor_client, article, BODY)
    repaired = Quote.objects.get(pk=quotes[1].pk)
    assert not repaired.orphaned
    assert BODY[repaired.start : repaired.end] == "“too late”"


def test_an_orphan_can_be_repaired_by_re_spanning_it(editor_client, article, quotes):
    correct(editor_client, article, "The minister said “we will act”. Critics said “far too late”.")
    article.refresh_from_db()
    orphan = Quote.objects.get(pk=quotes[1].pk)
    start = article.body.index("“far too late”")
    response = editor_client.post(
        reverse("quotes:update", args=[orphan.pk]),
        {
            "text": "“far too late”",
            "start": start,
            "end": start + 14,
            "kind": "direct",
            "version": orphan.version,
        },
    )
    assert response.status_code == 302
    orphan.refresh_from_db()
    assert not orphan.orphaned and orphan.exact == "“far too late”"


def test_a_correction_from_a_stale_copy_is_refused_with_409(editor_client, article, quotes):
    stale = article.fingerprint
    correct(editor_client, article, BODY + " One more sentence.")
    article.refresh_from_db()
    response = correct(editor_client, article, BODY + " Other change.", fingerprint=stale)
    assert response.status_code == 409
    assert "Someone else changed this article" in response.content.decode()
    article.refresh_from_db()
    assert article.body.endswith("One more sentence.")


@pytest.mark.parametrize(("body", "message"), [("   ", "cannot be empty"), ("", "cannot be empty")])
def test_an_empty_correction_is_refused(editor_client, article, quotes, body, message):
    response = correct(editor_client, article, body)
    assert response.status_code == 400
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.body == BODY


def test_a_correction_that_duplicates_another_article_is_refused(editor_client, article):
    other = make_article("Other text.", title="Other")
    response = correct(editor_client, article, other.body, title=other.title)
    assert response.status_code == 400
    assert Article.objects.get(pk=article.pk).body == BODY


def test_only_editors_correct_article_text(client, article, quotes):
    url = reverse("quotes:article_edit", args=[article.pk])
    for role in ("viewer", "reviewer"):
        client.force_login(make_user(f"u-{role}", role))
        assert client.get(url).status_code == 403
        assert correct(client, article, "Changed.").status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    article.refresh_from_db()
    assert article.body == BODY


def _tag_from(stale: Article, editor, text: str):
    """A tag save whose selection was made in `stale`, the text as the editor loaded it."""
    from apps.quotes.tagging import QuoteChange, create_quote

    start = stale.body.index(text)
    return create_quote(
        stale, QuoteChange(start=start, end=start + len(text), kind="direct"), editor
    )


def test_a_tag_chosen_before_a_correction_is_saved_where_its_words_are_now(article, editor):
    stale = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(body="Yesterday: " + BODY)
    quote = _tag_from(stale, editor, "“too late”")
    fresh = Article.objects.get(pk=article.pk)
    assert quote.exact == "“too late”"
    assert fresh.body[quote.start : quote.end] == "“too late”"
    assert quote.start == fresh.body.index("“too late”")


def test_a_tag_whose_words_a_correction_removed_is_refused_and_nothing_is_saved(article, editor):
    from apps.quotes.tagging import TaggingRefused

    stale = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(body=BODY.replace("“too late”", "“not now”"))
    with pytest.raises(TaggingRefused, match="no longer holds the selected words"):
        _tag_from(stale, editor, "“too late”")
    assert not Quote.objects.filter(article=article).exists()


def test_a_corrected_title_over_300_characters_is_refused_not_cut(editor_client, article):
    page = editor_client.get(reverse("quotes:article_edit", args=[article.pk])).content.decode()
    assert 'maxlength="300"' not in page  # the browser would cut it without a word
    response = correct(editor_client, article, BODY, title="T" * 400)
    assert response.status_code == 400
    assert "The title is over 300 characters." in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Minister"
