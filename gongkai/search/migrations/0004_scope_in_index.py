"""Scope and recency inside the index (issue 24; gongkai.search.services).

SQLite: the FTS5 table gets a second column ``scope`` (an FTS5 table cannot gain a
column: a new one is filled from the old and takes its name). PostgreSQL: the
tsvector's "~15.N"/"~18.N" lexemes are replaced by the id-block lexemes of
WINDOW_SHIFTS and the scope lexemes are added. Both directions are plain SQL over
the stored rows; the tokens themselves are kept as they are.
"""

from django.db import migrations

SHIFTS = (10, 13, 16, 19, 22, 25)  # services.WINDOW_SHIFTS when this was written


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("CREATE VIRTUAL TABLE search_fts_new USING fts5(tokens, scope)")
        # u<own segment> o<each segment> k<kind as hex>; a path is "0000002a.0000002b."
        schema_editor.execute(
            "INSERT INTO search_fts_new (rowid, tokens, scope) "
            "SELECT f.rowid, f.tokens, 'u' || substr(o.path, -9, 8) || ' o' || "
            "replace(rtrim(o.path, '.'), '.', ' o') || ' k' || lower(hex(d.kind)) "
            "FROM search_fts f JOIN search_searchdocument d ON d.id = f.rowid "
            "JOIN orgs_organisation o ON o.id = d.organisation_id"
        )
        schema_editor.execute("DROP TABLE search_fts")
        schema_editor.execute("ALTER TABLE search_fts_new RENAME TO search_fts")
    elif vendor == "postgresql":
        shifts = ",".join(str(s) for s in SHIFTS)
        schema_editor.execute(
            "UPDATE search_searchdocument d SET tsv = "
            "ts_delete(d.tsv, ARRAY(SELECT lexeme FROM unnest(d.tsv) WHERE lexeme LIKE '~%%')) "
            "|| array_to_tsvector("
            "ARRAY['~u' || substr(o.path, length(o.path) - 8, 8), "
            "'~k' || encode(convert_to(d.kind, 'UTF8'), 'hex')] "
            "|| ARRAY(SELECT '~o' || s FROM unnest(string_to_array(rtrim(o.path, '.'), '.')) s) "
            f"|| ARRAY(SELECT '~w' || s || '.' || (d.id >> s) FROM unnest(ARRAY[{shifts}]) s)) "
            "FROM orgs_organisation o WHERE o.id = d.organisation_id AND d.tsv IS NOT NULL"
        )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("CREATE VIRTUAL TABLE search_fts_old USING fts5(tokens)")
        schema_editor.execute(
            "INSERT INTO search_fts_old (rowid, tokens) SELECT rowid, tokens FROM search_fts"
        )
        schema_editor.execute("DROP TABLE search_fts")
        schema_editor.execute("ALTER TABLE search_fts_old RENAME TO search_fts")
    elif vendor == "postgresql":
        schema_editor.execute(
            "UPDATE search_searchdocument SET tsv = "
            "ts_delete(tsv, ARRAY(SELECT lexeme FROM unnest(tsv) WHERE lexeme LIKE '~%%')) "
            "|| array_to_tsvector(ARRAY['~15.' || (id >> 15), '~18.' || (id >> 18)]) "
            "WHERE tsv IS NOT NULL"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_recency_lexemes"), ("orgs", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
