"""The request helpers every view shares (apps/core/http.py)."""

import datetime

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from apps.core.http import day, done, number, query_of, query_without, refuse, safe_next


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("12", 12), ("007", 7), ("", None), (None, None), ("²", None), ("①", None), ("-3", None),
     ("1.5", None), (" 4", None), ("9" * 18, 10**18 - 1), ("9" * 19, None)],
)  # fmt: skip
def test_number_reads_only_plain_ascii_digits_that_fit_a_bigint(typed, expected):
    assert number(typed) == expected


def test_number_takes_a_shorter_limit():
    assert number("12345", digits=4) is None
    assert number("1234", digits=4) == 1234


def test_day_reads_iso_dates_and_nothing_else():
    assert day("2017-11-13") == datetime.date(2017, 11, 13)
    for typed in ("", None, "13/11/2017", "2017-13-01", "tomorrow"):
        assert day(typed) is None


@pytest.mark.parametrize(
    ("target", "kept"),
    [("/claims/review/?verdict=x", True), ("/", True), ("//evil.example/", False),
     ("https://evil.example/", False), ("claims:review", False), ("javascript:alert(1)", False),
     ("/\\evil.example", False), ("", False)],
)  # fmt: skip
def test_safe_next_keeps_only_paths_on_this_site(target, kept):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request) == (target if kept else "")


def _request(htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().post("/", headers=headers)
    request.htmx = HtmxDetails(request)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_done_answers_htmx_with_the_partial_and_a_form_with_a_redirect():
    partial = lambda: HttpResponse("the region")  # noqa: E731
    answer = done(_request(htmx=True), "Saved.", partial, "/claims/")
    assert answer.status_code == 200 and answer.content == b"the region"

    plain = _request(htmx=False)
    answer = done(plain, "Saved.", partial, "/claims/")
    assert answer.status_code == 302 and answer["Location"] == "/claims/"
    assert [str(m) for m in plain._messages] == ["Saved."]


def test_refuse_is_a_permission_denied_with_the_role_message():
    with pytest.raises(PermissionDenied, match=r"Your role does not allow this\."):
        refuse()


def test_query_without_drops_only_the_names_given():
    request = RequestFactory().get("/", {"q": "deal", "page": "3", "format": "csv"})
    assert query_without(request, "page", "format") == "q=deal"
    assert query_without(request) == "q=deal&page=3&format=csv"


def test_query_of_keeps_the_values_that_are_set_in_order():
    values = {"q": "raqqa deal", "kind": "", "speaker": 7, "from": datetime.date(2017, 11, 13)}
    assert query_of(values) == "q=raqqa+deal&speaker=7&from=2017-11-13"
    assert query_of({"status": ""}) == ""
