"""Who belongs to an organization: the one definition search, the board, the
comparison, contradictions and the speaker timeline share.

A speaker belongs to an organization when its chain of affiliations reaches it,
however deep: the spokesperson of a press unit of a ministry of a government
belongs to the unit, the ministry and the government. An organization belongs to
itself. Nothing in the data forbids a cycle (a unit affiliated with a ministry
affiliated with the unit; only a speaker affiliated with itself is refused), so
every walk here stops where it has already been.

In the database, `members` (an expression for `__in`), `members_sql` (for raw SQL)
and `member_ids` select an organization and its members at any depth in one
recursive query (`WITH RECURSIVE`, on PostgreSQL and SQLite alike; `UNION` drops
rows already found, which is what ends a cycle), however large the archive.

In memory, over rows already loaded, `organizations_of` walks up the organization
tree (`organization_tree`, one query): what contradictions and the comparison use
on the stances they have read.
"""

from collections.abc import Iterable, Mapping

from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

from .models import Speaker

Tree = Mapping[int, int | None]  # organization id -> the organization it is affiliated with


def organization_tree() -> dict[int, int | None]:
    """Each organization's parent organization (one query)."""
    return dict(
        Speaker.objects.filter(kind=Speaker.Kind.ORGANIZATION).values_list("id", "affiliation_id")
    )


# --- in memory -------------------------------------------------------------------------


def chain(organization: int | None, parent_of: Tree) -> list[int]:
    """`organization` and every organization above it, nearest first; a cycle is
    walked once round."""
    found: list[int] = []
    seen: set[int] = set()
    current = organization
    while current is not None and current not in seen:
        seen.add(current)
        found.append(current)
        current = parent_of.get(current)
    return found


def organizations_of(
    speaker: int | None, is_organization: bool, affiliation: int | None, parent_of: Tree
) -> list[int]:
    """The organizations a speaker belongs to, nearest first: itself if it is one, then
    its affiliation and every organization above that."""
    if speaker is None:
        return []
    return chain(speaker if is_organization else affiliation, parent_of)


def belongs(
    speaker: int | None,
    is_organization: bool,
    affiliation: int | None,
    organization: int,
    parent_of: Tree,
) -> bool:
    """Whether the speaker is the organization or a member of it at any depth."""
    if speaker is None:
        return False
    return speaker == organization or organization in organizations_of(
        speaker, is_organization, affiliation, parent_of
    )


def top(
    speaker: int | None, is_organization: bool, affiliation: int | None, parent_of: Tree
) -> int | None:
    """The highest organization the speaker belongs to (None when it belongs to none).
    In a cycle every organization is above every other: the lowest id stands for it,
    so all its members share one top."""
    found = organizations_of(speaker, is_organization, affiliation, parent_of)
    if not found:
        return None
    above = parent_of.get(found[-1])
    if above is None:
        return found[-1]
    return min(found[found.index(above) :])  # the walk came back round to `above`


# --- in the database -------------------------------------------------------------------


def members_sql(organizations: int | str | Iterable[int]) -> tuple[str, list]:
    """SQL (and its parameters) selecting the ids of these organizations and of every
    speaker under them, however deep. A speaker id that is not an organization
    selects itself alone; an id that does not exist selects nothing."""
    if isinstance(organizations, int | str):  # one id (a string is not a list of ids)
        roots = [int(organizations)]
    else:
        roots = sorted({int(pk) for pk in organizations})
    table = Speaker._meta.db_table
    if not roots:
        return f"SELECT id FROM {table} WHERE 1 = 0", []  # noqa: S608 - the model's table
    placeholders = ", ".join(["%s"] * len(roots))
    sql = (  # fixed SQL text: the table comes from the model, every value is a parameter
        f"WITH RECURSIVE members(id) AS (SELECT id FROM {table} WHERE id IN ({placeholders})"  # noqa: S608
        f" UNION SELECT s.id FROM {table} s JOIN members m ON s.affiliation_id = m.id)"
        " SELECT id FROM members"
    )
    return sql, roots


def members(organizations: int | Iterable[int]) -> RawSQL:
    """The same selection as a subquery: `filter(speaker_id__in=members(org))`."""
    sql, params = members_sql(organizations)
    return RawSQL(sql, params, output_field=IntegerField())  # noqa: S611 - fixed SQL text


def member_ids(organizations: int | Iterable[int], limit: int | None = None) -> set[int]:
    """The ids `members_sql` selects (one query; none for no organizations), at most
    `limit` of them."""
    sql, params = members_sql(organizations)
    if not params:
        return set()  # no organization given: nothing to ask
    if limit is not None:
        sql, params = f"{sql} LIMIT %s", [*params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}
