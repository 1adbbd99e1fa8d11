"""A save adds only its difference to the tallies, and the tallies still equal a count
of the records after any sequence of changes (inforequests.tallies)."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import Outcome, Status
from gongkai.inforequests import tallies
from gongkai.inforequests.models import InfoRequest, RequestTally
from gongkai.inforequests.tests.factories import RESIDENT_ID

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


def make_case(org: Any, received_on: date, **fields: Any) -> InfoRequest:
    """An application written straight to the table (through save(), so tallied)."""
    n = next(_serial)
    return InfoRequest.objects.create(
        organisation=org,
        year=received_on.year,
        serial=n,
        tracking_number=f"T-INC-{n:06d}",
        channel="in_person",
        submitted_on=received_on,
        received_on=received_on,
        applicant_type="natural",
        applicant_name="王小明",
        id_type="resident_id",
        id_number=RESIDENT_ID,
        description="测试用申请",
        **fields,
    )


def recounted() -> dict[tuple[int, int], dict[str, Any]]:
    """The tallies as the records say, counted here one application at a time (not by
    the module under test): received and status by the year received; concluded,
    outcome and working days taken by the year concluded."""
    calendar = work_calendar()
    out: dict[tuple[int, int], dict[str, Any]] = defaultdict(
        lambda: {
            "received": 0,
            "statuses": Counter(),
            "concluded": 0,
            "outcomes": Counter(),
            "handling_days": Counter(),
        }
    )
    for (
        org,
        received_on,
        concluded_on,
        status,
        outcome,
    ) in InfoRequest.objects.values_list(
        "organisation_id", "received_on", "concluded_on", "status", "outcome"
    ):
        got = out[(org, received_on.year)]
        got["received"] += 1
        got["statuses"][status] += 1
        if concluded_on is not None:
            done = out[(org, concluded_on.year)]
            done["concluded"] += 1
            done["outcomes"][outcome] += 1
            days = calendar.working_days_between(received_on, concluded_on)
            done["handling_days"][str(days)] += 1
    return {
        pair: {k: dict(v) if isinstance(v, Counter) else v for k, v in f.items()}
        for pair, f in out.items()
    }


def kept() -> dict[tuple[int, int], dict[str, Any]]:
    """The tally rows as stored; a row of zeros (kept for its lock) is no tally."""
    rows = {
        (t.organisation_id, t.year): {
            "received": t.received,
            "statuses": t.statuses,
            "concluded": t.concluded,
            "outcomes": t.outcomes,
            "handling_days": t.handling_days,
        }
        for t in RequestTally.objects.all()
    }
    return {
        pair: row
        for pair, row in rows.items()
        if row["received"]
        or row["concluded"]
        or row["statuses"]
        or row["outcomes"]
        or row["handling_days"]
    }


# --------------------------------------------------------------------------- property

BASE = date(2025, 6, 2)
STATUSES = [s.value for s in Status]
OUTCOMES = [o.value for o in Outcome]
case_index = st.integers(min_value=0, max_value=50)
op = st.one_of(
    st.tuples(st.just("new"), st.integers(0, 2), st.integers(-400, 400)),
    st.tuples(st.just("status"), case_index, st.sampled_from(STATUSES)),
    st.tuples(
        st.just("conclude"),
        case_index,
        st.integers(0, 300),
        st.sampled_from(OUTCOMES),
        st.booleans(),  # with update_fields
    ),
    st.tuples(st.just("reopen"), case_index),
    st.tuples(st.just("received"), case_index, st.integers(-400, 400)),
    st.tuples(st.just("received_as_text"), case_index, st.integers(-400, 400)),
    st.tuples(st.just("move"), case_index, st.integers(0, 2)),
    st.tuples(st.just("stale"), case_index, st.sampled_from(STATUSES)),
    st.tuples(st.just("stale_partial"), case_index, st.sampled_from(STATUSES)),
    st.tuples(st.just("untallied"), case_index),
    st.tuples(st.just("delete"), case_index),
    st.tuples(st.just("delete_twice"), case_index),
    st.tuples(st.just("delete_unit"), st.integers(0, 2)),
)


def _run(op: tuple[Any, ...], units: list[Any], cases: list[int], stale: dict) -> None:
    kind = op[0]
    if kind == "new":
        case = make_case(units[op[1]], BASE + timedelta(days=op[2]))
        cases.append(case.pk)
        stale[case.pk] = InfoRequest.objects.get(pk=case.pk)
        return
    if kind == "delete_unit":
        InfoRequest.objects.filter(organisation=units[op[1]]).delete()
        return
    live = [pk for pk in cases if InfoRequest.objects.filter(pk=pk).exists()]
    if not live:
        return
    pk = live[op[1] % len(live)]
    case = InfoRequest.objects.get(pk=pk)
    if kind == "status":
        case.status = op[2]
        case.save()
    elif kind == "conclude":
        case.concluded_on = case.received_on + timedelta(days=op[2])
        case.outcome = op[3]
        case.status = Status.REPLIED.value
        if op[4]:
            case.save(update_fields=["concluded_on", "outcome", "status"])
        else:
            case.save()
    elif kind == "reopen":
        case.concluded_on = None
        case.outcome = ""
        case.status = Status.IN_PROGRESS.value
        case.save(update_fields=["concluded_on", "outcome", "status"])
    elif kind == "received":
        case.received_on = case.received_on + timedelta(days=op[2])
        case.save(update_fields=["received_on"])
    elif kind == "received_as_text":
        # Stored as the date it names; the instance keeps the text until reloaded.
        case.received_on = (case.received_on + timedelta(days=op[2])).isoformat()
        case.save(update_fields=["received_on"])
    elif kind == "move":
        case.organisation = units[op[2]]
        case.save()
    elif kind == "stale":
        # Loaded when it was made: a whole-row save writes back its old place.
        old = stale[pk]
        old.status = op[2]
        if old.concluded_on is None and old.outcome == "":
            old.save()
    elif kind == "stale_partial":
        # Loaded when it was made: only the status is written, the rest stays.
        old = stale[pk]
        old.status = op[2]
        old.save(update_fields=["status"])
    elif kind == "untallied":
        case.description = "改写的描述"
        case.save(update_fields=["description"])
    elif kind == "delete":
        case.delete()
    elif kind == "delete_twice":
        twin = InfoRequest.objects.get(pk=pk)
        case.delete()
        twin.delete()  # finds no row: takes off nothing


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(op, min_size=1, max_size=30))
def test_after_any_sequence_of_changes_the_tallies_equal_a_count(tree, caplog, ops):
    # Each example starts empty (examples share the test's database).
    InfoRequest.objects.all().delete()
    RequestTally.objects.all().delete()
    units = [tree.street, tree.community_a, tree.sibling_street]
    cases = [
        make_case(units[i % 3], BASE + timedelta(days=97 * i - 150)).pk
        for i in range(4)
    ]
    stale = {pk: InfoRequest.objects.get(pk=pk) for pk in cases}
    for step in ops:
        note(repr(step))
        _run(step, units, cases, stale)
        assert kept() == recounted(), step
    # Right by the differences alone, not by the recount that heals a wrong tally.
    assert not [r for r in caplog.records if r.name == tallies.__name__]


# --------------------------------------------------------------------------- examples


def test_a_save_changes_only_the_tallies_of_its_own_place(tree):
    case = make_case(tree.street, date(2026, 3, 2))
    make_case(tree.sibling_street, date(2026, 3, 2))
    make_case(tree.street, date(2025, 3, 2))
    untouched = {
        (t.organisation_id, t.year): t.refreshed_at
        for t in RequestTally.objects.exclude(organisation=tree.street, year=2026)
    }
    case.status = Status.WITHDRAWN.value
    case.save()
    assert {
        (t.organisation_id, t.year): t.refreshed_at
        for t in RequestTally.objects.exclude(organisation=tree.street, year=2026)
    } == untouched
    assert RequestTally.objects.get(organisation=tree.street, year=2026).statuses == {
        "withdrawn": 1
    }
    assert len(untouched) == 2


def test_the_cost_of_a_save_does_not_grow_with_the_unit(tree):
    """The tallies of a save are a few statements, the same for a unit with one
    application or sixty (the old recount read every application of the year)."""

    def statements_of_a_conclusion(case: InfoRequest) -> list[str]:
        case.concluded_on = date(2026, 3, 20)
        case.outcome = "granted"
        case.status = Status.REPLIED.value
        with CaptureQueriesContext(connection) as ctx:
            case.save(update_fields=["concluded_on", "outcome", "status"])
        return [q["sql"] for q in ctx.captured_queries]

    work_calendar()  # read once per process: not the save's cost
    alone = statements_of_a_conclusion(make_case(tree.community_b, date(2026, 3, 2)))
    for _ in range(60):
        make_case(tree.street, date(2026, 3, 2))
    crowded = statements_of_a_conclusion(make_case(tree.street, date(2026, 3, 2)))
    assert len(crowded) == len(alone)
    # The application is read once, by its id, before the write (where it counts
    # after is what the save wrote), never counted.
    read = [sql for sql in crowded if 'FROM "inforequests_inforequest"' in sql]
    assert len(read) == 1
    assert all(
        re.search(r'WHERE ("inforequests_inforequest"\.)?"id" = ', sql) for sql in read
    )
    assert not [sql for sql in read if "COUNT(" in sql.upper()]
    assert kept() == recounted()


def test_on_postgresql_a_tally_row_is_changed_by_one_statement(tree):
    """A round trip costs more than the work on PostgreSQL: the difference is added by
    the UPDATE itself, not read first and written after."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs in the process: a statement costs no round trip")
    case = make_case(tree.street, date(2026, 3, 2))
    make_case(tree.street, date(2026, 3, 2))
    case.status = Status.WITHDRAWN.value
    with CaptureQueriesContext(connection) as ctx:
        case.save(update_fields=["status"])
    tally_statements = [
        q["sql"]
        for q in ctx.captured_queries
        if "inforequests_requesttally" in q["sql"]
    ]
    assert len(tally_statements) == 1
    assert tally_statements[0].startswith("UPDATE")
    assert kept() == recounted()


def test_a_stale_instance_cannot_count_twice(tree):
    case = make_case(tree.street, date(2026, 3, 2))
    first = InfoRequest.objects.get(pk=case.pk)
    second = InfoRequest.objects.get(pk=case.pk)
    first.status = Status.WITHDRAWN.value
    first.save()
    # ``second`` still believes the status is 已收到; it saves 已作出决定 over it.
    second.status = Status.DECIDED.value
    second.save(update_fields=["status"])
    assert RequestTally.objects.get(organisation=tree.street, year=2026).statuses == {
        "decided": 1
    }
    assert kept() == recounted()


def test_a_wrong_tally_is_recounted_when_a_save_would_take_off_what_it_lacks(
    tree, caplog
):
    case = make_case(tree.street, date(2026, 3, 2))
    make_case(tree.street, date(2026, 3, 2))
    # A raw update bypasses save(): the tally says 已收到 for an application now 已撤回…
    InfoRequest.objects.filter(pk=case.pk).update(status=Status.WITHDRAWN.value)
    RequestTally.objects.filter(organisation=tree.street, year=2026).update(
        statuses={"received": 2}
    )
    # …and a later save takes 已撤回 off: the tally holds none, so it is counted again.
    case.refresh_from_db()
    case.status = Status.IN_PROGRESS.value
    case.save()
    assert RequestTally.objects.get(organisation=tree.street, year=2026).statuses == {
        "received": 1,
        "in_progress": 1,
    }
    assert kept() == recounted()
    assert [r.name for r in caplog.records] == [tallies.__name__]


def test_the_difference_of_a_move_between_years_and_units(tree):
    """Hand-worked: received 2025-12-29 at the street, concluded 2026-01-05 (granted);
    then moved to the sibling street and received 2026-01-02."""
    before = (
        tree.street.pk,
        date(2025, 12, 29),
        date(2026, 1, 5),
        "replied",
        "granted",
    )
    after = (
        tree.sibling_street.pk,
        date(2026, 1, 2),
        date(2026, 1, 5),
        "replied",
        "granted",
    )
    calendar = work_calendar()
    old_days = str(calendar.working_days_between(date(2025, 12, 29), date(2026, 1, 5)))
    new_days = str(calendar.working_days_between(date(2026, 1, 2), date(2026, 1, 5)))
    diff = {
        pair: figures.as_fields()
        for pair, figures in tallies.difference(before, after).items()
    }
    assert diff == {
        (tree.street.pk, 2025): {
            "received": -1,
            "statuses": {"replied": -1},
            "concluded": 0,
            "outcomes": {},
            "handling_days": {},
        },
        (tree.street.pk, 2026): {
            "received": 0,
            "statuses": {},
            "concluded": -1,
            "outcomes": {"granted": -1},
            "handling_days": {old_days: -1},
        },
        (tree.sibling_street.pk, 2026): {
            "received": 1,
            "statuses": {"replied": 1},
            "concluded": 1,
            "outcomes": {"granted": 1},
            "handling_days": {new_days: 1},
        },
    }
    assert tallies.difference(before, before) == {}
