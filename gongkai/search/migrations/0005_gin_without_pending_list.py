"""PostgreSQL: the GIN index without its pending list (fastupdate off).

With fastupdate on, new entries wait in an unsorted pending list that every search
reads in full until VACUUM merges it: up to 4 MB (gin_pending_list_limit) of work
per query that grows with the documents written, matching or not (issue 24). Off,
each insert updates the index directly (a little more work per save, measured by
bench/bench_summary_upkeep.py). The list left now is merged here.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX search_doc_tsv SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list('search_doc_tsv')")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX search_doc_tsv SET (fastupdate = on)")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_scope_in_index")]
    operations = [migrations.RunPython(forward, backward)]
