"""Search results kept across writes: brought up to date from the quotes changed since
a query was ranked (the `quotes` journal), always equal to ranking it again."""

import datetime
import random

import pytest

from apps.core.versions import cache as derived_cache
from apps.quotes import search
from apps.quotes.models import Quote
from apps.quotes.search import Filters, search_quotes
from apps.sources.models import Speaker
from tests.conftest import make_article, make_quote

WORDS = ("budget talk", "other words", "budget cuts")  # 11 characters each, then a space


def _fresh(query, filters=None):
    """The ranking computed from scratch, with nothing remembered."""
    kept = derived_cache._cache.copy()
    derived_cache.clear()
    try:
        return search_quotes(query, filters).ids
    finally:
        derived_cache._cache.update(kept)


def _kept(query, filters=None):
    return search_quotes(query, filters).ids


QUERIES = [
    ("budget", Filters()),
    ("budget talk", Filters()),
    ("budget", Filters(kind="partial")),
    ("", Filters(kind="direct")),
]


@pytest.mark.parametrize("cap", [4, 1000])
def test_kept_results_equal_a_fresh_ranking_after_every_kind_of_write(db, monkeypatch, cap):
    monkeypatch.setattr(search, "RESULT_CAP", cap)
    rng = random.Random(cap)
    articles = []
    for day in (3, 1, 2):
        body = " ".join(rng.choice(WORDS) for _ in range(40))
        articles.append(make_article(body, published=datetime.date(2026, 1, day)))
    free = {(a.pk, i) for a in articles for i in range(40)}

    def add():
        article_id, slot = rng.choice(sorted(free))
        free.discard((article_id, slot))
        article = next(a for a in articles if a.pk == article_id)
        kind = rng.choice(["direct", "partial"])
        make_quote(article, slot * 12, slot * 12 + 11, kind=kind)

    for _ in range(12):
        add()
    for query, filters in QUERIES:  # remembered before the writes below
        assert _kept(query, filters) == _fresh(query, filters)
    for step in range(40):
        action = rng.choice(["add", "add", "delete", "kind", "status"])
        quotes = list(Quote.objects.all())
        if action == "add" or not quotes:
            add()
        elif action == "delete":
            quote = rng.choice(quotes)
            free.add((quote.article_id, quote.start // 12))
            quote.delete()
        elif action == "kind":
            quote = rng.choice(quotes)
            quote.kind = "partial" if quote.kind == "direct" else "direct"
            quote.save()
        else:
            quote = rng.choice(quotes)
            quote.status = Quote.Status.APPROVED
            quote.save()
        for query, filters in QUERIES:
            assert _kept(query, filters) == _fresh(query, filters), (step, action, query)


def test_a_save_elsewhere_rechecks_only_the_quotes_it_changed(db, monkeypatch):
    near = make_article("budget talk " * 5)
    far = make_article("other words " * 5)
    make_quote(near, 0, 11)
    assert len(_kept("budget")) == 1
    ranked = []
    original = search.Results._rank

    def spy(self, only=None):
        ranked.append(only)
        return original(self, only)

    monkeypatch.setattr(search.Results, "_rank", spy)
    unrelated = make_quote(far, 0, 11)
    assert len(_kept("budget")) == 1
    assert ranked == [{unrelated.pk}]  # re-checked that one quote; nothing ranked again
    matching = make_quote(near, 12, 23)
    assert _kept("budget")[-1] == matching.pk
    assert ranked[-1] == {matching.pk}


def test_a_new_name_for_a_speaker_ranks_the_query_again(db):
    article = make_article("other words " * 5)
    speaker = Speaker.objects.create(name="Pat Example")
    quote = make_quote(article, 0, 11, speaker=speaker)
    assert _kept("Zebediah") == []
    speaker.name = "Zebediah Example"
    speaker.save()
    assert _kept("Zebediah") == [quote.pk]


def test_a_results_page_is_rendered_again_only_when_a_quote_it_shows_changes(
    viewer_client, db, monkeypatch
):
    from apps.quotes import search_views as views

    rendered = []
    original = views.render_to_string

    def spy(name, *args, **kwargs):
        rendered.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", spy)
    article = make_article("budget talk " * 3 + "other words " * 3)
    shown = make_quote(article, 0, 11)
    url = "/search/"
    viewer_client.get(url, {"q": "budget"})
    assert rendered == ["quotes/search.html#found"]
    make_quote(article, 36, 47)  # "other words": not a match, the page stays
    viewer_client.get(url, {"q": "budget"})
    assert len(rendered) == 1
    shown.kind = "partial"
    shown.save()
    assert "Partial" in viewer_client.get(url, {"q": "budget"}).content.decode()
    assert len(rendered) == 2
