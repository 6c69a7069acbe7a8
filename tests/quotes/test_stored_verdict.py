"""The verbatim check's verdict kept on the quote, and kept current by every write that
can change it: the quote's words, kind or source, its source's original, that original's
text."""

from django.urls import reverse

from apps.core.versions import current, key
from apps.quotes.correction import correct_body
from apps.quotes.models import Quote
from apps.quotes.tagging import QuoteChange, update_quote
from apps.sources.models import Source
from tests.conftest import make_article, make_quote
from tests.quotes.conftest import ORIGINAL, PASSAGE

CHANGED = "We will not let the fighters leave Tabqa with their weapons"


def quoting(words: str, source=None, kind="direct", title=None) -> Quote:
    report = make_article(f"The colonel said “{words}” on Tuesday.", title=title or words[:30])
    start = report.body.index(words)
    return make_quote(report, start, start + len(words), source=source, kind=kind)


def stored(quote) -> str:
    return Quote.objects.values_list("verdict", flat=True).get(pk=quote.pk)


def test_a_new_quote_stores_its_verdict(linked):
    assert stored(quoting(PASSAGE, linked)) == "verbatim"
    assert stored(quoting(CHANGED, linked)) == "altered"
    assert stored(quoting("Nothing of the kind was ever said here today", linked)) == "not_found"


def test_no_verdict_without_an_original_or_for_a_paraphrase(linked, db):
    plain = Source.objects.create(title="No text", kind=Source.Kind.INTERVIEW)
    assert stored(quoting(PASSAGE, plain)) == ""
    assert stored(quoting(PASSAGE, title="Unsourced")) == ""
    assert stored(quoting(CHANGED, linked, kind="indirect")) == ""


def _change(quote, **fields) -> QuoteChange:
    values = {"start": quote.start, "end": quote.end, "kind": quote.kind, "source": quote.source}
    return QuoteChange(**(values | fields))


def test_editing_kind_or_source_checks_again(linked, db):
    quote = quoting(CHANGED, linked)
    quote = update_quote(quote.pk, quote.version, _change(quote, kind="indirect"))
    assert stored(quote) == ""
    quote = update_quote(quote.pk, quote.version, _change(quote, kind="partial"))
    assert stored(quote) == "altered"
    quote = update_quote(quote.pk, quote.version, _change(quote, source=None))
    assert stored(quote) == ""


def test_the_edit_view_stores_the_new_verdict(editor_client, linked):
    quote = quoting(CHANGED)
    response = editor_client.post(
        reverse("quotes:update", args=[quote.pk]),
        {
            "text": quote.exact,
            "start": quote.start,
            "end": quote.end,
            "offsets": "codepoints",
            "kind": "direct",
            "source": "Dillon briefing",
            "version": quote.version,
        },
    )
    assert response.status_code == 302, response.text[:500]
    assert stored(quote) == "altered"


def test_linking_and_unlinking_a_sources_original_checks_its_quotes(briefing, db):
    source = Source.objects.create(title="Dillon briefing", kind=Source.Kind.BRIEFING)
    verbatim_quote, altered = quoting(PASSAGE, source), quoting(CHANGED, source)
    assert stored(verbatim_quote) == stored(altered) == ""
    source.article = briefing
    source.save()
    assert (stored(verbatim_quote), stored(altered)) == ("verbatim", "altered")
    source.article = None
    source.save()
    assert (stored(verbatim_quote), stored(altered)) == ("", "")


def test_correcting_the_originals_text_checks_every_quote_citing_it(briefing, linked):
    quote = quoting(PASSAGE, linked)
    assert stored(quote) == "verbatim"
    body = ORIGINAL.replace("leave Raqqa", "leave the city of Raqqa")
    correct_body(briefing.pk, briefing.fingerprint, briefing.title, body)
    assert stored(quote) == "altered"


def test_deleting_the_original_clears_the_verdict(briefing, linked):
    quote = quoting(CHANGED, linked)
    briefing.delete()
    assert stored(quote) == ""


def test_a_verdict_changed_in_bulk_moves_the_counters_of_what_shows_it(briefing, db):
    source = Source.objects.create(title="Dillon briefing", kind=Source.Kind.BRIEFING)
    quote = quoting(CHANGED, source)
    owners = [
        key("article", quote.article_id),
        key("source", source.pk),
        key("article", briefing.pk),
    ]
    before = current(owners)
    source.article = briefing
    source.save()
    after = current(owners)
    assert all(b < a for b, a in zip(before, after, strict=True))


def test_a_cached_article_page_shows_the_flag_once_the_source_gets_its_original(
    viewer_client, briefing
):
    source = Source.objects.create(title="Dillon briefing", kind=Source.Kind.BRIEFING)
    quote = quoting(CHANGED, source)
    url = reverse("quotes:article", args=[quote.article_id])
    assert "verdict-flag" not in viewer_client.get(url).text  # now kept in the cache
    source.article = briefing
    source.save()
    page = viewer_client.get(url).text
    assert "verdict-flag-altered" in page and ">Altered<" in page
