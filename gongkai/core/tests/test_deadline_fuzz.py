"""Any JSON document gives either a ledger or a ``LedgerError`` — never a crash."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.workdays import (
    LedgerError,
    compute_ledger,
    default_calendar,
    ledger_input_from_json,
)
from gongkai.core.workdays.events import EVENT_LABELS

_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)).map(
    date.isoformat
)
_values = st.one_of(
    st.none(), st.integers(-30, 60), st.booleans(), st.text(max_size=5), _dates
)
_keys = st.sampled_from(
    [
        "channel",
        "confirmed_on",
        "signed_on",
        "working_days",
        "period_working_days",
        "approver",
        "party",
        "ref",
        "delivered_on",
        "deadline",
        "new_due",
        "reason",
    ]
)


def _with_extra(kind: str, when: str, extra: dict[str, object]) -> dict[str, object]:
    return {**extra, "kind": kind, "date": when}


_event = st.builds(
    _with_extra,
    st.sampled_from([*EVENT_LABELS, "unknown"]),
    st.one_of(_dates, st.just("2025-02-30")),
    st.dictionaries(_keys, _values, max_size=4),
)


@settings(max_examples=500, deadline=None)
@given(events=st.lists(_event, max_size=8), today=_dates)
def test_any_event_list_gives_a_ledger_or_a_ledger_error(
    events: list[dict[str, object]], today: str
) -> None:
    try:
        data = ledger_input_from_json(events)
        result = compute_ledger(
            data.events, default_calendar(), date.fromisoformat(today)
        )
    except LedgerError as exc:
        assert str(exc)
        return
    assert result.received_on <= date.fromisoformat(today)


_near = st.dates(min_value=date(2025, 3, 3), max_value=date(2025, 8, 1))
_kinds = st.sampled_from([k for k in EVENT_LABELS if k != "received"])


@settings(max_examples=500, deadline=None)
@given(
    steps=st.lists(
        st.tuples(_kinds, _near, st.dictionaries(_keys, _values, max_size=3)),
        max_size=6,
    )
)
def test_plausible_histories_give_a_ledger_or_a_ledger_error(
    steps: list[tuple[str, date, dict[str, object]]],
) -> None:
    ordered = sorted(steps, key=lambda s: s[1])
    raw: list[dict[str, object]] = [{"kind": "received", "date": "2025-03-03"}]
    raw += [_with_extra(kind, when.isoformat(), extra) for kind, when, extra in ordered]
    try:
        data = ledger_input_from_json(raw)
        result = compute_ledger(data.events, default_calendar(), date(2025, 8, 1))
    except LedgerError as exc:
        assert str(exc)
        return
    assert result.status in {
        "on_time",
        "due_soon",
        "overdue",
        "answered_on_time",
        "answered_late",
        "awaiting_applicant",
        "lapsed",
        "closed",
    }
    if result.due_date is None:  # only while (or after) waiting for the 补正
        assert result.status in {"awaiting_applicant", "lapsed", "closed"}
        assert result.correction_deadline is not None
