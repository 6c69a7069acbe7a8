"""A paraphrase is never shown as a quotation: no quotation marks, no `Quotation` type.

Indirect quotes report what someone said in the writer's words. Every page and
export that shows a statement's words is checked with the seed's paraphrases
(the BBC's findings) and one more, submitted for review and linked to a claim.
"""

import csv
import html
import io
import json
import re

import pytest
from django.urls import reverse

from apps.claims.models import Stance
from apps.quotes.models import Quote, QuoteKind
from apps.quotes.templatetags.quotetrail import OPENING_MARKS

pytestmark = pytest.mark.django_db


def _visible_text(page: str) -> str:
    """The page's text outside the article itself (whose own quotation marks are its own)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(
        r'(<div class="article-body" id="article-body"[^>]*>).*?</div>', " ", page, flags=re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _dressed_as_quotes(text: str, paraphrases: list[str]) -> list[str]:
    """Paraphrases in `text` that an opening quotation mark comes right before."""
    found = []
    for words in paraphrases:
        head = words[:40]
        for match in re.finditer(re.escape(head), text):
            before = text[: match.start()].rstrip()
            if before[-1:] in OPENING_MARKS:
                found.append(head)
    return found


@pytest.fixture
def paraphrases(seeded, editor):
    indirect = list(Quote.objects.filter(kind=QuoteKind.INDIRECT).select_related("speaker"))
    assert len(indirect) >= 3
    submitted = indirect[0]
    Quote.objects.filter(pk=submitted.pk).update(status="submitted")
    Stance.objects.filter(quote=submitted).update(status="submitted")
    return indirect


def _pages(paraphrases) -> dict[str, str]:
    first = paraphrases[0]
    stance = Stance.objects.filter(quote__kind=QuoteKind.INDIRECT).select_related("claim").first()
    return {
        "article": first.article.get_absolute_url(),
        "review queue (quotes)": reverse("claims:review") + "?kind=quote",
        "review queue (stances)": reverse("claims:review") + "?kind=stance",
        "board": reverse("claims:board"),
        "claim": stance.claim.get_absolute_url(),
        "speaker": first.speaker.get_absolute_url(),
        "timeline": reverse("claims:speaker_timeline", args=[first.speaker.pk]),
        "source": first.source.get_absolute_url(),
        "search": reverse("quotes:search") + "?q=" + first.exact.split()[3],
        "live search": reverse("quotes:search_live") + "?q=" + first.exact.split()[3],
        "history": reverse("quotes:history", args=[first.pk]),
        "stances of the quote": reverse("claims:quote_stances", args=[first.pk]),
        "edit panel": reverse("quotes:edit", args=[first.pk]),
        "delete panel": reverse("quotes:delete", args=[first.pk]),
    }


def test_no_page_shows_a_paraphrase_in_quotation_marks(reviewer_client, paraphrases):
    words = [quote.exact for quote in paraphrases]
    shown_on = []
    for name, url in _pages(paraphrases).items():
        response = reviewer_client.get(url)
        assert response.status_code == 200, name
        text = _visible_text(response.content.decode())
        if any(w[:40] in text for w in words):
            shown_on.append(name)
        assert _dressed_as_quotes(text, words) == [], name
    # The check means something only where the paraphrases are on the page.
    assert len(shown_on) >= 12, shown_on


def _review_row(client, quote) -> str:
    page = client.get(reverse("claims:review")).content.decode()
    start = page.index(f'id="review-quote-{quote.pk}"')
    return _visible_text(page[start : page.index("</tr>", start)])


def test_a_paraphrase_is_labelled_and_a_quotation_keeps_its_marks(reviewer_client, paraphrases):
    row = _review_row(reviewer_client, paraphrases[0])
    assert "Paraphrase " + paraphrases[0].exact[:30] in row
    direct = Quote.objects.filter(kind=QuoteKind.DIRECT).first()
    partial = Quote(article=direct.article, kind=QuoteKind.PARTIAL, status="submitted")
    words = "civilians to depart Raqqa"  # tagged without its quotation marks
    start = direct.article.body.index(words)
    partial.anchor(start, start + len(words))
    partial.save()
    Quote.objects.filter(pk=direct.pk).update(status="submitted")
    row = _review_row(reviewer_client, direct)
    assert direct.exact[:30] in row and "Paraphrase" not in row
    assert direct.exact.startswith('"') and '""' not in row  # its own marks, not doubled
    assert f"“{words}”" in _review_row(reviewer_client, partial)


def test_exports_say_which_statements_are_paraphrases(viewer_client, paraphrases):
    indirect = {q.exact for q in paraphrases}
    document = json.loads(viewer_client.get(reverse("claims:claims_jsonld")).content)
    appearances = [a for claim in document["@graph"] for a in claim["appearance"]]
    paraphrased = [a for a in appearances if a["text"] in indirect]
    assert paraphrased
    assert {a["@type"] for a in paraphrased} == {"CreativeWork"}
    assert {a["genre"] for a in paraphrased} == {"paraphrase"}
    quoted = [a for a in appearances if a["text"] not in indirect]
    assert quoted and {a["@type"] for a in quoted} == {"Quotation"}

    response = viewer_client.get(reverse("claims:contradictions_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    sides = [(r["affirming_text"], r["affirming_kind"]) for r in rows] + [
        (r["denying_text"], r["denying_kind"]) for r in rows
    ]
    assert any(kind == "indirect" for _, kind in sides)
    assert all((kind == "indirect") == (text in indirect) for text, kind in sides)
