"""索引号 stay unique when several people save at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from gongkai.publishing import services
from gongkai.publishing.models import Publication


@pytest.mark.django_db(transaction=True)
def test_concurrent_drafts_get_distinct_serials(tree) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers with BEGIN IMMEDIATE; the race needs PostgreSQL"
        )
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def create(n: int) -> None:
        try:
            barrier.wait()
            services.publication_create(
                actor=tree.officer,
                organisation=tree.street,
                title=f"并发{n}",
                formed_on=date(2021, 4, 1),
            )
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(
        Publication.objects.filter(organisation=tree.street).values_list(
            "serial", flat=True
        )
    )
    assert serials == [1, 2, 3, 4, 5, 6]
    numbers = set(Publication.objects.values_list("index_no", flat=True))
    assert len(numbers) == 6
