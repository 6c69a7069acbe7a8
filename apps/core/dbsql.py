"""Database triggers for integrity rules a CHECK constraint cannot express,
because they read another row (a quote's article, a speaker's affiliation).

SQLite rebuilds a table to alter it, and a rebuild drops the table's triggers
(and trips over triggers naming it). So every trigger set is dropped before
`migrate` runs and installed again after it (signals wired in CoreConfig),
as well as by the migration that introduced it. Installing is idempotent.
"""

from dataclasses import dataclass

from django.db import migrations

REGISTRY: list["TriggerSet"] = []


@dataclass(frozen=True)
class TriggerSet:
    name: str
    tables: tuple[str, ...]  # installed only once all of these exist
    create: dict[str, list[str]]  # vendor -> statements
    drop: dict[str, list[str]]

    def _run(self, connection, statements) -> None:
        with connection.cursor() as cursor:
            for sql in statements.get(connection.vendor, []):
                cursor.execute(sql, None)

    def ready(self, connection) -> bool:
        existing = set(connection.introspection.table_names())
        return all(table in existing for table in self.tables)

    def install(self, connection) -> None:
        if self.ready(connection):
            self._run(connection, self.drop)
            self._run(connection, self.create)

    def remove(self, connection) -> None:
        if self.ready(connection):
            self._run(connection, self.drop)

    def migration_operation(self):
        def forwards(apps, schema_editor):
            self.install(schema_editor.connection)

        def backwards(apps, schema_editor):
            self.remove(schema_editor.connection)

        return migrations.RunPython(forwards, backwards)


def register(trigger_set: TriggerSet) -> TriggerSet:
    if all(existing.name != trigger_set.name for existing in REGISTRY):
        REGISTRY.append(trigger_set)
    return trigger_set


def remove_all(using: str) -> None:
    from django.db import connections

    for trigger_set in REGISTRY:
        trigger_set.remove(connections[using])


def install_all(using: str) -> None:
    from django.db import connections

    for trigger_set in REGISTRY:
        trigger_set.install(connections[using])
