"""Steps the 条例 forbids are refused, through the API and the screens alike, with the
article and the first day they become possible; a refused step leaves no trace.

Dates are worked by hand from the 2026 schedule (holidays.md §4): 9-20 (Sun) and
10-10 (Sat) are 调休上班; 9-25 (中秋) and 10-1..10-7 are off. Received 2026-09-18:
+7 working days → 9-29, +20 → 10-22 (holidays.md §5.6).
"""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.inforequests.models import InfoRequest, LetterSettings
from gongkai.inforequests.tests.test_api import (
    API,
    at,
    letter_text,
    post,
    register,
    step,
)
from gongkai.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _long_sessions(settings):
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    # … and the absolute lifetime (issue 18, F14) counts from the first request.
    settings.SESSION_ABSOLUTE_SECONDS = 10 * 365 * 24 * 3600


@pytest.fixture
def officer(client, tree):
    # The office head may take every step (extensions and replies need APPROVE).
    client.force_login(tree.head)
    return client


def refused(client, day: str, case_id: int, path: str, body=None) -> str:
    """Post a step that must be refused; assert nothing changed; return the message."""
    case = InfoRequest.objects.get(pk=case_id)
    before = (
        case.status,
        case.due_on,
        case.letters.count(),
        case.events.count(),
        AuditEvent.objects.count(),
    )
    with at(day):
        response = post(client, f"{API}/{case_id}/{path}", body)
    assert response.status_code == 400, response.json()
    case.refresh_from_db()
    after = (
        case.status,
        case.due_on,
        case.letters.count(),
        case.events.count(),
        AuditEvent.objects.count(),
    )
    assert after == before
    return str(response.json()["detail"])


def _received_and_accepted(client, tree, **kw: Any) -> int:
    case = register(client, tree, "2026-09-18", **kw)["request"]
    step(client, "2026-09-18", case["id"], "accept")
    return int(case["id"])


# --------------------------------------------------------------------------- Art. 30


def test_closing_for_no_correction_waits_until_the_applicants_deadline_has_passed(
    officer, tree
):
    case = register(officer, tree, "2026-09-18")["request"]
    step(
        officer,
        "2026-09-21",
        case["id"],
        "clarification",
        {"deadline": "2026-10-16", "what": "请写明所需文件的名称或文号"},
    )
    for day in ("2026-09-22", "2026-10-16"):
        message = refused(officer, day, case["id"], "clarification/expired")
        assert "补正期限至2026年10月16日" in message
        assert "2026年10月17日起" in message and "第三十条" in message
    closed = step(officer, "2026-10-19", case["id"], "clarification/expired")
    assert (closed["status"], closed["outcome"]) == ("closed", "other.no_supplement")


def test_a_correction_notice_after_seven_working_days_is_refused(officer, tree):
    case = register(officer, tree, "2026-09-18")["request"]
    body = {"deadline": "2026-10-30", "what": "请写明所需文件的名称"}
    message = refused(officer, "2026-09-30", case["id"], "clarification", body)
    assert "7个工作日内（至2026年9月29日）" in message and "第三十条" in message
    asked = step(officer, "2026-09-29", case["id"], "clarification", body)
    assert asked["status"] == "awaiting_clarification"


# --------------------------------------------------------------------------- fees


def test_closing_for_non_payment_waits_until_the_payment_period_has_ended(
    officer, tree
):
    case_id = _received_and_accepted(officer, tree)
    step(
        officer,
        "2026-09-21",
        case_id,
        "fee-notice",
        {"method": "per_volume", "pages": 150, "delivered_on": "2026-09-21"},
    )
    # 20 working days from the day after 9-21: 9-22 … 10-26 (10-10 counts, 10-1..7 not).
    for day in ("2026-09-22", "2026-10-26"):
        message = refused(officer, day, case_id, "fee-expired")
        assert "缴费期限至2026年10月26日" in message
        assert "2026年10月27日起" in message
    closed = step(officer, "2026-10-27", case_id, "fee-expired")
    assert (closed["status"], closed["outcome"]) == ("closed", "other.no_fee")


def test_a_fee_notice_after_the_reply_period_is_refused(officer, tree):
    case_id = _received_and_accepted(officer, tree)
    body = {"method": "per_volume", "pages": 150}
    message = refused(officer, "2026-10-23", case_id, "fee-notice", body)
    assert "答复期限已于2026年10月22日届满" in message
    step(officer, "2026-10-22", case_id, "fee-notice", body)


def test_per_piece_fees_count_the_applicants_earlier_cases_not_a_typed_number(
    officer, tree
):
    """国办函〔2020〕109号第四条: pieces 1–10 of a month are free, 11–30 cost 100 元."""
    ids = [
        register(officer, tree, "2026-10-12", description=f"第{n}份文件")["request"][
            "id"
        ]
        for n in range(1, 12)
    ]
    for case_id in ids:
        step(officer, "2026-10-12", case_id, "accept")
    # The 3rd application of the month: free, whatever number is typed.
    body = {"method": "per_piece", "pieces": 1, "earlier_pieces": 50}
    message = refused(officer, "2026-10-13", ids[2], "fee-notice", body)
    assert "此前已申请2件" in message and "不收费" in message
    # The 11th: 100 元, counted from the ten before it.
    step(officer, "2026-10-13", ids[10], "fee-notice", body)
    text = letter_text(officer, ids[10], "fee_notice")
    assert "100" in text
    # Another applicant's cases do not count.
    other = register(
        officer,
        tree,
        "2026-10-12",
        id_number="110101199003074215",
        applicant_name="李四",
    )["request"]["id"]
    step(officer, "2026-10-12", other, "accept")
    refused(officer, "2026-10-13", other, "fee-notice", body)


# --------------------------------------------------------------------------- consultations


def _third_party(client, case_id: int, **extra: Any) -> None:
    step(
        client,
        "2026-09-21",
        case_id,
        "consultations",
        {
            "party": "third_party",
            "name": "洛阳某建设工程有限公司",
            "reason": "涉及该公司报价",
            **extra,
        },
    )


def test_silence_counts_only_after_15_working_days_from_the_partys_receipt(
    officer, tree
):
    case_id = _received_and_accepted(officer, tree)
    _third_party(officer, case_id)  # receipt recorded when known
    # 15 working days from 9-22: 9-23 … 10-20.
    message = refused(
        officer,
        "2026-10-20",
        case_id,
        "consultations/end",
        {"opinion": "no_reply", "delivered_on": "2026-09-22"},
    )
    assert "2026年10月20日" in message and "第三十二条" in message
    ended = step(
        officer,
        "2026-10-21",
        case_id,
        "consultations/end",
        {"opinion": "no_reply", "delivered_on": "2026-09-22"},
    )
    # Counted: 9-20 (调休), 9-21; paused (9-21, 10-20]; then 18 more from 10-21 → 11-13.
    # Counting the window from sending (9-21) would give 11-12.
    assert (ended["status"], ended["due_on"]) == ("in_progress", "2026-11-13")


def test_silence_needs_the_date_the_party_received_the_letter(officer, tree):
    case_id = _received_and_accepted(officer, tree)
    _third_party(officer, case_id)
    message = refused(
        officer, "2026-10-21", case_id, "consultations/end", {"opinion": "no_reply"}
    )
    assert "收到征求意见书的日期" in message
    ended = step(
        officer,
        "2026-10-21",
        case_id,
        "consultations/end",
        {"opinion": "no_reply", "delivered_on": "2026-09-22"},
    )
    assert ended["due_on"] == "2026-11-13"


def test_disclosing_over_a_third_partys_objection_tells_it_in_writing(officer, tree):
    case_id = _received_and_accepted(officer, tree)
    _third_party(officer, case_id, delivered_on="2026-09-21")
    step(
        officer,
        "2026-09-28",
        case_id,
        "consultations/end",
        {"opinion": "object", "answer": "涉及商业秘密，不同意公开"},
    )
    decision = {
        "outcome": "granted",
        "details": {"provision": "随本告知书提供复印件"},
    }
    message = refused(officer, "2026-09-29", case_id, "decision", decision)
    assert "洛阳某建设工程有限公司" in message and "第三十二条" in message
    decision["details"]["disclosure_reason"] = "该工程使用财政资金，公开有利于公众监督"
    step(officer, "2026-09-29", case_id, "decision", decision)
    letters = officer.get(f"{API}/{case_id}/letters").json()
    [notice] = [x for x in letters if x["kind"] == "third_party_disclosure"]
    [reply] = [x for x in letters if x["kind"] == "reply"]
    assert notice["issued_on"] == reply["issued_on"] == "2026-09-29"
    text = letter_text(officer, case_id, "third_party_disclosure")
    assert "洛阳某建设工程有限公司" in text
    assert "该工程使用财政资金" in text and "第三十二条" in text
    assert "王小明" not in text  # the third party is never told who applied


def test_a_third_party_that_agreed_gets_no_notice(officer, tree):
    case_id = _received_and_accepted(officer, tree)
    _third_party(officer, case_id, delivered_on="2026-09-21")
    step(officer, "2026-09-28", case_id, "consultations/end", {"opinion": "agree"})
    step(
        officer,
        "2026-09-29",
        case_id,
        "decision",
        {"outcome": "granted", "details": {"provision": "随本告知书提供复印件"}},
    )
    kinds = [x["kind"] for x in officer.get(f"{API}/{case_id}/letters").json()]
    assert "third_party_disclosure" not in kinds


# --------------------------------------------------------------------------- decisions


def test_a_partial_disclosure_names_the_legal_ground_of_the_withheld_part(
    officer, tree
):
    case_id = _received_and_accepted(officer, tree)
    details = {
        "provided_part": "资金安排总表",
        "provision": "随本告知书提供复印件",
        "withheld_part": "住户姓名和身份证号",
        "withheld_reason": "属于个人隐私",
    }
    body = {"outcome": "partial", "note": "含个人隐私", "details": details}
    message = refused(officer, "2026-09-28", case_id, "decision", body)
    assert "法律依据" in message
    details["withheld_ground"] = "withheld.third_party"
    step(officer, "2026-09-28", case_id, "decision", body)
    text = letter_text(officer, case_id, "reply")
    assert "依据是《条例》第十五条、第三十二条的规定" in text


def test_the_top_of_the_tree_needs_its_review_body_configured(client, tree):
    district_head = make_user("t_district_head", tree.district, "head")
    client.force_login(district_head)
    case = register(client, tree, "2026-09-18", org=tree.district)["request"]
    body = {"outcome": "granted", "details": {"provision": "随本告知书提供复印件"}}
    message = refused(client, "2026-09-28", case["id"], "decision", body)
    assert "行政复议机关" in message and "文书设置" in message
    LetterSettings.objects.create(
        organisation=tree.district, review_body="测试市人民政府"
    )
    step(client, "2026-09-28", case["id"], "decision", body)
    text = letter_text(client, case["id"], "reply")
    assert "向测试市人民政府申请行政复议" in text
    assert "上一级行政机关" not in text


def test_a_streets_letters_name_the_district_government_that_set_it_up(officer, tree):
    case_id = _received_and_accepted(officer, tree)
    step(
        officer,
        "2026-09-28",
        case_id,
        "decision",
        {"outcome": "granted", "details": {"provision": "随本告知书提供复印件"}},
    )
    assert "向测试区人民政府申请行政复议" in letter_text(officer, case_id, "reply")


# --------------------------------------------------------------------------- provisional


def test_a_receipt_whose_due_date_falls_in_an_unpublished_year_says_it_is_provisional(
    officer, tree
):
    # Received 2026-12-21: the 20 working days run into 2027, whose schedule is not
    # out; the date is 暂定 and the body will confirm it.
    case = register(officer, tree, "2026-12-21")["request"]
    assert case["due_provisional"] is True
    text = letter_text(officer, case["id"], "acknowledgement")
    assert "暂定" in text and "2027年" in text and "确认" in text


def test_a_receipt_within_published_years_carries_no_provisional_note(officer, tree):
    case = register(officer, tree, "2026-09-18")["request"]
    assert "暂定" not in letter_text(officer, case["id"], "acknowledgement")


def test_ending_a_consultation_of_a_withdrawn_case_is_refused_in_plain_words(
    officer, tree
):
    case_id = _received_and_accepted(officer, tree)
    _third_party(officer, case_id, delivered_on="2026-09-21")
    step(officer, "2026-09-22", case_id, "withdrawal")
    message = refused(
        officer, "2026-09-23", case_id, "consultations/end", {"opinion": "agree"}
    )
    assert "申请人已撤回" in message and "事件" not in message


def test_the_case_page_shows_the_partys_opinion_in_chinese(officer, tree):
    case_id = _received_and_accepted(officer, tree)
    _third_party(officer, case_id)  # receipt recorded when known
    step(
        officer,
        "2026-10-21",
        case_id,
        "consultations/end",
        {"opinion": "no_reply", "delivered_on": "2026-09-22"},
    )
    with at("2026-10-21"):
        page = officer.get(f"/office/requests/{case_id}/").content.decode()
    assert "对方意见：逾期未提出意见" in page
    assert "no_reply" not in page.split("ir-timeline", 1)[1]


def test_a_receipt_date_of_the_consultation_letter_after_today_is_refused(
    officer, tree
):
    case_id = _received_and_accepted(officer, tree)
    message = refused(
        officer,
        "2026-09-21",
        case_id,
        "consultations",
        {
            "party": "third_party",
            "name": "洛阳某建设工程有限公司",
            "delivered_on": "2099-01-01",
        },
    )
    assert "不能晚于今天" in message


def test_opening_an_action_address_shows_the_case_instead_of_405(officer, tree):
    case_id = _received_and_accepted(officer, tree)
    response = officer.get(f"/office/requests/{case_id}/do/decide/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/office/requests/{case_id}/")
