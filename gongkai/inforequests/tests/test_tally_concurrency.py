"""Tallies stay right when several cases of one unit change at the same moment
(PostgreSQL; SQLite serialises writers, so the race cannot happen there)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection, connections

from gongkai.inforequests import services as req
from gongkai.inforequests.models import InfoRequest, RequestTally
from gongkai.inforequests.tests.factories import register

CASES = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_status_changes_are_all_counted(tree) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        cases = [
            register(tree.officer, tree.street, submitted_on=date(2026, 3, 2))
            for _ in range(CASES)
        ]
    barrier = threading.Barrier(CASES)
    errors: list[BaseException] = []

    def withdraw(pk: int) -> None:
        try:
            case = InfoRequest.objects.get(pk=pk)
            barrier.wait()
            req.inforequest_withdraw(
                actor=tree.officer, request=case, on=date(2026, 3, 3)
            )
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=withdraw, args=(c.pk,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    tally = RequestTally.objects.get(organisation=tree.street, year=2026)
    assert (tally.received, tally.statuses) == (CASES, {"withdrawn": CASES})


@pytest.mark.django_db(transaction=True)
def test_concurrent_deletions_of_a_units_last_cases_all_succeed(tree) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        cases = [
            register(tree.officer, tree.street, submitted_on=date(2026, 3, 2))
            for _ in range(CASES)
        ]
    barrier = threading.Barrier(CASES)
    errors: list[BaseException] = []

    def delete(pk: int) -> None:
        try:
            case = InfoRequest.objects.get(pk=pk)
            barrier.wait()
            case.delete()
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=delete, args=(c.pk,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    tally = RequestTally.objects.get(organisation=tree.street, year=2026)
    assert (tally.received, tally.statuses) == (0, {})
