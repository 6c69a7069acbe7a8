import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.quotes.models import Quote
from tests.conftest import make_article, make_quote

BODY = "Before “the quote 😀 here” after."


def raw_insert(article, start, end, exact, **extra):
    """Write straight to the database, past every model-level check."""
    with transaction.atomic():
        Quote.objects.bulk_create(
            [Quote(article=article, start=start, end=end, exact=exact, **extra)]
        )


@pytest.mark.django_db
def test_anchor_takes_exact_text_and_context_from_the_body():
    article = make_article(BODY)
    quote = make_quote(article, 7, 25)
    assert quote.exact == "“the quote 😀 here”"
    assert quote.prefix == "Before "
    assert quote.suffix == " after."
    assert article.body[quote.start : quote.end] == quote.exact


@pytest.mark.django_db
def test_astral_characters_count_as_one_code_point_in_the_database():
    article = make_article(BODY)
    emoji_at = BODY.index("😀")
    quote = make_quote(article, emoji_at, emoji_at + 1)
    quote.refresh_from_db()
    assert quote.exact == "😀"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "exact"),
    [
        (7, 25, "“the quote 😀 hero”"),  # text differs from the body
        (8, 26, "“the quote 😀 here”"),  # shifted by one
        (30, 40, "0123456789"),  # past the end of the body
        (0, 0, ""),  # empty
        (10, 5, "xxxxx"),  # end before start
        (7, 12, "“the quote"),  # length disagrees with the span
    ],
)
def test_database_refuses_a_span_that_does_not_match_the_body(start, end, exact):
    article = make_article(BODY)
    with pytest.raises(IntegrityError):
        raw_insert(article, start, end, exact)
    assert Quote.objects.count() == 0


@pytest.mark.django_db
def test_database_refuses_an_update_that_breaks_the_span():
    quote = make_quote(make_article(BODY), 7, 25)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(start=8, end=26)
    quote.refresh_from_db()
    assert (quote.start, quote.end) == (7, 25)


@pytest.mark.django_db
def test_database_refuses_a_body_change_that_loses_a_quote():
    article = make_article(BODY)
    make_quote(article, 7, 25)
    article.body = BODY.replace("the quote", "a quote")
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()
    article.refresh_from_db()
    assert article.body == BODY


@pytest.mark.django_db
def test_body_change_that_keeps_every_quote_in_place_is_allowed():
    article = make_article(BODY)
    make_quote(article, 7, 25)
    article.body = BODY.replace("after.", "afterwards.")
    article.save()
    article.refresh_from_db()
    assert article.body.endswith("afterwards.")


@pytest.mark.django_db
def test_orphaned_quote_is_kept_even_though_its_text_is_gone():
    article = make_article(BODY)
    quote = make_quote(article, 7, 25)
    Quote.objects.filter(pk=quote.pk).update(orphaned=True)
    article.body = "Entirely new text."
    article.save()
    quote.refresh_from_db()
    assert quote.orphaned
    assert quote.exact == "“the quote 😀 here”"


@pytest.mark.django_db
def test_the_same_span_cannot_be_tagged_twice():
    article = make_article(BODY)
    make_quote(article, 7, 25)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_quote(article, 7, 25)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(30, 45, "outside the article"), (7, 26, "does not match")],
)
def test_model_validation_explains_a_bad_span(start, end, message):
    article = make_article(BODY)
    quote = Quote(article=article, start=start, end=end, exact="“the quote 😀 here”")
    with pytest.raises(ValidationError, match=message):
        quote.full_clean()


@pytest.mark.django_db
def test_model_validation_refuses_whitespace_only_quotes():
    article = make_article("A  B")
    quote = Quote(article=article)
    quote.anchor(1, 3)
    with pytest.raises(ValidationError, match="empty or only whitespace"):
        quote.full_clean()


def test_anchor_refuses_offsets_outside_the_body():
    from apps.articles.models import Article

    quote = Quote(article=Article(body="short"))
    with pytest.raises(ValueError, match="outside the body"):
        quote.anchor(2, 99)


@pytest.mark.django_db
def test_every_change_to_a_quote_is_in_its_history(speaker):
    quote = make_quote(make_article(BODY), 7, 25)
    quote.speaker = speaker
    quote.cue = "said"
    quote.save()
    history = list(quote.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[0].speaker_id is None
    assert history[1].speaker_id == speaker.pk
