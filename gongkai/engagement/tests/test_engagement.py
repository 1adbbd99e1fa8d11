"""政民互动 (issue 21, requirement 2): 意见征集 with moderation and the 采纳情况,
留言 with its deadline, public answer and e-mail, the dashboard figures, bad input."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.engagement import selectors as sel
from gongkai.engagement import services as s
from gongkai.engagement.models import Consultation, ConsultationComment, Message
from gongkai.security.mail import mail_send_due
from gongkai.security.models import OutgoingMail

pytestmark = pytest.mark.django_db

# 30 days: the opening day is not counted (民法典第二百零一条), 2 Nov … 1 Dec.
OPENS, CLOSES = date(2024, 11, 1), date(2024, 12, 1)


def on(day: date) -> time_machine.travel:
    """The clock on ``day`` (China time): a consultation opens today or later."""
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def _consultation(tree: Any, **kw: Any) -> Consultation:
    fields = {
        "title": "老旧小区加装电梯实施办法（征求意见稿）",
        "body": "第一条 为方便居民出行……",
        "is_major": True,
        "opens_on": OPENS,
        "closes_on": CLOSES,
        **kw,
    }
    with on(fields["opens_on"]):
        return s.consultation_open(
            actor=tree.officer, organisation=tree.street, **fields
        )


def _comment(c: Consultation, text: str, day: date = date(2024, 11, 5)) -> Any:
    return s.comment_submit(consultation=c, text=text, today=day)


def test_a_major_draft_needs_thirty_days_and_nothing_is_saved(
    tree: Any, settings: Any
) -> None:
    settings.CONSULTATION_MIN_DAYS_MAJOR = 30
    with pytest.raises(ValidationError) as refused:
        _consultation(tree, closes_on=date(2024, 11, 30))
    assert "不少于30日" in refused.value.message_dict["closes_on"][0]
    assert not Consultation.objects.exists()
    settings.CONSULTATION_MIN_DAYS_MAJOR = 20
    assert _consultation(tree, closes_on=date(2024, 11, 21)).pk


def test_a_backdated_major_draft_is_refused(tree: Any, settings: Any) -> None:
    # Opened "40 days ago", closing today: the review's case. Refused on the start.
    settings.CONSULTATION_MIN_DAYS_MAJOR = 30
    today = date(2024, 12, 11)
    with on(today), pytest.raises(ValidationError) as refused:
        s.consultation_open(
            actor=tree.officer,
            organisation=tree.street,
            title="草案",
            body="内容",
            is_major=True,
            opens_on=date(2024, 11, 1),
            closes_on=today,
        )
    message = refused.value.message_dict["opens_on"][0]
    assert "不能早于今天（2024年12月11日）" in message and "第十四条" in message
    assert not Consultation.objects.exists()


def test_the_feedback_due_date_counts_working_days(tree: Any, settings: Any) -> None:
    settings.CONSULTATION_FEEDBACK_WORKING_DAYS = 1
    # Closes Friday 27 Sep 2024; Sunday 29 Sep was a working day (调休).
    c = _consultation(
        tree, is_major=False, opens_on=date(2024, 9, 20), closes_on=date(2024, 9, 27)
    )
    assert c.feedback_due_on == date(2024, 9, 29)


def test_comments_are_public_only_after_moderation(tree: Any) -> None:
    c = _consultation(tree)
    kept = _comment(c, "建议优先考虑低楼层住户的意见。")
    dropped = _comment(c, "无关内容")
    assert list(sel.public_comments(c)) == []
    s.comment_moderate(actor=tree.officer, comment=kept, approve=True)
    s.comment_moderate(actor=tree.officer, comment=dropped, approve=False)
    assert list(sel.public_comments(c)) == [kept]
    with pytest.raises(ValidationError, match="已审核"):
        s.comment_moderate(actor=tree.officer, comment=kept, approve=False)
    # Another body cannot moderate it.
    from gongkai.orgs.tests.factories import make_user

    stranger = make_user("x_officer", tree.sibling_street, "officer")
    other = _comment(c, "再提一条建议。")
    with pytest.raises(PermissionDenied):
        s.comment_moderate(actor=stranger, comment=other, approve=True)
    other.refresh_from_db()
    assert other.state == ConsultationComment.State.PENDING


def test_comments_outside_the_period_and_bad_text_are_refused(tree: Any) -> None:
    c = _consultation(tree)
    bad = [
        ("看这里 http://spam.example.com", "不能包含网址"),
        ("<script>alert(1)</script>", "不能包含网页代码"),
        ("意" * 1001, "意见最多1000个字，现有1001个字"),
    ]
    for text, message in bad:
        with pytest.raises(ValidationError) as refused:
            _comment(c, text)
        assert message in refused.value.message_dict["text"][0]
    with pytest.raises(ValidationError, match="不在征集期内"):
        _comment(c, "太晚了", day=date(2024, 12, 2))
    assert not ConsultationComment.objects.exists()


def test_adoption_and_the_published_result(tree: Any) -> None:
    c = _consultation(tree)
    comments = [_comment(c, f"第{n}条意见。") for n in range(1, 5)]
    for x in comments[:3]:
        s.comment_moderate(actor=tree.officer, comment=x, approve=True)
    s.comment_moderate(actor=tree.officer, comment=comments[3], approve=False)
    first, second, third = comments[:3]
    during = date(2024, 11, 20)
    after = date(2024, 12, 2)
    with pytest.raises(ValidationError, match="结束后才能处理采纳情况"):
        s.comment_adopt(
            actor=tree.officer,
            comment=first,
            adoption="adopted",
            reason="",
            today=during,
        )
    s.comment_adopt(
        actor=tree.officer, comment=first, adoption="adopted", reason="", today=after
    )
    with pytest.raises(ValidationError) as refused:
        s.comment_adopt(
            actor=tree.officer,
            comment=second,
            adoption="not_adopted",
            reason="",
            today=after,
        )
    assert "须说明理由" in refused.value.messages[0]
    with pytest.raises(ValidationError, match="2条公开意见未处理"):
        s.consultation_publish_result(
            actor=tree.officer, consultation=c, summary="采纳情况如下。", today=after
        )
    s.comment_adopt(
        actor=tree.officer,
        comment=second,
        adoption="not_adopted",
        reason="超出本办法调整范围。",
        today=after,
    )
    s.comment_adopt(
        actor=tree.officer,
        comment=third,
        adoption="partly",
        reason="部分采纳。",
        today=after,
    )
    s.consultation_publish_result(
        actor=tree.officer, consultation=c, summary="共收到意见4条。", today=after
    )
    c.refresh_from_db()
    assert c.result_published_at is not None
    figures = sel.consultation_result_figures(c)
    assert (figures.received, figures.public) == (4, 3)
    assert (figures.adopted, figures.partly, figures.not_adopted) == (1, 1, 1)
    with pytest.raises(ValidationError, match="已公布"):
        s.comment_adopt(
            actor=tree.officer,
            comment=third,
            adoption="adopted",
            reason="",
            today=after,
        )


def test_overdue_feedback_is_flagged(tree: Any, settings: Any) -> None:
    settings.CONSULTATION_FEEDBACK_WORKING_DAYS = 5
    c = _consultation(tree)
    # 1 Dec 2024 is a Sunday: 2–6 December are the five working days.
    assert c.feedback_due_on == date(2024, 12, 6)
    on_due = sel.engagement_figures([tree.street], 2024, date(2024, 12, 6))
    assert on_due[tree.street.pk].feedback_overdue == 0
    late = sel.engagement_figures([tree.street], 2024, date(2024, 12, 9))
    assert late[tree.street.pk].feedback_overdue == 1
    assert list(sel.overdue_feedback([tree.street], date(2024, 12, 9))) == [c]
    assert c.feedback_overdue(date(2024, 12, 9))


def test_message_deadline_public_answer_and_email(tree: Any, settings: Any) -> None:
    settings.MESSAGE_REPLY_WORKING_DAYS = 5
    m = s.message_submit(
        organisation=tree.street,
        subject="加装电梯补贴怎么申请",
        question="请问老旧小区加装电梯的补贴向哪里申请？",
        email="asker@example.com",
        name="王先生",
        today=date(2024, 9, 30),
    )
    # 30 Sep + 5 working days: 8, 9, 10, 11 October and Saturday 12 October (调休).
    assert m.due_on == date(2024, 10, 12)
    assert list(sel.public_answers(tree.street)) == []
    s.message_answer(
        actor=tree.officer,
        message=m,
        answer="请向所在社区居委会提交申请。",
        public=True,
        today=date(2024, 10, 12),
    )
    assert [x.pk for x in sel.public_answers(tree.street)] == [m.pk]
    queued = OutgoingMail.objects.get()
    assert queued.to == ["asker@example.com"]
    mail_send_due()
    assert len(mail.outbox) == 1
    assert "请向所在社区居委会提交申请。" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="已答复"):
        s.message_answer(
            actor=tree.officer,
            message=m,
            answer="再答",
            public=False,
            today=date(2024, 10, 14),
        )


def test_message_counts_and_on_time_rate(tree: Any, settings: Any) -> None:
    settings.MESSAGE_REPLY_WORKING_DAYS = 5

    def ask(subject: str) -> Message:
        return s.message_submit(
            organisation=tree.street,
            subject=subject,
            question="问题内容。",
            email="a@example.com",
            today=date(2024, 9, 30),
        )

    on_time, late, _unanswered_a, _unanswered_b = (ask(f"问题{n}") for n in range(4))
    s.message_answer(
        actor=tree.officer,
        message=on_time,
        answer="答复。",
        public=False,
        today=date(2024, 10, 12),
    )
    s.message_answer(
        actor=tree.officer,
        message=late,
        answer="答复。",
        public=False,
        today=date(2024, 10, 14),
    )
    row = sel.engagement_figures([tree.street], 2024, date(2024, 10, 14))[
        tree.street.pk
    ]
    assert (row.messages, row.answered, row.on_time, row.overdue) == (4, 2, 1, 2)
    # On time 1 of (answered 2 + overdue 2).
    assert row.on_time_rate == 25.0


def test_bad_messages_are_refused_and_nothing_is_saved(tree: Any) -> None:
    bad = [
        ({"question": "详见 www.spam.cn"}, "question", "不能包含网址"),
        ({"question": "<iframe src=x>"}, "question", "不能包含网页代码"),
        ({"question": "问" * 2001}, "question", "最多2000个字"),
        ({"email": "不是邮箱"}, "email", "有效的电子邮箱"),
        ({"subject": "<b>标题</b>"}, "subject", "不能包含网页代码"),
    ]
    for change, field, message in bad:
        fields = {
            "subject": "标题",
            "question": "问题内容。",
            "email": "a@example.com",
            **change,
        }
        with pytest.raises(ValidationError) as refused:
            s.message_submit(
                organisation=tree.street, today=date(2024, 9, 30), **fields
            )
        assert message in refused.value.message_dict[field][0]
    assert not Message.objects.exists()


def _captcha_answer(page: str) -> str:
    found = re.search(r"(\d) 加 (\d) 等于几", page)
    assert found, "no CAPTCHA question on the page"
    return str(int(found.group(1)) + int(found.group(2)))


def _token(page: str) -> str:
    found = re.search(r'name="captcha_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_public_message_form_with_captcha(client: Any, tree: Any) -> None:
    url = f"/gk/{tree.street.pk}/messages/new/"
    page = client.get(url).content.decode()
    data = {
        "subject": "咨询",
        "question": "请访问 http://x.example.com",
        "email": "a@example.com",
        "captcha": _captcha_answer(page),
        "captcha_token": _token(page),
    }
    # A link: a Chinese error, the form comes back, nothing saved.
    answer = client.post(url, data)
    assert answer.status_code == 200
    assert "不能包含网址" in answer.content.decode()
    assert not Message.objects.exists()
    # A wrong CAPTCHA answer: refused.
    page = answer.content.decode()
    data.update(
        question="请问办事时间？",
        captcha=str(int(_captcha_answer(page)) + 1),
        captcha_token=_token(page),
    )
    answer = client.post(url, data)
    assert "验证题答案不正确" in answer.content.decode()
    assert not Message.objects.exists()
    page = answer.content.decode()
    data.update(captcha=_captcha_answer(page), captcha_token=_token(page))
    answer = client.post(url, data)
    assert answer.status_code == 302
    assert Message.objects.get().subject == "咨询"


def test_public_pages_show_consultation_and_result(client: Any, tree: Any) -> None:
    c = _consultation(tree, opens_on=date(2024, 1, 1), closes_on=date(2024, 2, 1))
    column = client.get(f"/gk/{tree.street.pk}/").content.decode()
    assert f"/gk/{tree.street.pk}/interaction/" in column
    index = client.get(f"/gk/{tree.street.pk}/interaction/").content.decode()
    assert c.title in index
    page = client.get(f"/gk/{tree.street.pk}/consultations/{c.pk}/").content.decode()
    assert "征集结束" in page and "提交意见" not in page
    # Another body's column does not show it.
    assert (
        client.get(f"/gk/{tree.sibling_street.pk}/consultations/{c.pk}/").status_code
        == 404
    )


def test_demo_fills_each_part_and_runs_twice(tree: Any) -> None:
    from gongkai.engagement import demo
    from gongkai.orgs.tests.factories import make_user
    from gongkai.publishing.selectors import interpretation_figures

    make_user("officer", tree.street, "officer")
    make_user("head", tree.street, "head")
    demo.load({"luopu": tree.street})
    demo.load({"luopu": tree.street})  # idempotent
    assert Consultation.objects.filter(organisation=tree.street).count() == 2
    assert Message.objects.filter(organisation=tree.street).count() == 3
    assert [m.subject for m in sel.public_answers(tree.street)] == [
        "加装电梯补贴向哪里申请"
    ]
    from django.utils import timezone

    row = interpretation_figures([tree.street], timezone.localdate().year)[
        tree.street.pk
    ]
    assert (row.total, row.timely) == (2, 1)
