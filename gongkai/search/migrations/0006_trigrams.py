"""Trigrams beside the bigrams (issue 24: long phrases at 10^6 documents).

A phrase of common bigrams (a date, a templated sentence) is held whole by few
documents, but every bigram of it by most: checking positions in each of those was
the whole cost of a long phrase. Its trigrams are held by about as many documents as
the phrase itself (gongkai.core.search).

SQLite: the FTS5 table gets a third column ``tri`` (an FTS5 table cannot gain a
column: a new one is filled from the old and takes its name). PostgreSQL: each
document's tsvector gains its trigrams, without positions; the GIN index is built
again once after (updating it row by row takes hours at 10^6 documents). Both read
the stored title and body; a title is stored cut at 300 characters, so text of a
longer title past that point has bigrams but no trigrams until it is saved again.
"""

from django.db import migrations

from gongkai.core.search import index_trigrams, trigram_set

BATCH = 2000
GIN = "search_doc_tsv"
# search.services.MAX_TOKENS: the trigrams of the text the tsvector's bigram
# positions cover (a longer text's trigrams could pass the tsvector's 1 MB).
MAX_POSITIONS = 16000


def _batches(cursor, sql):
    last = 0
    while True:
        cursor.execute(sql, [last, BATCH])
        rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _sqlite_forward(schema_editor):
    schema_editor.execute(
        "CREATE VIRTUAL TABLE search_fts_new USING fts5(tokens, scope, tri)"
    )
    with schema_editor.connection.cursor() as cursor:
        for rows in _batches(
            cursor,
            "SELECT f.rowid, f.tokens, f.scope, d.title, d.body FROM search_fts f "
            "JOIN search_searchdocument d ON d.id = f.rowid WHERE f.rowid > %s "
            "ORDER BY f.rowid LIMIT %s",
        ):
            cursor.executemany(
                "INSERT INTO search_fts_new (rowid, tokens, scope, tri) "
                "VALUES (%s, %s, %s, %s)",
                [
                    (i, tokens, scope, index_trigrams(f"{title}\n{body}"))
                    for i, tokens, scope, title, body in rows
                ],
            )
    schema_editor.execute("DROP TABLE search_fts")
    schema_editor.execute("ALTER TABLE search_fts_new RENAME TO search_fts")


def _pg_forward(schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {GIN}")
    with schema_editor.connection.cursor() as cursor:
        for rows in _batches(
            cursor,
            "SELECT id, title, body FROM search_searchdocument "
            "WHERE id > %s AND tsv IS NOT NULL ORDER BY id LIMIT %s",
        ):
            cursor.executemany(
                "UPDATE search_searchdocument SET tsv = tsv || "
                "array_to_tsvector(%s::text[]) WHERE id = %s",
                [
                    (trigram_set(f"{title}\n{body}", MAX_POSITIONS), i)
                    for i, title, body in rows
                ],
            )
    schema_editor.execute(
        f"CREATE INDEX {GIN} ON search_searchdocument USING GIN (tsv)"
        " WITH (fastupdate = off)"
    )


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _sqlite_forward(schema_editor)
    elif vendor == "postgresql":
        _pg_forward(schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts_old USING fts5(tokens, scope)"
        )
        schema_editor.execute(
            "INSERT INTO search_fts_old (rowid, tokens, scope) "
            "SELECT rowid, tokens, scope FROM search_fts"
        )
        schema_editor.execute("DROP TABLE search_fts")
        schema_editor.execute("ALTER TABLE search_fts_old RENAME TO search_fts")
    elif vendor == "postgresql":
        # Trigrams are the only lexemes of three characters (bigrams have one or
        # two; scope, window and run-separator lexemes start with "~" or are longer).
        schema_editor.execute(
            "UPDATE search_searchdocument SET tsv = ts_delete(tsv, ARRAY("
            "SELECT lexeme FROM unnest(tsv) WHERE char_length(lexeme) = 3 "
            "AND lexeme NOT LIKE '~%%')) WHERE tsv IS NOT NULL"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0005_gin_without_pending_list")]
    operations = [migrations.RunPython(forward, backward)]
