"""SQLite: the FTS5 table keeps no copy of the strings it indexes (``content=''``).

Its stored bigram and trigram strings were most of the database (4.1 GB of 10 GB
at 10^6 documents; the index itself 1.3 GB): a table at 10^7 documents would not
fit the disk of a small server. A row of a contentless table is removed by giving
FTS5 the values it was written with, so every row is written again here from the
stored document (``core.search.fts5_row``: the stored title, cut at 300
characters, and body; the organisation's path; the kind) — the values
``search.services`` recomputes to remove it. PostgreSQL: nothing to do.
"""

from django.db import migrations

from gongkai.core.search import fts5_row

BATCH = 2000
_ROWS = (
    "SELECT d.id, d.title, d.body, o.path, d.kind FROM search_searchdocument d "
    "JOIN orgs_organisation o ON o.id = d.organisation_id WHERE d.id > %s "
    "ORDER BY d.id LIMIT %s"
)


def _write_from_documents(schema_editor, options: str) -> None:
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE search_fts_new USING fts5(tokens, scope, tri{options})"
    )
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(_ROWS, [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                break
            cursor.executemany(
                "INSERT INTO search_fts_new (rowid, tokens, scope, tri) "
                "VALUES (%s, %s, %s, %s)",
                [fts5_row(*row) for row in rows],
            )
            last = rows[-1][0]
    schema_editor.execute("DROP TABLE search_fts")
    schema_editor.execute("ALTER TABLE search_fts_new RENAME TO search_fts")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _write_from_documents(schema_editor, ", content=''")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _write_from_documents(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_trigrams"), ("orgs", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
