"""Issue 16, requirements 5 and 7: 我的申请 — sign-in by a one-time code (read back
from a real SMTP listener and a local SMS gateway), the applicant's cases across
bodies, 补正 online, 撤回, and 好差评 once per case."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from gongkai.feedback.models import HandlingRating
from gongkai.feedback.ratings import ALREADY_RATED, handling_rate, rating_summary
from gongkai.inforequests import letters, steps
from gongkai.inforequests.models import ApplicantNotice, CaseEvent, InfoRequest
from gongkai.inforequests.tests.factories import registration
from gongkai.inforequests.tests.local_servers import SmsGateway, SmtpListener
from gongkai.portal.models import ApplicantCode
from gongkai.supervision.selectors import dashboard

pytestmark = pytest.mark.django_db

EMAIL = "li.si@example.cn"
PHONE = "13800001111"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.fixture
def smtp(settings):
    with SmtpListener() as listener:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = listener.port
        settings.EMAIL_TIMEOUT = 5
        yield listener


@pytest.fixture
def sms(settings):
    with SmsGateway() as gateway:
        settings.SMS_BACKEND = "gongkai.inforequests.sms.HttpSmsGateway"
        settings.SMS_GATEWAY_URL = gateway.url
        yield gateway


def new_case(tree, organisation=None, portal=False, **overrides):
    values = {
        "channel": "online",
        "confirmed_on": date(2026, 9, 18),
        "email": EMAIL,
        "phone": PHONE,
        "delivery": "online",
        "form": "electronic",
    }
    values.update(overrides)
    case, _code, _receipt = letters.register(
        actor=None if portal else tree.officer,
        organisation=organisation or tree.street,
        registration=registration(**values),
        from_portal=portal,
    )
    return case


def act(tree, case, action, actor=None, **data):
    return steps.perform(action, actor=actor or tree.officer, request=case, data=data)


def ask_code(client, contact):
    return client.post(reverse("portal:me_code"), {"contact": contact})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]


def code_in(text: str) -> str:
    return re.search(r"验证码是 (\d{6})", text)[1]


def mailed_code(smtp) -> str:
    body = smtp.messages[-1].get_body(preferencelist=("plain",)).get_content()
    return code_in(body)


def sign_in(client, smtp, contact=" LI.SI@Example.CN "):
    response = ask_code(client, contact)
    assert response.status_code == 200
    return client.post(
        reverse("portal:me_verify"),
        {"token": token_of(response), "code": mailed_code(smtp)},
    )


# ------------------------------------------------------------------- sign-in


def test_a_view_writes_nothing_and_the_mailed_code_signs_in_to_every_case(
    client, tree, smtp
):
    with at("2026-09-18"):
        mine = new_case(tree)
        mine_elsewhere = new_case(
            tree, tree.sibling_street, portal=True, email="li.si@example.cn "
        )
        others = new_case(tree, email="wang@example.cn", phone="13900002222")
        response = client.get(reverse("portal:me"))
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
        assert Session.objects.count() == 0 and ApplicantCode.objects.count() == 0

        signed = sign_in(client, smtp)
        assert signed.status_code == 302
        page = client.get(reverse("portal:me")).content.decode()
    assert smtp.recipients[-1] == [EMAIL]
    # Neither the address nor the code is stored.
    row = ApplicantCode.objects.get()
    code = mailed_code(smtp)
    stored = " ".join(str(v) for v in row.__dict__.values())
    assert code not in stored and EMAIL not in stored
    assert mine.tracking_number in page and mine_elsewhere.tracking_number in page
    assert others.tracking_number not in page
    assert EMAIL not in page  # masked only


def test_the_code_by_sms_through_the_gateway(client, tree, sms):
    with at("2026-09-18"):
        case = new_case(tree)
        response = ask_code(client, "+86 138-0000-1111")
        assert "138****1111" in response.content.decode()
        (posted,) = sms.received
        assert posted["phone"] == PHONE
        client.post(
            reverse("portal:me_verify"),
            {"token": token_of(response), "code": code_in(posted["text"])},
        )
        page = client.get(reverse("portal:me")).content.decode()
    assert case.tracking_number in page


def test_wrong_reused_expired_and_burnt_codes_are_refused_in_chinese(
    client, tree, smtp
):
    with at("2026-09-18"):
        new_case(tree)
        first = ask_code(client, EMAIL)
        token, code = token_of(first), mailed_code(smtp)
        wrong = "000000" if code != "000000" else "111111"
        bad = client.post(reverse("portal:me_verify"), {"token": token, "code": wrong})
        assert bad.status_code == 400 and "验证码不正确" in bad.content.decode()
        assert ApplicantCode.objects.get().tries == 1
        ok = client.post(reverse("portal:me_verify"), {"token": token, "code": code})
        assert ok.status_code == 302
        again = client.post(reverse("portal:me_verify"), {"token": token, "code": code})
        assert "已经使用过" in again.content.decode()
        forged = client.post(
            reverse("portal:me_verify"), {"token": token + "x", "code": code}
        )
        assert "验证已失效" in forged.content.decode()
    with time_machine.travel("2026-09-18 10:05 +0800", tick=False):
        second = ask_code(client, EMAIL)
        token2, code2 = token_of(second), mailed_code(smtp)
    with time_machine.travel("2026-09-18 10:16 +0800", tick=False):
        late = client.post(
            reverse("portal:me_verify"), {"token": token2, "code": code2}
        )
        assert "已过期" in late.content.decode()
    with time_machine.travel("2026-09-18 10:20 +0800", tick=False):
        third = ask_code(client, EMAIL)
        token3, code3 = token_of(third), mailed_code(smtp)
        wrong3 = "000000" if code3 != "000000" else "111111"
        for _ in range(ApplicantCode.MAX_TRIES):
            client.post(reverse("portal:me_verify"), {"token": token3, "code": wrong3})
        burnt = client.post(
            reverse("portal:me_verify"), {"token": token3, "code": code3}
        )
        assert "输错次数过多" in burnt.content.decode()


def test_codes_are_limited_per_address_and_an_unknown_address_gets_the_same_answer(
    client, tree, smtp, settings
):
    settings.APPLICANT_CODES_PER_HOUR = 2
    with at("2026-09-18"):
        new_case(tree)
        assert ask_code(client, EMAIL).status_code == 200
        soon = ask_code(client, EMAIL)
        assert "等待 1 分钟" in soon.content.decode()
    with time_machine.travel("2026-09-18 10:02 +0800", tick=False):
        assert ask_code(client, EMAIL).status_code == 200
    with time_machine.travel("2026-09-18 10:04 +0800", tick=False):
        full = ask_code(client, EMAIL)
        assert full.status_code == 400 and "过于频繁" in full.content.decode()
        sent = len(smtp.messages)
        unknown = ask_code(client, "nobody@example.cn")
        assert unknown.status_code == 200  # the same page: it tells no one who applied
        assert len(smtp.messages) == sent  # and sends nothing
        assert "格式不正确" in ask_code(client, "not-an-address@").content.decode()


def test_a_mail_server_that_is_down_gives_a_chinese_message_and_no_address(
    client, tree, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = SmtpListener().port  # nothing listens there
    with at("2026-09-18"):
        new_case(tree)
        response = ask_code(client, EMAIL)
    page = response.content.decode()
    assert response.status_code == 400
    assert "邮件服务器无法连接" in page and "申请不受影响" in page
    assert f'value="{EMAIL}"' in page  # the typed address is kept in the form …
    assert ApplicantCode.objects.count() == 0  # … and no dead code is left behind


# ------------------------------------------------------------------- 补正, 撤回


def clarification_asked(tree, **overrides):
    with at("2026-09-18"):
        case = new_case(tree, **overrides)
        return act(
            tree,
            case,
            "request_clarification",
            deadline=date(2026, 10, 9),
            what="请写明所需文件的年份",
        )


def test_the_applicant_answers_a_clarification_online_by_the_same_rules_as_staff(
    client, tree, smtp
):
    online = clarification_asked(tree)
    by_staff = clarification_asked(tree, email="zhao@example.cn", phone="")
    with at("2026-09-24"):
        sign_in(client, smtp)
        page = client.get(reverse("portal:me_case", args=[online.tracking_number]))
        assert "在线补正" in page.content.decode()
        upload = io.BytesIO(PDF)
        upload.name = "补正材料.pdf"
        response = client.post(
            reverse("portal:me_clarify", args=[online.tracking_number]),
            {"text": "所需文件为2025年度的", "materials": [upload]},
        )
        assert response.status_code == 302
        act(tree, by_staff, "receive_clarification")
    online.refresh_from_db()
    by_staff.refresh_from_db()
    assert online.status == by_staff.status == "in_progress"
    # The same 第三十条/第三十一条 rules: the period restarts on the day of receipt.
    assert online.due_on == by_staff.due_on
    event = CaseEvent.objects.get(request=online, action="receive_clarification")
    assert event.on == date(2026, 9, 24)
    assert event.data["by"] == "applicant"
    assert event.data["correction"] == "所需文件为2025年度的"
    (attachment,) = online.attachments.all()
    assert attachment.original_name == "补正材料.pdf"
    with attachment.file.open("rb") as raw:
        assert raw.read() != PDF  # encrypted at rest


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("material.exe", b"MZ\x90\x00" + b"\x00" * 100, "不支持该文件类型"),
        ("fake.pdf", b"just text, not a pdf", "不符"),
        ("big.pdf", PDF + b"0" * (1024 * 1024 + 10), "超过"),
    ],
)
def test_a_bad_clarification_file_is_refused_and_nothing_is_lost(
    client, tree, smtp, settings, name, content, expected
):
    settings.UPLOAD_MAX_MB = 1
    case = clarification_asked(tree)
    with at("2026-09-24"):
        sign_in(client, smtp)
        upload = io.BytesIO(content)
        upload.name = name
        response = client.post(
            reverse("portal:me_clarify", args=[case.tracking_number]),
            {"text": "所需文件为2025年度的", "materials": [upload]},
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert expected in page, page
    assert "所需文件为2025年度的" in page  # the typed text is kept
    case.refresh_from_db()
    assert case.status == "awaiting_clarification"
    assert case.attachments.count() == 0


def test_the_applicant_withdraws_and_is_told(client, tree, smtp):
    with at("2026-09-18"):
        case = new_case(tree)
        sign_in(client, smtp)
        unconfirmed = client.post(
            reverse("portal:me_withdraw", args=[case.tracking_number])
        )
        assert unconfirmed.status_code == 302
        case.refresh_from_db()
        assert case.status == "received"
        client.post(
            reverse("portal:me_withdraw", args=[case.tracking_number]),
            {"confirm": "yes"},
        )
    case.refresh_from_db()
    assert case.status == "withdrawn"
    assert ApplicantNotice.objects.filter(request=case, event="terminated").exists()


def test_another_persons_case_is_not_found_and_not_signed_in_goes_to_sign_in(
    client, tree, smtp
):
    with at("2026-09-18"):
        new_case(tree)
        theirs = new_case(tree, email="wang@example.cn", phone="13900002222")
        url = reverse("portal:me_case", args=[theirs.tracking_number])
        assert client.get(url).status_code == 302
        sign_in(client, smtp)
        assert client.get(url).status_code == 404
        withdraw = client.post(
            reverse("portal:me_withdraw", args=[theirs.tracking_number]),
            {"confirm": "yes"},
        )
        assert withdraw.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "received"


def test_the_space_lists_letters_with_single_use_account_links(client, tree, smtp):
    with at("2026-09-18"):
        case = new_case(tree)
        sign_in(client, smtp)
        page = client.get(reverse("portal:me_case", args=[case.tracking_number]))
        link = re.search(r'href="(/gk/download/[^"]+)"', page.content.decode())[1]
        assert client.get(link).status_code == 200
        assert client.get(link).status_code == 410
    event = CaseEvent.objects.get(request=case, action="applicant_download")
    assert event.data["via"] == "account"


# ------------------------------------------------------------------- 好差评


def replied(tree, **overrides):
    with at("2026-09-18"):
        case = new_case(tree, **overrides)
        case = act(tree, case, "accept")
        case = act(
            tree,
            case,
            "decide",
            outcome="granted",
            details={"provision": "以电子数据形式通过平台提供"},
        )
        return act(tree, case, "send_reply", actor=tree.head)


def test_the_applicant_rates_once_and_the_body_figure_counts_it(client, tree, smtp):
    case = replied(tree)
    open_case = None
    with at("2026-09-18"):
        open_case = new_case(tree)
        sign_in(client, smtp)
        page = client.get(reverse("portal:me_case", args=[case.tracking_number]))
        assert "好差评" in page.content.decode()
        not_yet = client.get(
            reverse("portal:me_case", args=[open_case.tracking_number])
        )
        assert "好差评" not in not_yet.content.decode()
        url = reverse("portal:rate", args=[case.tracking_number])
        client.post(url, {"score": "2", "comment": "答复慢"})
        client.post(url, {"score": "5"})
    (rating,) = HandlingRating.objects.all()
    assert (rating.score, rating.comment) == (2, "答复慢")
    assert rating.organisation_id == tree.street.pk
    # Without the cookie, the service still refuses a second rating of the case.
    with pytest.raises(ValidationError) as refused:
        handling_rate(case=case, score=5, comment="", address="10.0.0.9")
    assert ALREADY_RATED in refused.value.messages
    summary = rating_summary([tree.street, tree.sibling_street], 2026)
    assert summary[tree.street.pk] == {"ratings": 1, "rating_avg": 2.0, "bad": 1}
    assert summary[tree.sibling_street.pk]["ratings"] == 0


def test_one_address_cannot_rate_many_cases_of_a_body(tree, settings):
    settings.PORTAL_VOTES_PER_ADDRESS = 1
    first = replied(tree)
    second = replied(tree, email="zhao@example.cn", phone="")
    handling_rate(case=first, score=4, comment="", address="10.0.0.7")
    with pytest.raises(ValidationError):
        handling_rate(case=second, score=1, comment="", address="10.0.0.7")
    handling_rate(case=second, score=1, comment="", address="10.0.0.8")
    assert HandlingRating.objects.count() == 2


def test_the_holder_of_number_and_code_rates_from_the_status_page(client, tree):
    with at("2026-09-18"):
        case, code, _ = letters.register(
            actor=tree.officer,
            organisation=tree.street,
            registration=registration(channel="in_person"),
        )
        case = act(tree, case, "accept")
        case = act(
            tree,
            case,
            "decide",
            outcome="granted",
            details={"provision": "以电子数据形式通过平台提供"},
        )
        act(tree, case, "send_reply", actor=tree.head)
        url = reverse("portal:rate", args=[case.tracking_number])
        stranger = client.post(url, {"score": "5"})
        assert stranger.status_code == 302 and not HandlingRating.objects.exists()
        page = client.post(
            reverse("portal:status"),
            {"tracking_number": case.tracking_number, "query_code": code},
        )
        assert 'id="rating"' in page.content.decode()
        client.post(url, {"score": "4", "comment": ""})
    assert HandlingRating.objects.get().score == 4
    assert InfoRequest.objects.get(pk=case.pk).handling_rating.score == 4


def test_a_bad_score_is_refused(tree):
    case = replied(tree)
    with pytest.raises(ValidationError):
        handling_rate(case=case, score="9", comment="", address=None)
    assert not HandlingRating.objects.exists()


def test_the_ratings_reach_the_supervision_dashboard_per_body(client, tree):
    first = replied(tree)
    second = replied(tree, email="zhao@example.cn", phone="")
    handling_rate(case=first, score=5, comment="", address="10.0.0.1")
    handling_rate(case=second, score=2, comment="慢", address="10.0.0.2")
    with at("2026-09-18"):
        board = dashboard(tree.district, 2026)
        client.force_login(tree.supervisor)
        page = client.get(reverse("supervision:dashboard")).content.decode()
    row = next(u for u in board.units if u.unit.pk == tree.street.pk)
    assert (row.ratings, row.rating_avg, row.bad_ratings) == (2, 3.5, 1)
    other = next(u for u in board.units if u.unit.pk == tree.sibling_street.pk)
    assert other.ratings == 0
    assert "好差评" in page and "2/3.5/1" in page


def test_older_applications_get_their_digests_and_can_be_signed_in_to(
    client, tree, smtp
):
    with at("2026-09-18"):
        case = new_case(tree)
        InfoRequest.objects.filter(pk=case.pk).update(email_digest="", phone_digest="")
        response = ask_code(client, EMAIL)
        assert len(smtp.messages) == 0  # not found: nothing sent
        call_command("fill_contact_digests", stdout=io.StringIO())
        sign_in_response = None
        with time_machine.travel("2026-09-18 10:02 +0800", tick=False):
            sign_in_response = sign_in(client, smtp)
        assert response.status_code == 200 and sign_in_response.status_code == 302
        page = client.get(reverse("portal:me")).content.decode()
    assert case.tracking_number in page


@pytest.mark.parametrize(
    ("method", "name", "args", "data"),
    [
        ("get", "portal:me", [], {}),
        ("post", "portal:me_code", [], {}),
        ("post", "portal:me_code", [], {"contact": "x" * 500}),
        ("post", "portal:me_verify", [], {}),
        ("post", "portal:me_verify", [], {"token": "x" * 300, "code": "一二三"}),
        ("get", "portal:me_case", ["GK-NOPE"], {}),
        ("post", "portal:me_clarify", ["GK-NOPE"], {"text": "x"}),
        ("post", "portal:me_withdraw", ["GK-NOPE"], {"confirm": "yes"}),
        ("post", "portal:rate", ["GK-NOPE"], {"score": "9"}),
        ("get", "portal:me_oidc_callback", [], {"code": "x", "state": "y"}),
        ("post", "portal:me_sign_out", [], {}),
    ],
)
def test_garbage_never_gives_a_500(client, tree, method, name, args, data):
    response = getattr(client, method)(reverse(name, args=args), data)
    assert response.status_code in (200, 302, 400, 404, 405)
    if response.status_code in (200, 400):
        page = response.content.decode()
        assert "Traceback" not in page and "ValidationError" not in page
