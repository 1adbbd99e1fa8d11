"""The JSON event format and the Chinese explanations of a ledger."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.workdays import (
    Event,
    LedgerError,
    StartDayConvention,
    compute_ledger,
    default_calendar,
    event_from_json,
    event_to_json,
    explain_for_applicant,
    explain_for_staff,
    ledger_input_from_json,
    ledger_to_json,
)
from gongkai.core.workdays.ledger import Ledger

D = date.fromisoformat

DOC = {
    "today": "2025-03-20",
    "settings": {"start_day": "next_day", "pause_for_fee": True},
    "events": [
        {
            "kind": "received",
            "date": "2025-03-01",
            "channel": "online",
            "confirmed_on": "2025-03-03",
        },
        {
            "kind": "consultation_started",
            "date": "2025-03-10",
            "party": "third_party",
            "ref": "tp",
        },
        {"kind": "consultation_ended", "date": "2025-03-14", "ref": "tp"},
        {
            "kind": "extension",
            "date": "2025-03-20",
            "working_days": 5,
            "approver": "李主任",
        },
    ],
}


def test_the_documented_json_is_read_into_events() -> None:
    data = ledger_input_from_json(DOC)
    assert data.today == D("2025-03-20")
    assert data.settings.start_day is StartDayConvention.NEXT_DAY
    assert [e.kind for e in data.events] == [
        "received",
        "consultation_started",
        "consultation_ended",
        "extension",
    ]
    assert data.events[0].confirmed_on == D("2025-03-03")
    assert data.events[3].approver == "李主任" and data.events[3].working_days == 5


def test_a_plain_list_is_accepted() -> None:
    data = ledger_input_from_json([{"kind": "received", "date": "2025-03-03"}])
    assert data.today is None and len(data.events) == 1


@pytest.mark.parametrize(
    "event",
    [
        Event(
            "received", D("2025-03-01"), channel="online", confirmed_on=D("2025-03-03")
        ),
        Event("correction_requested", D("2025-03-04"), until=D("2025-03-20")),
        Event("correction_requested", D("2025-03-04"), working_days=10),
        Event(
            "delay_agreed", D("2025-03-04"), until=D("2025-05-20"), reason="申请数量大"
        ),
        Event(
            "consultation_started",
            D("2025-03-04"),
            party="other_agency",
            ref="a",
            delivered_on=D("2025-03-05"),
        ),
        Event("closed", D("2025-03-04"), reason="逾期不补正", note="三(六)1"),
    ],
)
def test_events_round_trip_through_json(event: Event) -> None:
    assert event_from_json(event_to_json(event), 0) == event


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            [{"kind": "arrived", "date": "2025-03-03"}],
            "第1个事件（未知）：未知的事件类型“arrived”",
        ),
        (
            [{"kind": "received", "date": "2025-02-30"}],
            "第1个事件（收到申请）：日期“2025-02-30”不是有效日期",
        ),
        ([{"kind": "received"}], "日期应为“YYYY-MM-DD”"),
        (
            [
                {"kind": "received", "date": "2025-03-03"},
                {"kind": "extension", "date": "2025-03-05", "working_days": "5"},
            ],
            "第2个事件（延长答复期限）：工作日数应为整数",
        ),
        ({"events": "none"}, "事件列表"),
        ([3], "JSON 对象"),
        ({"events": [], "settings": {"start_day": "yesterday"}}, "start_day"),
    ],
)
def test_bad_json_is_refused_with_a_chinese_message(raw: object, message: str) -> None:
    with pytest.raises(LedgerError) as err:
        ledger_input_from_json(raw)
    assert message in str(err.value)


@pytest.fixture
def sample_ledger() -> Ledger:
    data = ledger_input_from_json(DOC)
    return compute_ledger(
        data.events, default_calendar(), D("2025-03-20"), data.settings
    )


def test_the_staff_explanation_gives_rules_events_and_days(
    sample_ledger: Ledger,
) -> None:
    # Receipt 3/3 (online, confirmed). Base due 3/31; third party (3/10, 3/14] pauses
    # 3/11–14 = 4 → 4/7 (4/1–3, [清明 4/4–6], 4/7); +5 extension: 4/8–11, 4/14 → 4/14.
    assert sample_ledger.due_date == D("2025-04-14")
    text = explain_for_staff(sample_ledger)
    assert "答复期限：2025年4月14日（周一）" in text
    assert "第三十一条第（三）项" in text
    assert "批准人：李主任" in text
    assert "暂停：征求第三方意见" in text
    assert "2025年4月4日（周五）       （预计）法定节假日（清明节）" in text
    assert "民法典第二百零一条" in text


def test_the_applicant_explanation_is_plain(sample_ledger: Ledger) -> None:
    text = explain_for_applicant(sample_ledger)
    assert "2025年3月3日" in text and "2025年4月14日" in text
    assert "延长了5个工作日" in text
    assert "征求" in text
    assert "李主任" not in text  # internal names stay internal
    assert "逐日" not in text


def test_provisional_dates_are_marked_in_both_explanations() -> None:
    result = compute_ledger(
        [Event("received", D("2026-12-21"))], default_calendar(), D("2026-12-22")
    )
    assert "【临时】2027年" in explain_for_staff(result)
    assert "暂定" in explain_for_applicant(result)


def test_ledger_json_has_stable_keys(sample_ledger: Ledger) -> None:
    out = ledger_to_json(sample_ledger)
    assert out["due_date"] == "2025-04-14"
    assert out["status"] == "on_time"
    assert out["extension_approver"] == "李主任"
    assert out["paused_working_days"] == 4
    assert out["provisional"] is False
    days = out["days"]
    assert isinstance(days, list) and days[0]["date"] == "2025-03-03"
    events = out["events"]
    assert isinstance(events, list) and events[0]["confirmed_on"] == "2025-03-03"


def _applicant(events: list[Event], today: str) -> str:
    return explain_for_applicant(compute_ledger(events, default_calendar(), D(today)))


def test_the_applicant_is_told_when_to_pay_and_that_waiting_is_not_counted() -> None:
    events = [
        Event("received", D("2025-06-03")),
        Event("fee_notice_sent", D("2025-06-10")),
    ]
    text = _applicant(events, "2025-06-20")
    assert "请在2025年7月8日（周二）前缴费" in text  # 20 wd from the day after 6/10
    assert "不计入答复期限" in text


def test_a_lapsed_fee_notice_is_explained_in_the_past_without_a_due_date() -> None:
    events = [
        Event("received", D("2025-06-03")),
        Event("fee_notice_sent", D("2025-06-10")),
    ]
    text = _applicant(events, "2025-07-09")
    assert "缴费期限2025年7月8日（周二）已过" in text
    assert "答复期限为" not in text


def test_a_case_closed_for_no_correction_is_not_asked_for_a_correction_again() -> None:
    events = [
        Event("received", D("2025-03-03")),
        Event("correction_requested", D("2025-03-04"), working_days=10),
        Event("closed", D("2025-04-01"), reason="逾期不补正"),
    ]
    text = _applicant(events, "2025-04-02")
    assert "请在" not in text
    assert "视为放弃申请" in text
    assert "已于2025年4月1日（周二）办结" in text


def test_every_computed_date_in_a_provisional_year_is_marked_for_staff() -> None:
    events = [
        Event("received", D("2026-12-21")),
        Event("fee_notice_sent", D("2026-12-22")),
    ]
    text = explain_for_staff(
        compute_ledger(events, default_calendar(), D("2026-12-23"))
    )
    # 12/22 + 20 wd: 12/23–25 (3), 12/28–31 (7), [2027-01-01 provisional 元旦],
    # 1/2–3 (9, possible 调休上班 weekend), 1/4–8 (14), 1/11–15 (19), 1/18 (20)
    assert "缴费期限：【临时】2027年1月18日（周一）" in text
    assert "收到申请之日：2026年12月21日" in text  # a 2026 date is not marked
    assert "补正告知期限：2026年12月30日（周三）" in text


def test_a_misspelt_key_is_refused_rather_than_ignored() -> None:
    raw = [
        {
            "kind": "received",
            "date": "2025-03-01",
            "channel": "online",
            "confirmed_0n": "2025-03-03",
        }
    ]
    with pytest.raises(
        LedgerError, match="第1个事件（收到申请）：未知的字段“confirmed_0n”"
    ):
        ledger_input_from_json(raw)


def test_json_names_the_dates_that_depend_on_a_provisional_year() -> None:
    events = [
        Event("received", D("2026-12-21")),
        Event("fee_notice_sent", D("2026-12-22")),
    ]
    out = ledger_to_json(compute_ledger(events, default_calendar(), D("2026-12-23")))
    # due and payment deadline fall in 2027 (provisional); the 补正 notice date 2026-12-30 does not
    assert out["provisional_fields"] == [
        "due_date",
        "statutory_due",
        "payment_deadline",
    ]
