"""The back-office screens, through the test client: responses and rows."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from gongkai.audit.models import AuditEvent
from gongkai.inforequests import letters as L
from gongkai.inforequests import steps as S
from gongkai.inforequests.models import InfoRequest, Letter
from gongkai.inforequests.tests.factories import (
    RESIDENT_ID,
    registration,
    staff_intake_form,
)

pytestmark = pytest.mark.django_db

# The resident ID of the factories with a different (wrong) check character.
WRONG_CHECK = RESIDENT_ID[:-1] + ("1" if RESIDENT_ID[-1] != "1" else "2")


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def make(tree, org=None, **overrides) -> InfoRequest:
    request, _code, _receipt = L.register(
        actor=tree.officer,
        organisation=org or tree.street,
        registration=registration(**overrides),
    )
    return request


def detail_url(request: InfoRequest) -> str:
    return reverse("inforequests:detail", args=[request.pk])


def act_url(request: InfoRequest, action: str) -> str:
    return reverse("inforequests:act", args=[request.pk, action])


# --------------------------------------------------------------------------- list


def test_the_list_masks_personal_data(client, tree):
    with at("2026-09-18"):
        make(tree)
        client.force_login(tree.officer)
        response = client.get(reverse("inforequests:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "王小明" in body
    assert RESIDENT_ID not in body and "13912345678" not in body
    assert "4103**********" in body  # mask_identifier keeps 4 + 4 of 18
    assert "139****5678" in body


def test_the_list_sorts_by_urgency_and_filters_overdue_and_due_soon(client, tree):
    with at("2026-09-18"):
        late = make(tree, submitted_on=date(2026, 9, 18))
    with at("2026-09-30"):
        soon = make(tree, submitted_on=date(2026, 9, 30))
    with at("2026-10-20"):
        calm = make(tree, submitted_on=date(2026, 10, 20))
    # holidays.md §5.6: 2026-09-18 → due 2026-10-22; 2026-09-30 → due 2026-11-03.
    assert (late.due_on, soon.due_on) == (date(2026, 10, 22), date(2026, 11, 3))
    client.force_login(tree.officer)
    url = reverse("inforequests:list")
    with at("2026-10-29"):
        body = client.get(url).content.decode()
        overdue = client.get(url, {"urgency": "overdue"}).content.decode()
        due_soon = client.get(url, {"urgency": "due_soon"}).content.decode()
    # Overdue since 10-22: 10-23, 10-26, 10-27, 10-28, 10-29 = 5 working days.
    assert "已超期5个工作日" in body
    # 10-30, 11-02, 11-03 = 3 working days left.
    assert "剩余3个工作日" in body
    assert body.index(late.tracking_number) < body.index(soon.tracking_number)
    assert body.index(soon.tracking_number) < body.index(calm.tracking_number)
    assert late.tracking_number in overdue and soon.tracking_number not in overdue
    assert soon.tracking_number in due_soon
    assert late.tracking_number not in due_soon
    assert calm.tracking_number not in due_soon


def test_the_list_filters_by_tracking_number_and_status(client, tree):
    with at("2026-09-18"):
        first = make(tree)
        second = make(tree)
        S.perform("withdraw", actor=tree.officer, request=second, data={})
        client.force_login(tree.officer)
        url = reverse("inforequests:list")
        by_number = client.get(url, {"q": first.tracking_number}).content.decode()
        open_only = client.get(url).content.decode()
        withdrawn = client.get(url, {"status": "withdrawn"}).content.decode()
    assert first.tracking_number in by_number
    assert second.tracking_number not in by_number
    assert second.tracking_number not in open_only
    assert (
        second.tracking_number in withdrawn and first.tracking_number not in withdrawn
    )


def test_a_liaison_does_not_see_the_streets_cases(client, tree):
    with at("2026-09-18"):
        street_case = make(tree)
        # Handed in at their 社区居委会: still the 街道's case, not theirs to handle.
        handed_in = make(tree, org=tree.community_a)
        client.force_login(tree.liaison_a)
        body = client.get(reverse("inforequests:list")).content.decode()
    assert handed_in.organisation == tree.street
    assert handed_in.tracking_number not in body
    assert street_case.tracking_number not in body


# --------------------------------------------------------------------------- intake


def _form(**overrides: str) -> dict[str, str]:
    return staff_intake_form(**overrides)


def test_registering_on_the_form_creates_the_case_and_its_receipt(client, tree):
    client.force_login(tree.officer)
    with at("2026-09-18"):
        response = client.post(
            reverse("inforequests:register"),
            _form(organisation=str(tree.street.pk)),
            follow=True,
        )
    created = InfoRequest.objects.get()
    assert response.redirect_chain[-1][0] == detail_url(created)
    assert (created.applicant_name, created.due_on) == ("李四", date(2026, 10, 22))
    assert created.letters.get().kind == "acknowledgement"
    assert "申请人查询码" in response.content.decode()


def test_a_registration_error_comes_back_inline_in_chinese_with_the_input_kept(
    client, tree
):
    client.force_login(tree.officer)
    with at("2026-09-18"):
        response = client.post(
            reverse("inforequests:register"),
            _form(
                organisation=str(tree.street.pk),
                id_number=WRONG_CHECK,
                channel="registered_post",  # needs a signing date
            ),
        )
    body = response.content.decode()
    assert response.status_code == 400
    assert not InfoRequest.objects.exists()
    assert "须填写签收日期" in body
    assert 'value="李四"' in body and "洛浦街道2026年低保名单" in body
    form = response.context["form"]
    assert "id_number" in form.errors
    assert "submitted_on" in form.errors


def test_an_organisation_applicant_needs_a_credit_code(client, tree):
    client.force_login(tree.officer)
    with at("2026-09-18"):
        response = client.post(
            reverse("inforequests:register"),
            _form(organisation=str(tree.street.pk), applicant_type="commercial"),
        )
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert "统一社会信用代码" in errors["id_type"][0]
    assert "legal_representative" in errors


# --------------------------------------------------------------------------- detail


def test_the_detail_page_shows_the_ledger_the_timeline_and_the_allowed_actions(
    client, tree
):
    with at("2026-09-18"):
        case = make(tree)
        client.force_login(tree.officer)
        body = client.get(detail_url(case)).content.decode()
    assert "依申请公开期限台账" in body and "2026年10月22日" in body
    assert "登记申请" in body  # timeline
    assert act_url(case, "accept") in body
    assert act_url(case, "request_clarification") in body
    assert act_url(case, "send_reply") not in body  # not allowed in 已登记待审核
    assert RESIDENT_ID not in body


def test_an_action_posted_from_the_page_changes_the_status(client, tree):
    with at("2026-09-18"):
        case = make(tree)
        client.force_login(tree.officer)
        response = client.post(act_url(case, "accept"), {})
    assert response.status_code == 302
    assert InfoRequest.objects.get(pk=case.pk).status == "in_progress"
    event = case.events.get(action="accept")
    assert (event.from_status, event.to_status, event.actor) == (
        "received",
        "in_progress",
        tree.officer,
    )


def test_a_refused_action_keeps_the_input_and_shows_the_chinese_error(client, tree):
    with at("2026-09-18"):
        case = make(tree)
        client.force_login(tree.officer)
        response = client.post(
            act_url(case, "request_clarification"),
            {"deadline": "2026-09-10", "what": "请写明年份"},
        )
    body = response.content.decode()
    assert response.status_code == 400
    assert "补正期限应晚于告知日期" in body
    assert "请写明年份" in body
    assert InfoRequest.objects.get(pk=case.pk).status == "received"


def test_an_officer_cannot_extend_only_the_head_can(client, tree):
    with at("2026-09-18"):
        case = make(tree)
        S.perform("accept", actor=tree.officer, request=case, data={})
        client.force_login(tree.officer)
        page = client.get(detail_url(case)).content.decode()
        refused = client.post(
            act_url(case, "extend"), {"working_days": "5", "reason": "x"}
        )
        client.force_login(tree.head)
        done = client.post(
            act_url(case, "extend"), {"working_days": "20", "reason": "需调阅档案"}
        )
    assert act_url(case, "extend") not in page
    assert refused.status_code == 403
    assert done.status_code == 302
    fresh = InfoRequest.objects.get(pk=case.pk)
    # holidays.md §5.6: +40 working days from 2026-09-18 → 2026-11-19.
    assert (fresh.status, fresh.due_on) == ("extended", date(2026, 11, 19))
    assert fresh.letters.filter(kind="extension").count() == 1


def test_a_decision_on_the_page_issues_the_reply_letter(client, tree):
    with at("2026-09-18"):
        case = make(tree)
        S.perform("accept", actor=tree.officer, request=case, data={})
        client.force_login(tree.officer)
        missing = client.post(
            act_url(case, "decide"), {"outcome": "unable.not_held", "note": "未检索到"}
        )
        done = client.post(
            act_url(case, "decide"),
            {
                "outcome": "unable.not_held",
                "note": "未检索到",
                "detail_search_scope": "本机关2020年以来的收发文登记簿和档案室",
            },
        )
    assert missing.status_code == 400
    assert "检索范围和方式" in missing.content.decode()
    assert done.status_code == 302
    fresh = InfoRequest.objects.get(pk=case.pk)
    assert (fresh.status, fresh.outcome) == ("decided", "unable.not_held")
    reply = fresh.letters.get(kind="reply")
    assert reply.title == "政府信息无法提供告知书"


def test_the_outcome_select_lists_the_rows_grouped_by_one_to_six(client, tree):
    with at("2026-09-18"):
        case = make(tree)
        client.force_login(tree.officer)
        body = client.get(detail_url(case)).content.decode()
    for label in (
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
    ):
        assert f'<optgroup label="{label}">' in body
    assert '<option value="withheld.state_secret">1.属于国家秘密</option>' in body


# --------------------------------------------------------------------------- reveal


def test_the_office_head_reveals_a_field_and_it_is_audited(client, tree):
    with at("2026-09-18"):
        case = make(tree)
        client.force_login(tree.head)
        response = client.post(
            reverse("inforequests:reveal", args=[case.pk]), {"field": "id_number"}
        )
    assert response.status_code == 200
    assert RESIDENT_ID in response.content.decode()
    row = AuditEvent.objects.get(action="inforequest.reveal")
    assert (row.user, row.result, row.details) == (
        tree.head,
        "success",
        {"field": "id_number"},
    )


def test_an_officer_who_is_not_the_handler_is_refused_and_that_is_audited(client, tree):
    with at("2026-09-18"):
        case = make(tree)
        client.force_login(tree.officer)
        refused = client.post(
            reverse("inforequests:reveal", args=[case.pk]), {"field": "phone"}
        )
        client.force_login(tree.head)
        client.post(
            reverse("inforequests:assign", args=[case.pk]),
            {"handler": str(tree.officer.pk)},
        )
        client.force_login(tree.officer)
        allowed = client.post(
            reverse("inforequests:reveal", args=[case.pk]), {"field": "phone"}
        )
    assert refused.status_code == 403
    assert "13912345678" not in refused.content.decode()
    assert allowed.status_code == 200 and "13912345678" in allowed.content.decode()
    results = list(
        AuditEvent.objects.filter(action="inforequest.reveal")
        .order_by("id")
        .values_list("result", flat=True)
    )
    assert results == ["denied", "success"]


# --------------------------------------------------------------------------- letters


def test_the_receipt_downloads_as_docx_and_pdf(client, tree):
    with at("2026-09-18"):
        case = make(tree)
    receipt = case.letters.get()
    client.force_login(tree.officer)
    docx = client.get(
        reverse("inforequests:letter_download", args=[case.pk, receipt.pk, "docx"])
    )
    pdf = client.get(
        reverse("inforequests:letter_download", args=[case.pk, receipt.pk, "pdf"])
    )
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert paragraphs[:2] == ["政府信息公开申请接收回执", "测街公开〔2026〕1号"]
    assert "attachment;" in docx["Content-Disposition"]
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_delivery_is_recorded_from_the_page(client, tree):
    with at("2026-09-18"):
        case = make(tree)
    receipt = case.letters.get()
    client.force_login(tree.officer)
    url = reverse("inforequests:letter_delivery", args=[case.pk, receipt.pk])
    prefix = f"l{receipt.pk}"
    with at("2026-09-22"):
        bad = client.post(url, {f"{prefix}-method": "邮寄送达"})
        good = client.post(
            url,
            {
                f"{prefix}-method": "邮寄送达",
                f"{prefix}-tracking": "EMS9876543210",
                f"{prefix}-delivered_on": "2026-09-21",
            },
        )
    assert bad.status_code == 400 and "请填写送达日期" in bad.content.decode()
    assert good.status_code == 302
    row = Letter.objects.get(pk=receipt.pk)
    assert (row.status, row.delivery_method, row.delivered_on) == (
        "sent",
        "邮寄送达",
        date(2026, 9, 21),
    )


# --------------------------------------------------------------------------- IDOR


def test_a_liaison_of_another_community_gets_404_on_every_object_url(client, tree):
    with at("2026-09-18"):
        case = make(tree, org=tree.community_a)
    receipt = case.letters.get()
    client.force_login(tree.liaison_b)
    gets = [
        detail_url(case),
        reverse("inforequests:letter_download", args=[case.pk, receipt.pk, "docx"]),
        reverse("inforequests:letter_download", args=[case.pk, receipt.pk, "pdf"]),
    ]
    posts = [
        act_url(case, "accept"),
        act_url(case, "withdraw"),
        reverse("inforequests:reveal", args=[case.pk]),
        reverse("inforequests:assign", args=[case.pk]),
        reverse("inforequests:letter_delivery", args=[case.pk, receipt.pk]),
    ]
    with at("2026-09-18"):
        for url in gets:
            assert client.get(url).status_code == 404, url
        for url in posts:
            assert client.post(url, {"field": "phone"}).status_code == 404, url
    fresh = InfoRequest.objects.get(pk=case.pk)
    assert fresh.status == "received"
    assert not AuditEvent.objects.filter(action="inforequest.reveal").exists()


def test_a_letter_of_another_case_is_not_served_under_this_case(client, tree):
    with at("2026-09-18"):
        mine = make(tree, org=tree.community_a)
        other = make(tree)
    other_letter = other.letters.get()
    client.force_login(tree.liaison_a)
    url = reverse(
        "inforequests:letter_download", args=[mine.pk, other_letter.pk, "docx"]
    )
    assert client.get(url).status_code == 404


def test_the_list_needs_a_login(client):
    response = client.get(reverse("inforequests:list"))
    assert response.status_code == 302


def test_the_list_costs_the_same_queries_for_more_rows(
    client, tree, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with at("2026-09-18"):
        make(tree)
        client.force_login(tree.officer)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("inforequests:list"))
        for _ in range(6):
            make(tree)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("inforequests:list"))
    assert response.content.decode().count("GK") >= 7


def test_a_posted_application_counts_from_the_day_it_was_signed_for(client, tree):
    client.force_login(tree.officer)
    with at("2026-09-30"):
        response = client.post(
            reverse("inforequests:register"),
            _form(
                organisation=str(tree.street.pk),
                channel="registered_post",
                submitted_on="2026-09-25",
                signed_for_on="2026-09-30",
            ),
        )
    created = InfoRequest.objects.get()
    assert response.status_code == 302
    # Art. 31(二): the day the agency signed for it; holidays.md §5.6: 2026-09-30 → 11-03.
    assert (created.received_on, created.due_on) == (
        date(2026, 9, 30),
        date(2026, 11, 3),
    )


def test_a_moved_due_date_is_shown_on_the_case(client, tree):
    from gongkai.inforequests.models import DeadlineChange

    with at("2026-09-18"):
        case = make(tree)
        DeadlineChange.objects.create(
            request=case,
            old_due=date(2026, 10, 22),
            new_due=date(2026, 10, 23),
            reason="2026年节假日安排更正",
        )
        client.force_login(tree.officer)
        body = client.get(detail_url(case)).content.decode()
    assert "期限变更通知" in body
    assert "2026年10月22日 变更为 2026年10月23日" in body
    assert "2026年节假日安排更正" in body
