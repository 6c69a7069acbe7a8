"""Lossless backup and restore of the whole archive as one JSON file.

`export_archive()` writes every row of every domain table (articles, speakers and
their aliases, sources, quotes with their review fields, suggestions, claims,
stances), every django-simple-history row of every tracked model, the user
accounts with their roles (groups), and the roles themselves, from one
consistent snapshot. Sessions and login lockouts (django-axes' tables) are left out:
they are transient security state, not the archive, so a restore neither brings them
back nor needs their tables empty. The quote-trail index is left out too: it is derived
from the articles' bodies and `manage.py index_trails` builds it again. Rows are
streamed, one per line, never all in memory:

    {"format": "quotetrail-archive", "version": 1, "counts": {...}, ..., "tables": [
    {"model": "auth.group", "columns": ["name", "permissions"], "rows": [
    ["editor", []],
    ...
    ]},
    ...
    ]}

`import_archive()` reads it back incrementally (any JSON layout with the same key
order parses) into an empty, migrated database, in one transaction, keeping every
primary key so references and history stay intact, and resets the PostgreSQL
sequences afterwards. Password hashes are left out unless asked for: restored
accounts then have unusable passwords and are given new ones by an administrator.
"""

import datetime
import decimal
import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.models import User as UserModel
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from simple_history.models import registered_models

from apps.core import versions

FORMAT = "quotetrail-archive"
VERSION = 1
# Apps whose every table is archived, in layer order (a layer only points down).
DOMAIN_APPS = ("articles", "sources", "quotes", "claims")
# Derived tables, rebuilt from the archive rather than kept in it: the trail index
# (`manage.py index_trails` builds it again after a restore).
DERIVED = ("quotes.shingle",)
GROUPS, USERS = "auth.group", "auth.user"
USER_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "is_superuser",
    "last_login",
    "date_joined",
)
BATCH = 500


class ArchiveError(Exception):
    """The archive cannot be written or restored; the message says why, for the operator."""


# Tables ------------------------------------------------------------------------------------


def _historical_models() -> set:
    found = set()
    for model in registered_models.values():
        manager = getattr(model._meta, "simple_history_manager_attribute", "history")
        found.add(getattr(model, manager).model)
    return found


def domain_models() -> list:
    """Every archived domain model: current rows first (layer order), then history."""
    historical = _historical_models()
    current, history = [], []
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed or _model_label(model) in DERIVED:
                continue
            (history if model in historical else current).append(model)
    return current + history


def _model_label(model) -> str:
    return model._meta.label_lower


def _permission_key(permission) -> list[str]:
    return [permission.content_type.app_label, permission.content_type.model, permission.codename]


def _user_columns(include_passwords: bool) -> list[str]:
    columns = list(USER_FIELDS)
    if include_passwords:
        columns.append("password")
    return [*columns, "groups", "permissions"]


# Export ------------------------------------------------------------------------------------


def _encode(value):
    # Full precision: DjangoJSONEncoder would cut microseconds to milliseconds.
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot archive a value of type {type(value).__name__}")


def _dumps(value) -> str:
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_encode
    )


@contextmanager
def _snapshot(using: str):
    """One transaction that sees a single state of the database for the whole export."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _applied_migrations(using: str) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _group_rows(using: str) -> Iterator[list]:
    groups = (
        Group.objects.using(using).order_by("name").prefetch_related("permissions__content_type")
    )
    for group in groups:
        yield [group.name, sorted(_permission_key(p) for p in group.permissions.all())]


def _user_rows(using: str, include_passwords: bool) -> Iterator[list]:
    users = (
        UserModel.objects.using(using)
        .order_by("pk")
        .prefetch_related("groups", "user_permissions__content_type")
    )
    for user in users.iterator(chunk_size=1000):
        row = [getattr(user, name) for name in USER_FIELDS]
        if include_passwords:
            row.append(user.password)
        row.append(sorted(group.name for group in user.groups.all()))
        row.append(sorted(_permission_key(p) for p in user.user_permissions.all()))
        yield row


def _model_rows(model, using: str) -> Iterator[tuple]:
    columns = [field.attname for field in model._meta.concrete_fields]
    rows = model._base_manager.using(using).order_by("pk").values_list(*columns)
    return rows.iterator(chunk_size=2000)


def export_archive(
    path: Path, *, include_passwords: bool = False, using: str = DEFAULT_DB_ALIAS
) -> dict[str, int]:
    """Write the whole archive to `path` (replaced only once complete); returns row counts."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    models = domain_models()
    try:
        with _snapshot(using), open(partial, "w", encoding="utf-8", newline="\n") as out:
            counts = {
                GROUPS: Group.objects.using(using).count(),
                USERS: UserModel.objects.using(using).count(),
            }
            for model in models:
                counts[_model_label(model)] = model._base_manager.using(using).count()
            header = {
                "format": FORMAT,
                "version": VERSION,
                "exported_at": timezone.now().isoformat(),
                "database": connections[using].vendor,
                "passwords": include_passwords,
                "migrations": _applied_migrations(using),
                "counts": counts,
            }
            out.write(_dumps(header)[:-1] + ',"tables":[')
            tables = [
                (GROUPS, ["name", "permissions"], _group_rows(using)),
                (USERS, _user_columns(include_passwords), _user_rows(using, include_passwords)),
            ]
            tables += [
                (
                    _model_label(model),
                    [field.attname for field in model._meta.concrete_fields],
                    _model_rows(model, using),
                )
                for model in models
            ]
            for index, (label, columns, rows) in enumerate(tables):
                out.write("\n" if index == 0 else ",\n")
                out.write(f'{{"model":{_dumps(label)},"columns":{_dumps(columns)},"rows":[')
                for number, row in enumerate(rows):
                    out.write(("\n" if number == 0 else ",\n") + _dumps(list(row)))
                out.write("\n]}")
            out.write("\n]}\n")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return counts


# Reading -----------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _Reader:
    """Walks the archive's outer structure, decoding one row at a time."""

    CHUNK = 1 << 20

    def __init__(self, stream, name: str):
        self.stream, self.name = stream, name
        self.buffer, self.pos, self.consumed, self.eof = "", 0, 0, False
        self.decoder = json.JSONDecoder()

    def _refuse(self, what: str):
        raise ArchiveError(
            f"{self.name} is not a Quotetrail archive: {what} "
            f"(at character {self.consumed + self.pos:,})."
        )

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(self.CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.consumed += self.pos
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        while True:
            self.pos = _WHITESPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer) or not self._more():
                return self.buffer[self.pos : self.pos + 1]

    def punct(self, allowed: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            expected = " or ".join(repr(c) for c in allowed)
            found = repr(char) if char else "the end of the file"
            self._refuse(f"expected {expected}, found {found}")
        self.pos += 1
        return char

    def value(self):
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self._more():
                    continue
                self._refuse(f"not valid JSON ({exc.msg})")
            # A number at the end of the buffer may continue in the next chunk.
            if end == len(self.buffer) and self._more():
                continue
            self.pos = end
            return value

    def key(self) -> str:
        key = self.value()
        if not isinstance(key, str):
            self._refuse("expected a key")
        self.punct(":")
        return key

    def header(self) -> dict:
        """Every top-level entry before "tables" (which the writer puts last)."""
        if self.peek() != "{":
            self._refuse("not a JSON object")
        self.punct("{")
        header = {}
        if self.peek() == "}":
            return header
        while True:
            key = self.key()
            if key == "tables":
                header["tables"] = True
                return header
            header[key] = self.value()
            if self.punct(",}") == "}":
                return header

    def tables(self) -> Iterator[tuple[dict, Iterator]]:
        """(table description, its rows) in file order; rows must be read before the next."""
        self.punct("[")
        if self.peek() == "]":
            self.pos += 1
        else:
            while True:
                self.punct("{")
                meta = {}
                while (key := self.key()) != "rows":
                    meta[key] = self.value()
                    self.punct(",")
                rows = self._rows()
                yield meta, rows
                for _ in rows:  # whatever the caller left unread
                    pass
                self.punct("}")
                if self.punct(",]") == "]":
                    break
        self.punct("}")
        if self.peek():
            self._refuse("unexpected data after the archive")

    def _rows(self) -> Iterator:
        self.punct("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            if self.punct(",]") == "]":
                return


def read_header(path: Path) -> dict:
    """The archive's header (format, version, counts…), checked, without reading rows."""
    with _open(path) as stream:
        return _checked_header(_Reader(stream, str(path)))


@contextmanager
def _open(path: Path):
    try:
        stream = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot read the file ({exc.strerror}).") from None
    try:
        with stream:
            yield stream
    except UnicodeDecodeError:
        raise ArchiveError(f"{path} is not a Quotetrail archive: it is not UTF-8 text.") from None


def _checked_header(reader: _Reader) -> dict:
    header = reader.header()
    if header.get("format") != FORMAT:
        reader._refuse(f'no "format": "{FORMAT}" before the tables')
    version = header.get("version")
    if version != VERSION:
        raise ArchiveError(
            f"{reader.name} is in archive format version {version!r}; "
            f"this Quotetrail reads version {VERSION} only."
        )
    counts = header.get("counts")
    if not isinstance(counts, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts.values()
    ):
        reader._refuse('"counts" must map each table to its number of rows')
    if header.pop("tables", None) is not True:
        reader._refuse('no "tables" after the header')
    return header


# Import ------------------------------------------------------------------------------------


def archived_tables() -> list[str]:
    """Tables that must be empty before a restore (the roles come from migrations)."""
    return [UserModel._meta.db_table, *(model._meta.db_table for model in domain_models())]


def non_empty_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    connection = connections[using]
    quote = connection.ops.quote_name
    found = []
    try:
        with connection.cursor() as cursor:
            for table in archived_tables():
                cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 - model tables
                if cursor.fetchone():
                    found.append(table)
    except DatabaseError as exc:
        raise ArchiveError(
            f"The database is not ready for a restore ({str(exc).strip()}); "
            "run `manage.py migrate` first."
        ) from None
    return found


@dataclass
class _Target:
    label: str
    table: str
    fields: list  # model fields, in the archive's column order
    self_references: list[int]  # column positions filled in once the whole table is in


def _targets() -> dict:
    return {_model_label(model): model for model in domain_models()}


# Columns whose JSON value is already what the driver takes: passed through as they
# are when of exactly this type (or None); anything else gets the full conversion.
_PLAIN_TYPES = {
    "CharField": str,
    "TextField": str,
    "BooleanField": bool,
    "FloatField": float,
    **dict.fromkeys(
        [
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ],
        int,
    ),
}


def _plain_type(field):
    target = field.target_field if field.is_relation else field
    return _PLAIN_TYPES.get(target.get_internal_type())


def _converter(connection, label: str, field):
    plain = _plain_type(field)

    def convert(value, number: int):
        if value is None or type(value) is plain:
            return value
        try:
            return field.get_db_prep_save(field.to_python(value), connection)
        except (ValidationError, TypeError, ValueError) as exc:
            detail = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise ArchiveError(f"{label}, row {number}, {field.attname}: {detail}") from None

    return convert


def _plan(label: str, model, columns) -> tuple[_Target, list]:
    """Match the archive's columns to the model; fill any missing one with its default."""
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise ArchiveError(f"{label}: the column list is malformed.")
    by_name = {field.attname: field for field in model._meta.concrete_fields}
    unknown = [c for c in columns if c not in by_name]
    if unknown or len(set(columns)) != len(columns):
        raise ArchiveError(
            f"{label}: unknown or repeated columns {', '.join(unknown) or columns}; "
            "the archive was made by a different version of Quotetrail."
        )
    missing = [field for name, field in by_name.items() if name not in columns]
    for field in missing:
        if field.primary_key or not (field.has_default() or field.null):
            raise ArchiveError(f"{label}: the archive has no column {field.attname}.")
    fields = [by_name[c] for c in columns] + missing
    self_refs = [
        i
        for i, field in enumerate(fields)
        if field.is_relation and field.related_model is model and field.null
    ]
    return _Target(label, model._meta.db_table, fields, self_refs), missing


def _insert_sql(connection, table: str, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608


def _restore_model(connection, label: str, model, columns, rows) -> int:
    target, missing = _plan(label, model, columns)
    converters = [_converter(connection, label, field) for field in target.fields]
    defaults = [field.get_default() for field in missing]
    width = len(columns)
    sql = _insert_sql(connection, target.table, [field.column for field in target.fields])
    pk_index = next(i for i, field in enumerate(target.fields) if field.primary_key)
    later: list[tuple] = []  # (column, value, pk) of self references
    batch, number = [], 0
    with connection.cursor() as cursor:
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != width:
                raise ArchiveError(f"{label}, row {number}: expected a list of {width} values.")
            values = [
                convert(value, number)
                for convert, value in zip(converters, row + defaults, strict=True)
            ]
            for index in target.self_references:
                if values[index] is not None:
                    later.append((target.fields[index].column, values[index], values[pk_index]))
                    values[index] = None
            batch.append(values)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
        # Rows pointing at rows of their own table (a speaker's affiliation) are linked
        # once all are in, so their order in the file does not matter to the triggers.
        quote = connection.ops.quote_name
        pk_column = quote(target.fields[pk_index].column)
        for column in sorted({column for column, _, _ in later}):
            cursor.executemany(
                f"UPDATE {quote(target.table)} SET {quote(column)} = %s "  # noqa: S608
                f"WHERE {pk_column} = %s",
                [(value, pk) for name, value, pk in later if name == column],
            )
    return number


def _permissions(keys, where: str) -> list:
    found = []
    for key in keys if isinstance(keys, list) else [None]:
        if not (isinstance(key, list) and len(key) == 3 and all(isinstance(k, str) for k in key)):
            raise ArchiveError(f"{where}: a permission must be [app, model, codename].")
        app_label, model, codename = key
        try:
            found.append(Permission.objects.get_by_natural_key(codename, app_label, model))
        except Permission.DoesNotExist:
            raise ArchiveError(
                f"{where}: permission {'.'.join(key)} does not exist in this database."
            ) from None
    return found


def _restore_groups(columns, rows, using: str) -> int:
    if columns != ["name", "permissions"]:
        raise ArchiveError(f"{GROUPS}: unexpected columns {columns}.")
    number = 0
    for number, row in enumerate(rows, start=1):
        if not (isinstance(row, list) and len(row) == 2 and isinstance(row[0], str) and row[0]):
            raise ArchiveError(f"{GROUPS}, row {number}: expected [name, permissions].")
        group, _ = Group.objects.using(using).get_or_create(name=row[0])
        group.permissions.set(_permissions(row[1], f"group {row[0]}"))
    return number


def _restore_users(connection, columns, rows, using: str) -> int:
    allowed = [*USER_FIELDS, "password", "groups", "permissions"]
    if not isinstance(columns, list) or any(c not in allowed for c in columns):
        raise ArchiveError(f"{USERS}: unexpected columns {columns}.")
    if "id" not in columns or "username" not in columns:
        raise ArchiveError(f"{USERS}: the archive has no id or username column.")
    plain = [c for c in columns if c not in ("groups", "permissions")]
    fields = [UserModel._meta.get_field(name) for name in plain]
    converters = [_converter(connection, USERS, field) for field in fields]
    keeps_passwords = "password" in plain
    password_field = UserModel._meta.get_field("password")
    sql = _insert_sql(
        connection,
        UserModel._meta.db_table,
        [field.column for field in fields] + ([] if keeps_passwords else [password_field.column]),
    )
    groups = {group.name: group.pk for group in Group.objects.using(using)}
    memberships, grants, number = [], [], 0
    with connection.cursor() as cursor:
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != len(columns):
                raise ArchiveError(f"{USERS}, row {number}: expected {len(columns)} values.")
            record = dict(zip(columns, row, strict=True))
            values = [
                convert(record[name], number)
                for convert, name in zip(converters, plain, strict=True)
            ]
            if not keeps_passwords:
                values.append(make_password(None))  # unusable until an administrator sets one
            cursor.execute(sql, values)
            user_id = values[plain.index("id")]
            roles = record.get("groups", [])
            if not isinstance(roles, list) or not all(isinstance(name, str) for name in roles):
                raise ArchiveError(f"{USERS}, row {number}: groups must be a list of names.")
            for name in roles:
                if name not in groups:
                    raise ArchiveError(f"user {record['username']}: unknown role {name!r}.")
                memberships.append(UserModel.groups.through(user_id=user_id, group_id=groups[name]))
            for permission in _permissions(record.get("permissions", []), str(record["username"])):
                grants.append(
                    UserModel.user_permissions.through(user_id=user_id, permission=permission)
                )
    UserModel.groups.through.objects.using(using).bulk_create(memberships, batch_size=BATCH)
    UserModel.user_permissions.through.objects.using(using).bulk_create(grants, batch_size=BATCH)
    return number


def _reset_sequences(connection) -> None:
    """New rows must get ids after the restored ones (PostgreSQL keeps sequences apart)."""
    models = [
        *domain_models(),
        UserModel,
        Group,
        UserModel.groups.through,
        UserModel.user_permissions.through,
        Group.permissions.through,
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def import_archive(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Restore an archive into an empty database, all or nothing; returns row counts."""
    connection = connections[using]
    targets = _targets()
    with _open(path) as stream:
        reader = _Reader(stream, str(path))
        header = _checked_header(reader)
        expected = header["counts"]
        unknown = sorted(set(expected) - {GROUPS, USERS, *targets})
        if unknown:
            raise ArchiveError(
                f"{path} has tables this Quotetrail does not know ({', '.join(unknown)}); "
                "it was made by a different version."
            )
        try:
            with transaction.atomic(using=using):
                occupied = non_empty_tables(using)
                if occupied:
                    raise ArchiveError(
                        "The database is not empty (rows in "
                        + ", ".join(occupied)
                        + "). import_all restores into a freshly migrated database only; "
                        "nothing was written."
                    )
                counts: dict[str, int] = {}
                for meta, rows in reader.tables():
                    label, columns = meta.get("model"), meta.get("columns")
                    if label in counts:
                        raise ArchiveError(f"{path}: table {label} appears twice.")
                    if label == GROUPS:
                        counts[label] = _restore_groups(columns, rows, using)
                    elif label == USERS:
                        counts[label] = _restore_users(connection, columns, rows, using)
                    elif label in targets:
                        counts[label] = _restore_model(
                            connection, label, targets[label], columns, rows
                        )
                    else:
                        raise ArchiveError(f"{path}: unknown table {label!r}.")
                    if counts[label] != expected.get(label):
                        raise ArchiveError(
                            f"{path}: {label} has {counts[label]:,} rows but the header "
                            f"announces {expected.get(label)}; the file is damaged or cut short."
                        )
                absent = sorted(set(expected) - set(counts))
                if absent:
                    raise ArchiveError(f"{path}: tables missing: {', '.join(absent)}.")
                _reset_sequences(connection)
                versions.new_epoch(using)  # pages cached before the restore are not used
        except DatabaseError as exc:
            raise ArchiveError(
                f"{path} could not be restored ({str(exc).strip()}); nothing was written."
            ) from None
    return counts
