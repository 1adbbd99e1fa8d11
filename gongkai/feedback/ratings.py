"""好差评 (issue 16, requirement 7): the applicant rates how a case was handled.

Once per case, after the reply (a concluded case with an outcome). The same guard
as the surveys (``services.survey_answer``): the portal refuses a browser carrying
the signed "answered" cookie for the case; here, under a lock on the case's row,
a second rating of the case is refused, and so is an address (keyed digest, never
stored in clear) that has already rated ``PORTAL_VOTES_PER_ADDRESS`` cases of the
same body — one person with many cases, or many cases' codes in one hand.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q

from gongkai.audit.services import audit_record
from gongkai.core.engagement_rules import PUBLIC_COMMENT_MAX_CHARS
from gongkai.feedback.models import HandlingRating
from gongkai.feedback.services import address_digest
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organisation, path_prefix_q

ALREADY_RATED = "该申请已经评价过（每件申请只能评价一次），感谢您的评价。"
ADDRESS_FULL_RATING = "同一网络地址对该机关的评价已达上限，本次评价未计入。"
NOT_YET = "答复之后才能评价办理情况。"


def may_rate(case: InfoRequest) -> bool:
    """After the reply (or another conclusion with an outcome), not yet rated."""
    return (
        not case.is_open
        and bool(case.outcome)
        and not HandlingRating.objects.filter(request=case).exists()
    )


@transaction.atomic
def handling_rate(
    *, case: InfoRequest, score: Any, comment: str, address: str | None
) -> HandlingRating:
    """Record the applicant's rating; the caller proved the right to the case."""
    raw = str(score).strip()
    if raw not in {"1", "2", "3", "4", "5"}:
        raise ValidationError({"score": "请选择 1–5 分。"})
    comment = (comment or "").strip()
    if len(comment) > PUBLIC_COMMENT_MAX_CHARS:
        raise ValidationError(
            {"comment": f"意见请控制在 {PUBLIC_COMMENT_MAX_CHARS} 字以内。"}
        )
    case = InfoRequest.objects.select_for_update().get(pk=case.pk)
    if case.is_open or not case.outcome:
        raise ValidationError(NOT_YET)
    if HandlingRating.objects.filter(request=case).exists():
        raise ValidationError(ALREADY_RATED)
    digest = address_digest(address)
    if digest:
        Organisation.objects.select_for_update().filter(pk=case.organisation_id).first()
        given = HandlingRating.objects.filter(
            organisation_id=case.organisation_id, address_digest=digest
        ).count()
        if given >= settings.PORTAL_VOTES_PER_ADDRESS:
            raise ValidationError(ADDRESS_FULL_RATING)
    rating = HandlingRating.objects.create(
        request=case,
        organisation_id=case.organisation_id,
        score=int(raw),
        comment=comment,
        address_digest=digest,
    )
    audit_record(
        action="feedback.handling_rate",
        organisation=case.organisation,
        obj=case,
        details={"score": rating.score},
    )
    return rating


def rating_summary(
    organisations: list[Organisation], year: int, *, within: Organisation | None = None
) -> dict[int, dict[str, Any]]:
    """Per organisation: how many ratings in ``year``, their average, 差评 (1–2) count."""
    chosen = (
        path_prefix_q(within.path, "organisation__path")
        if within is not None
        else Q(organisation__in=organisations)
    )
    rows: dict[int, dict[str, Any]] = {
        o.pk: {"ratings": 0, "rating_avg": None, "bad": 0} for o in organisations
    }
    grouped = (
        HandlingRating.objects.filter(chosen, created_at__year=year)
        .values("organisation_id")
        .order_by()
        .annotate(
            n=Count("id"), avg=Avg("score"), bad=Count("id", filter=Q(score__lte=2))
        )
    )
    for item in grouped:
        if item["organisation_id"] in rows:
            rows[item["organisation_id"]].update(
                ratings=item["n"],
                rating_avg=round(float(item["avg"]), 2),
                bad=item["bad"],
            )
    return rows
