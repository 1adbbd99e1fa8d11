"""The API, end to end along each path of regulation.md §7: state, due dates, the
letter read back from its DOCX, and the table-三 cell."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from docx import Document

from gongkai.audit.models import AuditEvent
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.selectors import table3_for
from gongkai.inforequests.tests.factories import RESIDENT_ID

pytestmark = pytest.mark.django_db

API = "/api/requests"


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def post(client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def register(client, tree, day: str, org=None, **overrides: Any) -> dict[str, Any]:
    body = {
        "organisation_id": (org or tree.street).pk,
        "channel": "in_person",
        "submitted_on": day,
        "applicant_type": "natural",
        "applicant_name": "王小明",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13912345678",
        "address": "河南省洛阳市老城区某路1号",
        "description": "2026年洛浦街道老旧小区改造项目的资金安排文件",
    }
    body.update(overrides)
    with at(day):
        response = post(client, f"{API}/", body)
    assert response.status_code == 201, response.json()
    return response.json()


def step(client, day: str, case_id: int, path: str, body=None, status=200) -> dict:
    with at(day):
        response = post(client, f"{API}/{case_id}/{path}", body)
    assert response.status_code == status, response.json()
    return response.json()


def letter_text(client, case_id: int, kind: str) -> str:
    letters = client.get(f"{API}/{case_id}/letters").json()
    [letter] = [x for x in letters if x["kind"] == kind]
    data = client.get(f"{API}/{case_id}/letters/{letter['id']}.docx").content
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture(autouse=True)
def _long_sessions(settings):
    # Tests travel in time; the 30-minute idle timeout would log the client out
    # between a step dated in September and a read at today's real date.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    # … and the absolute lifetime (issue 18, F14) counts from the first request.
    settings.SESSION_ABSOLUTE_SECONDS = 10 * 365 * 24 * 3600


@pytest.fixture
def officer(client, tree):
    client.force_login(tree.officer)
    return client


# --------------------------------------------------------------------------- paths


def test_registering_returns_the_masked_case_the_query_code_and_the_receipt(
    officer, tree
):
    created = register(officer, tree, "2026-09-18")
    case = created["request"]
    assert len(created["query_code"]) == 8
    assert case["status"] == "received"
    # holidays.md §5.6: 2026-09-18 + 20 working days → 2026-10-22.
    assert case["due_on"] == "2026-10-22"
    assert case["id_number"] != RESIDENT_ID and case["id_number"].startswith("4103")
    assert case["phone"] == "139****5678"
    text = letter_text(officer, case["id"], "acknowledgement")
    assert "本机关将在2026年10月22日前作出答复" in text


def test_on_the_spot_answer_replies_at_once(officer, tree):
    case = register(officer, tree, "2026-09-18")["request"]
    done = step(
        officer,
        "2026-09-18",
        case["id"],
        "on-the-spot",
        {
            "outcome": "granted",
            "variant": "already_public",
            "details": {"access_method": "洛浦街道门户网站“政府信息公开”栏目"},
        },
    )
    assert (done["status"], done["outcome"], done["concluded_on"]) == (
        "replied",
        "granted",
        "2026-09-18",
    )
    text = letter_text(officer, case["id"], "reply")
    assert "政府信息予以公开告知书" in text
    assert "第三十六条第（一）项" in text
    assert "洛浦街道门户网站“政府信息公开”栏目" in text
    assert table3_for(tree.street, 2026)["s3.granted.natural"] == 1


def test_unclear_then_corrected_restarts_the_clock_and_still_unclear_is_row_4_3(
    officer, tree
):
    case = register(officer, tree, "2026-02-10")["request"]
    asked = step(
        officer,
        "2026-02-10",
        case["id"],
        "clarification",
        {"deadline": "2026-03-06", "what": "请说明所需文件的年份"},
    )
    assert asked["status"] == "awaiting_clarification"
    notice = letter_text(officer, case["id"], "clarification")
    assert "请说明所需文件的年份" in notice
    corrected = step(officer, "2026-02-13", case["id"], "clarification/received")
    # holidays.md §5.6: from 2026-02-13 (correction received) + 20 wd → 2026-03-19.
    assert (corrected["status"], corrected["due_on"]) == ("in_progress", "2026-03-19")
    step(
        officer,
        "2026-03-02",
        case["id"],
        "decision",
        {
            "outcome": "unable.unclear",
            "details": {"unclear_points": "仍未说明所需文件的名称或年份"},
        },
    )
    done = step(
        officer,
        "2026-03-02",
        case["id"],
        "reply",
        status=403,
    )
    assert "审批" in done["detail"]  # sending a reply needs the office head
    officer.force_login(tree.head)
    replied = step(officer, "2026-03-03", case["id"], "reply")
    assert (replied["status"], replied["concluded_on"]) == ("replied", "2026-03-03")
    reply = letter_text(officer, case["id"], "reply")
    assert (
        "测街公开〔2026〕2号" in reply
    )  # the 补正告知书 it cites (the receipt is 1号)
    assert "本机关于2026年2月13日收到您补正后的申请" in reply
    assert "第三十条" in reply
    assert table3_for(tree.street, 2026)["s3.unable.unclear.natural"] == 1


def test_no_correction_by_the_deadline_closes_in_row_6_1_with_a_closing_letter(
    officer, tree
):
    case = register(officer, tree, "2026-03-02")["request"]
    step(
        officer,
        "2026-03-02",
        case["id"],
        "clarification",
        {"deadline": "2026-03-16", "what": "补充身份证明"},
    )
    closed = step(officer, "2026-03-17", case["id"], "clarification/expired")
    assert (closed["status"], closed["outcome"], closed["due_on"]) == (
        "closed",
        "other.no_supplement",
        None,
    )
    text = letter_text(officer, case["id"], "reply")
    assert "政府信息公开申请终止处理告知书" in text
    assert "测街公开〔2026〕2号" in text and "补正期限至2026年3月16日" in text
    assert table3_for(tree.street, 2026)["s3.other.no_supplement.natural"] == 1


def test_a_petition_is_decided_from_registration_in_row_5_1(officer, tree):
    case = register(officer, tree, "2026-09-18")["request"]
    step(
        officer,
        "2026-09-21",
        case["id"],
        "decision",
        {
            "outcome": "rejected.petition",
            "details": {"proper_channel": "向老城区信访局提出"},
        },
    )
    officer.force_login(tree.head)
    done = step(officer, "2026-09-22", case["id"], "reply")
    assert (done["status"], done["outcome"]) == ("replied", "rejected.petition")
    text = letter_text(officer, case["id"], "reply")
    assert "第三十九条第一款" in text and "向老城区信访局提出" in text
    assert table3_for(tree.street, 2026)["s3.rejected.petition.natural"] == 1


def test_extension_then_grant(officer, tree):
    case = register(officer, tree, "2026-09-18")["request"]
    step(officer, "2026-09-18", case["id"], "accept")
    refused = step(
        officer,
        "2026-10-12",
        case["id"],
        "extension",
        {"working_days": 20, "reason": "需调阅档案"},
        status=403,
    )
    assert "审批" in refused["detail"]
    officer.force_login(tree.head)
    too_long = step(
        officer,
        "2026-10-12",
        case["id"],
        "extension",
        {"working_days": 21, "reason": "需调阅档案"},
        status=400,
    )
    assert "20个工作日" in too_long["detail"]
    extended = step(
        officer,
        "2026-10-12",
        case["id"],
        "extension",
        {"working_days": 20, "reason": "需调阅档案"},
    )
    # holidays.md §5.6: 2026-09-18 + 40 working days → 2026-11-19.
    assert (extended["status"], extended["due_on"]) == ("extended", "2026-11-19")
    step(
        officer,
        "2026-11-10",
        case["id"],
        "decision",
        {"outcome": "granted", "details": {"provision": "随本告知书提供复印件1份"}},
    )
    done = step(officer, "2026-11-11", case["id"], "reply")
    assert (done["status"], done["outcome"]) == ("replied", "granted")
    reply = letter_text(officer, case["id"], "reply")
    assert "本机关已依法延长答复期限（测街公开〔2026〕2号）" in reply
    assert "随本告知书提供复印件1份" in reply
    assert table3_for(tree.street, 2026)["s3.granted.natural"] == 1


def test_a_third_party_consultation_pauses_the_clock_then_withheld_row_3_4(
    officer, tree
):
    case = register(officer, tree, "2026-09-18")["request"]
    step(officer, "2026-09-18", case["id"], "accept")
    consulting = step(
        officer,
        "2026-09-21",
        case["id"],
        "consultations",
        {"party": "third_party", "name": "某建筑公司", "reason": "涉及该公司报价"},
    )
    assert consulting["status"] == "in_consultation"
    letter = letter_text(officer, case["id"], "third_party_consultation")
    assert "某建筑公司" in letter and "涉及该公司报价" in letter
    assert "王小明" not in letter  # the consultation letter never names the applicant
    ended = step(
        officer,
        "2026-09-25",
        case["id"],
        "consultations/end",
        {"opinion": "object", "answer": "不同意"},
    )
    # Paused (9-21, 9-25]: 9-22, 9-23, 9-24 are working days; 9-25 is 中秋节
    # (holidays.md §4, 2026). 2026-10-22 + 3 working days → 10-23, 10-26, 10-27.
    assert (ended["status"], ended["due_on"]) == ("in_progress", "2026-10-27")
    step(
        officer,
        "2026-10-09",
        case["id"],
        "decision",
        {
            "outcome": "withheld.third_party",
            "details": {"third_party_reason": "涉及某建筑公司的商业秘密"},
        },
    )
    officer.force_login(tree.head)
    step(officer, "2026-10-09", case["id"], "reply")
    text = letter_text(officer, case["id"], "reply")
    assert "第十五条、第三十二条" in text
    assert "应当先自收到本告知书之日起60日内向测试区人民政府申请行政复议" in text
    assert table3_for(tree.street, 2026)["s3.withheld.third_party.natural"] == 1


def test_a_fee_paid_continues_and_a_fee_unpaid_closes_in_row_6_2(officer, tree):
    paid = register(officer, tree, "2026-09-18")["request"]
    unpaid = register(officer, tree, "2026-09-18")["request"]
    for case in (paid, unpaid):
        step(officer, "2026-09-18", case["id"], "accept")
        waiting = step(
            officer,
            "2026-09-21",
            case["id"],
            "fee-notice",
            {"method": "per_volume", "pages": 40, "payment_method": "银行转账"},
        )
        assert waiting["status"] == "awaiting_fee"
    # fees.md: 40 pages → pages 31–40 at 10元 = 100元.
    assert "收取信息处理费100元" in letter_text(officer, paid["id"], "fee_notice")
    resumed = step(officer, "2026-09-24", paid["id"], "payment")
    assert resumed["status"] == "in_progress"
    closed = step(officer, "2026-10-30", unpaid["id"], "fee-expired")
    assert (closed["status"], closed["outcome"]) == ("closed", "other.no_fee")
    text = letter_text(officer, unpaid["id"], "reply")
    assert "逾期未按收费通知要求缴纳费用" in text
    fee_no = next(
        x["number"]
        for x in officer.get(f"{API}/{unpaid['id']}/letters").json()
        if x["kind"] == "fee_notice"
    )
    assert fee_no in text
    assert table3_for(tree.street, 2026)["s3.other.no_fee.natural"] == 1


def test_a_partial_disclosure_needs_the_withheld_part_and_its_reason(officer, tree):
    case = register(officer, tree, "2026-09-18")["request"]
    step(officer, "2026-09-18", case["id"], "accept")
    missing = step(
        officer,
        "2026-09-28",
        case["id"],
        "decision",
        {"outcome": "partial", "note": "部分涉及个人隐私"},
        status=400,
    )
    assert "予以公开的内容" in missing["detail"]
    step(
        officer,
        "2026-09-28",
        case["id"],
        "decision",
        {
            "outcome": "partial",
            "note": "部分涉及个人隐私",
            "details": {
                "provided_part": "资金安排总表",
                "provision": "随本告知书提供复印件",
                "withheld_part": "住户姓名和身份证号",
                "withheld_reason": "属于个人隐私，公开会损害第三方合法权益",
                "withheld_ground": "withheld.third_party",
            },
        },
    )
    officer.force_login(tree.head)
    done = step(officer, "2026-09-29", case["id"], "reply")
    assert done["outcome"] == "partial"
    text = letter_text(officer, case["id"], "reply")
    assert "第三十七条" in text and "住户姓名和身份证号不予公开" in text
    assert table3_for(tree.street, 2026)["s3.partial.natural"] == 1


def test_a_case_open_at_year_end_is_carried_forward(officer, tree):
    case = register(officer, tree, "2026-12-28")["request"]
    step(officer, "2026-12-28", case["id"], "accept")
    table = table3_for(tree.street, 2026)
    assert (table["s3.new.natural"], table["s3.carry_forward.natural"]) == (1, 1)
    step(officer, "2027-01-05", case["id"], "withdrawal", {"note": "申请人电话撤回"})
    table_next = table3_for(tree.street, 2027)
    assert table_next["s3.carried.natural"] == 1
    assert table_next["s3.other.other.natural"] == 1


# --------------------------------------------------------------------------- reads


def test_the_list_is_masked_and_the_ledger_is_json(officer, tree):
    case = register(officer, tree, "2026-09-18")["request"]
    with at("2026-10-26"):
        listed = officer.get(f"{API}/").json()
        ledger = officer.get(f"{API}/{case['id']}/ledger").json()
        overdue = officer.get(f"{API}/", {"urgency": "overdue"}).json()
    assert listed["count"] == 1
    assert RESIDENT_ID not in str(listed) and "13912345678" not in str(listed)
    assert listed["items"][0]["overdue"] is True
    assert overdue["count"] == 1
    assert ledger["ledger"]["due_date"] == "2026-10-22"
    assert "依申请公开期限台账" in ledger["explanation"]


def test_reveal_through_the_api_is_audited(officer, tree):
    case = register(officer, tree, "2026-09-18")["request"]
    denied = post(officer, f"{API}/{case['id']}/reveal", {"field": "phone"})
    officer.force_login(tree.head)
    shown = post(officer, f"{API}/{case['id']}/reveal", {"field": "phone"})
    assert denied.status_code == 403 and "承办人" in denied.json()["detail"]
    assert shown.json() == {"field": "phone", "value": "13912345678"}
    assert list(
        AuditEvent.objects.filter(action="inforequest.reveal")
        .order_by("id")
        .values_list("result", flat=True)
    ) == ["denied", "success"]


def test_errors_are_chinese(officer, tree):
    bad = post(
        officer,
        f"{API}/",
        {
            "organisation_id": tree.street.pk,
            "channel": "fax",
            "submitted_on": "2026-09-18",
            "applicant_type": "natural",
            "applicant_name": "",
            "id_type": "resident_id",
            "id_number": RESIDENT_ID,
            "description": "x",
        },
    )
    assert bad.status_code == 400
    assert "请填写申请人姓名或名称" in bad.json()["detail"]
    assert "请至少填写一种联系方式" in bad.json()["detail"]
    assert not InfoRequest.objects.exists()
    case = register(officer, tree, "2026-09-18")["request"]
    step(officer, "2026-09-18", case["id"], "accept")
    wrong = step(officer, "2026-09-18", case["id"], "accept", status=400)
    assert "不能执行" in wrong["detail"]


# --------------------------------------------------------------------------- IDOR


def test_a_liaison_of_another_community_gets_404_everywhere(client, tree):
    client.force_login(tree.officer)
    case = register(client, tree, "2026-09-18", org=tree.community_a)["request"]
    letter_id = client.get(f"{API}/{case['id']}/letters").json()[0]["id"]
    client.force_login(tree.liaison_b)
    base = f"{API}/{case['id']}"
    gets = [
        base,
        f"{base}/ledger",
        f"{base}/events",
        f"{base}/letters",
        f"{base}/letters/{letter_id}.docx",
        f"{base}/letters/{letter_id}.pdf",
    ]
    posts = [
        "reveal",
        "assign",
        "accept",
        "clarification",
        "clarification/received",
        "clarification/expired",
        "extension",
        "consultations",
        "consultations/end",
        "fee-notice",
        "payment",
        "fee-expired",
        "decision",
        "on-the-spot",
        "reply",
        "withdrawal",
        "archive",
        f"letters/{letter_id}/delivery",
    ]
    bodies: dict[str, dict[str, Any]] = {
        "reveal": {"field": "phone"},
        "clarification": {"deadline": "2026-10-01", "what": "x"},
        "extension": {"working_days": 1, "reason": "x"},
        "consultations": {"party": "third_party", "name": "x"},
        "fee-notice": {"method": "per_volume", "pages": 40},
        "decision": {"outcome": "granted"},
        "on-the-spot": {"outcome": "granted"},
        f"letters/{letter_id}/delivery": {"method": "邮寄送达"},
    }
    with at("2026-09-18"):
        for url in gets:
            assert client.get(url).status_code == 404, url
        for path in posts:
            response = post(client, f"{base}/{path}", bodies.get(path, {}))
            assert response.status_code == 404, path
            assert response.json()["detail"] == "未找到该对象，或您无权访问。"
        listed = client.get(f"{API}/").json()
        registered = post(
            client,
            f"{API}/",
            {
                "organisation_id": tree.community_a.pk,
                "channel": "in_person",
                "submitted_on": "2026-09-18",
                "applicant_type": "natural",
                "applicant_name": "x",
                "id_type": "resident_id",
                "id_number": RESIDENT_ID,
                "phone": "13912345678",
                "description": "x",
            },
        )
    assert listed["count"] == 0
    assert registered.status_code == 404
    assert InfoRequest.objects.get(pk=case["id"]).status == "received"


def test_two_parallel_consultations_end_one_by_one_then_work_resumes(officer, tree):
    case = register(officer, tree, "2026-09-18")["request"]
    step(officer, "2026-09-18", case["id"], "accept")
    for name, party in (("某建筑公司", "third_party"), ("区住建局", "other_agency")):
        step(
            officer,
            "2026-09-21",
            case["id"],
            "consultations",
            {"party": party, "name": name},
        )
    refs = [
        e["data"]["ref"]
        for e in officer.get(f"{API}/{case['id']}/events").json()
        if e["action"] == "start_consultation"
    ]
    first = step(
        officer,
        "2026-09-24",
        case["id"],
        "consultations/end",
        {"ref": refs[0], "opinion": "agree"},
    )
    assert first["status"] == "in_consultation"
    second = step(
        officer,
        "2026-09-29",
        case["id"],
        "consultations/end",
        {"ref": refs[1], "opinion": "agree"},
    )
    assert second["status"] == "in_progress"
    letters = officer.get(f"{API}/{case['id']}/letters").json()
    assert sorted(x["kind"] for x in letters) == [
        "acknowledgement",
        "agency_consultation",
        "third_party_consultation",
    ]


def test_assigning_a_handler_today_does_not_block_recording_yesterdays_step(
    officer, tree
):
    case = register(officer, tree, "2026-09-18")["request"]
    with at("2026-09-22"):
        assigned = post(
            officer, f"{API}/{case['id']}/assign", {"handler_id": tree.officer.pk}
        )
    assert assigned.status_code == 200
    accepted = step(officer, "2026-09-22", case["id"], "accept", {"on": "2026-09-21"})
    assert accepted["status"] == "in_progress"


def test_sending_the_reply_with_a_method_records_the_reply_letters_delivery(
    officer, tree
):
    case = register(officer, tree, "2026-09-18")["request"]
    step(officer, "2026-09-18", case["id"], "accept")
    step(
        officer,
        "2026-09-25",
        case["id"],
        "decision",
        {"outcome": "granted", "details": {"provision": "随本告知书提供复印件1份"}},
    )
    officer.force_login(tree.head)
    step(
        officer,
        "2026-09-28",
        case["id"],
        "reply",
        {"delivery_method": "邮寄送达", "tracking": "EMS1122334455"},
    )
    letters = {x["kind"]: x for x in officer.get(f"{API}/{case['id']}/letters").json()}
    reply = letters["reply"]
    assert (reply["status"], reply["delivered_on"], reply["delivery_tracking"]) == (
        "sent",
        "2026-09-28",
        "EMS1122334455",
    )
    assert letters["acknowledgement"]["status"] == "ready"


def test_listing_an_organisation_out_of_reach_is_a_404(client, tree):
    client.force_login(tree.liaison_b)
    response = client.get(f"{API}/", {"organisation_id": tree.community_a.pk})
    assert response.status_code == 404
    own = client.get(f"{API}/", {"organisation_id": tree.community_b.pk})
    assert own.status_code == 200 and own.json()["count"] == 0


def test_the_openapi_schema_lists_every_step_with_a_chinese_summary(officer):
    schema = officer.get("/api/openapi.json").json()
    decision = schema["paths"]["/api/requests/{request_id}/decision"]["post"]
    assert decision["summary"] == "作出处理决定（生成答复告知书）"
    steps = [p for p in schema["paths"] if p.startswith("/api/requests/{request_id}/")]
    # ledger, events, reveal, assign, 22 workflow steps (15 + the 第三十五条 steps,
    # fee waiver, revision and reopen), letters, download, delivery, transfers,
    # assistance.
    assert len(steps) == 31
