"""Demo (issue 21, requirements 1–2) for 洛浦街道: two 规范性文件 — one with a timely
解读, one without (it shows as missing on the dashboard) —, a 重大行政决策 draft open
for comment, a finished 意见征集 with its 采纳情况, and three 留言 (answered in
public, answered privately, waiting). Idempotent: nothing is added once the first
draft exists."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.calendars.selectors import work_calendar
from gongkai.core.engagement_rules import consultation_feedback_due
from gongkai.engagement import services
from gongkai.engagement.models import Consultation
from gongkai.orgs.models import Organisation
from gongkai.publishing import services as publishing
from gongkai.publishing.models import Publication

OPEN_TITLE = "洛浦街道老旧小区加装电梯工作实施办法（征求意见稿）"
DONE_TITLE = "洛浦街道居民议事会议事规则（征求意见稿）"
DOCUMENTS = (
    ("洛浦街道城市道路临时占用管理办法", "洛街〔{year}〕21号", True),
    ("洛浦街道社区公益性岗位管理办法", "洛街〔{year}〕22号", False),
)
MESSAGES = (
    (
        "加装电梯补贴向哪里申请",
        "请问我们小区想加装电梯，补贴向哪个部门申请？需要准备什么材料？",
        "您好，加装电梯补贴由所在社区居委会受理初审，需提交业主表决结果、设计方案和施工合同，详见街道办事指南。",
        True,
    ),
    (
        "孩子入学证明开具",
        "孩子上小学需要居住证明，在哪里开？",
        "您好，居住证明请到户籍所在社区服务站开具，携带户口簿和身份证。",
        False,
    ),
    ("路灯不亮", "惠济路南段路灯已经一周不亮，晚上出行不便，请尽快处理。", "", False),
)


def _at(days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime(
        day.year, day.month, day.day, 10, 0, tzinfo=timezone.get_current_timezone()
    )


def _publish(pub: Publication, officer: User, head: User, days_ago: int) -> None:
    pub = publishing.publication_submit(actor=officer, publication=pub)
    pub = publishing.publication_approve(
        actor=head, publication=pub, secrecy_checked=True, note="经保密审查，同意公开。"
    )
    publishing.publication_publish(actor=officer, publication=pub)
    # Demo history: as if published ``days_ago`` days ago.
    Publication.objects.filter(pk=pub.pk).update(published_at=_at(days_ago))


def _load_interpretations(luopu: Organisation, officer: User, head: User) -> None:
    today = timezone.localdate()
    # Early in January the documents would fall in last year's 解读率: keep them in this year.
    days_ago = min(12, today.timetuple().tm_yday - 1)
    for title, number, interpreted in DOCUMENTS:
        if Publication.objects.filter(organisation=luopu, title=title).exists():
            continue
        doc = publishing.publication_create(
            actor=officer,
            organisation=luopu,
            title=title,
            formed_on=today - timedelta(days=days_ago),
            genre="normative",
            document_number=number.format(year=today.year),
            body=f"<p>第一条 为规范{title[4:-4]}管理，制定本办法。</p>",
        )
        _publish(doc, officer, head, days_ago)
        if not interpreted:
            continue
        interp = publishing.publication_create(
            actor=officer,
            organisation=luopu,
            title=f"一图读懂《{title}》",
            formed_on=today - timedelta(days=days_ago),
            genre="interpretation",
            interprets=doc,
            interpretation_form="text",
            body="<p>一、为什么制定：规范临时占道，保障通行安全。</p>"
            "<p>二、主要内容：占道须经审批，期限一般不超过30日。</p>",
        )
        _publish(interp, officer, head, days_ago)


def _as_if_opened(item: Consultation, days_ago: int) -> Consultation:
    """Demo history: the draft as if it had gone out ``days_ago`` days ago (the
    service opens a draft today at the earliest), same length, due date moved too."""
    shift = timedelta(days=days_ago)
    item.opens_on -= shift
    item.closes_on -= shift
    item.feedback_due_on = consultation_feedback_due(
        item.closes_on, settings.CONSULTATION_FEEDBACK_WORKING_DAYS, work_calendar()
    )
    Consultation.objects.filter(pk=item.pk).update(
        opens_on=item.opens_on,
        closes_on=item.closes_on,
        feedback_due_on=item.feedback_due_on,
    )
    return item


def _load_consultations(luopu: Organisation, officer: User, head: User) -> None:
    today = timezone.localdate()
    current = services.consultation_open(
        actor=officer,
        organisation=luopu,
        title=OPEN_TITLE,
        body="第一条 为改善老旧小区居民出行条件，推进既有住宅加装电梯，制定本办法。\n"
        "第二条 加装电梯应当经本栋房屋专有部分面积占比三分之二以上的业主同意。",
        is_major=True,
        opens_on=today,
        closes_on=today + timedelta(days=30),
    )
    current = _as_if_opened(current, 5)
    for text, approve in (
        ("建议明确低楼层住户的补偿标准，减少邻里矛盾。", True),
        ("希望街道统一组织招标，降低加装成本。", True),
        ("加装后的电梯维保费用由谁承担？建议写清楚。", None),
    ):
        comment = services.comment_submit(
            consultation=current, text=text, today=current.opens_on
        )
        if approve is not None:
            services.comment_moderate(actor=officer, comment=comment, approve=approve)
    done = services.consultation_open(
        actor=officer,
        organisation=luopu,
        title=DONE_TITLE,
        body="第一条 居民议事会每季度至少召开一次。\n第二条 议题由居民代表提出。",
        is_major=False,
        opens_on=today,
        closes_on=today + timedelta(days=30),
    )
    done = _as_if_opened(done, 40)
    decisions = (
        ("建议议事会议题提前一周公示。", "adopted", "已在第三条增加提前公示的规定。"),
        (
            "建议每月召开一次。",
            "not_adopted",
            "每季度一次已能满足需要，可按需临时召开。",
        ),
        ("建议吸收物业企业代表列席。", "partly", "物业企业代表可列席，但不参与表决。"),
    )
    for text, adoption, reason in decisions:
        comment = services.comment_submit(
            consultation=done, text=text, today=done.opens_on
        )
        services.comment_moderate(actor=officer, comment=comment, approve=True)
        services.comment_adopt(
            actor=officer,
            comment=comment,
            adoption=adoption,
            reason=reason,
            today=today,
        )
    services.consultation_publish_result(
        actor=head,
        consultation=done,
        summary="征求意见期间共收到意见3条，采纳1条、部分采纳1条；未采纳的意见已逐条说明理由。",
        today=today,
    )


def _load_messages(luopu: Organisation, officer: User) -> None:
    today = timezone.localdate()
    for n, (subject, question, answer, public) in enumerate(MESSAGES):
        item = services.message_submit(
            organisation=luopu,
            subject=subject,
            question=question,
            email=f"resident{n + 1}@example.com",
            today=today - timedelta(days=3 - n),
        )
        if answer:
            services.message_answer(
                actor=officer, message=item, answer=answer, public=public, today=today
            )


def load(orgs: dict[str, Organisation]) -> None:
    luopu = orgs.get("luopu")
    officer = User.objects.filter(username="officer").first()
    head = User.objects.filter(username="head").first()
    if luopu is None or officer is None or head is None:
        return
    _load_interpretations(luopu, officer, head)
    if Consultation.objects.filter(organisation=luopu, title=OPEN_TITLE).exists():
        return
    _load_consultations(luopu, officer, head)
    _load_messages(luopu, officer)
