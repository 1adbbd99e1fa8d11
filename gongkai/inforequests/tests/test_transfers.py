"""转办 (条例第三十一条, 第三十六条第（五）项) and 协办 between bodies on the platform:
services, the acceptance step, the API and the screens."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.inforequests import services, steps
from gongkai.inforequests.models import (
    Assistance,
    CaseEvent,
    InfoRequest,
    Letter,
    Transfer,
)
from gongkai.inforequests.tests.factories import register
from gongkai.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.fixture
def other(tree):
    return make_user("t_sibling_officer", tree.sibling_street, "officer")


def _propose(tree, case, on=date(2026, 9, 21)):
    return services.transfer_propose(
        actor=tree.officer,
        request=case,
        to_organisation=tree.sibling_street,
        reason="该信息由邻近街道办事处制作并保存",
        on=on,
    )


def test_accepted_transfer_opens_a_case_at_the_receiver_and_closes_the_sender(
    tree, other
):
    with at("2026-09-22"):
        case = register(tree.officer, tree.street)
        transfer = _propose(tree, case)
        new, code = steps.accept_transfer(
            actor=other, transfer=transfer, on=date(2026, 9, 22)
        )
    assert len(code) == 8
    new = InfoRequest.objects.get(pk=new.pk)
    assert new.organisation == tree.sibling_street
    assert new.received_on == date(2026, 9, 22)  # 第三十一条: its own receipt
    assert new.applicant_name == case.applicant_name
    assert new.tracking_number != case.tracking_number
    case.refresh_from_db()
    assert case.status == "decided"
    assert case.outcome == "unable.not_held"
    reply = Letter.objects.get(request=case, kind="reply")
    text = str(reply.content)
    assert "第三十六条第（五）项" in text
    assert tree.sibling_street.name in text
    assert new.tracking_number in text
    transfer.refresh_from_db()
    assert transfer.status == "accepted"
    assert transfer.to_request == new
    sent = CaseEvent.objects.get(request=case, action="transfer_accepted")
    assert sent.data["to_tracking_number"] == new.tracking_number
    got = CaseEvent.objects.get(request=new, action="transfer_received")
    assert got.data["from_tracking_number"] == case.tracking_number
    assert Letter.objects.filter(request=new, kind="acknowledgement").exists()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("community_a", "不是政府信息公开主体"),
        ("street", "不能是本机关"),
        (None, "不在本平台"),
    ],
)
def test_bad_targets_are_refused_in_chinese_and_nothing_is_saved(tree, target, message):
    with at("2026-09-22"):
        case = register(tree.officer, tree.street)
        with pytest.raises(ValidationError) as exc:
            services.transfer_propose(
                actor=tree.officer,
                request=case,
                to_organisation=getattr(tree, target) if target else None,
                reason="理由",
            )
    assert message in str(exc.value)
    assert not Transfer.objects.exists()
    assert not CaseEvent.objects.filter(action="transfer_proposed").exists()


def test_a_concluded_case_cannot_be_transferred(tree):
    with at("2026-09-22"):
        case = register(tree.officer, tree.street)
        services.inforequest_withdraw(actor=tree.officer, request=case)
        case.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            _propose(tree, case, on=date(2026, 9, 22))
    assert "已办结" in str(exc.value)
    assert not Transfer.objects.exists()


def test_only_the_receiving_body_accepts_or_declines(tree, other):
    with at("2026-09-22"):
        case = register(tree.officer, tree.street)
        transfer = _propose(tree, case)
        with pytest.raises(PermissionDenied):
            steps.accept_transfer(actor=tree.officer, transfer=transfer)
        services.transfer_decline(actor=other, transfer=transfer, reason="不属本街道")
    transfer.refresh_from_db()
    assert transfer.status == "declined"
    case.refresh_from_db()
    assert case.status == "received"
    assert InfoRequest.objects.count() == 1
    assert CaseEvent.objects.filter(request=case, action="transfer_declined").exists()


def test_assistance_is_recorded_without_moving_the_status(tree, other):
    with at("2026-09-22"):
        case = register(tree.officer, tree.street)
        item = services.assistance_request(
            actor=tree.officer,
            request=case,
            organisation=tree.sibling_street,
            question="请提供贵街道掌握的相关部分",
            due_on=date(2026, 9, 30),
        )
        with pytest.raises(PermissionDenied):
            services.assistance_answer(actor=tree.officer, assistance=item, answer="x")
        services.assistance_answer(actor=other, assistance=item, answer="已提供附件")
    item = Assistance.objects.get(pk=item.pk)
    assert item.answered_on == date(2026, 9, 22)
    case.refresh_from_db()
    assert case.status == "received"
    actions = list(case.events.values_list("action", flat=True))
    assert "assistance_requested" in actions and "assistance_answered" in actions


# --------------------------------------------------------------------------- API


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_api_transfer_propose_accept_and_bad_input(client, tree, other):
    with at("2026-09-22"):
        case = register(tree.officer, tree.street)
        client.force_login(tree.officer)
        bad = _post(
            client,
            f"/api/requests/{case.pk}/transfers",
            {"to_organisation_id": tree.community_a.pk, "reason": "理由"},
        )
        assert bad.status_code == 400
        assert "不是政府信息公开主体" in bad.json()["detail"]
        missing = _post(
            client,
            f"/api/requests/{case.pk}/transfers",
            {"to_organisation_id": 999999, "reason": "理由"},
        )
        assert missing.status_code == 400 and "不在本平台" in missing.json()["detail"]
        assert not Transfer.objects.exists()
        made = _post(
            client,
            f"/api/requests/{case.pk}/transfers",
            {"to_organisation_id": tree.sibling_street.pk, "reason": "不属本机关"},
        )
        assert made.status_code == 201
        tid = made.json()["id"]
        # The sender cannot accept its own proposal: out of reach.
        assert (
            _post(client, f"/api/requests/transfers/{tid}/accept", {}).status_code
            == 404
        )
        client.force_login(other)
        pending = client.get("/api/requests/transfers/pending").json()
        assert [row["id"] for row in pending] == [tid]
        done = _post(client, f"/api/requests/transfers/{tid}/accept", {})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["transfer"]["status"] == "accepted"
    assert body["request"]["received_on"] == "2026-09-22"
    assert len(body["query_code"]) == 8
    assert body["transfer"]["to_tracking_number"] == body["request"]["tracking_number"]


def test_api_assistance(client, tree, other):
    with at("2026-09-22"):
        case = register(tree.officer, tree.street)
        client.force_login(tree.officer)
        made = _post(
            client,
            f"/api/requests/{case.pk}/assistance",
            {"organisation_id": tree.sibling_street.pk, "question": "请提供相关部分"},
        )
        assert made.status_code == 201
        aid = made.json()["id"]
        client.force_login(other)
        answered = _post(
            client, f"/api/requests/assistance/{aid}/answer", {"answer": "见附件"}
        )
        assert answered.status_code == 200
        assert answered.json()["answered_on"] == "2026-09-22"
        client.force_login(tree.officer)
        listed = client.get(f"/api/requests/{case.pk}/assistance").json()
    assert listed[0]["answer"] == "见附件"


# --------------------------------------------------------------------------- screens


def test_screens_propose_list_accept_and_show_both_timelines(client, tree, other):
    with at("2026-09-22"):
        case = register(tree.officer, tree.street)
        client.force_login(tree.officer)
        page = client.get(reverse("inforequests:detail", args=[case.pk]))
        assert "转办至其他机关" in page.content.decode()
        bad = client.post(
            reverse("inforequests:transfer_propose", args=[case.pk]),
            {"to_organisation": str(tree.street.pk), "reason": "理由"},
            follow=True,
        )
        assert "接收机关不能是本机关" in bad.content.decode()
        assert not Transfer.objects.exists()
        client.post(
            reverse("inforequests:transfer_propose", args=[case.pk]),
            {"to_organisation": str(tree.sibling_street.pk), "reason": "不属本机关"},
        )
        transfer = Transfer.objects.get()
        client.force_login(other)
        listing = client.get(reverse("inforequests:transfers")).content.decode()
        assert case.tracking_number in listing
        done = client.post(
            reverse("inforequests:transfer_accept", args=[transfer.pk]), follow=True
        )
        text = done.content.decode()
        assert "已接收转办" in text and "查询码" in text
        assert "接收转办" in text and case.tracking_number in text
        assert "transfer_received" not in text
        new = InfoRequest.objects.exclude(pk=case.pk).get()
        client.force_login(tree.officer)
        sender = client.get(reverse("inforequests:detail", args=[case.pk]))
    body = sender.content.decode()
    assert "转办已被接收" in body and new.tracking_number in body
