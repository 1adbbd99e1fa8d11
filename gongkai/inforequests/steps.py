"""One step of an application as the screens and the API take it: run the service
and issue the letter that step needs, in one transaction.

:func:`perform` looks the action up in :data:`HANDLERS`, a table of small handlers
(one per action, as publishing's ``WORKFLOW_SERVICES``). If the service refuses the
step (the 条例 does not allow it on that day) or the letter cannot be written,
nothing is saved: no status, no due date, no 文号, no audit row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor
from gongkai.calendars.selectors import work_calendar
from gongkai.core import letters as content
from gongkai.core.inforequest_flow import (
    Action,
    Outcome,
    allowed_actions,
)
from gongkai.core.inforequest_rules import (
    STEP_DATE_RULES,
    StepDays,
    StepRefused,
    check_partial_ground,
    check_third_party_notice,
    lawful_days,
)
from gongkai.core.inforequest_text import text_too_long
from gongkai.core.redaction import letter_paragraph
from gongkai.core.workdays import (
    Event,
    Ledger,
    LedgerError,
    WorkCalendar,
    compute_ledger,
)
from gongkai.inforequests import services
from gongkai.inforequests.caselog import (
    ledger_events,
    local_today,
)
from gongkai.inforequests.delivery import deliver_electronically
from gongkai.inforequests.fees import fee_assessment_for
from gongkai.inforequests.intake import Registration
from gongkai.inforequests.letter_settings import issuing_body, review_body_refusal
from gongkai.inforequests.letters import (
    check_reply_details,
    issue_clarification,
    issue_consultation,
    issue_delay_notice,
    issue_extension,
    issue_fee_notice,
    issue_reasons_request,
    issue_reply,
    issue_third_party_disclosure,
    last_letter,
    letter_record_delivery,
    register,
)
from gongkai.inforequests.models import InfoRequest, Letter, Transfer
from gongkai.inforequests.notices import notify_step
from gongkai.inforequests.redaction import (
    check_redactions_produced,
    redaction_entries,
)
from gongkai.orgs.permissions import require

Handler = Callable[[InfoRequest, Mapping[str, Any], Any, date], InfoRequest]


def _required(data: Mapping[str, Any], name: str, message: str) -> Any:
    value = data.get(name)
    if value in (None, ""):
        raise ValidationError({name: message})
    return value


def _text(data: Mapping[str, Any], name: str) -> str:
    return str(data.get(name) or "").strip()


def _details(data: Mapping[str, Any]) -> dict[str, Any]:
    raw = data.get("details") or {}
    return {k: v for k, v in raw.items() if v not in (None, "")}


def _variant(data: Mapping[str, Any]) -> content.ReplyVariant:
    try:
        return content.ReplyVariant(data.get("variant") or "default")
    except ValueError as exc:
        raise ValidationError({"variant": "无效的答复方式。"}) from exc


# --------------------------------------------------------------------------- handlers


def _accept(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    return services.inforequest_accept(actor=actor, request=request, on=on)


def _ask_reasons(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    due = _required(data, "reasons_due", "请填写说明理由的期限。")
    request = services.inforequest_ask_reasons(
        actor=actor, request=request, reasons_due=due, on=on
    )
    issue_reasons_request(request, on=on, actor=actor, reasons_due=due)
    return request


def _accept_reasons(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    return services.inforequest_accept_reasons(actor=actor, request=request, on=on)


def _agree_delay(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    new_due = _required(data, "new_due", "请填写延迟答复的期限。")
    reason = str(_required(data, "reason", "请说明延迟答复的理由。"))
    request = services.inforequest_agree_delay(
        actor=actor, request=request, new_due=new_due, reason=reason, on=on
    )
    issue_delay_notice(request, on=on, actor=actor, new_due=new_due, reason=reason)
    return request


def _reject_as_excessive(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    note = str(_required(data, "note", "请写明不予处理的理由。"))
    asked = (
        request.events.filter(action=Action.ASK_REASONS.value).order_by("-on").first()
    )
    request = services.inforequest_reject_as_excessive(
        actor=actor, request=request, note=note, on=on
    )
    asked_on = asked.on if asked else request.received_on
    issue_reply(request, on=on, actor=actor, details={"reasons_requested_on": asked_on})
    return request


def _waive_fee(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    reason = str(_required(data, "reason", "请说明不收费的理由。"))
    return services.inforequest_waive_fee(
        actor=actor, request=request, reason=reason, on=on
    )


def _revise_decision(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    reason = str(_required(data, "reason", "请说明退回修改的理由。"))
    return services.inforequest_revise_decision(
        actor=actor, request=request, reason=reason, on=on
    )


def _request_clarification(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    deadline = _required(data, "deadline", "请填写补正期限。")
    what = str(_required(data, "what", "请写明需要补正的事项。"))
    request = services.inforequest_request_clarification(
        actor=actor, request=request, deadline=deadline, what=what, on=on
    )
    issue_clarification(request, on=on, actor=actor, what=what, deadline=deadline)
    return request


def _receive_clarification(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    by_applicant = bool(data.get("_by_applicant"))
    text = _text(data, "correction") if by_applicant else ""
    return services.inforequest_receive_clarification(
        actor=actor,
        request=request,
        on=on,
        by_applicant=by_applicant,
        data={"correction": text[:2000]} if text else None,
    )


def _expire_clarification(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    request = services.inforequest_expire_clarification(
        actor=actor, request=request, on=on
    )
    issue_reply(request, on=on, actor=actor)
    return request


def _extend(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    days = int(_required(data, "working_days", "请填写延长的工作日数。"))
    reason = _text(data, "reason")
    original_due = request.due_on
    request = services.inforequest_extend(
        actor=actor, request=request, working_days=days, reason=reason, on=on
    )
    if original_due is not None:
        issue_extension(
            request,
            on=on,
            actor=actor,
            days=days,
            reason=reason,
            original_due=original_due,
        )
    return request


def _start_consultation(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    party, name = _text(data, "party"), _text(data, "name")
    request = services.inforequest_start_consultation(
        actor=actor,
        request=request,
        party=party,
        name=name,
        on=on,
        delivered_on=data.get("delivered_on") or None,
    )
    issue_consultation(
        request,
        on=on,
        actor=actor,
        party=party,
        name=name,
        reason=_text(data, "reason"),
    )
    return request


def _end_consultation(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    ref = _text(data, "ref")
    if not ref:
        still_open = services.open_consultations(request)
        ref = still_open[0]["ref"] if len(still_open) == 1 else ""
    return services.inforequest_end_consultation(
        actor=actor,
        request=request,
        ref=ref,
        opinion=_text(data, "opinion"),
        answer=_text(data, "answer"),
        on=on,
        delivered_on=data.get("delivered_on") or None,
    )


def _issue_fee_notice(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    working = fee_assessment_for(
        request,
        method=_text(data, "method"),
        pages=int(data.get("pages") or 0),
        pieces=int(data.get("pieces") or 1),
    )
    if working.assessment.amount <= 0:
        raise ValidationError(
            {"method": f"{working.summary}不收费，不能发出收费通知。"}
        )
    request = services.inforequest_issue_fee_notice(
        actor=actor,
        request=request,
        amount_yuan=working.assessment.amount,
        delivered_on=data.get("delivered_on") or on,
        on=on,
        pieces=working.pieces,
    )
    issue_fee_notice(
        request,
        on=on,
        actor=actor,
        assessment=working.assessment,
        payment_method=_text(data, "payment_method")
        or "到本机关政府信息公开工作机构现场缴纳",
    )
    return request


def _record_payment(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    return services.inforequest_record_payment(actor=actor, request=request, on=on)


def _expire_fee(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    request = services.inforequest_expire_fee(actor=actor, request=request, on=on)
    issue_reply(request, on=on, actor=actor)
    return request


def _decision_outcome(data: Mapping[str, Any]) -> tuple[Outcome, content.ReplyVariant]:
    outcome_value = _required(data, "outcome", "请选择办理结果。")
    try:
        outcome = Outcome(outcome_value)
        variant = _variant(data)
        content.reply_template_key(outcome, variant)
    except ValueError as exc:
        raise ValidationError({"outcome": f"无效的办理结果或答复方式：{exc}"}) from exc
    return outcome, variant


def _decide(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    """作出处理决定 (or 当场答复) and its reply letter; a 部分公开 names the legal ground
    of the withheld part (第三十七条), and a third party that objected is told in
    writing when the information is disclosed anyway (第三十二条)."""
    outcome, variant = _decision_outcome(data)
    details = _details(data)
    note = _text(data, "note")
    if outcome is Outcome.OTHER_OTHER and "reason" not in details and note:
        details["reason"] = note
    errors: dict[str, Any] = {}
    ground = objectors = None
    try:
        ground = check_partial_ground(outcome, str(details.pop("withheld_ground", "")))
    except StepRefused as exc:
        errors[exc.field] = exc.message
    disclosure_reason = str(details.pop("disclosure_reason", ""))
    try:
        objectors = check_third_party_notice(
            outcome=outcome,
            objectors=services.consultation_objectors(request),
            disclosure_reason=disclosure_reason,
        )
    except StepRefused as exc:
        errors[exc.field] = exc.message
    redaction_list = ""
    if ground is not None:
        details["withheld_basis"] = ground.legal_basis
        # 区分处理: the produced files' redaction list (what, where, why) is printed in
        # the letter; a document marked but not yet produced stops the decision.
        try:
            check_redactions_produced(request)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        redaction_list = letter_paragraph(redaction_entries(request))
    try:
        check_reply_details(outcome, details, variant, request=request)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    service = (
        services.inforequest_decide
        if data.get("_action") is Action.DECIDE
        else services.inforequest_answer_on_the_spot
    )
    request = service(
        actor=actor, request=request, outcome=outcome.value, note=note, on=on
    )
    issue_reply(
        request,
        on=on,
        actor=actor,
        details=details,
        variant=variant,
        redaction_list=redaction_list,
    )
    for name in objectors or ():
        issue_third_party_disclosure(
            request, on=on, actor=actor, name=name, reason=disclosure_reason
        )
    return request


def _send_reply(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    request = services.inforequest_send_reply(actor=actor, request=request, on=on)
    method = _text(data, "delivery_method")
    reply = last_letter(request, "reply")
    if method and reply is not None and reply.status == Letter.Status.READY:
        # 送达答复 is the delivery of the reply letter: record it on the letter.
        letter_record_delivery(
            actor=actor,
            letter=reply,
            method=method,
            delivered_on=on,
            tracking=_text(data, "tracking"),
        )
    return request


def _withdraw(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    return services.inforequest_withdraw(
        actor=actor,
        request=request,
        on=on,
        note=_text(data, "note"),
        by_applicant=bool(data.get("_by_applicant")),
    )


def _archive(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    return services.inforequest_archive(actor=actor, request=request, on=on)


def _reopen(
    request: InfoRequest, data: Mapping[str, Any], actor: Actor, on: date
) -> InfoRequest:
    """依复议决定或判决重新办理 (行政复议法第六十四条, 行政诉讼法第七十条): no letter;
    the new reply is a new decision and ``send_reply`` with its own letter."""
    decided = _required(data, "decided_on", "请填写复议决定或判决的作出日期。")
    delivered = _required(data, "delivered_on", "请填写复议决定或判决的送达日期。")
    period = data.get("period_working_days")
    return services.inforequest_reopen(
        actor=actor,
        request=request,
        on=on,
        decided_on=_as_date(decided, "decided_on"),
        delivered_on=_as_date(delivered, "delivered_on"),
        period_working_days=None if period in (None, "") else int(period),
        appeal_ref=_text(data, "appeal_ref"),
    )


def _as_date(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({name: "日期格式应为YYYY-MM-DD。"}) from exc


_DETAIL_NAMES = {
    **content.FIELD_LABELS,
    "withheld_ground": "不予公开部分的依据",
    "disclosure_reason": "决定公开的理由",
}


def check_text_lengths(step: str, data: Mapping[str, Any]) -> None:
    """Refuse, in Chinese and by field, a text longer than the step allows — the
    same limit whether it came from a form or the API (core/inforequest_text.py)."""
    errors = text_too_long(step, data, detail_names=_DETAIL_NAMES)
    if errors:
        raise ValidationError(errors)


HANDLERS: dict[Action, Handler] = {
    Action.ACCEPT: _accept,
    Action.REQUEST_CLARIFICATION: _request_clarification,
    Action.RECEIVE_CLARIFICATION: _receive_clarification,
    Action.EXPIRE_CLARIFICATION: _expire_clarification,
    Action.ASK_REASONS: _ask_reasons,
    Action.ACCEPT_REASONS: _accept_reasons,
    Action.AGREE_DELAY: _agree_delay,
    Action.REJECT_AS_EXCESSIVE: _reject_as_excessive,
    Action.EXTEND: _extend,
    Action.START_CONSULTATION: _start_consultation,
    Action.END_CONSULTATION: _end_consultation,
    Action.ISSUE_FEE_NOTICE: _issue_fee_notice,
    Action.RECORD_PAYMENT: _record_payment,
    Action.WAIVE_FEE: _waive_fee,
    Action.EXPIRE_FEE: _expire_fee,
    Action.DECIDE: _decide,
    Action.ANSWER_ON_THE_SPOT: _decide,
    Action.REVISE_DECISION: _revise_decision,
    Action.SEND_REPLY: _send_reply,
    Action.ARCHIVE: _archive,
    Action.WITHDRAW: _withdraw,
    Action.REOPEN: _reopen,
}


# What the applicant may do online (我的申请): answer a 补正, withdraw.
APPLICANT_ACTIONS = frozenset({Action.RECEIVE_CLARIFICATION, Action.WITHDRAW})


# --------------------------------------------------------------------------- refusals

# The ledger names the event it refuses by its place in the case's list of ledger
# events ("第2个事件（延长答复期限）：…"); an officer knows the step, not the number.
_EVENT_INDEX = re.compile(r"第\d+个事件（([^）]*)）：")


def staff_wording(message: str) -> str:
    """A refusal as staff read it: the step's name, not the ledger's event number."""
    return _EVENT_INDEX.sub(lambda m: f"{m.group(1)}：", message)


def _reworded(exc: ValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {
                name: [staff_wording(m) for m in messages]
                for name, messages in exc.message_dict.items()
            }
        )
    return ValidationError([staff_wording(m) for m in exc.messages])


# --------------------------------------------------------------------------- preconditions


class CaseToday:
    """What the preconditions read of one case on one day, each read once and only
    if asked: its ledger events, the first day a step may be dated, its ledger."""

    def __init__(
        self,
        request: InfoRequest,
        today: date,
        calendar: WorkCalendar | None = None,
        memo: dict[Any, Any] | None = None,
    ) -> None:
        self.request, self.today = request, today
        self._calendar = calendar
        # What does not depend on the case (an organisation's settings), shared by
        # the cases of one list.
        self.memo = memo if memo is not None else {}

    @cached_property
    def calendar(self) -> WorkCalendar:
        return self._calendar or work_calendar()

    @cached_property
    def events(self) -> list[Event]:
        return ledger_events(self.request)

    @cached_property
    def earliest(self) -> date:
        return services.earliest_step_date(self.request)

    @cached_property
    def ledger(self) -> Ledger | None:
        try:
            return compute_ledger(
                self.events, self.calendar, self.today, with_days=False
            )
        except LedgerError:
            return None  # the step itself says what is wrong with the case's events


def _extension_days(case: CaseToday) -> StepDays:
    """条例第三十三条第二款 as the ledger applies it to the step itself: an extension
    of the smallest size, approved, dated any day the step may be dated. If the
    ledger refuses it on every such day, it refuses every extension typed on this
    case (reopened on a 纠正, already extended, waiting for a 补正); if only after
    the reply period ended, an extension decided in time may still be recorded (补录),
    dated no later than that period's last day (the due date in force)."""

    def rule(on: date) -> None:
        probe = Event(kind="extension", date=on, working_days=1, approver="—")
        try:
            compute_ledger(
                [*case.events, probe], case.calendar, case.today, with_days=False
            )
        except LedgerError as exc:
            raise StepRefused(
                staff_wording(str(exc)),
                article="条例第三十三条第二款",
            ) from exc

    # The ledger's last day to extend is the due date in force (checked, not trusted).
    due = case.ledger.due_date if case.ledger is not None else None
    return lawful_days(rule, case.earliest, case.today, until_hint=due)


def _date_rule_days(action: Action, case: CaseToday) -> StepDays | None:
    """The step's ``STEP_DATE_RULES`` rule (the one ``take_step`` runs on the day
    typed), asked for every day the step may be dated."""
    ledger = case.ledger
    if ledger is None:
        return None
    rule = STEP_DATE_RULES[action]
    return lawful_days(lambda on: rule(ledger, on), case.earliest, case.today)


Precondition = Callable[[CaseToday], StepDays | None]


def _review_body_refusal(case: CaseToday) -> StepDays | None:
    """行政复议法第二十四条: the reply letter these steps issue names the 行政复议机关
    (``letters.issue_reply`` through ``remedies_for``); without one, no step of them
    can be taken on the organisation's cases. Asked once per organisation in a list."""
    key = ("review_body", case.request.organisation_id)
    if key not in case.memo:
        case.memo[key] = review_body_refusal(case.request.organisation)
    refused: StepRefused | None = case.memo[key]
    return StepDays(refused=refused) if refused is not None else None


def _all_of(*checks: Precondition) -> Precondition:
    """The step's checks in the order the step runs them: the first that refuses
    every day, else the first that allows only earlier days (补录)."""

    def check(case: CaseToday) -> StepDays | None:
        earlier: StepDays | None = None
        for c in checks:
            days = c(case)
            if days is None or days.today:
                continue
            if days.refused is not None:
                return days
            earlier = earlier or days
        return earlier

    return check


# Actions whose core rule can refuse them whatever the form holds, or allow them only
# on earlier days, each asked through the rule the step runs: the screens and the
# API do not offer the first (``perform`` refuses them with the same words before the
# form is read) and offer the second only as 补录, with no date filled in.
_date_rules: dict[Action, Precondition] = {
    action: partial(_date_rule_days, action) for action in STEP_DATE_RULES
}
# The steps that issue the reply letter (with its remedies) in ``HANDLERS``.
_REPLYING = (
    Action.DECIDE,
    Action.ANSWER_ON_THE_SPOT,
    Action.EXPIRE_CLARIFICATION,
    Action.EXPIRE_FEE,
    Action.REJECT_AS_EXCESSIVE,
)
PRECONDITIONS: dict[Action, Precondition] = {
    **_date_rules,
    Action.EXTEND: _extension_days,
    **{
        action: _all_of(
            *([_date_rules[action]] if action in _date_rules else []),
            _review_body_refusal,
        )
        for action in _REPLYING
    },
}


def lawful_step_days(action: Action, case: CaseToday) -> StepDays:
    """Which days ``action`` may be dated on the case whatever is typed: none (with
    the article and the first day it becomes possible, if there is one), only
    earlier days (补录, up to the last lawful day), or today."""
    check = PRECONDITIONS.get(action)
    days = check(case) if check else None
    return days or StepDays()


def refusal(action: Action, case: CaseToday) -> StepRefused | None:
    """Why ``action`` cannot succeed on the case whatever is typed (None: it may),
    with the article and the first day it becomes possible, if there is one."""
    return lawful_step_days(action, case).refused


def unavailable(action: Action, request: InfoRequest, today: date) -> str | None:
    """The Chinese reason ``action`` is not offered on ``request`` today (None: it is)."""
    refused = refusal(action, CaseToday(request, today))
    return refused.message if refused else None


def step_days(action: Action, request: InfoRequest, today: date) -> StepDays:
    """``lawful_step_days`` of one case (the form of one step, as posted)."""
    return lawful_step_days(action, CaseToday(request, today))


@dataclass(frozen=True)
class Available:
    """The steps of a case on a day: ``offered`` today; ``backdated``, offered only as
    补录 of a step taken in time (dated no later than ``StepDays.until``); ``refused``
    whatever is typed, with the refusal."""

    offered: list[Action]
    backdated: list[tuple[Action, StepDays]]
    refused: list[tuple[Action, StepRefused]]


def available_actions(
    request: InfoRequest,
    today: date,
    calendar: WorkCalendar | None = None,
    memo: dict[Any, Any] | None = None,
) -> Available:
    """The steps the status allows and the screens handle, split into those that may
    be taken today, those that may only be recorded afterwards (补录) and those refused
    whatever is typed (with the refusal). A list passes its ``calendar`` and one
    ``memo`` and prefetches ``events``: nothing else is read per case."""
    case = CaseToday(request, today, calendar, memo)
    result = Available([], [], [])
    for action in allowed_actions(request.status):
        if action not in HANDLERS:
            continue
        days = lawful_step_days(action, case)
        if days.refused is not None:
            result.refused.append((action, days.refused))
        elif days.until is not None:
            result.backdated.append((action, days))
        else:
            result.offered.append(action)
    return result


@transaction.atomic
def perform(
    action: Action | str,
    *,
    actor: Actor,
    request: InfoRequest,
    data: Mapping[str, Any],
    by_applicant: bool = False,
) -> InfoRequest:
    """Run one workflow action (``data`` = the cleaned form or API body) and issue its letter.

    ``by_applicant``: the applicant's own step from 我的申请 (only 补正 and 撤回 take
    it; the caller proved the right to the case). Returns the updated application.
    Raises ``ValidationError`` (Chinese, by field) or ``PermissionDenied`` from the service.
    """
    try:
        action = Action(action)
    except ValueError as exc:
        raise ValidationError("未知的办理操作。") from exc
    handler = HANDLERS.get(action)
    if handler is None:  # pragma: no cover - every action has a handler
        raise ValidationError(f"本系统暂不支持在线办理“{action.label}”。")
    on: date = data.get("on") or local_today()
    last_letter_id = (
        request.letters.order_by("-id").values_list("id", flat=True).first()
    )
    if by_applicant and action not in APPLICANT_ACTIONS:
        raise ValidationError("申请人不能在线办理该事项。")
    # Who may not take this step (one who may only read; an officer, for the head's
    # steps) is told so before anything typed is checked and before any rule: the
    # rule's words are for those who may act. The service checks it again.
    if not by_applicant:
        require(actor, services.step_permission(action), request.organisation)
    check_text_lengths(action.value, data)
    # A step the core rule refuses whatever the form holds is refused in the words
    # the case page shows for it (the status's own refusal stays the service's).
    if action in allowed_actions(request.status):
        reason = unavailable(action, request, local_today())
        if reason is not None:
            raise ValidationError(reason)
    try:
        request = handler(
            request,
            {**data, "_action": action, "_by_applicant": by_applicant},
            actor,
            on,
        )
    except ValidationError as exc:
        raise _reworded(exc) from exc
    # The applicant's side, in the same transaction: 电子送达 of what the step
    # issued, then the message (the outbox sends it later; a failure blocks nothing).
    deliver_electronically(
        request, actor=actor, on=on, after_letter=last_letter_id or 0
    )
    notify_step(request, action)
    return request


@transaction.atomic
def accept_transfer(
    *, actor: Actor, transfer: Transfer, on: date | None = None
) -> tuple[InfoRequest, str]:
    """转办 accepted by the receiving body: a new case there, registered through the
    intake code with the applicant's data and received on the day of acceptance
    (条例第三十一条: the receiving body's own receipt; its 受理回执 is issued), and the
    sender's case decided as 不属于本机关负责公开 (第三十六条第（五）项) with the reply
    letter naming the receiving body — the 告知 the applicant must be given. The
    sender's decision is the proposer's (made when proposing, in effect on
    acceptance). Returns the new case and its query code (shown once)."""
    on = on or local_today()
    transfer = services.transfer_check_acceptable(actor=actor, transfer=transfer, on=on)
    source = transfer.from_request
    body = transfer.to_organisation
    registration = Registration(
        channel=source.channel,
        submitted_on=on,
        signed_for_on=on,
        confirmed_on=on,
        applicant_type=source.applicant_type,
        applicant_name=source.applicant_name,
        id_type=source.id_type,
        id_number=source.id_number,
        description=source.description,
        legal_representative=source.legal_representative,
        contact_person=source.contact_person,
        phone=source.phone,
        email=source.email,
        address=source.address,
        postcode=source.postcode,
        form=source.form,
        delivery=source.delivery,
    )
    new, code, _receipt = register(
        actor=actor, organisation=body, registration=registration, on=on
    )
    contact = issuing_body(body).contact
    responsible = (
        body.name
        + (f"（{contact}）" if contact else "")
        + (
            f"。经该机关同意，本机关已于{on:%Y年%-m月%-d日}将申请转送该机关办理"
            f"（该机关申请编号：{new.tracking_number}），答复期限自该机关收到之日起计算"
        )
    )
    perform(
        Action.DECIDE,
        actor=transfer.proposed_by,
        request=source,
        data={
            "on": on,
            "outcome": Outcome.UNABLE_NOT_HELD.value,
            "variant": content.ReplyVariant.NOT_RESPONSIBLE.value,
            "note": f"转办至{body.name}（{new.tracking_number}）",
            "details": {
                "reason": transfer.reason,
                "responsible_body": responsible,
            },
        },
    )
    services.transfer_record_acceptance(
        actor=actor, transfer=transfer, to_request=new, on=on
    )
    return new, code
