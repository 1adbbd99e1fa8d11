"""The one path every step takes (``take_step``): lock, permission, date, transition,
the 条例's timing rule, event, due date, audit — in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.core.inforequest_flow import (
    Action,
    IllegalTransition,
    Outcome,
    Status,
    outcome_for,
    transition,
)
from gongkai.core.inforequest_rules import (
    STEP_DATE_RULES,
    StepRefused,
)
from gongkai.core.workdays import Event, Ledger, LedgerError
from gongkai.inforequests.caselog import (
    BOOKKEEPING_ACTIONS,
    append_event,
    inforequest_ledger,
)
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.permissions import Perm, require

# The steps the office head (负责人) takes, by Perm.APPROVE: 延长答复期限 is approved by
# the head of the 工作机构 (条例第三十三条第二款), 延迟答复 agreed (第三十五条), a decision
# sent back, a fee waived; 答复送达 too while GONGKAI_REPLY_NEEDS_APPROVAL is on
# (default). Every other step is the officer's (Perm.EDIT). The services, the step
# layer (before any form or rule) and the case page (which forms to show) ask here.
HEAD_STEPS = frozenset(
    {Action.EXTEND, Action.AGREE_DELAY, Action.REVISE_DECISION, Action.WAIVE_FEE}
)


# Why a step is the head's, where the 条例 says so (the case page tells an officer
# who may not take it); the others are the platform's approval setting.
HEAD_STEP_BASIS = {
    Action.EXTEND: "条例第三十三条第二款：延长答复期限须经政府信息公开工作机构负责人同意",
}


def step_permission(action: Action) -> Perm:
    """The permission a member of the case's organisation needs to take ``action``."""
    if action in HEAD_STEPS:
        return Perm.APPROVE
    if action is Action.SEND_REPLY and settings.REPLY_NEEDS_APPROVAL:
        return Perm.APPROVE
    return Perm.EDIT


def lock_case(request: InfoRequest) -> InfoRequest:
    return InfoRequest.objects.select_for_update().get(pk=request.pk)


def last_step_date(request: InfoRequest) -> date | None:
    """The date of the case's last step: a step may not be dated before it.

    Assigning a handler is bookkeeping dated today, not a step of the case: it
    must not stop staff from recording a step that happened the day before.
    Read from ``events.all()``, so a list that prefetched them reads nothing."""
    return max(
        (e.on for e in request.events.all() if e.action not in BOOKKEEPING_ACTIONS),
        default=None,
    )


def earliest_step_date(request: InfoRequest) -> date:
    """The first day the next step of the case may be dated (``check_step_date``)."""
    last = last_step_date(request)
    return max(request.received_on, last) if last else request.received_on


def check_step_date(request: InfoRequest, on: date, today: date) -> None:
    if on > today:
        raise ValidationError({"on": "日期不能晚于今天。"})
    if on < request.received_on:
        raise ValidationError(
            {
                "on": f"日期不能早于收到申请之日（{request.received_on:%Y年%-m月%-d日}）。"
            }
        )
    last = last_step_date(request)
    if last and on < last:
        raise ValidationError(
            {"on": f"日期不能早于上一条办理记录（{last:%Y年%-m月%-d日}）。"}
        )


Rule = Callable[[Ledger], None]


def ledger_or_refuse(request: InfoRequest, today: date) -> Ledger:
    try:
        return inforequest_ledger(request, today, with_days=False)
    except LedgerError as exc:
        raise ValidationError(str(exc)) from exc


def apply_rule(rule: Rule, ledger: Ledger) -> None:
    """Run a rule of ``core.inforequest_rules``; its refusal becomes a form error."""
    try:
        rule(ledger)
    except StepRefused as exc:
        raise ValidationError(
            {exc.field: exc.message} if exc.field else exc.message
        ) from exc


@transaction.atomic
def take_step(
    request: InfoRequest,
    action: Action,
    *,
    actor: Actor,
    on: date | None = None,
    perm: Perm | Literal["by_step"] | None = "by_step",
    ledger_event: Event | None = None,
    chosen: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    rule_after: Rule | None = None,
) -> InfoRequest:
    """Take one step: lock, check permission, date, transition and the 条例's timing
    rules (the step's ``STEP_DATE_RULES`` rule on the ledger before the step, on the
    day it is dated; ``rule_after`` on the ledger with it), append the event, store status and due date, audit. A refused step
    raises ``ValidationError`` and leaves no trace (the transaction rolls back)."""
    today = _today()
    on = on or today
    request = lock_case(request)
    # ``perm=None``: the applicant's own step (answering a 补正, withdrawing) from
    # 我的申请, whose right to the case the caller proved (signed in by a code).
    if perm == "by_step":
        perm = step_permission(action)
    if perm is not None:
        require(actor, perm, request.organisation)
    check_step_date(request, on, today)
    try:
        new_status = transition(request.status, action)
        outcome = outcome_for(action, chosen or None)
    except (IllegalTransition, ValueError) as exc:
        raise ValidationError(getattr(exc, "message", str(exc))) from exc
    date_rule = STEP_DATE_RULES.get(action)
    if date_rule is not None:
        before = ledger_or_refuse(request, today)
        apply_rule(lambda ledger: date_rule(ledger, on), before)
    old_status = request.status
    event = append_event(
        request,
        actor=actor,
        action=action.value,
        on=on,
        from_status=old_status,
        to_status=new_status,
        ledger_event=ledger_event,
        data={
            **(data or {}),
            **({"outcome": outcome.value} if outcome else {}),
            **({"note": note} if note else {}),
        },
    )
    ledger = ledger_or_refuse(request, today)
    if rule_after is not None:
        apply_rule(rule_after, ledger)
    request.status = new_status
    if outcome is not None:
        request.outcome = outcome.value
        request.outcome_note = note
    if not Status(new_status).is_concluded:
        # Reopened (责令重新答复): open again until the new reply; the first
        # outcome stays in the REOPEN event's data and in ``outcome`` until replaced.
        request.concluded_on = None
    elif request.concluded_on is None:
        request.concluded_on = on
        if not request.outcome:
            request.outcome = Outcome.OTHER_OTHER.value
    request.due_on = ledger.due_date
    request.due_provisional = ledger.provisional
    request.save(
        update_fields=[
            "status",
            "outcome",
            "outcome_note",
            "concluded_on",
            "due_on",
            "due_provisional",
            "extended_days",
            "updated_at",
        ]
    )
    audit_record(
        action=f"inforequest.{action.value}",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={
            "from": old_status,
            "to": new_status,
            "event": event.pk,
            "outcome": request.outcome,
        },
    )
    return request
