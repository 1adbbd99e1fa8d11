"""Tallies stay right when several cases of one unit change at the same moment
(PostgreSQL; SQLite serialises writers, so the race cannot happen there)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection, connections
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from gongkai.inforequests import services as req
from gongkai.inforequests import tallies
from gongkai.inforequests.models import InfoRequest, RequestTally
from gongkai.inforequests.tests.factories import register
from gongkai.inforequests.tests.test_tally_increments import (
    BASE,
    _run,
    kept,
    make_case,
    op,
    recounted,
)

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


def test_concurrent_saves_of_one_application_count_it_once(tree, cases, caplog) -> None:
    """Four stale copies of one application saved at once: each save reads where it
    counted under the row's lock, so the tally moves it once per save, never twice."""
    statuses = iter(["withdrawn", "in_progress", "decided", "extended"])
    at_once(
        [cases[0]] * 4,
        lambda case: (setattr(case, "status", next(statuses)), case.save()),
    )
    case = InfoRequest.objects.get(pk=cases[0].pk)
    tally = RequestTally.objects.get(organisation=tree.street, year=2026)
    assert (tally.received, tally.statuses) == (
        CASES,
        {"received": CASES - 1, case.status: 1},
    )
    assert not [r for r in caplog.records if r.name == tallies.__name__]


# Errors a concurrent step may end with: its transaction is rolled back whole, so the
# tallies must still be right. A deadlock can happen when a bulk deletion takes the
# tallies of its applications one application at a time; the others are a step on an
# application another thread has just deleted (or written back from a stale copy).
TOLERATED = (
    "deadlock detected",
    "matching query does not exist",
    "did not affect any rows",
    "duplicate key value",
)
THREADS = 4


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(
        st.lists(op | st.just(("rebuild",)), min_size=12, max_size=12),
        min_size=THREADS,
        max_size=THREADS,
    )
)
def test_random_concurrent_changes_leave_tallies_equal_to_a_count(tree, plans) -> None:
    """Four threads change the same applications at once (and one may recount
    everything meanwhile); afterwards the tallies equal a count of the records."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    units = [tree.street, tree.community_a, tree.sibling_street]
    shared = [
        make_case(units[i % 3], BASE + timedelta(days=61 * i - 200)).pk
        for i in range(8)
    ]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    tolerated: list[str] = []

    def run(steps: list[tuple]) -> None:
        try:
            stale = {pk: InfoRequest.objects.get(pk=pk) for pk in shared}
            cases = list(shared)
            barrier.wait()
            for step in steps:
                try:
                    if step[0] == "rebuild":
                        tallies.rebuild()
                    else:
                        _run(step, units, cases, stale)
                except Exception as exc:
                    if not any(t in str(exc) for t in TOLERATED):
                        raise
                    tolerated.append(str(exc).splitlines()[0])
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p,)) for p in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    note(f"tolerated: {tolerated}")
    assert errors == []
    assert kept() == recounted()
