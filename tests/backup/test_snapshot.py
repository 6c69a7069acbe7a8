"""export_all / import_all: a lossless round trip of the whole archive, and refusals."""

import json
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.articles.models import Article, ImportItem, ImportJob
from apps.backup.snapshot import DERIVED, FORMAT, VERSION, domain_models, read_header
from apps.claims.actions import decide, record_stance
from apps.claims.models import Claim, Stance
from apps.quotes.correction import correct_body
from apps.quotes.models import Quote, Shingle, Suggestion
from apps.quotes.tagging import QuoteChange, delete_quote, update_quote
from apps.sources.merging import merge_speakers
from apps.sources.models import Speaker, SpeakerAlias
from tests.conftest import make_quote

# ---------------------------------------------------------------------------------- helpers


def history_rich_archive(article, editor, reviewer):
    """The seed plus edits, review decisions, deletions, a merge and a body correction."""
    quotes = list(Quote.objects.filter(article=article).order_by("start", "pk"))
    editor.user_permissions.add(Permission.objects.get(codename="change_quote"))

    # An edit with its author recorded in the history.
    edited = quotes[1]
    edited.cue, edited.note = "admitted", "Edited during review"
    edited._history_user = editor
    edited._change_reason = "Cue corrected"
    edited.version += 1
    edited.save()

    # A full edit through the tagging code (reopens the review).
    changed = quotes[2]
    update_quote(
        changed.pk,
        changed.version,
        QuoteChange(
            start=changed.start,
            end=changed.end,
            kind=Quote.Kind.PARTIAL,
            cue="told",
            note="re-kinded",
            speaker=changed.speaker,
            source=changed.source,
        ),
    )
    decide("quote", changed.pk, "submit", editor)
    decide("quote", changed.pk, "approve", reviewer)

    rejected = quotes[3]
    rejected.reopen()
    rejected.save()
    decide("quote", rejected.pk, "submit", editor)
    decide("quote", rejected.pk, "reject", reviewer, "The speaker is misattributed")

    # Stances: a new one on a new claim, and a rejected one.
    stance, _ = record_stance(quotes[4], None, "The convoy left at night", "affirms", "", editor)
    decide("stance", stance.pk, "submit", editor)
    decide("stance", Stance.objects.order_by("pk").first().pk, "reject", reviewer, "Too vague")

    # A deleted quote (its stances go with it): only its history remains.
    gone = next(q for q in quotes[7:] if q.stances.exists())
    delete_quote(gone.pk, gone.version)

    # A member affiliated with an organization created after it (a later id).
    newer_org = Speaker.objects.create(name="Department of Defense", kind="organization")
    member = Speaker.objects.filter(kind="person").order_by("pk").first()
    member.affiliation = newer_org
    member.save()

    # A duplicate speaker, given a quote, then merged away.
    survivor = quotes[6].speaker
    duplicate = Speaker.objects.create(name=f"{survivor.name} (dup)", kind=survivor.kind)
    SpeakerAlias.objects.create(speaker=duplicate, alias="Dup alias")
    moved = quotes[6]
    moved.speaker = duplicate
    moved.version += 1
    moved.save()
    merge_speakers(survivor, duplicate)

    # A body correction that strands a quote (kept, orphaned) and moves the rest.
    article.refresh_from_db()
    victim = Quote.objects.get(pk=quotes[0].pk)
    body = article.body[: victim.start] + "[passage withdrawn]" + article.body[victim.end :]
    correct_body(article.pk, article.fingerprint, article.title, body)

    # A dismissed suggestion, and a second article with a quote on it.
    suggestion = Suggestion.objects.order_by("pk").first()
    if suggestion:
        suggestion.status = Suggestion.Status.DISMISSED
        suggestion.decided_by, suggestion.decided_at = editor, timezone.now()
        suggestion.save()
    other = Article.objects.create(title="A second article", body="She said “never”. Done.")
    make_quote(other, 9, 16, speaker=member, created_by=editor)
    return {"orphan": victim.pk, "deleted": gone.pk, "merged": duplicate.pk, "member": member.pk}


def contents() -> dict:
    """Every archived row of every table, field by field, plus accounts and roles."""
    tables = {}
    for model in domain_models():
        names = [field.attname for field in model._meta.concrete_fields]
        tables[model._meta.label_lower] = list(
            model._base_manager.order_by("pk").values_list(*names)
        )
    tables["auth.user"] = [
        (
            user.pk,
            user.username,
            user.first_name,
            user.last_name,
            user.email,
            user.is_staff,
            user.is_superuser,
            user.is_active,
            user.date_joined,
            user.last_login,
            sorted(user.groups.values_list("name", flat=True)),
            sorted(user.user_permissions.values_list("codename", flat=True)),
        )
        for user in User.objects.order_by("pk")
    ]
    return tables


def wipe() -> None:
    """Leave the database as a fresh migrate would: no rows, sequences back at 1."""
    tables = [Shingle._meta.db_table]  # derived, not archived, but it points at articles
    tables += [model._meta.db_table for model in reversed(domain_models())]
    tables += ["auth_user_groups", "auth_user_user_permissions", "auth_user"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_session")
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            if connection.vendor == "postgresql":
                pk = "history_id" if "historical" in table else "id"
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), 1, false)", [table, pk]
                )
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sqlite_sequence")


def row_count() -> int:
    return sum(model._base_manager.count() for model in domain_models()) + User.objects.count()


def exported(path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("exported_at")
    return data


@pytest.fixture
def archive(seeded, editor, reviewer, admin_user):
    return history_rich_archive(seeded, editor, reviewer)


# ------------------------------------------------------------------------------- round trip


def test_round_trip_restores_every_row_and_history_exactly(archive, seeded, editor, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    job = ImportJob.objects.create(
        kind="feed", source="https://example.org/feed.xml", status="done", created_by=editor
    )
    ImportItem.objects.create(
        job=job, position=0, url="https://example.org/raqqa", state="imported", article=seeded
    )
    before = contents()
    assert all(before.values()), [table for table, rows in before.items() if not rows]
    call_command("export_all", str(first))

    wipe()
    assert row_count() == 0
    call_command("import_all", str(first))
    call_command("export_all", str(second))

    assert exported(first) == exported(second)
    after = contents()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table

    # A representative set, as a reader of the history would see it.
    orphan = Quote.objects.get(pk=archive["orphan"])
    assert orphan.orphaned and orphan.history.count() >= 2
    deleted = Quote.history.filter(id=archive["deleted"]).order_by("history_id")
    assert [h.history_type for h in deleted][-1] == "-"
    merged = Speaker.history.filter(id=archive["merged"]).latest("history_id")
    assert merged.history_type == "-" and merged.history_change_reason.startswith("Merged speaker")
    assert Speaker.objects.get(pk=archive["member"]).affiliation.name == "Department of Defense"
    rejected = Quote.objects.get(status=Quote.Status.REJECTED)
    assert rejected.review_reason == "The speaker is misattributed"
    assert rejected.reviewed_by.username == "rui"
    assert Quote.history.filter(history_user__username="edna").exists()
    edna = User.objects.get(username="edna")
    assert edna.groups.get().name == "editor"
    assert edna.has_perm("quotes.change_quote")


def test_restored_database_accepts_new_work(archive, tmp_path):
    path = tmp_path / "archive.json"
    call_command("export_all", str(path))
    largest = {m: m._base_manager.order_by("-pk").values_list("pk", flat=True)[0] for m in (
        Article, Quote, Speaker, Claim, Quote.history.model, User)}  # fmt: skip
    wipe()
    call_command("import_all", str(path))

    article = Article.objects.create(title="After the restore", body="He said “yes” today.")
    quote = make_quote(article, 8, 13)
    quote.cue = "said"
    quote.save()
    speaker = Speaker.objects.create(name="New speaker")
    claim = Claim.objects.create(text="A new claim")
    user = User.objects.create_user("newcomer")
    for obj in (article, quote, speaker, claim, quote.history.latest(), user):
        model = obj._meta.model
        assert obj.pk > largest[model], model


def test_export_is_streamed_one_row_per_line_with_version_and_counts(archive, tmp_path):
    path = tmp_path / "archive.json"
    call_command("export_all", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0].removesuffix(',"tables":[') + "}")
    assert header["format"] == FORMAT and header["version"] == VERSION
    assert header["passwords"] is False
    counts = header["counts"]
    assert counts["quotes.quote"] == Quote.objects.count()
    assert counts["quotes.historicalquote"] == Quote.history.count()
    assert counts["auth.user"] == User.objects.count() == 3
    # Every model of every domain app, history included, is in the file.
    assert set(counts) == {"auth.group", "auth.user"} | {
        m._meta.label_lower for m in domain_models()
    }
    assert {"claims.historicalstance", "sources.speakeralias", "quotes.suggestion"} <= set(counts)
    # The trail index is derived from the bodies: rebuilt after a restore, never archived.
    assert Shingle.objects.exists() and set(DERIVED) == {"quotes.shingle"}
    assert not set(DERIVED) & set(counts)
    rows = [line for line in lines if line.startswith("[")]
    assert len(rows) == sum(counts.values())
    assert not any("pbkdf2" in line or "md5$" in line for line in lines)


def test_passwords_are_left_out_unless_asked_for(archive, tmp_path):
    plain, secret = tmp_path / "plain.json", tmp_path / "secret.json"
    call_command("export_all", str(plain))
    call_command("export_all", str(secret), "--include-password-hashes")

    wipe()
    call_command("import_all", str(plain))
    edna = User.objects.get(username="edna")
    assert not edna.has_usable_password()
    assert edna.groups.get().name == "editor"

    wipe()
    call_command("import_all", str(secret))
    assert User.objects.get(username="edna").check_password("correct horse battery")


def test_login_lockouts_are_not_archived_and_do_not_block_a_restore(archive, tmp_path, settings):
    """Lockouts are transient security state, like sessions: the archive leaves them out,
    and lockout rows already in the database restored into are neither refused nor
    touched (they expire on their own)."""
    settings.QUOTETRAIL_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        Client().post(
            "/accounts/login/", {"username": "edna", "password": "guess"}, REMOTE_ADDR="10.0.0.1"
        )
    lockout = list(AccessAttempt.objects.values_list("username", "failures_since_start"))
    assert lockout == [("edna", 2)]
    path = tmp_path / "archive.json"
    call_command("export_all", str(path))
    assert not [label for label in read_header(path)["counts"] if label.startswith("axes.")]

    wipe()  # the lockout row stays, as it would in a database the app has been running on
    call_command("import_all", str(path))
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == lockout


def test_timestamps_keep_their_microseconds(archive, tmp_path):
    """Microseconds and time zones survive (the JSON encoder must not round them)."""
    path = tmp_path / "archive.json"
    call_command("export_all", str(path))
    stamps = list(Quote.history.order_by("history_id").values_list("history_date", flat=True))
    assert any(stamp.microsecond % 1000 for stamp in stamps)
    wipe()
    call_command("import_all", str(path))
    assert list(Quote.history.order_by("history_id").values_list("history_date", flat=True)) == (
        stamps
    )


# ------------------------------------------------------------------------------- refusals


def refused(*arguments) -> str:
    with pytest.raises(CommandError) as caught:
        call_command(*arguments)
    assert caught.value.returncode == 1
    return str(caught.value)


@pytest.fixture
def good_archive(archive, tmp_path):
    path = tmp_path / "archive.json"
    call_command("export_all", str(path))
    return path


def test_import_refuses_a_database_that_is_not_empty(good_archive):
    before = contents()
    message = refused("import_all", str(good_archive))
    assert "not empty" in message and "quotes_quote" in message and "nothing was written" in message
    assert contents() == before


def test_import_refuses_missing_file(db, tmp_path):
    message = refused("import_all", str(tmp_path / "nowhere.json"))
    assert "nowhere.json: cannot read the file" in message
    assert row_count() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is not JSON", "not a Quotetrail archive: not a JSON object"),
        (b"", "not a Quotetrail archive"),
        (b'{"format": "quotetrail-archive", "version": 1, "counts": {}, "tables": [ ,', "expected"),
        (b"\xff\xfe binary", "not UTF-8 text"),
        (b'{"rows": [1, 2, 3]}', 'no "format": "quotetrail-archive"'),
        (b'["quotetrail-archive", 1]', "not a JSON object"),
    ],
)
def test_import_refuses_what_is_not_an_archive(db, tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    message = refused("import_all", str(path))
    assert expected in message
    assert row_count() == 0


def test_import_refuses_another_format_version(good_archive):
    text = good_archive.read_text(encoding="utf-8")
    good_archive.write_text(text.replace('"version":1', '"version":2', 1), encoding="utf-8")
    wipe()
    message = refused("import_all", str(good_archive))
    assert "format version 2" in message and f"reads version {VERSION} only" in message
    assert row_count() == 0


def test_import_of_a_damaged_file_writes_nothing(good_archive):
    lines = good_archive.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.startswith('{"model":"claims.stance"'))
    wipe()
    good_archive.write_text("".join(lines[: cut + 3]), encoding="utf-8")
    assert "not a Quotetrail archive" in refused("import_all", str(good_archive))
    assert row_count() == 0

    # Well-formed, but a row went missing: the counts in the header give it away.
    del lines[cut + 2]
    good_archive.write_text("".join(lines), encoding="utf-8")
    assert "damaged or cut short" in refused("import_all", str(good_archive))
    assert row_count() == 0


def test_import_refuses_a_quote_that_does_not_match_its_article(good_archive):
    """The integrity triggers still guard a restore: nothing is written."""
    lines = good_archive.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith('{"model":"quotes.quote"'))
    columns = json.loads(lines[at].removesuffix(',"rows":[\n') + "}")["columns"]
    rows = [json.loads(line.rstrip().rstrip(",")) for line in lines[at + 1 : at + 60]
            if line.startswith("[")]  # fmt: skip
    index = next(i for i, row in enumerate(rows) if not row[columns.index("orphaned")])
    row = rows[index]
    row[columns.index("exact")] = "X" * len(row[columns.index("exact")])  # same length
    ending = "," if lines[at + 1 + index].rstrip().endswith(",") else ""
    lines[at + 1 + index] = json.dumps(row, ensure_ascii=False) + ending + "\n"
    wipe()
    good_archive.write_text("".join(lines), encoding="utf-8")
    message = refused("import_all", str(good_archive))
    assert "could not be restored" in message and "nothing was written" in message
    assert row_count() == 0


def test_export_to_an_unwritable_place_leaves_no_file(archive, tmp_path):
    target = tmp_path / "missing-folder" / "archive.json"
    message = refused("export_all", str(target))
    assert "cannot write the file" in message
    assert not target.parent.exists()


def test_command_line_exit_code_and_message(tmp_path):
    """As an operator sees it: one line on stderr, exit status 1."""
    result = subprocess.run(
        [sys.executable, "manage.py", "import_all", str(tmp_path / "absent.json")],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "cannot read the file" in result.stderr
    assert "Traceback" not in result.stderr
