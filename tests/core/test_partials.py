"""Kept partials (apps/core/partials.py): rendered once per change to what they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import versions
from apps.core.partials import kept_together

TEMPLATES = {"title": "pagination.html", "body": "form_field.html"}


def test_partials_kept_together_are_built_once_and_read_back_in_one_query(db):
    built = []

    def contexts():
        built.append(1)
        return {"title": {"page": None}, "body": {"field": None}}

    def show():
        return kept_together(
            TEMPLATES, contexts, parts=("demo",), owners=("claim:1",), name="test-together"
        )

    first = show()
    assert set(first) == {"title", "body"} and built == [1]
    with CaptureQueriesContext(connection) as reads:
        assert show() == first
    assert built == [1] and len(reads.captured_queries) == 1  # the counters, once for both
    versions.bump({"claim:1"})
    show()
    assert built == [1, 1]
