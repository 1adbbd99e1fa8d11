"""责令重新答复: a 行政复议决定 (行政复议法（2023年修订）第六十四条) or a judgment
(行政诉讼法第七十条) annuls the reply and orders a new one. The case reopens with the
period the decision gives (else 20 working days) counted from its delivery; the first
reply stays in the events and in this step's data (docs/applications.md §1b)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor
from gongkai.core.inforequest_flow import Action
from gongkai.core.workdays import REPLY_WORKING_DAYS, Event
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.services._base import lock_case, take_step

# A period longer than this is almost certainly a typo (days for working days).
MAX_REOPEN_WORKING_DAYS = 120


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _check_dates(
    request: InfoRequest,
    *,
    on: date,
    decided_on: date,
    delivered_on: date,
    period: int,
) -> None:
    today = _today()
    errors: dict[str, str] = {}
    if decided_on > today:
        errors["decided_on"] = "复议决定或判决的作出日期不能晚于今天。"
    elif request.concluded_on and decided_on < request.concluded_on:
        errors["decided_on"] = (
            f"复议决定或判决的作出日期不能早于被纠正的答复或结案日期"
            f"（{_day(request.concluded_on)}）。"
        )
    if delivered_on < decided_on:
        errors["delivered_on"] = "送达日期不能早于复议决定或判决的作出日期。"
    elif delivered_on > on:
        errors["delivered_on"] = (
            f"送达日期不能晚于登记重新办理的日期（{_day(on)}）：先收到决定，才能据以重新办理。"
        )
    if not 1 <= period <= MAX_REOPEN_WORKING_DAYS:
        errors["period_working_days"] = (
            f"重新答复期限应为1至{MAX_REOPEN_WORKING_DAYS}个工作日；"
            "决定未写明期限的，留空（按20个工作日计算）。"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def inforequest_reopen(
    *,
    actor: Actor,
    request: InfoRequest,
    on: date | None = None,
    decided_on: date,
    delivered_on: date,
    period_working_days: int | None = None,
    appeal_ref: str = "",
) -> InfoRequest:
    """依复议决定或判决重新办理: reopen a replied or closed case (needs EDIT).

    ``delivered_on`` is when the agency received the decision: the new period
    (``period_working_days``, else 20) runs from it. The outcome, its note and the
    date of the reply being corrected are kept in the event's data; the new reply
    replaces ``outcome`` and sets ``concluded_on`` again, so table 三 counts the
    application once, in the year of its final reply.
    """
    on = on or _today()
    request = lock_case(request)  # the outcome kept below is the one being corrected
    period = REPLY_WORKING_DAYS if period_working_days is None else period_working_days
    _check_dates(
        request, on=on, decided_on=decided_on, delivered_on=delivered_on, period=period
    )
    ref = appeal_ref.strip()
    return take_step(
        request,
        Action.REOPEN,
        actor=actor,
        on=on,
        ledger_event=Event(
            kind="reopened", date=delivered_on, working_days=period, ref=ref
        ),
        data={
            "decided_on": decided_on.isoformat(),
            "delivered_on": delivered_on.isoformat(),
            "period_working_days": period,
            "period_given": period_working_days is not None,
            "appeal_ref": ref,
            "previous_outcome": request.outcome,
            "previous_outcome_note": request.outcome_note,
            "previous_concluded_on": (
                request.concluded_on.isoformat() if request.concluded_on else None
            ),
        },
    )
