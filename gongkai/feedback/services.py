from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.crypto import salted_hmac

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record, audit_reveal
from gongkai.core.engagement_rules import (
    CONTACT_MAX_CHARS,
    PUBLIC_COMMENT_MAX_CHARS,
    check_optional_contact,
    check_public_text,
)
from gongkai.core.identifiers import mask_email, mask_phone
from gongkai.feedback.models import SURVEY_QUESTIONS, Feedback, Survey, SurveyResponse
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, can, require
from gongkai.publishing.models import Publication

# One answer per visitor (issue 18, F5): the views refuse a browser that carries
# the signed "answered" cookie; these services also refuse an address (a keyed
# digest of it, never stored in clear) that has already given
# PORTAL_VOTES_PER_ADDRESS answers to a survey or votes on an item.
ALREADY_ANSWERED = "您已参加过本次测评，每位访客只能提交一次，感谢您的参与。"
ALREADY_VOTED = "您已评价过该信息（每位访客一次），感谢您的反馈。"
ADDRESS_FULL_SURVEY = "同一网络地址提交的答卷已达上限，本次答卷未计入。感谢您的参与。"
ADDRESS_FULL_VOTE = "同一网络地址对该信息的评价已达上限，本次评价未计入。"


def address_digest(address: str | None) -> str:
    """A keyed digest of a client address: comparable, not reversible."""
    if not address:
        return ""
    return salted_hmac("gongkai.feedback.address", address).hexdigest()


@transaction.atomic
def feedback_submit(
    *,
    organisation: Organisation,
    publication: Any = None,
    useful: bool | None,
    comment: str,
    contact: str = "",
    address: str | None = None,
) -> Feedback:
    """A reader's feedback from the portal (no account); held for moderation.

    A 有用/没用 vote counts at most ``PORTAL_VOTES_PER_ADDRESS`` times per item
    from one address; the limit is counted under a lock on the item's row (the
    publication, or the organisation for a vote on its column).
    """
    # Every fault at once (the box shows each beside its field).
    errors: dict[str, str] = {}
    comment = comment.strip()
    if useful is None and not comment:
        errors["comment"] = "请选择“有用/没用”或填写意见。"
    elif comment:
        # The same rule as 留言 and 意见征集 comments: no markup, no links.
        try:
            comment = check_public_text(
                comment, label="意见", max_chars=PUBLIC_COMMENT_MAX_CHARS
            )
        except ValueError as exc:
            errors["comment"] = str(exc)
    try:  # the rule of every public form's 联系方式: a telephone number or e-mail
        contact = check_optional_contact(
            contact, label="联系方式", max_chars=CONTACT_MAX_CHARS
        )
    except ValueError as exc:
        errors["contact"] = str(exc)
    if errors:
        raise ValidationError(errors)
    digest = address_digest(address)
    if useful is not None and digest:
        if publication is not None:
            Publication.objects.select_for_update().filter(pk=publication.pk).first()
        else:
            Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        votes = Feedback.objects.filter(
            organisation=organisation,
            publication=publication,
            useful__isnull=False,
            address_digest=digest,
        ).count()
        if votes >= settings.PORTAL_VOTES_PER_ADDRESS:
            raise ValidationError({"useful": ADDRESS_FULL_VOTE})
    item = Feedback.objects.create(
        organisation=organisation,
        publication=publication,
        useful=useful,
        comment=comment,
        contact=contact,
        address_digest=digest,
    )
    audit_record(action="feedback.submit", organisation=organisation, obj=item)
    return item


@transaction.atomic
def feedback_moderate(
    *, actor: Actor, feedback: Feedback, approve: bool, reply: str = ""
) -> Feedback:
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    require(actor, Perm.EDIT, feedback.organisation)
    if feedback.state != Feedback.State.PENDING:
        raise ValidationError("该意见已审核。")
    feedback.state = Feedback.State.APPROVED if approve else Feedback.State.REJECTED
    feedback.reply, feedback.moderated_by = reply.strip(), stored_user(actor)
    feedback.save(update_fields=["state", "reply", "moderated_by"])
    audit_record(
        action="feedback.moderate",
        actor=actor,
        organisation=feedback.organisation,
        obj=feedback,
        details={"state": feedback.state},
    )
    return feedback


def feedback_contact_masked(contact: str) -> str:
    """What the moderation page shows of a 联系方式 until 显示 is pressed: a mobile
    ``138****5678``, an e-mail ``z***@example.cn``, another number its last 4 digits,
    anything else its first character."""
    text = (contact or "").strip()
    if not text:
        return ""
    if "@" in text:
        return mask_email(text)
    if sum(c.isdigit() for c in text) >= 5:
        return mask_phone(text)
    return f"{text[:1]}***"


def feedback_reveal_contact(*, actor: Actor, feedback: Feedback) -> str:
    """The 联系方式 as given, for whoever may moderate the feedback (to reply to
    the writer); personal data, so every attempt is audited (a refused one too)."""
    return audit_reveal(
        action="feedback.contact_reveal",
        actor=actor,
        organisation=feedback.organisation,
        obj=feedback,
        allowed=can(actor, Perm.EDIT, feedback.organisation),
        refusal="只有审核意见的工作人员可以查看联系方式。",
        value=lambda: feedback.contact,
    )


@transaction.atomic
def survey_open(
    *,
    actor: Actor,
    organisation: Organisation,
    title: str,
    opens_on: date,
    closes_on: date,
) -> Survey:
    require(actor, Perm.EDIT, organisation)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "结束日期不能早于开始日期。"})
    if not title.strip():
        raise ValidationError({"title": "请填写标题。"})
    limit = Survey._meta.get_field("title").max_length or 100
    if len(title.strip()) > limit:
        raise ValidationError({"title": f"标题不能超过{limit}个字。"})
    survey = Survey.objects.create(
        organisation=organisation,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
    )
    audit_record(
        action="feedback.survey_open",
        actor=actor,
        organisation=organisation,
        obj=survey,
    )
    return survey


@transaction.atomic
def survey_answer(
    *,
    survey: Survey,
    scores: dict[str, str],
    comment: str,
    today: date,
    address: str | None = None,
) -> SurveyResponse:
    """One visitor's answers; at most ``PORTAL_VOTES_PER_ADDRESS`` per address,
    counted under a lock on the survey's row so parallel answers queue."""
    if not survey.opens_on <= today <= survey.closes_on:
        raise ValidationError("本次测评不在开放时间内。")
    clean: dict[str, int] = {}
    errors: dict[str, str] = {}
    for key, label in SURVEY_QUESTIONS:
        raw = str(scores.get(key, "")).strip()
        if raw not in {"1", "2", "3", "4", "5"}:
            errors[key] = f"请为“{label}”选择 1–5 分。"
        else:
            clean[key] = int(raw)
    comment = (comment or "").strip()
    if comment:  # the rule of every public comment: no markup, no links, the length
        try:
            comment = check_public_text(
                comment, label="意见和建议", max_chars=PUBLIC_COMMENT_MAX_CHARS
            )
        except ValueError as exc:
            errors["comment"] = str(exc)
    if errors:
        raise ValidationError(errors)
    digest = address_digest(address)
    if digest:
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        given = SurveyResponse.objects.filter(
            survey=survey, address_digest=digest
        ).count()
        if given >= settings.PORTAL_VOTES_PER_ADDRESS:
            raise ValidationError(ADDRESS_FULL_SURVEY)
    return SurveyResponse.objects.create(
        survey=survey,
        scores=clean,
        comment=comment,
        address_digest=digest,
    )


def feedback_summary(
    organisations: list[Organisation],
    year: int,
    *,
    within: Organisation | None = None,
) -> dict[int, dict[str, Any]]:
    """Per organisation: feedback counts (useful / not) and the average survey score.

    ``within``: the organisations' common ancestor; the records are then selected by
    its path range (one indexed range) instead of a list of every organisation's id.
    """
    rows: dict[int, dict[str, Any]] = {
        o.pk: {
            "useful": 0,
            "not_useful": 0,
            "comments": 0,
            "survey_avg": None,
            "responses": 0,
        }
        for o in organisations
    }
    chosen = (
        path_prefix_q(within.path, "organisation__path")
        if within is not None
        else Q(organisation__in=organisations)
    )
    survey_chosen = (
        path_prefix_q(within.path, "survey__organisation__path")
        if within is not None
        else Q(survey__organisation__in=organisations)
    )
    feedback = (
        Feedback.objects.filter(chosen, created_at__year=year)
        .values("organisation_id")
        .order_by()
        .annotate(
            n_useful=Count("id", filter=Q(useful=True)),
            n_not_useful=Count("id", filter=Q(useful=False)),
            n_comments=Count("id", filter=~Q(comment="")),
        )
    )
    for item in feedback:
        if item["organisation_id"] not in rows:
            continue
        rows[item["organisation_id"]].update(
            useful=item["n_useful"],
            not_useful=item["n_not_useful"],
            comments=item["n_comments"],
        )
    responses = SurveyResponse.objects.filter(
        survey_chosen, survey__opens_on__year=year
    )
    totals: dict[int, list[int]] = {}
    for org_id, scores in responses.values_list("survey__organisation_id", "scores"):
        totals.setdefault(org_id, []).append(int(scores.get("overall", 0)))
    for org_id, values in totals.items():
        if org_id not in rows:
            continue
        rows[org_id]["survey_avg"] = round(sum(values) / len(values), 2)
        rows[org_id]["responses"] = len(values)
    return rows
