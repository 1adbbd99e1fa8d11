"""Writes of 政民互动: 意见征集 (open, comment, moderate, adopt, publish the 采纳情况)
and 留言 (submit, answer). Every write checks the permission and is audited."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record, audit_reveal
from gongkai.calendars.selectors import work_calendar
from gongkai.core.engagement_rules import (
    CONTACT_MAX_CHARS,
    MESSAGE_MAX_CHARS,
    PUBLIC_COMMENT_MAX_CHARS,
    StepRefused,
    check_consultation_period,
    check_optional_contact,
    check_public_text,
    consultation_feedback_due,
    message_due,
)
from gongkai.core.inforequest_rules import chinese_day
from gongkai.core.pii import Finding, find_pii, mask_text
from gongkai.engagement.models import (
    MAX_DRAFT_CHARS,
    Consultation,
    ConsultationComment,
    Message,
)
from gongkai.feedback.services import address_digest
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, require
from gongkai.privacy.selectors import REFUSAL_BASIS, rules_for
from gongkai.security.mail import mail_queue


def _text(
    value: str, *, field: str, label: str, max_chars: int, single_line: bool = False
) -> str:
    try:
        return check_public_text(
            value, label=label, max_chars=max_chars, single_line=single_line
        )
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc


def _short(value: str, *, field: str, label: str, max_chars: int) -> str:
    """An optional one-line field (a name): no line break, markup or link."""
    value = (value or "").strip()
    if not value:
        return ""
    return _text(value, field=field, label=label, max_chars=max_chars, single_line=True)


def _contact(value: str, *, field: str, label: str, max_chars: int) -> str:
    """An optional contact: a telephone number or an e-mail address."""
    try:
        return check_optional_contact(value, label=label, max_chars=max_chars)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc


def _staff_text(value: str, *, field: str, label: str, max_chars: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"请填写{label}。"})
    if len(value) > max_chars:
        raise ValidationError(
            {field: f"{label}最多{max_chars}个字，现有{len(value)}个字。"}
        )
    return value


# ------------------------------------------------------------------ 意见征集


@transaction.atomic
def consultation_open(
    *,
    actor: Actor,
    organisation: Organisation,
    title: str,
    body: str,
    is_major: bool,
    opens_on: date,
    closes_on: date,
) -> Consultation:
    """A draft decision put out for comment; public from ``opens_on``, which may not
    be before today (the period counts from the day the draft really goes out)."""
    require(actor, Perm.EDIT, organisation)
    author = stored_user(actor)
    assert author is not None  # require() lets only signed-in staff through
    title = _staff_text(title, field="title", label="草案名称", max_chars=200)
    body = _staff_text(body, field="body", label="草案内容", max_chars=MAX_DRAFT_CHARS)
    try:
        check_consultation_period(
            opens_on=opens_on,
            closes_on=closes_on,
            is_major=is_major,
            min_days_major=settings.CONSULTATION_MIN_DAYS_MAJOR,
            today=timezone.localdate(),
        )
    except StepRefused as exc:
        raise ValidationError({exc.field or "closes_on": exc.message}) from exc
    item = Consultation.objects.create(
        organisation=organisation,
        title=title,
        body=body,
        is_major=is_major,
        opens_on=opens_on,
        closes_on=closes_on,
        feedback_due_on=consultation_feedback_due(
            closes_on, settings.CONSULTATION_FEEDBACK_WORKING_DAYS, work_calendar()
        ),
        created_by=author,
    )
    audit_record(
        action="engagement.consultation_open",
        actor=actor,
        organisation=organisation,
        obj=item,
        details={"is_major": is_major, "closes_on": closes_on.isoformat()},
    )
    return item


@transaction.atomic
def comment_submit(
    *,
    consultation: Consultation,
    text: str,
    name: str = "",
    contact: str = "",
    today: date,
    address: str | None = None,
) -> ConsultationComment:
    """A member of the public's comment, held for moderation."""
    if not consultation.is_open(today):
        raise ValidationError(
            f"本次意见征集时间为{chinese_day(consultation.opens_on)}至"
            f"{chinese_day(consultation.closes_on)}，当前不在征集期内。"
        )
    clean = _text(text, field="text", label="意见", max_chars=PUBLIC_COMMENT_MAX_CHARS)
    item = ConsultationComment.objects.create(
        consultation=consultation,
        text=clean,
        name=_short(name, field="name", label="署名", max_chars=50),
        contact=_contact(
            contact, field="contact", label="联系方式", max_chars=CONTACT_MAX_CHARS
        ),
        address_digest=address_digest(address),
    )
    audit_record(
        action="engagement.comment_submit",
        organisation=consultation.organisation,
        obj=item,
    )
    return item


@transaction.atomic
def comment_moderate(
    *, actor: Actor, comment: ConsultationComment, approve: bool
) -> ConsultationComment:
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    org = comment.consultation.organisation
    require(actor, Perm.EDIT, org)
    if comment.state != ConsultationComment.State.PENDING:
        raise ValidationError("该意见已审核。")
    comment.state = (
        ConsultationComment.State.APPROVED
        if approve
        else ConsultationComment.State.REJECTED
    )
    comment.moderated_by = stored_user(actor)
    comment.save(update_fields=["state", "moderated_by"])
    audit_record(
        action="engagement.comment_moderate",
        actor=actor,
        organisation=org,
        obj=comment,
        details={"state": comment.state},
    )
    return comment


@transaction.atomic
def comment_adopt(
    *,
    actor: Actor,
    comment: ConsultationComment,
    adoption: str,
    reason: str,
    today: date,
) -> ConsultationComment:
    """Record whether a public comment was adopted; a comment not (fully) adopted
    carries its reason. Only after the period closes, before the 采纳情况 is out."""
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    consultation = comment.consultation
    require(actor, Perm.EDIT, consultation.organisation)
    if today <= consultation.closes_on:
        raise ValidationError(
            f"征集期至{chinese_day(consultation.closes_on)}结束，结束后才能处理采纳情况。"
        )
    if consultation.result_published_at is not None:
        raise ValidationError("采纳情况已公布，不能再修改。")
    if comment.state != ConsultationComment.State.APPROVED:
        raise ValidationError("只有审核公开的意见才需处理采纳情况。")
    valid = {
        ConsultationComment.Adoption.ADOPTED,
        ConsultationComment.Adoption.PARTLY,
        ConsultationComment.Adoption.NOT_ADOPTED,
    }
    if adoption not in valid:
        raise ValidationError({"adoption": "请选择采纳、部分采纳或未采纳。"})
    reason = (reason or "").strip()
    if adoption != ConsultationComment.Adoption.ADOPTED and not reason:
        raise ValidationError({"reason": "未采纳或部分采纳的意见须说明理由。"})
    if len(reason) > 1000:
        raise ValidationError({"reason": f"理由最多1000个字，现有{len(reason)}个字。"})
    comment.adoption, comment.adoption_reason = adoption, reason
    comment.save(update_fields=["adoption", "adoption_reason"])
    audit_record(
        action="engagement.comment_adopt",
        actor=actor,
        organisation=consultation.organisation,
        obj=comment,
        details={"adoption": adoption},
    )
    return comment


@transaction.atomic
def consultation_publish_result(
    *, actor: Actor, consultation: Consultation, summary: str, today: date
) -> Consultation:
    """Publish the 采纳情况: every public comment must have been decided."""
    item = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(actor, Perm.EDIT, item.organisation)
    if today <= item.closes_on:
        raise ValidationError(
            f"征集期至{chinese_day(item.closes_on)}结束，结束后才能公布采纳情况。"
        )
    if item.result_published_at is not None:
        raise ValidationError("采纳情况已公布。")
    undecided = item.comments.filter(
        state=ConsultationComment.State.APPROVED, adoption=""
    ).count()
    if undecided:
        raise ValidationError(
            f"还有{undecided}条公开意见未处理采纳情况，请先逐条处理。"
        )
    pending = item.comments.filter(state=ConsultationComment.State.PENDING).count()
    if pending:
        raise ValidationError(f"还有{pending}条意见未审核，请先审核。")
    item.result_summary = _staff_text(
        summary, field="summary", label="采纳情况说明", max_chars=5000
    )
    item.result_published_at = timezone.now()
    item.save(update_fields=["result_summary", "result_published_at"])
    audit_record(
        action="engagement.consultation_result",
        actor=actor,
        organisation=item.organisation,
        obj=item,
        details={"late": item.feedback_overdue(today)},
    )
    return item


# ------------------------------------------------------------------ 留言


@transaction.atomic
def message_submit(
    *,
    organisation: Organisation,
    subject: str,
    question: str,
    email: str,
    name: str = "",
    today: date,
    address: str | None = None,
) -> Message:
    """A question from the public; the reply deadline counts in working days."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for field, label, raw, limit, one_line in (
        ("subject", "标题", subject, 100, True),  # it goes into an e-mail subject
        ("question", "留言内容", question, MESSAGE_MAX_CHARS, False),
    ):
        try:
            values[field] = check_public_text(
                raw, label=label, max_chars=limit, single_line=one_line
            )
        except ValueError as exc:
            errors[field] = str(exc)
    try:
        values["name"] = _short(name, field="name", label="姓名", max_chars=50)
    except ValidationError as exc:
        errors["name"] = exc.messages[0]
    email = (email or "").strip()
    try:
        validate_email(email)
        if len(email) > 200:
            raise ValidationError("too long")
    except ValidationError:
        errors["email"] = "请填写有效的电子邮箱，答复将发送到该邮箱。"
    if errors:
        raise ValidationError(errors)
    item = Message.objects.create(
        organisation=organisation,
        subject=values["subject"],
        question=values["question"],
        name=values["name"],
        email=email,
        submitted_on=today,
        due_on=message_due(today, settings.MESSAGE_REPLY_WORKING_DAYS, work_calendar()),
        address_digest=address_digest(address),
    )
    audit_record(
        action="engagement.message_submit", organisation=organisation, obj=item
    )
    return item


# What of a 留言 goes public: never the name or the e-mail address.
PUBLIC_FIELDS = (("subject", "标题"), ("question", "留言内容"), ("answer", "答复"))


def _personal_information(item: Message) -> list[tuple[str, str, Finding]]:
    """(field, label, finding) for the personal information in what would go public,
    by the body's rules (``privacy.selectors.rules_for``) as publications are checked,
    applied as to citizens' text: a mistyped identity number and a name in a sentence
    count too (``PiiRules.for_citizen_text``, docs/engagement.md)."""
    rules = rules_for(item.organisation).for_citizen_text()
    return [
        (field, label, finding)
        for field, label in PUBLIC_FIELDS
        for finding in find_pii(getattr(item, field) or "", rules)
    ]


def _make_publishable(item: Message, *, mask: bool) -> list[str]:
    """Refuse to publish a 留言 carrying personal information, listing the findings,
    unless ``mask``: then each finding is replaced by its mask in the public text,
    the text as written kept (encrypted) in the field's ``*_original``.
    Returns the public fields masked (``_saved_with_originals`` adds their originals)."""
    found = _personal_information(item)
    if not found:
        return []
    if not mask:
        by_label: dict[str, list[Finding]] = {}
        for _field, label, finding in found:
            by_label.setdefault(label, []).append(finding)
        listed = "；".join(
            f"{label}：" + "、".join(f"{f.label}（{f.masked}）" for f in findings)
            for label, findings in by_label.items()
        )
        raise ValidationError(
            {
                "public": f"不能公开：发现未遮蔽的个人信息——{listed}。依照{REFUSAL_BASIS}，"
                "涉及个人隐私的信息不得公开。请勾选“遮蔽个人信息后公开”，或选择不公开。"
            }
        )
    changed = []
    for field, _label in PUBLIC_FIELDS:
        findings = [f for name, _, f in found if name == field]
        if findings:
            text = getattr(item, field)
            # Masked again after a take-down: the first original is the record.
            if not getattr(item, f"{field}_original"):
                setattr(item, f"{field}_original", text)
            setattr(item, field, mask_text(text, findings))
            changed.append(field)
    return changed


def _saved_with_originals(masked: list[str]) -> list[str]:
    """The columns a masking changed: each public field and its kept original."""
    return [name for field in masked for name in (field, f"{field}_original")]


def message_may_see_original(actor: Actor, message: Message) -> bool:
    """Who may read a masked 留言 as written: whoever answered it, or someone who may
    approve at its body (the office head) — the reveal rule of applications."""
    answered_it = message.answered_by_id is not None and message.answered_by_id == (
        getattr(actor, "pk", None)
    )
    return answered_it or can(actor, Perm.APPROVE, message.organisation)


def message_reveal_original(*, actor: Actor, message: Message) -> dict[str, str]:
    """The original text of each masked field, by its label, for the back office;
    every attempt is audited (a refused one too)."""
    return audit_reveal(
        action="engagement.message_reveal",
        actor=actor,
        organisation=message.organisation,
        obj=message,
        allowed=message_may_see_original(actor, message),
        refusal="只有答复人和负责人可以查看遮蔽前的原文。",
        value=lambda: {
            label: getattr(message, f"{field}_original")
            for field, label in PUBLIC_FIELDS
            if getattr(message, f"{field}_original")
        },
    )


@transaction.atomic
def message_answer(
    *,
    actor: Actor,
    message: Message,
    answer: str,
    public: bool,
    today: date,
    mask: bool = False,
) -> Message:
    """Answer a 留言; the asker is told by e-mail (the outbox); ``public`` puts the
    question and answer in the body's column — after the personal-information check
    (refused with the findings, or masked with ``mask``)."""
    item = Message.objects.select_for_update().get(pk=message.pk)
    require(actor, Perm.EDIT, item.organisation)
    if item.state == Message.State.ANSWERED:
        raise ValidationError("该留言已答复。")
    item.answer = _staff_text(answer, field="answer", label="答复", max_chars=5000)
    told = item.answer  # the asker gets the answer as written
    masked = _make_publishable(item, mask=mask) if public else []
    item.state, item.answered_on = Message.State.ANSWERED, today
    item.answered_by, item.is_public = stored_user(actor), public
    item.save(
        update_fields=[
            "answer",
            "state",
            "answered_on",
            "answered_by",
            "is_public",
            *(f for f in _saved_with_originals(masked) if f != "answer"),
        ]
    )
    mail_queue(
        to=[item.email],
        subject=f"{item.organisation.name}对您的留言“{item.subject}”的答复",
        body=(
            f"{item.name or '您好'}：\n\n您于{chinese_day(item.submitted_on)}的留言"
            f"“{item.subject}”已答复：\n\n{told}\n\n"
            + (
                "本答复已在政府信息公开专栏公开（不含您的联系方式）。\n"
                if public
                else ""
            )
            + f"\n{item.organisation.name}\n{chinese_day(today)}"
        ),
    )
    audit_record(
        action="engagement.message_answer",
        actor=actor,
        organisation=item.organisation,
        obj=item,
        details={"public": public, "on_time": today <= item.due_on, "masked": masked},
    )
    return item


@transaction.atomic
def message_set_public(
    *, actor: Actor, message: Message, public: bool, mask: bool = False
) -> Message:
    """Put an answered 留言 in the body's column (after the personal-information
    check, as at answering) or take it down again — an answer published by mistake."""
    item = Message.objects.select_for_update().get(pk=message.pk)
    require(actor, Perm.EDIT, item.organisation)
    if item.state != Message.State.ANSWERED:
        raise ValidationError("答复后才能选择是否公开。")
    if item.is_public == public:
        raise ValidationError("该留言已在专栏公开。" if public else "该留言未公开。")
    masked = _make_publishable(item, mask=mask) if public else []
    item.is_public = public
    item.save(update_fields=["is_public", *_saved_with_originals(masked)])
    audit_record(
        action="engagement.message_public",
        actor=actor,
        organisation=item.organisation,
        obj=item,
        details={"public": public, "masked": masked},
    )
    return item
