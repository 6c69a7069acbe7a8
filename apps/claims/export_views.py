"""Downloads of every claim: the contradictions as CSV, the claims as schema.org
JSON-LD. The comparison's CSV is with the comparison (apps/claims/comparison_views.py)."""

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from apps.core.http import HtmxHttpRequest
from apps.quotes.exports import csv_lines

from . import board as boards
from .exports import CONTRADICTION_COLUMNS, claim_document, contradiction_rows
from .models import Claim
from .views import status_of


@require_GET
def contradictions_csv(request: HtmxHttpRequest):
    status = status_of(request)
    claims = list(Claim.objects.order_by("text", "id"))
    built = boards.build_board(claims, status)
    pairs = [pair for row in built.rows for pair in row.contradictions]
    response = StreamingHttpResponse(
        csv_lines(CONTRADICTION_COLUMNS, contradiction_rows(pairs)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="quotetrail-contradictions.csv"'
    return response


@require_GET
def claims_jsonld(request: HtmxHttpRequest):
    status = status_of(request)
    claims = list(Claim.objects.order_by("text", "id"))
    grouped = boards.statements_by_claim(claims, status)
    documents = [
        claim_document(claim, grouped.get(claim.pk, []), request.build_absolute_uri)
        for claim in claims
    ]
    body = {"@context": "https://schema.org", "@graph": documents}
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/ld+json"
    )
    response["Content-Disposition"] = 'attachment; filename="quotetrail-claims.jsonld"'
    return response
