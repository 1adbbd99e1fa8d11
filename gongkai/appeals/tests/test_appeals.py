"""Cases of 复议、诉讼: services, API, screens and table 四 by year."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from gongkai.appeals.models import Appeal, AppealDocument
from gongkai.appeals.selectors import (
    appeal_figures_by_unit,
    table4_for,
    table4_records,
)
from gongkai.appeals.services import (
    appeal_attach,
    appeal_decide,
    appeal_register,
)
from gongkai.audit.models import AuditEvent
from gongkai.inforequests.tests.factories import register
from gongkai.orgs.models import Organisation
from gongkai.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "答复书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def review(tree, **kw):
    values = {
        "actor": tree.officer,
        "organisation": tree.street,
        "kind": "review",
        "filed_on": date(2026, 9, 25),
    }
    values.update(kw)
    return appeal_register(**values)


# --------------------------------------------------------------------------- services


def test_a_review_gets_its_reply_due_ten_working_days_after_receipt(tree):
    appeal = review(tree, received_on=date(2026, 9, 29))
    # 9-30, 10-8, 10-9, Sat 10-10 (调休), 10-12..16, 10-19 (国庆 2026)
    assert appeal.reply_due_on == date(2026, 10, 19)
    assert AuditEvent.objects.filter(action="appeal.register").count() == 1


def test_a_suit_gets_its_defence_due_fifteen_days_later_off_a_holiday(tree):
    appeal = review(
        tree,
        kind="suit_direct",
        filed_on=date(2026, 9, 14),
        received_on=date(2026, 9, 16),
    )
    assert appeal.reply_due_on == date(2026, 10, 8)


def test_a_case_links_several_applications_of_the_body(tree):
    a = register(tree.officer, tree.street)
    b = register(tree.officer, tree.street)
    appeal = review(tree, requests=[a, b])
    assert set(appeal.requests.all()) == {a, b}


def test_another_bodys_application_is_refused_and_nothing_saved(tree):
    other_officer = make_user("o_officer", tree.sibling_street, "officer")
    theirs = register(other_officer, tree.sibling_street)
    with pytest.raises(ValidationError, match="不属于本机关"):
        review(tree, requests=[theirs])
    assert Appeal.objects.count() == 0


def test_a_decision_before_the_filing_is_refused(tree):
    appeal = review(tree)
    with pytest.raises(ValidationError, match="不能早于立案日期"):
        appeal_decide(
            actor=tree.officer,
            appeal=appeal,
            decided_on=date(2026, 9, 1),
            result="upheld",
        )
    appeal.refresh_from_db()
    assert appeal.decided_on is None and appeal.result == ""


def test_a_correction_needs_its_kind(tree):
    appeal = review(tree)
    with pytest.raises(ValidationError, match="纠正方式"):
        appeal_decide(
            actor=tree.officer,
            appeal=appeal,
            decided_on=date(2026, 11, 2),
            result="corrected",
        )
    appeal_decide(
        actor=tree.officer,
        appeal=appeal,
        decided_on=date(2026, 11, 2),
        result="corrected",
        correction="revoked",
        delivered_on=date(2026, 11, 4),
    )
    appeal.refresh_from_db()
    assert (appeal.result, appeal.correction) == ("corrected", "revoked")


def test_an_order_to_answer_again_needs_the_delivery_date(tree):
    appeal = review(tree, requests=[register(tree.officer, tree.street)])
    with pytest.raises(ValidationError, match="送达日期"):
        appeal_decide(
            actor=tree.officer,
            appeal=appeal,
            decided_on=date(2026, 11, 2),
            result="corrected",
            correction="ordered_to_reanswer",
        )
    appeal.refresh_from_db()
    assert appeal.result == ""


def test_an_outcome_can_be_changed_and_the_change_is_audited(tree):
    appeal = review(tree)
    for result in ("upheld", "other"):
        appeal_decide(
            actor=tree.officer,
            appeal=appeal,
            decided_on=date(2026, 11, 2),
            result=result,
        )
    last = AuditEvent.objects.filter(action="appeal.decide").order_by("-id").first()
    assert last.details["before"]["result"] == "upheld"


def test_a_liaison_cannot_enter_a_case(tree):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        review(tree, actor=tree.liaison_a)


def test_an_uploaded_answer_is_stored_privately(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    appeal = review(tree)
    doc = appeal_attach(actor=tree.officer, appeal=appeal, role="answer", upload=pdf())
    assert "答复书" not in doc.file.name and doc.original_name == "答复书.pdf"
    with pytest.raises(ValidationError):
        appeal_attach(
            actor=tree.officer,
            appeal=appeal,
            role="answer",
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
        )


def test_a_case_document_is_encrypted_on_disk_and_its_download_audited(
    client, tree, settings, tmp_path
):
    """Issue 18 (F4): the 决定书 names the applicant; before the fix it lay on disk
    as uploaded (mode 644) and downloads left no audit row."""
    settings.MEDIA_ROOT = tmp_path
    appeal = review(tree)
    doc = appeal_attach(actor=tree.officer, appeal=appeal, role="answer", upload=pdf())
    stored = tmp_path / doc.file.name
    assert PDF not in stored.read_bytes() and b"%PDF" not in stored.read_bytes()
    assert stored.stat().st_mode & 0o777 == 0o600
    client.force_login(tree.officer)
    url = reverse("appeals:document_download", args=[appeal.pk, doc.pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    event = AuditEvent.objects.filter(action="appeal.document.download").get()
    assert event.user == tree.officer and event.object_id == str(appeal.pk)


# --------------------------------------------------------------------------- table 四


def test_table4_counts_by_year_of_decision_and_pending_at_year_end(tree):
    suit = review(tree, kind="suit_after_review", filed_on=date(2025, 11, 20))
    appeal_decide(
        actor=tree.officer,
        appeal=suit,
        decided_on=date(2026, 3, 16),
        result="corrected",
        correction="declared_unlawful",
    )
    direct = review(tree, kind="suit_direct", filed_on=date(2025, 12, 31))
    y2025, y2026 = table4_for(tree.street, 2025), table4_for(tree.street, 2026)
    assert y2025["s4.suit_after_review.pending"] == 1
    assert y2025["s4.suit_after_review.corrected"] == 0
    assert y2026["s4.suit_after_review.corrected"] == 1
    assert y2026["s4.suit_after_review.pending"] == 0
    assert y2025["s4.suit_direct.pending"] == y2026["s4.suit_direct.pending"] == 1
    assert list(
        table4_records(tree.street, 2026, "s4.suit_after_review.corrected")
    ) == [suit]
    assert list(table4_records(tree.street, 2025, "s4.suit_direct.pending")) == [direct]
    assert table4_for(tree.street, 2024)["s4.suit_after_review.total"] == 0


def test_the_supervision_figures_give_the_correction_rate(tree):
    for result in ("corrected", "upheld"):
        appeal_decide(
            actor=tree.officer,
            appeal=review(tree),
            decided_on=date(2026, 11, 2),
            result=result,
            correction="revoked" if result == "corrected" else "",
        )
    review(tree)
    assert appeal_figures_by_unit([tree.street.pk], 2026) == {tree.street.pk: (3, 2, 1)}
    assert appeal_figures_by_unit([tree.street.pk], 2027) == {tree.street.pk: (1, 0, 0)}


# --------------------------------------------------------------------------- API


def test_the_api_enters_a_case_records_the_decision_and_refuses_bad_input(client, tree):
    client.force_login(tree.officer)
    req = register(tree.officer, tree.street)
    created = client.post(
        "/api/appeals/",
        json.dumps(
            {
                "organisation_id": tree.street.pk,
                "kind": "review",
                "filed_on": "2026-09-25",
                "received_on": "2026-09-29",
                "tracking_numbers": [req.tracking_number],
                "case_number": "复〔2026〕1号",
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reply_due_on"] == "2026-10-19"
    assert body["tracking_numbers"] == [req.tracking_number]
    bad = client.post(
        f"/api/appeals/{body['id']}/decision",
        json.dumps({"decided_on": "2026-01-01", "result": "upheld"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "不能早于立案日期" in bad.json()["detail"]
    good = client.post(
        f"/api/appeals/{body['id']}/decision",
        json.dumps({"decided_on": "2026-11-02", "result": "upheld"}),
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["result"] == "upheld"
    doc = client.post(
        f"/api/appeals/{body['id']}/documents", {"role": "decision", "file": pdf()}
    )
    assert doc.status_code == 201, doc.content
    missing = Organisation.objects.order_by("-pk").first().pk + 100
    outside = client.post(
        "/api/appeals/",
        json.dumps(
            {"organisation_id": missing, "kind": "review", "filed_on": "2026-09-25"}
        ),
        content_type="application/json",
    )
    assert outside.status_code == 400 and "不在本平台" in outside.json()["detail"]
    assert Appeal.objects.count() == 1


def test_the_api_hides_another_bodys_case(client, tree):
    appeal = review(tree)
    other = make_user("o_officer2", tree.sibling_street, "officer")
    client.force_login(other)
    assert client.get(f"/api/appeals/{appeal.pk}").status_code == 404


# --------------------------------------------------------------------------- screens


@time_machine.travel("2026-10-09 10:00 +0800")
def test_the_officer_enters_a_case_uploads_the_answer_and_records_the_decision(
    client, tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(tree.officer)
    assert client.get(reverse("appeals:list")).status_code == 200
    response = client.post(
        reverse("appeals:new"),
        {
            "kind": "review",
            "case_number": "复〔2026〕2号",
            "filed_on": "2026-09-25",
            "received_on": "2026-09-29",
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "2026年10月19日" in page and "第四十八条" in page and "还剩10日" in page
    client.post(
        reverse("appeals:document_upload", args=[appeal.pk]),
        {"role": "answer", "file": pdf()},
    )
    assert AppealDocument.objects.filter(appeal=appeal, role="answer").exists()
    client.post(
        reverse("appeals:decision", args=[appeal.pk]),
        {"result": "upheld", "decided_on": "2026-10-09"},
    )
    appeal.refresh_from_db()
    assert appeal.result == "upheld"


def test_the_new_form_refuses_another_bodys_application(client, tree):
    other_officer = make_user("o_officer3", tree.sibling_street, "officer")
    theirs = register(other_officer, tree.sibling_street)
    client.force_login(tree.officer)
    response = client.post(
        reverse("appeals:new"),
        {
            "kind": "review",
            "filed_on": "2026-09-25",
            "tracking_numbers": theirs.tracking_number,
        },
    )
    assert response.status_code == 400 and "未找到受理编号" in response.content.decode()
    assert Appeal.objects.count() == 0


def test_changing_an_outcome_in_a_published_year_says_only_a_correction_changes_it(
    client,
):
    call_command("load_demo", "--quiet-accounts")
    from gongkai.accounts.models import User
    from gongkai.reports.models import AnnualReport

    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    assert AnnualReport.objects.filter(
        organisation=street, year=2021, status=AnnualReport.Status.PUBLISHED
    ).exists()
    officer = User.objects.get(username="officer")
    old = appeal_register(
        actor=officer, organisation=street, kind="review", filed_on=date(2021, 3, 1)
    )
    client.force_login(officer)
    response = client.post(
        reverse("appeals:decision", args=[old.pk]),
        {"result": "upheld", "decided_on": "2021-05-10"},
        follow=True,
    )
    page = response.content.decode()
    assert "2021年度报告已公开" in page and "报告更正" in page
    old.refresh_from_db()
    assert old.result == "upheld"


def test_the_demo_street_has_its_two_cases_in_table4():
    call_command("load_demo", "--quiet-accounts")
    call_command("load_demo", "--quiet-accounts")
    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    assert Appeal.objects.filter(organisation=street).count() == 2
    assert table4_for(street, 2024)["s4.review.upheld"] == 1
    assert table4_for(street, 2025)["s4.suit_after_review.pending"] == 1
    assert table4_for(street, 2026)["s4.suit_after_review.corrected"] == 1


def test_the_supervisor_sees_cases_and_the_correction_rate(client, tree):
    for result in ("corrected", "upheld"):
        appeal_decide(
            actor=tree.officer,
            appeal=review(tree),
            decided_on=date(2026, 11, 2),
            result=result,
            correction="revoked" if result == "corrected" else "",
        )
    client.force_login(tree.supervisor)
    page = client.get(reverse("supervision:dashboard") + "?year=2026").content.decode()
    assert "纠错率" in page and "50%" in page


def test_an_order_to_answer_again_reopens_the_application_with_a_new_deadline(tree):
    """行政复议法第六十四条: 撤销并责令重新答复 → the application is answered again within
    20 working days of the decision's delivery; table 三 counts it once, table 四 too."""
    from gongkai.appeals.selectors import table4_for
    from gongkai.inforequests import steps
    from gongkai.inforequests.selectors import table3_for

    provision = {"outcome": "granted", "details": {"provision": "随本告知书提供复印件"}}

    def at(day: str) -> time_machine.travel:
        return time_machine.travel(f"{day} 10:00 +0800", tick=False)

    with at("2026-09-18"):
        case = register(tree.officer, tree.street, submitted_on=date(2026, 9, 18))
    with at("2026-09-28"):
        case = steps.perform("accept", actor=tree.officer, request=case, data={})
        case = steps.perform("decide", actor=tree.officer, request=case, data=provision)
        case = steps.perform("send_reply", actor=tree.head, request=case, data={})
    assert case.concluded_on == date(2026, 9, 28)
    with at("2026-10-12"):
        appeal = review(tree, filed_on=date(2026, 10, 12), requests=[case])
    with at("2026-11-05"):
        appeal_decide(
            actor=tree.officer,
            appeal=appeal,
            decided_on=date(2026, 11, 2),
            result="corrected",
            correction="ordered_to_reanswer",
            delivered_on=date(2026, 11, 4),
        )
    case.refresh_from_db()
    # 20 working days after delivery on 11-04 (Wed): 11-05 … 12-02.
    assert (case.status, case.due_on, case.concluded_on) == (
        "in_progress",
        date(2026, 12, 2),
        None,
    )
    with at("2026-11-20"):
        case = steps.perform("decide", actor=tree.officer, request=case, data=provision)
        case = steps.perform("send_reply", actor=tree.head, request=case, data={})
    assert (case.status, case.concluded_on) == ("replied", date(2026, 11, 20))
    table3 = table3_for(tree.street, 2026)
    assert table3["s3.new.total"] == 1 and table3["s3.granted.total"] == 1
    assert table4_for(tree.street, 2026)["s4.review.corrected"] == 1


def test_a_filing_date_in_the_future_is_refused(tree):
    with (
        time_machine.travel("2026-10-01 10:00 +0800", tick=False),
        pytest.raises(ValidationError, match="不能晚于今天"),
    ):
        review(tree, filed_on=date(2099, 1, 1))
    assert not Appeal.objects.exists()


def test_a_reader_is_refused_the_new_case_form_before_typing(client, tree):
    """The supervisor may read cases but not register one: the form is refused on
    opening (403), not after it has been filled in."""
    client.force_login(tree.supervisor)
    response = client.get(reverse("appeals:new"))
    assert response.status_code == 403
    assert 'name="case_number"' not in response.content.decode()
    client.force_login(tree.officer)
    assert client.get(reverse("appeals:new")).status_code == 200
