"""The quotes CSV export (quotes:quotes_csv)."""

from django.urls import reverse

from apps.quotes.models import Quote
from tests.conftest import csv_rows, make_article, make_quote


def test_quotes_csv_has_one_row_per_quote_with_attribution(viewer_client, seeded):
    response = viewer_client.get(reverse("quotes:quotes_csv"), {"article": seeded.pk})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert len(rows) == Quote.objects.filter(article=seeded).count()
    braga = next(r for r in rows if r["text"].startswith('"We do not condone'))
    assert braga["speaker"] == "Jonathan Braga"
    assert braga["organization"] == "Combined Joint Task Force – Operation Inherent Resolve"
    assert (braga["source_kind"], braga["source_date"], braga["status"]) == (
        "press_release",
        "2017-10-14",
        "approved",
    )
    assert seeded.body[int(braga["start"]) : int(braga["end"])] == braga["text"]


def test_csv_cells_cannot_become_spreadsheet_formulas(viewer_client, db):
    article = make_article('=HYPERLINK("http://x") said “-2+3”.', title="=cmd|' /C calc'!A0")
    make_quote(article, 0, 5)
    rows = csv_rows(viewer_client.get(reverse("quotes:quotes_csv")))
    assert rows[0]["article_title"].startswith("'=")
    assert rows[0]["text"].startswith("'=")
