"""Tallies stay right when several cases of one unit change at the same moment
(PostgreSQL; SQLite serialises writers, so the race cannot happen there)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.db import connection, connections

from gongkai.inforequests import services as req
from gongkai.inforequests.models import InfoRequest, RequestTally
from gongkai.inforequests.tests.factories import register

CASES = 6

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cases(tree) -> list[InfoRequest]:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        return [
            register(tree.officer, tree.street, submitted_on=date(2026, 3, 2))
            for _ in range(CASES)
        ]


def at_once(cases: list[InfoRequest], act: Callable[[InfoRequest], object]) -> None:
    """Run ``act`` on every case in its own thread, all released together."""
    barrier = threading.Barrier(len(cases))
    errors: list[BaseException] = []

    def run(pk: int) -> None:
        try:
            case = InfoRequest.objects.get(pk=pk)
            barrier.wait()
            act(case)
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c.pk,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_concurrent_status_changes_are_all_counted(tree, cases) -> None:
    at_once(
        cases,
        lambda case: req.inforequest_withdraw(
            actor=tree.officer, request=case, on=date(2026, 3, 3)
        ),
    )
    tally = RequestTally.objects.get(organisation=tree.street, year=2026)
    assert (tally.received, tally.statuses) == (CASES, {"withdrawn": CASES})


def test_concurrent_deletions_of_a_units_last_cases_all_succeed(tree, cases) -> None:
    at_once(cases, lambda case: case.delete())
    tally = RequestTally.objects.get(organisation=tree.street, year=2026)
    assert (tally.received, tally.statuses) == (0, {})
