"""Letters: issued at the right steps, numbered per organisation and year, rendered
to DOCX (read back with python-docx) and PDF."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from docx import Document

from gongkai.inforequests import letter_settings as LS
from gongkai.inforequests import letters as L
from gongkai.inforequests import rendering as R
from gongkai.inforequests import steps as S
from gongkai.inforequests.models import InfoRequest, Letter, LetterSettings
from gongkai.inforequests.tests.factories import registration

pytestmark = pytest.mark.django_db


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def docx_text(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def _register(tree, org=None, actor=None, **overrides):
    request, _code, receipt = L.register(
        actor=actor or tree.officer,
        organisation=org or tree.street,
        registration=registration(**overrides),
    )
    return request, receipt


def test_the_default_prefix_is_the_first_character_of_the_name_and_the_kind(tree):
    tree.street.short_name = "洛浦街道"
    tree.street.save()
    assert LS.number_prefix(tree.street) == "洛街公开"
    # 甲社区居民委员会 (community, no short name): 甲 + 社.
    assert LS.number_prefix(tree.community_a) == "甲社公开"


def test_a_configured_prefix_wins(tree):
    LetterSettings.objects.create(organisation=tree.street, number_prefix="测街依复")
    with at("2026-09-18"):
        _request, receipt = _register(tree)
    assert receipt.number == "测街依复〔2026〕1号"


def test_registering_issues_a_receipt_with_the_due_date(tree):
    with at("2026-09-18"):
        request, receipt = _register(tree)
    assert receipt.kind == "acknowledgement"
    assert receipt.number == "测街公开〔2026〕1号"
    assert receipt.issued_on == date(2026, 9, 18)
    text = docx_text(R.render_docx(L.letter_from_row(receipt)))
    assert text[0] == "政府信息公开申请接收回执"
    assert text[1] == "测街公开〔2026〕1号"
    assert text[2] == "王小明："
    body = "".join(text)
    # holidays.md §5.6: received 2026-09-18, +20 working days → 2026-10-22.
    assert "本机关将在2026年10月22日前作出答复" in body
    assert request.tracking_number in body
    assert text[-3:] == ["测试街道办事处", "（盖章）", "2026年9月18日"]


def test_numbers_run_per_organisation_and_year(tree):
    from gongkai.orgs.tests.factories import make_user

    neighbour = make_user("t_neighbour_officer", tree.sibling_street, "officer")
    with at("2026-09-18"):
        _r1, first = _register(tree)
        _r2, second = _register(tree)
        # Handed in at a 社区居委会 (not a disclosure body): the 街道's letter.
        _r3, via_community = _register(tree, org=tree.community_a)
        _r5, other = _register(tree, org=tree.sibling_street, actor=neighbour)
    with at("2027-01-05"):
        _r4, next_year = _register(tree, submitted_on=date(2027, 1, 5))
    assert [first.number, second.number, via_community.number] == [
        "测街公开〔2026〕1号",
        "测街公开〔2026〕2号",
        "测街公开〔2026〕3号",
    ]
    assert other.number == "邻街公开〔2026〕1号"
    assert next_year.number == "测街公开〔2027〕1号"


def test_the_docx_body_is_fangsong_with_the_east_asian_font_set(tree):
    with at("2026-09-18"):
        _request, receipt = _register(tree)
    doc = Document(io.BytesIO(R.render_docx(L.letter_from_row(receipt))))
    body_run = doc.paragraphs[3].runs[0]
    fonts = body_run._element.rPr.rFonts
    assert body_run.font.name == "仿宋"
    assert (
        fonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "仿宋"
    )


def test_the_pdf_is_a_pdf(tree):
    with at("2026-09-18"):
        _request, receipt = _register(tree)
    data = R.render_pdf(L.letter_from_row(receipt))
    assert data.startswith(b"%PDF")
    assert len(data) > 1000


def test_a_clarification_issues_the_notice_with_the_items_and_deadline(tree):
    with at("2026-02-10"):
        request, _ = _register(tree, submitted_on=date(2026, 2, 10))
        request = S.perform(
            "request_clarification",
            actor=tree.officer,
            request=request,
            data={"deadline": date(2026, 3, 6), "what": "请说明所需文件的年份"},
        )
    notice = request.letters.get(kind="clarification")
    body = "".join(docx_text(R.render_docx(L.letter_from_row(notice))))
    assert notice.number == "测街公开〔2026〕2号"
    assert "请说明所需文件的年份" in body
    assert "请于2026年3月6日前" in body


def test_a_refused_action_issues_no_letter_and_takes_no_number(tree):
    with at("2026-09-18"):
        request, _ = _register(tree)
        with pytest.raises(ValidationError):
            S.perform(
                "request_clarification",
                actor=tree.officer,
                request=request,
                data={"deadline": date(2026, 9, 17), "what": "x"},
            )
        assert request.letters.count() == 1
        _other, receipt = _register(tree)
    assert receipt.number == "测街公开〔2026〕2号"


def test_a_decision_whose_letter_lacks_a_field_is_refused_before_anything_changes(
    tree,
):
    with at("2026-09-18"):
        request, _ = _register(tree)
        request = S.perform("accept", actor=tree.officer, request=request, data={})
        with pytest.raises(ValidationError) as caught:
            S.perform(
                "decide",
                actor=tree.officer,
                request=request,
                data={"outcome": "unable.not_held", "details": {}},
            )
    assert "detail_search_scope" in caught.value.message_dict
    fresh = InfoRequest.objects.get(pk=request.pk)
    assert (fresh.status, fresh.outcome) == ("in_progress", "")
    assert not fresh.letters.filter(kind="reply").exists()


def test_an_extension_notice_names_both_due_dates(tree):
    with at("2026-09-18"):
        request, _ = _register(tree)
        request = S.perform("accept", actor=tree.officer, request=request, data={})
    with at("2026-10-12"):
        request = S.perform(
            "extend",
            actor=tree.head,
            request=request,
            data={"working_days": 20, "reason": "需调阅档案"},
        )
    notice = request.letters.get(kind="extension")
    body = "".join(docx_text(R.render_docx(L.letter_from_row(notice))))
    # holidays.md §5.6: 2026-09-18 → +20 wd 2026-10-22, +40 wd 2026-11-19.
    assert "无法在2026年10月22日前作出答复" in body
    assert "答复期限延长20个工作日，本机关将于2026年11月19日前作出答复" in body


def test_a_fee_notice_states_the_amount_computed_from_the_pages_and_the_payment_date(
    tree,
):
    with at("2026-09-18"):
        request, _ = _register(tree)
        request = S.perform("accept", actor=tree.officer, request=request, data={})
    with at("2026-09-21"):
        request = S.perform(
            "issue_fee_notice",
            actor=tree.officer,
            request=request,
            data={"method": "per_volume", "pages": 120, "payment_method": "银行转账"},
        )
    # fees.md: pages 1–30 free, 31–100 at 10元, 101–120 at 20元 → 700 + 400 = 1100元.
    notice = request.letters.get(kind="fee_notice")
    body = "".join(docx_text(R.render_docx(L.letter_from_row(notice))))
    assert "收取信息处理费1100元" in body
    assert request.status == "awaiting_fee"
    assert request.events.get(action="issue_fee_notice").data["amount_yuan"] == 1100


def test_delivery_is_recorded_and_audited(tree):
    from gongkai.audit.models import AuditEvent

    with at("2026-09-18"):
        _request, receipt = _register(tree)
    with at("2026-09-21"):
        L.letter_record_delivery(
            actor=tree.officer,
            letter=receipt,
            method="邮寄送达",
            delivered_on=date(2026, 9, 21),
            tracking="EMS1234567890",
        )
        with pytest.raises(ValidationError, match="不能早于"):
            L.letter_record_delivery(
                actor=tree.officer,
                letter=receipt,
                method="邮寄送达",
                delivered_on=date(2026, 9, 17),
            )
    row = Letter.objects.get(pk=receipt.pk)
    assert (row.status, row.delivery_tracking, row.delivered_on) == (
        "sent",
        "EMS1234567890",
        date(2026, 9, 21),
    )
    assert AuditEvent.objects.filter(action="inforequest.letter_delivery").count() == 1


def test_the_system_administrator_sets_the_prefix_in_the_admin_and_it_is_audited(
    client, tree
):
    from django.urls import reverse

    from gongkai.audit.models import AuditEvent

    client.force_login(tree.sysadmin)
    response = client.post(
        reverse("admin:inforequests_lettersettings_add"),
        {
            "organisation": tree.street.pk,
            "number_prefix": "测街依申",
            "review_body": "测试区人民政府",
            "contact": "",
        },
    )
    assert response.status_code == 302
    assert LS.number_prefix(tree.street) == "测街依申"
    assert AuditEvent.objects.filter(action="inforequest.letter_settings").count() == 1
    # An officer (no 管理机构 permission) cannot open it.
    client.force_login(tree.officer)
    assert client.get(reverse("admin:inforequests_lettersettings_add")).status_code in (
        302,
        403,
    )


def test_the_remedies_name_the_parent_organisation_by_default(tree):
    assert LS.remedies_for(tree.street).review_body == "测试区人民政府"
    LetterSettings.objects.create(
        organisation=tree.street, review_body="某市某区人民政府"
    )
    assert LS.remedies_for(tree.street).review_body == "某市某区人民政府"


@pytest.mark.parametrize(
    ("channel", "label", "received", "due"),
    [
        # Handed in on Mon 2026-09-28: +20 working days, 国庆 10-1..10-7 off and
        # Sat 10-10 worked (holidays.md §4) → 9-29, 9-30, 10-8, 10-9, 10-10, … 10-30.
        ("in_person", "当面提交", date(2026, 9, 28), date(2026, 10, 30)),
        ("oral", "口头提出（代为填写）", date(2026, 9, 28), date(2026, 10, 30)),
        # Signed for / confirmed on 2026-09-30 (Art. 31): holidays.md §5.6 → 11-03.
        ("registered_post", "邮寄（需签收）", date(2026, 9, 30), date(2026, 11, 3)),
        ("ordinary_letter", "平常信函", date(2026, 9, 30), date(2026, 11, 3)),
        ("fax", "传真", date(2026, 9, 30), date(2026, 11, 3)),
        ("email", "电子邮件", date(2026, 9, 30), date(2026, 11, 3)),
        ("online", "网络平台", date(2026, 9, 30), date(2026, 11, 3)),
    ],
)
def test_every_channel_is_registered_with_its_receipt_date(
    tree, channel, label, received, due
):
    with at("2026-09-30"):
        request, receipt = _register(
            tree,
            channel=channel,
            submitted_on=date(2026, 9, 28),
            signed_for_on=date(2026, 9, 30),
            confirmed_on=date(2026, 9, 30),
        )
    assert (request.received_on, request.due_on) == (received, due)
    body = "".join(receipt.content["paragraphs"])
    assert f"通过{label}收到" in body
    assert f"本机关将在{due.year}年{due.month}月{due.day}日前作出答复" in body


def test_an_extension_after_the_due_date_is_refused_and_leaves_no_gap_in_the_numbers(
    tree,
):
    with at("2026-09-18"):
        request, _ = _register(tree)
        request = S.perform("accept", actor=tree.officer, request=request, data={})
    # Due 2026-10-22 (holidays.md §5.6); Art. 33(2) notice must come before it.
    with at("2026-10-23"):
        # Refused by the ledger (条例第三十三条第二款) before any letter is numbered.
        with pytest.raises(ValidationError, match="答复期限届满前"):
            S.perform(
                "extend",
                actor=tree.head,
                request=request,
                data={"working_days": 10, "reason": "需调阅档案"},
            )
        fresh = InfoRequest.objects.get(pk=request.pk)
        assert (fresh.status, fresh.extended_days, fresh.due_on) == (
            "in_progress",
            0,
            date(2026, 10, 22),
        )
        _other, receipt = _register(tree, submitted_on=date(2026, 10, 23))
    assert receipt.number == "测街公开〔2026〕2号"


def _admin_add_wording(client, tree, **fields):
    from django.urls import reverse

    client.force_login(tree.sysadmin)
    data = {"organisation": tree.street.pk, "title": "", "paragraphs": ""}
    data.update(fields)
    return client.post(reverse("admin:inforequests_letterwording_add"), data)


def test_an_organisations_own_wording_is_used_for_its_letters(client, tree):
    from gongkai.audit.models import AuditEvent
    from gongkai.orgs.tests.factories import make_user

    neighbour = make_user("t_neighbour_officer", tree.sibling_street, "officer")

    response = _admin_add_wording(
        client,
        tree,
        key="clarification",
        title="补正通知",
        paragraphs="{applicant_name}：请补正{items_to_correct}。\n期限：{correction_due_on}。",
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="inforequest.letter_wording").count() == 1
    with at("2026-02-10"):
        request, _ = _register(tree, submitted_on=date(2026, 2, 10))
        request = S.perform(
            "request_clarification",
            actor=tree.officer,
            request=request,
            data={"deadline": date(2026, 3, 6), "what": "所需文件的年份"},
        )
        other, _ = _register(
            tree,
            org=tree.sibling_street,
            actor=neighbour,
            submitted_on=date(2026, 2, 10),
        )
        other = S.perform(
            "request_clarification",
            actor=neighbour,
            request=other,
            data={"deadline": date(2026, 3, 6), "what": "所需文件的年份"},
        )
    mine = request.letters.get(kind="clarification")
    assert mine.title == "补正通知"
    assert mine.content["paragraphs"][:2] == [
        "王小明：请补正所需文件的年份。",
        "期限：2026年3月6日。",
    ]
    # Another organisation keeps the default wording.
    assert other.letters.get(kind="clarification").title == "政府信息公开申请补正告知书"


def test_a_wording_with_an_unknown_field_is_refused_in_chinese(client, tree):
    from gongkai.inforequests.models import LetterWording

    response = _admin_add_wording(
        client, tree, key="clarification", title="补正通知", paragraphs="{phone}"
    )
    assert response.status_code == 200
    assert "模板中有未知字段：{phone}" in response.content.decode()
    assert not LetterWording.objects.exists()


def test_a_blank_wording_starts_from_the_default(client, tree):
    from gongkai.inforequests.models import LetterWording

    response = _admin_add_wording(client, tree, key="reply.granted")
    assert response.status_code == 302
    row = LetterWording.objects.get()
    assert row.title == "政府信息予以公开告知书"
    assert "{provision}" in row.paragraphs
