import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from apps.api.models import ApiToken
from apps.api.tokens import LAST_USED_GRANULARITY, authenticate, issue, revoke
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_issued_token_authenticates_as_its_owner(viewer):
    token, raw = issue(viewer, "CMS sync")
    found = authenticate(raw)
    assert found == token
    assert found.user == viewer
    assert raw.startswith("qt_") and len(raw) == 46
    assert token.prefix == raw[:11]


def test_owner_comes_with_the_token_in_the_same_query(viewer, django_assert_max_num_queries):
    _, raw = issue(viewer, "CMS sync")
    authenticate(raw)  # records last_used
    with django_assert_max_num_queries(1):
        assert authenticate(raw).user.username == "vic"


def test_only_the_digest_is_stored(viewer):
    token, raw = issue(viewer, "CMS sync")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(v) for v in stored.values()}
    assert stored["digest"] == hashlib.sha256(raw.encode()).hexdigest()
    assert not any(raw[11:20] in str(v) for v in stored.values())


def test_each_token_is_new(viewer):
    raws = {issue(viewer, f"token {i}")[1] for i in range(5)}
    assert len(raws) == 5


def test_revoked_token_fails_at_once(viewer):
    token, raw = issue(viewer, "CMS sync")
    assert authenticate(raw) is not None
    revoked = revoke(token.pk, viewer)
    assert revoked.revoked_at is not None
    assert authenticate(raw) is None


def test_revoking_twice_keeps_the_first_time(viewer):
    token, _ = issue(viewer, "CMS sync")
    first = revoke(token.pk, viewer).revoked_at
    assert revoke(token.pk, viewer).revoked_at == first


def test_nobody_revokes_another_persons_token(viewer, editor):
    token, raw = issue(viewer, "CMS sync")
    with pytest.raises(ApiToken.DoesNotExist):
        revoke(token.pk, editor)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert authenticate(raw) == token


def test_deactivated_owner_token_fails(viewer):
    _, raw = issue(viewer, "CMS sync")
    viewer.is_active = False
    viewer.save()
    assert authenticate(raw) is None
    viewer.is_active = True
    viewer.save()
    assert authenticate(raw) is not None


@pytest.mark.parametrize(
    "raw",
    [
        None,
        b"qt_" + b"a" * 43,
        42,
        "",
        "qt_",
        "qt_" + "a" * 42,
        "qt_" + "a" * 44,
        "QT_" + "a" * 43,
        "xx_" + "a" * 43,
        "qt_" + "a" * 42 + "=",
        "qt_" + "a" * 42 + "\x00",
        "qt_" + "a" * 43 + "\n",
        " qt_" + "a" * 43,
        "Bearer qt_" + "a" * 43,
        "qt_" + "é" * 43,
        "x" * 100_000,
    ],
)
def test_malformed_tokens_are_refused_without_a_query(raw, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert authenticate(raw) is None


def test_a_well_formed_unknown_token_is_refused(viewer):
    _, raw = issue(viewer, "CMS sync")
    other = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert authenticate(other) is None


def test_last_used_is_written_at_most_once_a_minute(viewer, django_assert_num_queries):
    token, raw = issue(viewer, "CMS sync")
    assert token.last_used is None
    with django_assert_num_queries(2):  # the lookup and the first use
        first = authenticate(raw).last_used
    assert first is not None
    with django_assert_num_queries(1):  # the lookup only
        authenticate(raw)
    ApiToken.objects.filter(pk=token.pk).update(
        last_used=first - LAST_USED_GRANULARITY - timedelta(seconds=1)
    )
    later = authenticate(raw).last_used
    token.refresh_from_db()
    assert token.last_used == later > first - timedelta(seconds=1)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "cannot be blank"),
        ("   ", "cannot be blank"),
        ("x" * 101, "at most 100"),
        ("a\x00b", "Null characters"),
    ],
)
def test_bad_names_are_refused(viewer, name, message):
    with pytest.raises(ValidationError) as refusal:
        issue(viewer, name)
    assert message in " ".join(refusal.value.messages)
    assert not ApiToken.objects.exists()


def test_names_are_unique_among_a_persons_active_tokens(viewer, editor):
    token, _ = issue(viewer, "CMS sync")
    with pytest.raises(ValidationError, match="already have an active token"):
        issue(viewer, "CMS sync")
    issue(editor, "CMS sync")  # another person's name space
    revoke(token.pk, viewer)
    issue(viewer, "CMS sync")  # the revoked token's name is free again
    assert ApiToken.objects.filter(user=viewer, name="CMS sync").count() == 2


def test_a_longest_name_is_accepted(viewer):
    token, _ = issue(viewer, "x" * 100)
    assert token.name == "x" * 100


def test_deleting_the_owner_deletes_the_tokens(db):
    user = make_user("temp")
    _, raw = issue(user, "CMS sync")
    user.delete()
    assert authenticate(raw) is None
    assert not ApiToken.objects.exists()
