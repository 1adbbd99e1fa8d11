"""PostgreSQL: add the id-block lexemes ("~15.N", "~18.N") that let search
look for the newest matches first (see gongkai.search.services.RECENCY_SHIFTS)."""

from django.db import migrations


def add_recency_lexemes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE search_searchdocument SET tsv = tsv || array_to_tsvector(ARRAY["
        "'~15.' || (id >> 15), '~18.' || (id >> 18)]) "
        "WHERE tsv IS NOT NULL"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_bigram_index")]
    operations = [migrations.RunPython(add_recency_lexemes, migrations.RunPython.noop)]
