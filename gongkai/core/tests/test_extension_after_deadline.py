"""条例第三十三条第二款: an extension can only be decided before the reply period ends.

The last day to extend is the due date in force on the day of the extension
(pauses, a 补正 restart and an agreed later date included). Every date is worked
out by hand from the 2025 schedule (``../shared/spec/holidays.md`` §3, §5.6)
with the receipt day as day zero.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.core.workdays import (
    Event,
    LedgerError,
    compute_ledger,
    default_calendar,
    recompute_ledgers,
)
from gongkai.core.workdays.ledger import Ledger

D = date.fromisoformat


def ledger(events: list[Event], today: str) -> Ledger:
    return compute_ledger(events, default_calendar(), D(today))


def received(day: str) -> Event:
    return Event("received", D(day))


def extension(day: str, n: int = 10) -> Event:
    return Event("extension", D(day), working_days=n, approver="王科长")


# Received Monday 2025-01-20: 1/21–24 = 4, 1/26 (Sun 上班) = 5, 1/27 = 6,
# [1/28–2/4 春节], 2/5–7 = 9, 2/8 (Sat 上班) = 10, 2/10–14 = 15, 2/17–21 = 20.
DUE = "2025-02-21"


def test_an_extension_on_the_last_day_of_the_period_is_allowed() -> None:
    # 2/21 + 10: 2/24–28 = 5, 3/3–7 = 10.
    result = ledger([received("2025-01-20"), extension(DUE)], DUE)
    assert result.due_date == D("2025-03-07")
    assert result.unextended_due == D(DUE)


def test_an_extension_the_next_working_day_is_refused() -> None:
    with pytest.raises(LedgerError) as err:
        ledger([received("2025-01-20"), extension("2025-02-24")], "2025-02-24")
    message = str(err.value)
    assert message.startswith("第2个事件（延长答复期限）：")
    assert "条例第三十三条第二款" in message
    assert "答复期限已于2025年2月21日届满" in message
    assert "最迟可在2025年2月21日决定延长" in message
    assert err.value.index == 1 and err.value.kind == "extension"


def test_an_extension_on_the_weekend_after_the_deadline_is_refused() -> None:
    # Saturday 2/22 is not a working day, but the period ended on Friday 2/21.
    with pytest.raises(LedgerError, match="2025年2月21日届满"):
        ledger([received("2025-01-20"), extension("2025-02-22")], "2025-02-22")


def test_a_finished_consultation_moves_the_last_day_to_extend() -> None:
    # Third party (2/10, 2/14] pauses 2/11–14 = 4 working days: by 2/10 day 11,
    # then 2/17–21 = 12..16, 2/24–27 = 17..20 → due 2/27.
    consult = [
        received("2025-01-20"),
        Event("consultation_started", D("2025-02-10"), party="third_party"),
        Event("consultation_ended", D("2025-02-14")),
    ]
    # 2/27 + 20: 2/28 = 1, 3/3–7 = 6, 3/10–14 = 11, 3/17–21 = 16, 3/24–27 = 20.
    assert ledger([*consult, extension("2025-02-27", 20)], "2025-02-27").due_date == (
        D("2025-03-27")
    )
    with pytest.raises(LedgerError, match="最迟可在2025年2月27日决定延长"):
        ledger([*consult, extension("2025-02-28", 20)], "2025-02-28")


def test_an_extension_during_an_open_consultation_is_allowed() -> None:
    # Third party from 2/17 still open on 2/26: days used by 2/17 = 16 (see DUE),
    # paused (2/17, 2/26]; 4 left: 2/27, 2/28, 3/3, 3/4 → due in force 3/4.
    # +5: 3/5, 3/6, 3/7, 3/10, 3/11.
    events = [
        received("2025-01-20"),
        Event("consultation_started", D("2025-02-17"), party="third_party"),
        extension("2025-02-26", 5),
    ]
    assert ledger(events, "2025-02-26").due_date == D("2025-03-11")


def test_a_correction_restarts_the_period_the_extension_is_measured_against() -> None:
    # Corrected application received 2/10 (day zero): 2/11–14 = 4, 2/17–21 = 9,
    # 2/24–28 = 14, 3/3–7 = 19, 3/10 = 20 → due 3/10.
    corrected = [
        received("2025-01-20"),
        Event("correction_requested", D("2025-01-22"), until=D("2025-02-14")),
        Event("correction_received", D("2025-02-10")),
    ]
    # 3/10 + 10: 3/11–14 = 4, 3/17–21 = 9, 3/24 = 10.
    assert ledger([*corrected, extension("2025-03-10")], "2025-03-10").due_date == (
        D("2025-03-24")
    )
    with pytest.raises(LedgerError, match="答复期限已于2025年3月10日届满"):
        ledger([*corrected, extension("2025-03-11")], "2025-03-11")


def test_an_agreed_later_date_is_the_due_date_in_force() -> None:
    # 条例第三十五条: a later date agreed on 2/20 (3/14) replaces 2/21.
    agreed = [
        received("2025-01-20"),
        Event("delay_agreed", D("2025-02-20"), until=D("2025-03-14")),
    ]
    assert ledger([*agreed, extension("2025-03-14")], "2025-03-14").due_date
    with pytest.raises(LedgerError, match="最迟可在2025年3月14日决定延长"):
        ledger([*agreed, extension("2025-03-17")], "2025-03-17")


def test_recomputing_reports_a_late_extension_as_an_error() -> None:
    cases = [("late", [received("2025-01-20"), extension("2025-02-24")])]
    results = dict(recompute_ledgers(cases, default_calendar(), D("2025-03-01")))
    assert isinstance(results["late"], LedgerError)
    assert "条例第三十三条第二款" in str(results["late"])


def _explain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extension_on: str
) -> tuple[int, str, str]:
    path = tmp_path / "case.json"
    events = [
        {"kind": "received", "date": "2025-01-20"},
        {
            "kind": "extension",
            "date": extension_on,
            "working_days": 10,
            "approver": "王科长",
        },
    ]
    path.write_text(json.dumps(events), encoding="utf-8")
    code = main(["deadline", "explain", str(path), "--today", "2025-03-03"])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_refuses_an_extension_after_the_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _explain(tmp_path, capsys, "2025-02-24")
    assert code == 2 and out == ""
    assert "第2个事件（延长答复期限）" in err
    assert "条例第三十三条第二款" in err
    assert "最迟可在2025年2月21日决定延长" in err
    assert "Traceback" not in err


def test_the_cli_accepts_an_extension_on_the_last_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _explain(tmp_path, capsys, DUE)
    assert code == 0
    assert "答复期限：2025年3月7日（周五）" in out
