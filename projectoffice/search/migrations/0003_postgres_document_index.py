"""On PostgreSQL the searchable text gets a stored tsvector column with a GIN index, so a
search reads the index instead of building every row's vector. SQLite keeps its FTS5 table."""

from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('english', coalesce(reference, '') || ' ' || coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english', coalesce(body, '')), 'B')"
)


def add_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_searchentry ADD COLUMN document tsvector "
            f"GENERATED ALWAYS AS ({DOCUMENT}) STORED")
        schema_editor.execute(
            "CREATE INDEX search_entry_document ON search_searchentry USING GIN (document)")


def drop_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN document")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fts")]
    operations = [migrations.RunPython(add_document, drop_document)]
