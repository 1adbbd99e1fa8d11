"""The deadline ledger in real situations.

Every expected date is worked out by hand from the official 2025/2026 schedules
(``../shared/spec/holidays.md`` §3–§4) with the receipt day as day zero; the
reasoning is in the comment of each case. "today" is always passed explicitly.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.workdays import (
    CalendarYear,
    DeadlineSettings,
    Event,
    LedgerError,
    StartDayConvention,
    calendar_from_sources,
    compute_ledger,
    default_calendar,
)
from gongkai.core.workdays.ledger import Ledger

D = date.fromisoformat


def ledger(events: list[Event], today: str, **settings: object) -> Ledger:
    s = DeadlineSettings(**settings)  # type: ignore[arg-type]
    return compute_ledger(events, default_calendar(), D(today), s)


def received(
    day: str, channel: str = "in_person", confirmed: str | None = None
) -> Event:
    return Event(
        "received",
        D(day),
        channel=channel,
        confirmed_on=D(confirmed) if confirmed else None,
    )


# (situation, events, today, expected due date)
SITUATIONS = [
    (
        # 2025-10-01 is 国庆 (off 10/1–10/8): 10/9=1, 10/10=2, 10/11 Sat 上班=3,
        # 10/13–17=4..8, 10/20–24=9..13, 10/27–31=14..18, 11/3=19, 11/4=20.
        "holiday on the receipt date",
        [received("2025-10-01", "online")],
        "2025-10-02",
        "2025-11-04",
    ),
    (
        # Day before the 2025 Spring Festival break (1/28–2/4 off):
        # 2/5,6,7=1..3, 2/8 Sat 上班=4, 2/10–14=5..9, 2/17–21=10..14, 2/24–28=15..19, 3/3=20.
        "receipt the day before the Spring Festival break",
        [received("2025-01-27")],
        "2025-01-27",
        "2025-03-03",
    ),
    (
        # Day before the 2026 National Day break (10/1–10/7 off): 10/8=1, 10/9=2,
        # 10/10 Sat 上班=3, 10/12–16=4..8, 10/19–23=9..13, 10/26–30=14..18, 11/2=19, 11/3=20.
        "receipt the day before the National Day break",
        [received("2026-09-30")],
        "2026-10-01",
        "2026-11-03",
    ),
    (
        # 2025-09-26 (Fri): 9/28 Sun 上班=1, 9/29=2, 9/30=3, [10/1–10/8 off], 10/9=4,
        # 10/10=5, 10/11 Sat 上班=6, 10/13=7 … 10/30=20 (spec §5.6 worked row).
        "调休 Saturdays and Sundays inside the period",
        [received("2025-09-26", "registered_post", confirmed="2025-09-26")],
        "2025-09-26",
        "2025-10-30",
    ),
    (
        # 2026-12-21 (Mon): 12/22–25=1..4, 12/28–31=5..8, 2027-01-01 元旦 (provisional:
        # the statutory day off, and Sat/Sun 1/2–3 count as they could be 调休上班)
        # 1/2–3=9..10, 1/4–8=11..15, 1/11–15=16..20.
        "a period crossing the year end into a provisional year",
        [received("2026-12-21", "online")],
        "2026-12-22",
        "2027-01-15",
    ),
    (
        # 2025-01-20: base due 2/21 (spec §5.6); +10 working days: 2/24–28 (5), 3/3–7 (10).
        "an extension of 10 working days",
        [
            received("2025-01-20"),
            Event("extension", D("2025-02-18"), working_days=10, approver="王科长"),
        ],
        "2025-02-18",
        "2025-03-07",
    ),
    (
        # 2025-01-20 +40 working days = 3/21 (spec §5.6) — the longest extension.
        "an extension of the maximum 20 working days",
        [
            received("2025-01-20"),
            Event("extension", D("2025-02-18"), working_days=20, approver="王科长"),
        ],
        "2025-02-18",
        "2025-03-21",
    ),
    (
        # Received 4/25, 补正 asked 4/30, corrected application 5/12 (Mon): clock restarts.
        # 5/13–16=1..4, 5/19–23=5..9, 5/26–30=10..14, 6/2 端午 off (5/31–6/2),
        # 6/3–6=15..18, 6/9=19, 6/10=20.
        "a 补正 restart",
        [
            received("2025-04-25"),
            Event("correction_requested", D("2025-04-30"), working_days=10),
            Event("correction_received", D("2025-05-12")),
        ],
        "2025-05-12",
        "2025-06-10",
    ),
    (
        # Received 2025-03-03 (Mon), base due 3/31 (20 Mon–Fri days, no March holidays).
        # Third party (3/10, 3/14] and other agency (3/12, 3/19] overlap: union
        # (3/10, 3/19] = 3/11,12,13,14,17,18,19 = 7 working days, counted once.
        # 3/31 + 7: 4/1,2,3, [4/4–4/6 清明], 4/7,8,9,10 → 4/10.
        "overlapping third-party and inter-agency pauses",
        [
            received("2025-03-03"),
            Event(
                "consultation_started", D("2025-03-10"), party="third_party", ref="tp"
            ),
            Event(
                "consultation_started", D("2025-03-12"), party="other_agency", ref="ag"
            ),
            Event("consultation_ended", D("2025-03-14"), ref="tp"),
            Event("consultation_ended", D("2025-03-19"), ref="ag"),
        ],
        "2025-03-20",
        "2025-04-10",
    ),
    (
        # Third party silent: window = 15 wd from 3/10 = 3/31 (3/11–14, 17–21, 24–28, 31).
        # Counted: 3/4–7, 3/10 = 5; paused to 3/31; 4/1–3 = 8, 4/7–11 = 13,
        # 4/14–18 = 18, 4/21 = 19, 4/22 = 20.
        "a third party that never answers (window lapses)",
        [
            received("2025-03-03"),
            Event("consultation_started", D("2025-03-10"), party="third_party"),
        ],
        "2025-04-15",
        "2025-04-22",
    ),
    (
        # Received 2025-06-03 (Tue): base due 7/1 (6/4–6, 9–13, 16–20, 23–27, 30, 7/1).
        # Fee notice 6/10, paid 6/17: paused 6/11,12,13,16,17 = 5 → 7/2,3,4,7,8 → 7/8.
        "a fee notice that is paid",
        [
            received("2025-06-03"),
            Event("fee_notice_sent", D("2025-06-10")),
            Event("fee_paid", D("2025-06-17")),
        ],
        "2025-06-17",
        "2025-07-08",
    ),
    (
        # Art. 35: an agreed later date replaces the statutory 3/31.
        "an agreed later date under Art. 35",
        [
            received("2025-03-03"),
            Event("delay_agreed", D("2025-03-20"), until=D("2025-05-30")),
        ],
        "2025-03-20",
        "2025-05-30",
    ),
]


@pytest.mark.parametrize(
    ("situation", "events", "today", "due"), SITUATIONS, ids=[s[0] for s in SITUATIONS]
)
def test_due_dates_in_real_situations(
    situation: str, events: list[Event], today: str, due: str
) -> None:
    assert ledger(events, today).due_date == D(due)


def test_the_receipt_date_follows_the_channel() -> None:
    # Online application arriving on Saturday 2025-03-01, confirmed Monday 3/3:
    # receipt is 3/3 (条例第三十一条第（三）项), so the due date is 3/31, not 3/28.
    result = ledger(
        [received("2025-03-01", "online", confirmed="2025-03-03")], "2025-03-03"
    )
    assert result.received_on == D("2025-03-03")
    assert result.due_date == D("2025-03-31")
    assert "第三十一条第（三）项" in result.receipt_rule


def test_the_correction_notice_is_due_within_7_working_days() -> None:
    # 2025-04-25 +7: 4/28, 4/29, 4/30, [5/1–5/5 off], 5/6, 5/7, 5/8 → 5/8 (spec §5.6).
    result = ledger([received("2025-04-25")], "2025-04-25")
    assert result.correction_notice_due == D("2025-05-08")


def test_a_late_correction_notice_is_reported() -> None:
    result = ledger(
        [
            received("2025-04-25"),
            Event("correction_requested", D("2025-05-09"), working_days=10),
        ],
        "2025-05-09",
    )
    assert any("7个工作日" in w for w in result.warnings)


def test_while_awaiting_correction_there_is_no_reply_due_date() -> None:
    # 补正 asked 4/30 with a 10-working-day period: 5/6–9 (4), 5/12–16 (9), 5/19 (10).
    events = [
        received("2025-04-25"),
        Event("correction_requested", D("2025-04-30"), working_days=10),
    ]
    waiting = ledger(events, "2025-05-06")
    assert waiting.due_date is None
    assert waiting.correction_deadline == D("2025-05-19")
    assert waiting.status == "awaiting_applicant"
    assert waiting.clock == "awaiting_correction"
    assert ledger(events, "2025-05-20").status == "lapsed"


@pytest.mark.parametrize(
    ("today", "status", "used", "left"),
    [
        # Received 2025-01-20, due 2/21. By 2/10: 1/21–24, 1/26 (Sun 上班), 1/27,
        # 2/5–7, 2/8 (Sat 上班), 2/10 = 11 used, 9 left.
        ("2025-02-10", "on_time", 11, 9),
        # By 2/17: + 2/11–14, 2/17 = 16 used, 4 left (> 3 → still on time).
        ("2025-02-17", "on_time", 16, 4),
        # By 2/18: 17 used, 2/19–21 = 3 left (≤ DUE_SOON_WORKING_DAYS = 3 → due soon).
        ("2025-02-18", "due_soon", 17, 3),
        # By 2/24: 2/18–21 = 20, 2/24 = 21 → one working day over.
        ("2025-02-24", "overdue", 21, -1),
    ],
)
def test_status_used_and_left(today: str, status: str, used: int, left: int) -> None:
    result = ledger([received("2025-01-20")], today)
    assert (result.status, result.used_working_days, result.left_working_days) == (
        status,
        used,
        left,
    )


@pytest.mark.parametrize(
    ("reply", "status"),
    [("2025-02-21", "answered_on_time"), ("2025-02-24", "answered_late")],
)
def test_answered_on_time_or_late(reply: str, status: str) -> None:
    result = ledger([received("2025-01-20"), Event("replied", D(reply))], "2025-03-31")
    assert result.status == status
    assert result.clock == "stopped"


def test_an_unpaid_fee_notice_lapses_after_20_working_days() -> None:
    # Notice 2025-06-10; pay within 20 wd from the next day: 6/11–13 (3), 6/16–20 (8),
    # 6/23–27 (13), 6/30 (14), 7/1–4 (18), 7/7 (19), 7/8 (20).
    events = [received("2025-06-03"), Event("fee_notice_sent", D("2025-06-10"))]
    waiting = ledger(events, "2025-06-20")
    assert waiting.payment_deadline == D("2025-07-08")
    assert waiting.status == "awaiting_applicant"
    # pause counted to today: 6/11–13, 6/16–20 = 8 → 7/1 + 8 = 7/11
    assert waiting.due_date == D("2025-07-11")
    assert (
        ledger(events, "2025-07-08").status == "awaiting_applicant"
    )  # last day to pay
    assert ledger(events, "2025-07-09").status == "lapsed"


def test_the_fee_pause_can_be_switched_off() -> None:
    events = [
        received("2025-06-03"),
        Event("fee_notice_sent", D("2025-06-10")),
        Event("fee_paid", D("2025-06-17")),
    ]
    assert ledger(events, "2025-06-17", pause_for_fee=False).due_date == D("2025-07-01")


def test_an_open_consultation_is_counted_up_to_today() -> None:
    # Received 3/3; third party since 3/10; today 3/14: paused 3/11–14 (4) →
    # 3/31 + 4 = 4/1, 4/2, 4/3, [4/4–4/6 清明], 4/7.
    events = [
        received("2025-03-03"),
        Event("consultation_started", D("2025-03-10"), party="third_party"),
    ]
    result = ledger(events, "2025-03-14")
    assert result.due_date == D("2025-04-07")
    assert result.clock == "paused"


def test_the_same_day_convention_counts_a_working_receipt_day() -> None:
    # 2025-01-20 (Mon) is day 1 → one working day earlier than 2/21: 2/20.
    same = StartDayConvention.SAME_DAY
    assert ledger([received("2025-01-20")], "2025-01-20", start_day=same).due_date == D(
        "2025-02-20"
    )
    # a receipt day that is a holiday changes nothing (2025-10-01 → 11/4 either way)
    assert ledger([received("2025-10-01")], "2025-10-01", start_day=same).due_date == D(
        "2025-11-04"
    )


def test_dates_in_a_provisional_year_are_flagged() -> None:
    result = ledger([received("2026-12-21", "online")], "2026-12-22")
    assert result.provisional and result.provisional_years == (2027,)
    rows = {r.date: r for r in result.days}
    assert rows[D("2027-01-15")].provisional
    assert rows[D("2027-01-02")].reason.endswith("可能调休上班的周末（元旦），计入")
    assert not rows[D("2026-12-31")].provisional
    assert not ledger([received("2025-01-20")], "2025-01-20").provisional


def test_admin_data_for_the_next_year_removes_the_provisional_flag() -> None:
    # Invented 2027 schedule for the test: only 1/1 off, no 调休.
    y2027 = CalendarYear(2027, frozenset({D("2027-01-01")}), frozenset(), "admin")
    cal = calendar_from_sources({2027: y2027})
    result = compute_ledger([received("2026-12-21")], cal, D("2026-12-22"))
    assert not result.provisional
    assert result.due_date == D("2027-01-19")


def test_day_rows_say_why_each_day_counted_or_not() -> None:
    events = [
        received("2025-09-26"),
        Event("consultation_started", D("2025-10-13"), party="third_party"),
        Event("consultation_ended", D("2025-10-14")),
    ]
    rows = {r.date: r for r in ledger(events, "2025-10-14").days}
    assert (
        not rows[D("2025-09-26")].counted and "不计入" in rows[D("2025-09-26")].reason
    )
    assert rows[D("2025-09-28")].counted and rows[D("2025-09-28")].number == 1
    assert "调休上班" in rows[D("2025-09-28")].reason
    assert "法定节假日" in rows[D("2025-10-03")].reason
    assert rows[D("2025-10-04")].reason == "周末（国庆节假期）"  # Saturday in the break
    assert rows[D("2025-10-07")].reason == "调休休息日（国庆节）"  # not statutory
    assert rows[D("2025-10-14")].reason.startswith("暂停：征求第三方意见")
    assert rows[D("2025-10-12")].reason == "周末"


# -- bad input ---------------------------------------------------------------

ERRORS = [
    (
        "events out of order",
        [
            received("2025-03-03"),
            Event("replied", D("2025-03-20")),
            Event("extension", D("2025-03-10"), working_days=5, approver="王"),
        ],
        "第3个事件（延长答复期限）",
    ),
    (
        "an extension beyond 20 working days",
        [
            received("2025-03-03"),
            Event("extension", D("2025-03-20"), working_days=21, approver="王"),
        ],
        "第2个事件（延长答复期限）",
    ),
    (
        "a second extension",
        [
            received("2025-03-03"),
            Event("extension", D("2025-03-20"), working_days=5, approver="王"),
            Event("extension", D("2025-03-21"), working_days=5, approver="王"),
        ],
        "第3个事件（延长答复期限）：条例第三十三条只允许延长一次",
    ),
    (
        "an extension without approver",
        [received("2025-03-03"), Event("extension", D("2025-03-20"), working_days=5)],
        "负责人同意",
    ),
    (
        "a 补正 before receipt",
        [Event("correction_requested", D("2025-03-01")), received("2025-03-03")],
        "第1个事件（告知补正）",
    ),
    (
        "a 补正 before the confirmed receipt date",
        [
            received("2025-03-01", "online", confirmed="2025-03-05"),
            Event("correction_requested", D("2025-03-04")),
        ],
        "第2个事件（告知补正）：日期2025-03-04早于收到申请之日",
    ),
    (
        "a second 补正 request",
        [
            received("2025-03-03"),
            Event("correction_requested", D("2025-03-04")),
            Event("correction_received", D("2025-03-06")),
            Event("correction_requested", D("2025-03-07")),
        ],
        "一次性",
    ),
    (
        "a correction received that was never asked",
        [received("2025-03-03"), Event("correction_received", D("2025-03-06"))],
        "第2个事件（收到补正）",
    ),
    (
        "an end of consultation that never started",
        [received("2025-03-03"), Event("consultation_ended", D("2025-03-06"))],
        "第2个事件（收到意见",
    ),
    (
        "a payment without a fee notice",
        [received("2025-03-03"), Event("fee_paid", D("2025-03-06"))],
        "第2个事件（申请人缴费）",
    ),
    (
        "an event after the reply",
        [
            received("2025-03-03"),
            Event("replied", D("2025-03-06")),
            Event("closed", D("2025-03-07")),
        ],
        "答复或结案之后",
    ),
    (
        "an event after today",
        [received("2025-03-03"), Event("replied", D("2025-04-06"))],
        "晚于今天",
    ),
    ("no events", [], "没有任何事件"),
]


@pytest.mark.parametrize(
    ("case", "events", "message"), ERRORS, ids=[e[0] for e in ERRORS]
)
def test_impossible_events_raise_a_chinese_error_naming_the_event(
    case: str, events: list[Event], message: str
) -> None:
    with pytest.raises(LedgerError) as err:
        ledger(events, "2025-03-31")
    assert message in str(err.value)


def test_the_ledger_can_be_computed_without_day_rows() -> None:
    full = ledger([received("2025-01-20")], "2025-02-10")
    quick = compute_ledger(
        [received("2025-01-20")], default_calendar(), D("2025-02-10"), with_days=False
    )
    assert quick.days == ()
    assert quick.due_date == full.due_date and quick.status == full.status


def test_a_pause_after_the_deadline_does_not_revive_it() -> None:
    # Due 2025-02-21; a consultation started 2/25 cannot stop a clock that has run out.
    events = [
        received("2025-01-20"),
        Event("consultation_started", D("2025-02-25"), party="third_party"),
    ]
    result = ledger(events, "2025-03-03")
    assert result.due_date == D("2025-02-21")
    assert result.status == "overdue"
    assert any("已于2025-02-21届满" in w for w in result.warnings)


def test_an_extension_marks_the_original_deadline_in_the_rows() -> None:
    events = [
        received("2025-01-20"),
        Event("extension", D("2025-02-18"), working_days=10, approver="王科长"),
    ]
    result = ledger(events, "2025-02-18")
    assert result.unextended_due == D("2025-02-21")
    rows = {r.date: r for r in result.days}
    assert "原答复期限（20个工作日）届满" in rows[D("2025-02-21")].events
    assert "答复期限届满" in rows[D("2025-03-07")].events


def test_a_late_extension_is_refused() -> None:
    # Due 2025-02-21 (spec §5.6); 条例第三十三条第二款 allows extending only before
    # the period ends, so an extension on Monday 2/24 is an impossible event.
    events = [
        received("2025-01-20"),
        Event("extension", D("2025-02-24"), working_days=10, approver="王科长"),
    ]
    with pytest.raises(LedgerError, match="最迟可在2025年2月21日决定延长"):
        ledger(events, "2025-02-24")


def test_recomputing_many_cases_reports_bad_ones_without_stopping() -> None:
    from gongkai.core.workdays import recompute_ledgers

    cases = [
        ("ok", [received("2025-01-20")]),
        (
            "bad",
            [
                received("2025-01-20"),
                Event("extension", D("2025-01-21"), working_days=30, approver="王"),
            ],
        ),
        ("ok2", [received("2025-09-26")]),
    ]
    results = dict(recompute_ledgers(cases, default_calendar(), D("2025-03-01")))
    ok, bad, ok2 = results["ok"], results["bad"], results["ok2"]
    assert isinstance(ok, Ledger) and ok.due_date == D("2025-02-21") and ok.days == ()
    assert isinstance(bad, LedgerError) and "第2个事件" in str(bad)
    assert isinstance(ok2, LedgerError)  # received after "today": refused, not fatal


def test_day_rows_of_a_restarted_clock() -> None:
    # Received 4/25, 补正 asked 4/30, corrected 5/12 → new day 1 is 5/13 (see SITUATIONS).
    events = [
        received("2025-04-25"),
        Event("correction_requested", D("2025-04-30"), working_days=10),
        Event("correction_received", D("2025-05-12")),
    ]
    rows = {r.date: r for r in ledger(events, "2025-05-12").days}
    assert (
        "补正前，不计入" in rows[D("2025-04-28")].reason
        and not rows[D("2025-04-28")].counted
    )
    assert rows[D("2025-05-12")].reason.startswith("收到补正之日")
    assert rows[D("2025-05-13")].number == 1
    assert rows[D("2025-06-10")].number == 20
