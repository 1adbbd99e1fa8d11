"""The per-unit, per-year tallies the supervision dashboard sums (inforequests.tallies)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import Outcome, Status
from gongkai.inforequests import services as req
from gongkai.inforequests.models import InfoRequest, RequestTally
from gongkai.inforequests.tallies import rebuild
from gongkai.inforequests.tests.factories import register
from gongkai.supervision.selectors import (
    dashboard,
    mean_of_counts,
    percentile,
    percentile_of_counts,
)

pytestmark = pytest.mark.django_db


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def tally(org, year) -> dict:
    row = RequestTally.objects.filter(organisation=org, year=year).first()
    if row is None:
        return {}
    return {
        "received": row.received,
        "statuses": row.statuses,
        "concluded": row.concluded,
        "outcomes": row.outcomes,
        "handling_days": row.handling_days,
    }


def answered(tree, org, received: str, replied: str, outcome: str = "granted"):
    with at(received):
        case = req.inforequest_accept(
            actor=tree.officer,
            request=register(
                tree.officer, org, submitted_on=date.fromisoformat(received)
            ),
        )
    with at(replied):
        case = req.inforequest_decide(
            actor=tree.officer, request=case, outcome=outcome, note="理由"
        )
        return req.inforequest_send_reply(actor=tree.head, request=case)


def test_saving_an_application_keeps_its_years_tallies(tree):
    # Received Mon 2025-12-29, answered Mon 2026-01-05: it counts as received in 2025
    # and as concluded (with its handling days) in 2026.
    case = answered(tree, tree.street, "2025-12-29", "2026-01-05")
    with at("2025-12-30"):
        register(tree.officer, tree.street, submitted_on=date(2025, 12, 30))
    days = work_calendar().working_days_between(date(2025, 12, 29), date(2026, 1, 5))
    assert tally(tree.street, 2025) == {
        "received": 2,
        "statuses": {case.status: 1, "received": 1},
        "concluded": 0,
        "outcomes": {},
        "handling_days": {},
    }
    assert tally(tree.street, 2026) == {
        "received": 0,
        "statuses": {},
        "concluded": 1,
        "outcomes": {"granted": 1},
        "handling_days": {str(days): 1},
    }


def test_a_deleted_application_leaves_the_tallies(tree):
    with at("2026-03-02"):
        first = register(tree.officer, tree.street, submitted_on=date(2026, 3, 2))
        register(tree.officer, tree.street, submitted_on=date(2026, 3, 2))
    first.delete()
    assert tally(tree.street, 2026)["received"] == 1
    InfoRequest.objects.filter(organisation=tree.street).delete()
    assert tally(tree.street, 2026) == {
        "received": 0,
        "statuses": {},
        "concluded": 0,
        "outcomes": {},
        "handling_days": {},
    }


def test_rebuild_repairs_what_a_bypassing_update_left_behind(tree):
    with at("2026-03-02"):
        case = register(tree.officer, tree.street, submitted_on=date(2026, 3, 2))
    # A raw UPDATE bypasses save(): the tally is now stale…
    InfoRequest.objects.filter(pk=case.pk).update(status=Status.WITHDRAWN.value)
    assert tally(tree.street, 2026)["statuses"] == {"received": 1}
    # …until the command recounts it from the records.
    call_command("rebuild_request_tallies", verbosity=0)
    assert tally(tree.street, 2026)["statuses"] == {"withdrawn": 1}


def test_rebuild_since_a_year_keeps_the_earlier_years(tree):
    answered(tree, tree.street, "2025-03-03", "2025-03-10")
    answered(tree, tree.street, "2026-03-02", "2026-03-09")
    before_2025 = tally(tree.street, 2025)
    RequestTally.objects.filter(year=2026).update(received=99)
    RequestTally.objects.filter(year=2025).update(received=42)
    kept = rebuild(since_year=2026)
    assert kept == 1
    assert tally(tree.street, 2026)["received"] == 1
    assert tally(tree.street, 2025) == {**before_2025, "received": 42}


def _figures_from_records(root, year):
    """The dashboard's request figures counted straight from the applications."""
    calendar = work_calendar()
    cases = list(InfoRequest.objects.filter(organisation__path__startswith=root.path))
    states = Counter(
        Status(c.status).label for c in cases if c.received_on <= date(year, 12, 31)
    )
    concluded = [c for c in cases if c.concluded_on and c.concluded_on.year == year]
    days = [
        calendar.working_days_between(c.received_on, c.concluded_on) for c in concluded
    ]
    mix = Counter(Outcome(c.outcome).group.label for c in concluded)
    return dict(states), dict(mix), days


def test_the_dashboard_from_tallies_equals_a_count_of_the_records(tree):
    answered(tree, tree.street, "2025-12-29", "2026-01-05")
    answered(
        tree, tree.community_a, "2026-02-02", "2026-02-27", outcome="unable.not_held"
    )
    answered(tree, tree.community_b, "2026-03-02", "2026-03-04")
    answered(tree, tree.community_b, "2026-04-01", "2026-04-30", outcome="granted")
    with at("2026-05-06"):
        open_case = register(
            tree.liaison_a, tree.community_a, submitted_on=date(2026, 5, 6)
        )
        withdrawn = register(tree.officer, tree.street, submitted_on=date(2026, 5, 6))
        req.inforequest_withdraw(actor=tree.officer, request=withdrawn)
    with at("2026-11-02"):
        board = dashboard(tree.district, 2026)
    states, mix, days = _figures_from_records(tree.district, 2026)
    assert board.states == states
    assert board.outcome_mix == mix
    assert board.handling_avg == pytest.approx(sum(days) / len(days))
    assert board.handling_p90 == percentile(days, 90)
    rows = {u.unit.pk: u for u in board.units}
    # Handed in at the 社区居委会, the applications are the 街道's (条例第二十七条).
    assert (rows[tree.street.pk].received, rows[tree.street.pk].open) == (5, 1)
    assert rows[tree.community_b.pk].received == rows[tree.community_a.pk].open == 0
    assert open_case.pk in [c.pk for c in board.overdue]


def test_a_calendar_change_recounts_handling_days(
    tree, django_capture_on_commit_callbacks
):
    from gongkai.calendars.services import calendar_year_save
    from gongkai.core.workdays import CalendarYear

    answered(tree, tree.street, "2026-03-02", "2026-03-09")
    assert tally(tree.street, 2026)["handling_days"] == {"5": 1}
    # Declare Wednesday 2026-03-04 a holiday: the same case took one working day less.
    current = work_calendar().year(2026)
    changed = CalendarYear(
        year=2026,
        holidays=frozenset(current.holidays | {date(2026, 3, 4)}),
        extra_workdays=current.extra_workdays,
        source="测试：增加一天假日",
    )
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_save(actor=tree.sysadmin, calendar_year=changed)
    assert tally(tree.street, 2026)["handling_days"] == {"4": 1}


@given(st.lists(st.integers(min_value=0, max_value=80), max_size=60), st.floats(1, 100))
def test_percentile_of_a_histogram_equals_the_percentile_of_its_values(values, p):
    counts = Counter(values)
    assert percentile_of_counts(counts, p) == percentile(values, p)
    expected = sum(values) / len(values) if values else None
    assert mean_of_counts(counts) == (pytest.approx(expected) if values else None)


def test_migrate_recounts_tallies_a_migration_left_empty(tree):
    """Migrations only empty the table; the post_migrate receiver recounts it."""
    with at("2026-09-18"):
        register(tree.officer, tree.street, submitted_on=date(2026, 9, 18))
    RequestTally.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert RequestTally.objects.get(organisation=tree.street, year=2026).received == 1
