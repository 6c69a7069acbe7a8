"""Vendor-specific SQL run from migrations (triggers that guard integrity
rules a CHECK constraint cannot express, because they read another row)."""

from django.db import migrations


def per_vendor(forward: dict[str, list[str]], backward: dict[str, list[str]]):
    """A RunPython operation executing the statements for the current vendor."""

    def run(statements):
        def apply(apps, schema_editor):
            for sql in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql, params=None)

        return apply

    return migrations.RunPython(run(forward), run(backward))
