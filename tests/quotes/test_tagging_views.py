import json
import re

import pytest
from django.urls import reverse

from apps.quotes.models import Quote
from apps.sources.models import Source, Speaker, SpeakerAlias
from tests.conftest import make_article, make_quote, make_user

BODY = "Fans 😀 cheered. “We won,” the coach said. Later he added “we won” again."


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def state():
    return (
        list(Quote.objects.values_list("id", "start", "end", "speaker_id", "version")),
        Quote.history.count(),
        Speaker.objects.count(),
        Source.objects.count(),
    )


@pytest.fixture
def article(db):
    return make_article(BODY, title="Match report")


@pytest.fixture
def coach(db):
    team = Speaker.objects.create(name="City FC", kind=Speaker.Kind.ORGANIZATION)
    coach = Speaker.objects.create(name="Pat Coach", role="head coach", affiliation=team)
    SpeakerAlias.objects.create(speaker=coach, alias="the coach")
    return coach


def create_url(article):
    return reverse("quotes:create", args=[article.pk])


def first_quote_payload(**extra):
    start = BODY.index("“We won,”")
    return {
        "text": "“We won,”",
        "start": start,
        "end": start + len("“We won,”"),
        "kind": "direct",
        **extra,
    }


# --- roles ------------------------------------------------------------------


def tagging_requests(article, quote):
    return [
        ("get", reverse("quotes:new", args=[article.pk]), {}),
        ("post", create_url(article), first_quote_payload()),
        ("get", reverse("quotes:edit", args=[quote.pk]), {}),
        ("post", reverse("quotes:update", args=[quote.pk]), first_quote_payload(version=1)),
        ("get", reverse("quotes:delete", args=[quote.pk]), {}),
        ("post", reverse("quotes:delete", args=[quote.pk]), {"version": 1}),
        ("get", reverse("quotes:editor_idle", args=[article.pk]), {}),
    ]


def test_anonymous_users_are_sent_to_login_by_every_tagging_endpoint(client, article):
    quote = make_quote(article, 0, 4)
    for method, url, data in tagging_requests(article, quote):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    assert Quote.objects.count() == 1


def test_viewers_get_403_from_every_tagging_endpoint(viewer_client, article):
    quote = make_quote(article, 0, 4)
    before = state()
    for method, url, data in tagging_requests(article, quote):
        assert getattr(viewer_client, method)(url, data).status_code == 403, url
    assert state() == before


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_editors_and_reviewers_can_tag(client, article, role):
    client.force_login(make_user(f"a-{role}", role))
    response = client.post(create_url(article), first_quote_payload())
    assert response.status_code == 302
    assert Quote.objects.get().exact == "“We won,”"


def test_viewer_sees_no_tagging_controls(viewer_client, article):
    html = viewer_client.get(article.get_absolute_url()).content.decode()
    assert "data-new-url" not in html
    assert reverse("quotes:new", args=[article.pk]) not in html


def test_editor_sees_tagging_controls_and_shortcuts(editor_client, article):
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert f'data-new-url="{reverse("quotes:new", args=[article.pk])}"' in html
    assert "Keyboard shortcuts" in html


# --- creating ----------------------------------------------------------------


def test_tagging_with_code_point_offsets(editor_client, article, coach):
    response = editor_client.post(
        create_url(article), first_quote_payload(speaker="Pat Coach", cue="said")
    )
    quote = Quote.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#q-{quote.pk}")
    assert (quote.exact, quote.speaker, quote.cue) == ("“We won,”", coach, "said")
    assert quote.created_by.username == "edna"


def test_tagging_with_browser_utf16_offsets_after_an_emoji(editor_client, article):
    start = BODY.index("“We won,”")
    payload = first_quote_payload(
        start=utf16(BODY, start), end=utf16(BODY, start + 9), offsets="utf16"
    )
    assert payload["start"] == start + 1  # the emoji counts twice in UTF-16
    editor_client.post(create_url(article), payload)
    quote = Quote.objects.get()
    assert (quote.start, quote.end) == (start, start + 9)
    assert BODY[quote.start : quote.end] == "“We won,”"


def test_tagging_by_typed_text_alone_when_it_is_unique(editor_client, article):
    editor_client.post(create_url(article), {"text": "cheered", "kind": "indirect"})
    quote = Quote.objects.get()
    assert BODY[quote.start : quote.end] == "cheered"


def test_speaker_can_be_given_by_alias_or_suggestion_label(editor_client, article, coach):
    editor_client.post(create_url(article), first_quote_payload(speaker="THE COACH"))
    assert Quote.objects.get().speaker == coach
    Quote.objects.all().delete()
    editor_client.post(create_url(article), first_quote_payload(speaker=f"Whatever (#{coach.pk})"))
    assert Quote.objects.get().speaker == coach


def test_new_speaker_and_source_are_created_inline(editor_client, article, coach):
    response = editor_client.post(
        create_url(article),
        first_quote_payload(
            speaker="Sam Striker",
            new_speaker="on",
            new_speaker_kind="person",
            new_speaker_role="captain",
            new_speaker_affiliation="City FC",
            source="Post-match interview",
            new_source="on",
            new_source_kind="interview",
            new_source_publisher="City TV",
            new_source_url="https://city.example/interview",
            new_source_date="2017-11-14",
        ),
    )
    assert response.status_code == 302
    quote = Quote.objects.select_related("speaker__affiliation", "source").get()
    assert (quote.speaker.name, quote.speaker.role, quote.speaker.affiliation.name) == (
        "Sam Striker",
        "captain",
        "City FC",
    )
    assert (quote.source.title, quote.source.kind, quote.source.date.isoformat()) == (
        "Post-match interview",
        "interview",
        "2017-11-14",
    )


BAD_CREATES = [
    ({"text": "", "start": 0, "end": 3}, "This field is required"),
    ({"text": "   ", "start": 0, "end": 3}, "empty"),
    ({"text": "Fans", "start": -5, "end": 4}, "outside this article"),
    ({"text": "Fans", "start": 0, "end": 9999}, "outside this article"),
    ({"text": "Fans", "start": 4, "end": 2}, "outside this article"),
    ({"text": "We lost", "start": 16, "end": 23}, "does not match this article"),
    ({"text": "a passage from another article"}, "does not match this article"),
    ({"text": "won"}, "occurs 2 times"),
    ({"text": "x" * 20_001}, "at most 20000 characters"),
    ({"text": "Fans", "start": "zero", "end": 4}, "Enter a whole number"),
    ({"text": "Fans", "start": 0, "end": 4, "offsets": "utf16", "kind": "rumour"}, "valid choice"),
    ({"text": "Fans", "start": 0, "end": 4, "speaker": "Nobody Known"}, "No speaker called"),
    ({"text": "Fans", "start": 0, "end": 4, "source": "Unknown paper"}, "No source titled"),
    (
        {
            "text": "Fans",
            "start": 0,
            "end": 4,
            "speaker": "X",
            "new_speaker": "on",
            "new_speaker_affiliation": "Pat Coach",
        },
        "an affiliation must be an organization",
    ),
    (
        {
            "text": "Fans",
            "start": 0,
            "end": 4,
            "source": "S",
            "new_source": "on",
            "new_source_url": "javascript:alert(1)",
        },
        "Enter a valid URL",
    ),
    ({"text": "Fans 😀", "start": 0, "end": 6, "offsets": "utf16"}, "does not fall on characters"),
]


@pytest.mark.parametrize(("payload", "message"), BAD_CREATES)
def test_bad_tag_requests_get_400_with_an_inline_message_and_change_nothing(
    editor_client, article, coach, payload, message
):
    before = state()
    response = editor_client.post(create_url(article), {"kind": "direct", **payload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before


def test_text_of_another_article_cannot_be_tagged_here(editor_client, article):
    other = make_article("Completely different words here.", title="Other")
    before = state()
    response = editor_client.post(
        create_url(article), {"text": "different words", "start": 11, "end": 26, "kind": "direct"}
    )
    assert response.status_code == 400
    assert state() == before
    assert other.quotes.count() == 0


def test_the_same_passage_cannot_be_tagged_twice(editor_client, article):
    editor_client.post(create_url(article), first_quote_payload())
    before = state()
    response = editor_client.post(create_url(article), first_quote_payload())
    assert response.status_code == 400
    assert "already tagged" in response.content.decode()
    assert state() == before


def test_htmx_save_swaps_the_editor_and_sends_what_changed_out_of_band(editor_client, article):
    response = editor_client.post(
        create_url(article), first_quote_payload(), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    quote = Quote.objects.get()
    assert response.status_code == 200
    assert html.startswith('\n    <section class="editor editor-idle" id="editor"')
    # The paragraph holding the new highlight (the article has one), not the whole body.
    assert '<div hx-swap-oob="innerHTML:#p-0">' in html and f'id="q-{quote.pk}"' in html
    assert 'id="article-body"' not in html
    # The first quote: the legend appears and the list stops being empty.
    assert 'id="summary" hx-swap-oob="true"' in html
    assert 'id="quote-groups" hx-swap-oob="true"' in html
    assert json.loads(response["HX-Trigger-After-Settle"]) == {"quotetrail:saved": {"id": quote.pk}}
    assert "<html" not in html  # a fragment, not the page


def test_htmx_refusal_returns_the_form_fragment_with_400(editor_client, article):
    response = editor_client.post(
        create_url(article),
        {"text": "nope, not here", "kind": "direct"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "does not match this article" in html
    assert "<html" not in html


# --- the form, prefilled -------------------------------------------------------


def test_new_form_is_prefilled_from_a_browser_selection(editor_client, article):
    start = BODY.index("“We won,”")
    response = editor_client.get(
        reverse("quotes:new", args=[article.pk]),
        {
            "text": "“We won,”",
            "start": utf16(BODY, start),
            "end": utf16(BODY, start + 9),
            "offsets": "utf16",
        },
    )
    form = response.context["editor"].form
    assert response.status_code == 200
    assert form.initial["start"] == start
    assert form.initial["offsets"] == "codepoints"
    assert form.initial["kind"] == "direct"
    assert form.initial["cue"] == "said"


def test_new_form_reports_a_bad_selection(editor_client, article):
    response = editor_client.get(
        reverse("quotes:new", args=[article.pk]), {"text": "not in it", "start": 0, "end": 9}
    )
    assert response.status_code == 400
    assert "does not match this article" in response.content.decode()


def open_new_form(client, article, start, end):
    """The tag form for BODY[start:end], as the browser asks for it."""
    return client.get(
        reverse("quotes:new", args=[article.pk]),
        {
            "text": BODY[start:end],
            "start": utf16(BODY, start),
            "end": utf16(BODY, end),
            "offsets": "utf16",
            "prefix": BODY[max(0, start - 32) : start],
            "suffix": BODY[end : end + 32],
        },
    )


def test_new_form_warns_at_once_that_the_passage_is_already_tagged(editor_client, article):
    start = BODY.index("“We won,”")
    tagged = make_quote(article, start, start + 9)
    # The selection's surrounding spaces are trimmed: it is the same span.
    response = open_new_form(editor_client, article, start - 1, start + 10)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["editor"].tagged == tagged
    assert "This passage is already tagged as a quote." in html
    assert f'href="{reverse("quotes:edit", args=[tagged.pk])}"' in html


@pytest.mark.parametrize(
    "passage",
    ["We won", "“We won,” the coach", "won,” the"],
    ids=["nested", "enclosing", "overlapping"],
)
def test_new_form_does_not_warn_for_a_different_span(editor_client, article, passage):
    start = BODY.index("“We won,”")
    make_quote(article, start, start + 9)
    begin = BODY.index(passage)
    response = open_new_form(editor_client, article, begin, begin + len(passage))
    assert response.status_code == 200
    assert response.context["editor"].tagged is None
    assert "already tagged" not in response.content.decode()


def test_new_form_does_not_warn_for_an_orphan_on_the_span(editor_client, article):
    start = BODY.index("“We won,”")
    orphan = make_quote(article, start, start + 9)
    Quote.objects.filter(pk=orphan.pk).update(orphaned=True)
    response = open_new_form(editor_client, article, start, start + 9)
    assert "already tagged" not in response.content.decode()
    assert editor_client.post(create_url(article), first_quote_payload()).status_code == 302


# --- editing, conflicts, deleting ------------------------------------------------


@pytest.fixture
def quote(article, coach):
    start = BODY.index("“We won,”")
    return make_quote(article, start, start + 9, speaker=coach, kind="direct", cue="said")


def update(client, quote, version, **changes):
    payload = {
        "text": quote.exact,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind,
        "speaker": "Pat Coach",
        "cue": quote.cue,
        "version": version,
        **changes,
    }
    return client.post(reverse("quotes:update", args=[quote.pk]), payload)


def test_edit_form_shows_the_quote_and_its_history(editor_client, quote):
    response = editor_client.get(reverse("quotes:edit", args=[quote.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="version" value="1"' in html
    assert "History" in html and "created" in html


def test_saving_an_edit_bumps_the_version_and_records_who_changed_what(editor_client, quote):
    response = update(editor_client, quote, 1, cue="added", kind="partial")
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.version, quote.cue, quote.kind) == (2, "added", "partial")
    latest = quote.history.latest("history_date")
    assert latest.history_user.username == "edna"
    html = editor_client.get(reverse("quotes:history", args=[quote.pk])).content.decode()
    assert "Cue" in html and "said" in html and "added" in html


def test_re_spanning_moves_the_quote_to_the_new_selection(editor_client, quote):
    start = BODY.index("“we won”")
    response = update(editor_client, quote, 1, text="“we won”", start=start, end=start + 8)
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.start, quote.exact) == (start, "“we won”")


def test_a_stale_edit_gets_409_with_the_other_change_and_saves_nothing(client, quote):
    first, second = make_user("first", "editor"), make_user("second", "editor")
    client.force_login(first)
    assert update(client, quote, 1, cue="insisted").status_code == 302
    client.force_login(second)
    response = update(client, quote, 1, cue="claimed")
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this quote" in html
    assert "insisted" in html and "claimed" in html
    assert "Overwrite with mine" in html and "Load their version" in html
    quote.refresh_from_db()
    assert (quote.cue, quote.version) == ("insisted", 2)


def test_overwriting_deliberately_after_a_conflict_keeps_both_edits_in_history(client, quote):
    client.force_login(make_user("first", "editor"))
    update(client, quote, 1, cue="insisted")
    client.force_login(make_user("second", "editor"))
    assert update(client, quote, 1, cue="claimed").status_code == 409
    assert update(client, quote, 2, cue="claimed").status_code == 302
    cues = list(quote.history.order_by("history_date").values_list("cue", "history_user__username"))
    assert cues[-2:] == [("insisted", "first"), ("claimed", "second")]


def test_edit_without_a_version_is_treated_as_stale(editor_client, quote):
    response = update(editor_client, quote, "")
    assert response.status_code == 409


def test_delete_asks_for_confirmation_then_deletes_and_keeps_history(editor_client, quote):
    confirm = editor_client.get(reverse("quotes:delete", args=[quote.pk]))
    assert confirm.status_code == 200
    assert "Delete this quote?" in confirm.content.decode()
    assert Quote.objects.filter(pk=quote.pk).exists()
    response = editor_client.post(reverse("quotes:delete", args=[quote.pk]), {"version": 1})
    assert response.status_code == 302
    assert not Quote.objects.filter(pk=quote.pk).exists()
    history = editor_client.get(reverse("quotes:history", args=[quote.pk]))
    assert history.status_code == 200
    assert "deleted" in history.content.decode()


def test_stale_delete_is_refused_with_409(editor_client, quote):
    update(editor_client, quote, 1, cue="insisted")
    response = editor_client.post(reverse("quotes:delete", args=[quote.pk]), {"version": 1})
    assert response.status_code == 409
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_editing_a_quote_deleted_meanwhile_is_a_clear_conflict(editor_client, quote):
    form_version = quote.version
    Quote.objects.filter(pk=quote.pk).delete()
    response = update(editor_client, quote, form_version)
    assert response.status_code == 404


def test_history_of_an_unknown_quote_is_404(viewer_client, db):
    assert viewer_client.get(reverse("quotes:history", args=[424242])).status_code == 404


def test_after_a_refusal_focus_goes_to_the_field_to_fix(editor_client, article):
    response = editor_client.post(
        create_url(article),
        first_quote_payload(speaker="Nobody Known"),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    speaker_input = html[html.index('name="speaker"') - 200 : html.index('name="speaker"') + 400]
    assert "autofocus" in speaker_input
    assert html.count("autofocus") == 1


def test_a_refused_edit_cannot_smuggle_fields_into_the_delete_link(editor_client, quote):
    response = update(editor_client, quote, '1", "extra": "x', kind="nonsense")
    html = response.content.decode()
    assert response.status_code == 400
    link = re.search(r"hx-vals='([^']*)'", html).group(1)
    assert json.loads(link.replace("&quot;", '"')) == {"version": ""}
    assert "extra" not in link
    assert json.loads(
        re.search(
            r"hx-vals='([^']*)'", editor_client.get(reverse("quotes:edit", args=[quote.pk])).text
        )
        .group(1)
        .replace("&quot;", '"')
    ) == {"version": "1"}


def test_a_speaker_merged_away_while_the_form_was_checked_is_refused_not_a_500(editor, db):
    from apps.quotes.tagging import QuoteChange, TaggingRefused, create_quote

    article = make_article(BODY)
    gone = Speaker.objects.create(name="Pat Coach")
    change = QuoteChange(start=17, end=26, kind="direct", speaker=gone)
    Speaker.objects.filter(pk=gone.pk).delete()  # a merge committed between check and save
    with pytest.raises(TaggingRefused, match="merged or deleted"):
        create_quote(article, change, editor)
    assert not Quote.objects.filter(article=article).exists()
