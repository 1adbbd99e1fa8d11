"""One row read as SQL, for the few reads on the path of every save.

A save of an application or a publication reads a row or two to keep its summaries
up to date (the tallies, the search index; docs/benchmarks.md "Summary upkeep per
save"). There the ORM's query building and model instances cost several times the
read itself, so these reads are written as SQL: names from the models, values as
parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Model


def fetch_row(
    using: str,
    model: type[Model],
    columns: Sequence[str],
    where: Sequence[str],
    params: Sequence[Any],
    *,
    lock: bool = False,
) -> tuple[Any, ...] | None:
    """``columns`` of the row of ``model``'s table whose ``where`` columns equal
    ``params`` (None if there is none), locked until the transaction ends if ``lock``
    and the database can (SQLite holds one writer at a time anyway)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} "  # noqa: S608  # names from the model; values are parameters
        f"FROM {quote(model._meta.db_table)} "
        f"WHERE {' AND '.join(f'{quote(c)} = %s' for c in where)}"
    )
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        row = cursor.fetchone()
    return None if row is None else tuple(row)


def as_date(value: Any) -> date | None:
    """A date column's value as a date: SQLite hands dates back as ISO text."""
    return date.fromisoformat(value) if isinstance(value, str) else value
