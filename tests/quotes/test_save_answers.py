"""What a save answers htmx with: the fragments it changed, and the same page as a reload."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.articles.reading.highlighting import paragraph_starts, paragraphs_of
from apps.quotes.correction import correct_body
from apps.quotes.models import Quote, Suggestion
from apps.sources.models import Source, Speaker
from tests.conftest import make_article, make_quote

from .swaps import Page

NAMES = [
    "Ana Ruiz", "Ben Okafor", "Carla Diaz", "Dev Patel", "Eva Lund", "Femi Ade",
    "Gus Moreau", "Hana Sato", "Ivo Novak", "Jun Park", "Kai Berg", "Lea Roth",
]  # fmt: skip
VOCAB = [
    "the", "council", "met", "on", "tuesday", "and", "voted", "to", "extend", "the", "bridge",
    "works", "into", "next", "spring", "while", "residents", "of", "the", "old", "quarter",
    "waited", "for", "news", "about", "the", "budget", "and", "the", "roads",
]  # fmt: skip


def long_article(paragraphs=120, quotes=200):
    """A 15,000-word article (120 paragraphs of 125 words, two quotations each) with
    200 of its 240 detected quotations tagged (accepted), the rest still suggested."""
    words = itertools.cycle(VOCAB)

    def filler(n):
        return " ".join(next(words) for _ in range(n))

    body = "\n\n".join(
        f"{filler(20).capitalize()}. “{filler(12)},” {NAMES[(2 * i) % 12]} said. "
        f"{filler(45).capitalize()}. “{filler(12)},” {NAMES[(2 * i + 1) % 12]} said. "
        f"{filler(30).capitalize()}."
        for i in range(paragraphs)
    )
    people = {name: Speaker.objects.get_or_create(name=name)[0] for name in NAMES}
    sources = [Source.objects.create(title=f"Council minutes {i}") for i in range(5)]
    article = make_article(body, title=f"Long read {paragraphs}")
    suggested = list(Suggestion.objects.filter(article=article).order_by("start"))
    assert len(suggested) == 2 * paragraphs
    assert len(suggested) >= 6 * (len(suggested) - quotes)
    kept = {6 * i + i % 6 for i in range(len(suggested) - quotes)}  # every speaker keeps some
    tagged, made = [], []
    for index, suggestion in enumerate(suggested):
        if index in kept:
            continue
        quote = Quote(
            article=article,
            speaker=people[suggestion.speaker_name],
            source=sources[index % 5],
            kind=suggestion.kind,
            cue=suggestion.cue,
        )
        quote.anchor(suggestion.start, suggestion.end)
        made.append(quote)
        tagged.append(suggestion.pk)
    Quote.objects.bulk_create(made)
    Suggestion.objects.filter(pk__in=tagged).update(status=Suggestion.Status.ACCEPTED)
    return article


def open_page(client, article) -> Page:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return Page(response.content.decode())


def send(client, page: Page, url: str, data: dict | None = None, state: str | None = None):
    """POST as htmx from `page` (saying which state it shows) and apply the answer to it."""
    headers = {"HX-Request": "true", "X-Quotetrail-Reading": state or page.state}
    response = client.post(url, data or {}, headers=headers)
    assert response.status_code == 200, response.content.decode()[:2000]
    page.swap(response.content.decode())
    return response


def _panel(html: str) -> str:
    """The suggestions panel without what differs between any two answers (CSRF tokens)
    or is only shown after a decision (its notice)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    notice = r'<p class="message small" role="status" id="suggestions-notice".*?</p>'
    return re.sub(notice, "", html)


def assert_like_reload(client, article, page: Page) -> None:
    reloaded = open_page(client, article)
    assert page.region("article-body", blank_text=True) == reloaded.region(
        "article-body", blank_text=True
    )
    assert page.region("summary") == reloaded.region("summary")
    assert page.region("quote-groups") == reloaded.region("quote-groups")
    assert _panel(page.region("suggestions")) == _panel(reloaded.region("suggestions"))


def create_url(article):
    return reverse("quotes:create", args=[article.pk])


def tag_payload(article, start, end, speaker="", **extra):
    return {
        "text": article.body[start:end],
        "start": start,
        "end": end,
        "kind": "direct",
        "speaker": speaker,
        **extra,
    }


def edit_payload(quote, **changes):
    payload = {
        "text": quote.exact,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind,
        "speaker": quote.speaker.name if quote.speaker else "",
        "version": quote.version,
    }
    return {**payload, **changes}


def paragraph_of(article, quote_or_span):
    start, end = quote_or_span
    (index,) = paragraphs_of(paragraph_starts(article.body), start, end)
    return index


# --- one new quote on a long article -------------------------------------------------


@pytest.fixture
def long_read(db):
    return long_article()


def test_a_new_quote_on_a_long_article_answers_with_its_paragraph_and_item(
    editor_client, long_read
):
    article = long_read
    page = open_page(editor_client, article)
    assert len(article.body.split()) == 15_000
    assert Quote.objects.filter(article=article).count() == 200
    # A detected quotation halfway through, by a speaker who spoke before.
    suggestion = Suggestion.objects.open_for(article).filter(start__gt=len(article.body) // 2)[0]
    speaker = Speaker.objects.get(name=suggestion.speaker_name)
    assert f'id="qg-{speaker.pk}"' in page.region("quote-groups")
    span = (suggestion.start, suggestion.end)
    response = send(
        editor_client,
        page,
        create_url(article),
        tag_payload(article, *span, speaker=suggestion.speaker_name),
    )
    html = response.content.decode()
    quote = Quote.objects.get(article=article, start=suggestion.start)
    assert len(response.content) <= 10_000, len(response.content)
    assert f'hx-swap-oob="innerHTML:#p-{paragraph_of(article, span)}"' in html
    assert html.count('hx-swap-oob="innerHTML:#p-') == 1  # no other paragraph
    assert f'<li class="quote-item" id="qi-{quote.pk}"' in html
    assert f'id="suggestion-{suggestion.pk}" hx-swap-oob="delete"' in html
    assert 'id="counts"' in html and f'id="lg-{quote.speaker_id}"' in html
    for region in ('id="article-body"', 'id="summary"', 'id="quote-groups"', 'id="suggestions"'):
        assert region not in html
    assert_like_reload(editor_client, article, page)


def test_the_save_costs_the_same_queries_on_a_short_and_a_long_article(editor_client, db):
    counts = []
    for paragraphs, quotes in ((12, 20), (120, 200)):
        article = long_article(paragraphs, quotes)
        page = open_page(editor_client, article)
        suggestion = Suggestion.objects.open_for(article).order_by("-start")[0]
        payload = tag_payload(
            article, suggestion.start, suggestion.end, speaker=suggestion.speaker_name
        )
        with CaptureQueriesContext(connection) as queries:
            response = send(editor_client, page, create_url(article), payload)
        assert 'id="article-body"' not in response.content.decode()
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_editing_a_quote_in_place_replaces_its_item_and_paragraph(editor_client, long_read):
    article = long_read
    page = open_page(editor_client, article)
    quote = Quote.objects.filter(article=article).order_by("start")[100]
    url = reverse("quotes:update", args=[quote.pk])
    kind = "indirect" if quote.kind != "indirect" else "direct"
    response = send(editor_client, page, url, edit_payload(quote, kind=kind, cue="noted"))
    html = response.content.decode()
    assert len(response.content) <= 10_000
    item = f'<li class="quote-item" id="qi-{quote.pk}" data-q="{quote.pk}" hx-swap-oob="true">'
    assert item in html
    assert html.count('hx-swap-oob="innerHTML:#p-') == 1
    assert_like_reload(editor_client, article, page)


def test_a_delete_removes_the_item_and_unmarks_the_paragraph(editor_client, long_read):
    article = long_read
    page = open_page(editor_client, article)
    quote = Quote.objects.filter(article=article).order_by("start")[150]
    url = reverse("quotes:delete", args=[quote.pk])
    response = send(editor_client, page, url, {"version": quote.version})
    html = response.content.decode()
    assert len(response.content) <= 10_000
    assert f'<div id="qi-{quote.pk}" hx-swap-oob="delete"></div>' in html
    assert f'innerHTML:#p-{paragraph_of(article, (quote.start, quote.end))}"' in html
    assert f'id="q-{quote.pk}"' not in page.region("article-body")
    assert page.root.by_id(f"qi-{quote.pk}") is None
    assert_like_reload(editor_client, article, page)


def test_a_page_showing_another_state_gets_every_region_again(editor_client, long_read):
    article = long_read
    page = open_page(editor_client, article)
    shown = page.state
    other = Quote.objects.filter(article=article).order_by("start")[5]
    other.cue = "insisted"  # a colleague's save the page does not show
    other.save()
    suggestion = Suggestion.objects.open_for(article)[3]
    payload = tag_payload(article, suggestion.start, suggestion.end)
    response = send(editor_client, page, create_url(article), payload, state=shown)
    html = response.content.decode()
    for region in ("article-body", "summary", "quote-groups", "suggestions"):
        assert f'id="{region}"' in html
    assert "<em>insisted</em>" in page.region("quote-groups")
    assert_like_reload(editor_client, article, page)


# --- speaker groups ----------------------------------------------------------------------

STORY = (
    "“One,” said Ana Ruiz.\n\n"
    "“Two,” said Ben Okafor, and “three,” said Ana Ruiz.\n\n"
    "“Four,” said Carla Diaz.\n\n"
    "“Five,” said nobody in particular."
)


@pytest.fixture
def story(db):
    article = make_article(STORY, title="Groups")
    people = {name: Speaker.objects.create(name=name) for name in NAMES[:3]}
    said = (("“One,”", "Ana Ruiz"), ("“Two,”", "Ben Okafor"), ("“Four,”", "Carla Diaz"))
    for words, name in said:
        start = STORY.index(words)
        make_quote(article, start, start + len(words), speaker=people[name])
    return article


def quote_at(article, words):
    return Quote.objects.select_related("speaker").get(article=article, exact=words)


def test_a_new_speaker_tagged_earlier_in_the_text_takes_the_next_number_and_moves_nobody(
    editor_client, story
):
    page = open_page(editor_client, story)
    carla = Speaker.objects.get(name="Carla Diaz")
    before = page.root.by_id(f"qg-{carla.pk}-title").html()
    start = STORY.index("“three,”")  # before Carla's "Four," in the text
    payload = tag_payload(story, start, start + 8, "Eve Stone", new_speaker="on")
    payload["new_speaker_kind"] = "person"
    response = send(editor_client, page, create_url(story), payload)
    html = response.content.decode()
    eve = Speaker.objects.get(name="Eve Stone")
    assert 'id="article-body"' not in html and 'id="quote-groups"' not in html
    assert f'id="qg-{eve.pk}"' in html
    assert len(html) < 10_000
    assert page.root.by_id(f"qg-{carla.pk}-title").html() == before  # still number 3
    assert '<span class="swatch sp-3" aria-hidden="true">4</span>' in html  # Eve is 4th
    assert_like_reload(editor_client, story, page)


def test_a_speakers_first_tagged_quote_given_away_renumbers_everyone_so_all_is_resent(
    editor_client, story
):
    page = open_page(editor_client, story)
    quote = quote_at(story, "“Two,”")  # Ben is number 2, Carla 3
    payload = edit_payload(quote, speaker="Dana Vogel", new_speaker="on", new_speaker_kind="person")
    # Ben's only quote goes to a new speaker, who takes number 2: nobody moves, only Ben
    # leaves and Dana arrives, so the groups change in place.
    response = send(editor_client, page, reverse("quotes:update", args=[quote.pk]), payload)
    html = response.content.decode()
    ben = Speaker.objects.get(name="Ben Okafor")
    dana = Speaker.objects.get(name="Dana Vogel")
    assert f'<div id="qg-{ben.pk}" hx-swap-oob="delete"></div>' in html
    assert f'hx-swap-oob="beforebegin:#qg-{quote_at(story, "“Four,”").speaker_id}"' in html
    assert f'id="qg-{dana.pk}"' in html and 'id="summary" hx-swap-oob="true"' in html
    assert 'id="article-body"' not in html and 'id="quote-groups"' not in html
    assert_like_reload(editor_client, story, page)
    # Tagging "three" for Dana too, then Ana's only quote, "One" (the first tagged), for
    # Dana: Dana now holds the first-tagged quote and becomes number 1, Carla moves to 2.
    start = STORY.index("“three,”")
    send(editor_client, page, create_url(story), tag_payload(story, start, start + 8, "Dana Vogel"))
    assert_like_reload(editor_client, story, page)
    quote = quote_at(story, "“One,”")
    response = send(
        editor_client,
        page,
        reverse("quotes:update", args=[quote.pk]),
        edit_payload(quote, speaker="Dana Vogel"),
    )
    html = response.content.decode()
    for region in ("article-body", "summary", "quote-groups"):
        assert re.search(rf'id="{region}"[^>]*hx-swap-oob="true"', html), region
    assert (
        page.root.by_id(f"qg-{dana.pk}-title")
        .html()
        .startswith(
            f'<h3 id="qg-{dana.pk}-title"><span class="swatch sp-0" aria-hidden="true">1</span>'
        )
    )
    assert_like_reload(editor_client, story, page)


def test_moving_a_quote_to_another_speaker_moves_its_item_between_groups(editor_client, story):
    page = open_page(editor_client, story)
    ana, carla = Speaker.objects.get(name="Ana Ruiz"), Speaker.objects.get(name="Carla Diaz")
    start = STORY.index("“three,”")
    send(editor_client, page, create_url(story), tag_payload(story, start, start + 8, "Ana Ruiz"))
    three = quote_at(story, "“three,”")
    assert page.root.by_id(f"qg-{ana.pk}-quotes").html().count("quote-item") == 2
    response = send(
        editor_client,
        page,
        reverse("quotes:update", args=[three.pk]),
        edit_payload(three, speaker="Carla Diaz"),
    )
    html = response.content.decode()
    assert f'<div id="qi-{three.pk}" hx-swap-oob="delete"></div>' in html
    four = quote_at(story, "“Four,”")
    assert f'hx-swap-oob="beforebegin:#qi-{four.pk}"' in html  # before "Four", in reading order
    assert f'id="lg-{ana.pk}"' in html and f'id="lg-{carla.pk}"' in html
    assert_like_reload(editor_client, story, page)


def test_unattributed_quotes_come_and_go_as_a_group_of_their_own(editor_client, story):
    page = open_page(editor_client, story)
    start = STORY.index("“Five,”")
    response = send(editor_client, page, create_url(story), tag_payload(story, start, start + 7))
    html = response.content.decode()
    assert 'hx-swap-oob="beforeend:#quote-groups"' in html and 'id="qg-none"' in html
    assert_like_reload(editor_client, story, page)
    five = quote_at(story, "“Five,”")
    response = send(
        editor_client, page, reverse("quotes:delete", args=[five.pk]), {"version": five.version}
    )
    assert '<div id="qg-none" hx-swap-oob="delete"></div>' in response.content.decode()
    assert_like_reload(editor_client, story, page)


def test_repairing_an_orphan_resends_the_quote_list(editor_client, story):
    four = quote_at(story, "“Four,”")
    correct_body(story.pk, story.fingerprint, story.title, STORY.replace("“Four,”", "“4,”"))
    story.refresh_from_db()
    page = open_page(editor_client, story)
    assert "Needs repair" in page.region("quote-groups")
    four.refresh_from_db()
    start = story.body.index("“4,”")
    response = send(
        editor_client,
        page,
        reverse("quotes:update", args=[four.pk]),
        edit_payload(four, text="“4,”", start=start, end=start + 4),
    )
    assert 'id="quote-groups" hx-swap-oob="true"' in response.content.decode()
    assert "Needs repair" not in page.region("quote-groups")
    assert_like_reload(editor_client, story, page)


def test_a_quote_over_a_paragraph_break_sends_both_paragraphs(editor_client, story):
    page = open_page(editor_client, story)
    start, end = STORY.index("and “three,”"), STORY.index("“Four,”") + 7
    response = send(editor_client, page, create_url(story), tag_payload(story, start, end))
    html = response.content.decode()
    assert 'innerHTML:#p-1"' in html and 'innerHTML:#p-2"' in html
    assert 'innerHTML:#p-0"' not in html and 'innerHTML:#p-3"' not in html
    assert_like_reload(editor_client, story, page)


# --- suggestions --------------------------------------------------------------------------


def decide_url(suggestion, decision):
    return reverse("quotes:suggestion_decide", args=[suggestion.pk, decision])


def test_accepting_a_suggestion_takes_it_off_the_list_and_tags_its_paragraph(
    editor_client, long_read
):
    article = long_read
    page = open_page(editor_client, article)
    suggestion = Suggestion.objects.open_for(article)[10]
    response = send(editor_client, page, decide_url(suggestion, "accept"))
    html = response.content.decode()
    assert len(response.content) <= 10_000
    assert f'<div id="suggestion-{suggestion.pk}" hx-swap-oob="delete"></div>' in html
    title = 'id="suggestions-title" class="panel-title" hx-swap-oob="true">'
    assert title + "Suggested quotations (39)</h2>" in html
    assert "Tagged as a draft quote" in page.region("suggestions")
    assert html.count('hx-swap-oob="innerHTML:#p-') == 1
    assert_like_reload(editor_client, article, page)
    dismissed = Suggestion.objects.open_for(article)[0]
    response = send(editor_client, page, decide_url(dismissed, "dismiss"))
    html = response.content.decode()
    assert f'<div id="suggestion-{dismissed.pk}" hx-swap-oob="delete"></div>' in html
    assert "innerHTML:#p-" not in html and 'id="counts"' not in html
    assert_like_reload(editor_client, article, page)


def test_deleting_a_quote_over_a_suggested_passage_brings_the_suggestion_back(editor_client, db):
    article = make_article("“We will rebuild the bridge by spring,” the mayor said.", title="Mayor")
    page = open_page(editor_client, article)
    suggestion = Suggestion.objects.open_for(article).get()
    span = (suggestion.start, suggestion.end)
    send(editor_client, page, create_url(article), tag_payload(article, *span))
    assert f'id="suggestion-{suggestion.pk}"' not in page.region("suggestions")
    quote = Quote.objects.get(article=article)
    response = send(
        editor_client, page, reverse("quotes:delete", args=[quote.pk]), {"version": quote.version}
    )
    assert 'id="suggestions" aria-labelledby' in response.content.decode()
    assert f'id="suggestion-{suggestion.pk}"' in page.region("suggestions")
    assert_like_reload(editor_client, article, page)


def test_a_new_speaker_a_suggestion_names_resends_the_panel(editor_client, db):
    article = make_article(
        "“Rain,” Zoe Hart said. “Sun,” Zoe Hart said. Plain words here.", title="Zoe"
    )
    page = open_page(editor_client, article)
    assert "Zoe Hart (new)" in page.region("suggestions")
    start = article.body.index("Plain")
    payload = tag_payload(article, start, start + 11, "Zoe Hart", new_speaker="on")
    response = send(editor_client, page, create_url(article), {**payload, "kind": "indirect"})
    assert 'id="suggestions" aria-labelledby' in response.content.decode()
    assert "Zoe Hart ✓" in page.region("suggestions")
    assert_like_reload(editor_client, article, page)


# --- any sequence of saves ---------------------------------------------------------------

SMALL = (
    "“Alpha beta,” said Ana Ruiz. Gamma “delta epsilon” zeta.\n\n"
    "Eta theta, “iota kappa lambda,” Ben Okafor said.\n\n"
    "Mu nu xi omicron pi rho.\n\n"
    "“Sigma,” tau said Carla Diaz, “upsilon phi.”"
)
WORDS = re.findall(r"\w+", SMALL)
EXAMPLES = itertools.count()
Operation = st.tuples(
    st.sampled_from(["create", "update", "delete"]),
    st.integers(0, len(WORDS) - 1),  # first word of the span
    st.integers(0, 4),  # words after it (a span may run over a paragraph break)
    st.sampled_from(["", *NAMES[:3], "Dana Vogel"]),
    st.sampled_from(["direct", "partial", "indirect"]),
    st.integers(0, 10),  # which quote to change
)


def _word_span(first: int, more: int) -> tuple[int, int]:
    found = list(re.finditer(r"\w+", SMALL))
    last = min(first + more, len(found) - 1)
    return found[first].start(), found[last].end()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(Operation, min_size=1, max_size=6))
def test_after_any_saves_the_page_is_what_a_reload_shows(editor_client, db, operations):
    for name in NAMES[:3]:
        Speaker.objects.get_or_create(name=name)
    article = make_article(SMALL, title=f"Small {next(EXAMPLES)}")
    page = open_page(editor_client, article)
    for action, first, more, speaker, kind, which in operations:
        start, end = _word_span(first, more)
        quotes = list(Quote.objects.filter(article=article).select_related("speaker"))
        new = speaker == "Dana Vogel" and not Speaker.objects.filter(name=speaker).exists()
        payload = tag_payload(article, start, end, speaker, kind=kind)
        if new:
            payload.update(new_speaker="on", new_speaker_kind="person")
        if action == "create" or not quotes:
            url = create_url(article)
        elif action == "update":
            quote = quotes[which % len(quotes)]
            url = reverse("quotes:update", args=[quote.pk])
            payload["version"] = quote.version
        else:
            quote = quotes[which % len(quotes)]
            url = reverse("quotes:delete", args=[quote.pk])
            payload = {"version": quote.version}
        headers = {"HX-Request": "true", "X-Quotetrail-Reading": page.state}
        response = editor_client.post(url, payload, headers=headers)
        if response.status_code == 400:  # e.g. a passage already tagged: the editor only
            assert "already tagged" in response.content.decode()
            continue
        assert response.status_code == 200
        html = response.content.decode()
        page.swap(html)
        assert_like_reload(editor_client, article, page)
