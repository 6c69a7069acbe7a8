"""Indexes for search on PostgreSQL: full text over quote text (the same expression
`SearchVector("exact", config="english")` produces, so the planner uses it) and
trigram indexes for substring and misspelt-name matching. Nothing on SQLite."""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS quote_exact_fts ON quotes_quote "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(exact, '')))",
    "CREATE INDEX IF NOT EXISTS quote_exact_trgm ON quotes_quote USING GIN (exact gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS speaker_name_trgm ON sources_speaker USING GIN (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS speakeralias_alias_trgm ON sources_speakeralias "
    "USING GIN (alias gin_trgm_ops)",
]
REVERSE = [
    "DROP INDEX IF EXISTS speakeralias_alias_trgm",
    "DROP INDEX IF EXISTS speaker_name_trgm",
    "DROP INDEX IF EXISTS quote_exact_trgm",
    "DROP INDEX IF EXISTS quote_exact_fts",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("quotes", "0003_suggestions"), ("sources", "0001_initial")]
    operations = [migrations.RunPython(run(POSTGRES), run(REVERSE))]
