"""Workflow rules of an application for disclosure (依申请公开, 条例 Art. 27–45).

One table, :data:`TRANSITIONS`, maps ``(status, action)`` to the next status; every
other pair is refused by :func:`transition` with :class:`IllegalTransition`. The
statuses follow the state machine of docs/legal-notes.md §4.1 and say what the case
is waiting for; the due date itself is kept by ``gongkai.core.workdays``.

The table-三 outcomes are in :mod:`gongkai.core.inforequest_outcomes`, applicant
types, intake channels and the Art. 31 receipt date in
:mod:`gongkai.core.inforequest_intake`; this module re-exports them, so
``from gongkai.core.inforequest_flow import Outcome`` keeps working. Here stays what
ties an outcome to an action: :data:`FORCED_OUTCOMES` and :func:`outcome_for`.
"""

from __future__ import annotations

from enum import StrEnum

from gongkai.core.flowtable import FlowTable, IllegalTransition
from gongkai.core.inforequest_intake import (
    ApplicantType,
    IntakeChannel,
    ReceiptDateError,
    receipt_date,
)
from gongkai.core.inforequest_outcomes import (
    DECIDABLE_OUTCOMES,
    DEFAULT_PRECEDENCE,
    CombinedOutcome,
    IllegalOutcome,
    Outcome,
    OutcomeGroup,
    ReplyLetter,
    combine_outcomes,
)
from gongkai.core.workdays.rules import MAX_EXTENSION_WORKING_DAYS

__all__ = [
    "CONCLUDED_STATUSES",
    "DECIDABLE_OUTCOMES",
    "DEFAULT_PRECEDENCE",
    "FORCED_OUTCOMES",
    "MAX_EXTENSION_WORKING_DAYS",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Action",
    "ApplicantType",
    "ClockState",
    "CombinedOutcome",
    "IllegalOutcome",
    "IllegalTransition",
    "IntakeChannel",
    "Outcome",
    "OutcomeGroup",
    "ReceiptDateError",
    "ReplyLetter",
    "Status",
    "allowed_actions",
    "combine_outcomes",
    "outcome_for",
    "receipt_date",
    "transition",
]

# Art. 33(2): one extension of at most 20 working days. The constant is the deadline
# rules' (core/workdays/rules.py); whether an extension is lawful (once, its size,
# decided within the reply period) is the ledger's to say (core/workdays), on the
# case's events with the extension — nowhere else.


# --------------------------------------------------------------------------- statuses


class ClockState(StrEnum):
    """What the Art. 33 reply clock does while a case is in a status."""

    RUNNING = "running"
    # Art. 30: the period is counted afresh from receipt of the corrected application.
    RESTARTS = "restarts"
    # Art. 33(3) (consultation) and the fee-notice interval (docs/legal-notes.md §1.4, default on).
    PAUSED = "paused"
    STOPPED = "stopped"


class Status(StrEnum):
    """Status of an application: a statement about the case (STYLE §4)."""

    RECEIVED = "received"
    AWAITING_CLARIFICATION = "awaiting_clarification"
    AWAITING_REASONS = "awaiting_reasons"
    IN_PROGRESS = "in_progress"
    EXTENDED = "extended"
    DELAYED = "delayed"
    IN_CONSULTATION = "in_consultation"
    AWAITING_FEE = "awaiting_fee"
    DECIDED = "decided"
    REPLIED = "replied"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """Chinese name for screens."""
        return _STATUS_INFO[self][0]

    @property
    def clock(self) -> ClockState:
        """What the reply clock does in this status."""
        return _STATUS_INFO[self][1]

    @property
    def is_concluded(self) -> bool:
        """True once the case has an outcome for table 三 (counted in that year)."""
        return self in CONCLUDED_STATUSES


_STATUS_INFO: dict[Status, tuple[str, ClockState]] = {
    # Art. 31 receipt registered; 审核 (Art. 45) of completeness and nature.
    Status.RECEIVED: ("已登记待审核", ClockState.RUNNING),
    # Art. 30 补正告知 sent once; the clock restarts when the correction arrives.
    Status.AWAITING_CLARIFICATION: ("待申请人补正", ClockState.RESTARTS),
    # Art. 35 申请人说明理由. The 条例 does not stop the clock for it [U]; the service
    # records the interval separately (docs/legal-notes.md §4.3).
    Status.AWAITING_REASONS: ("待申请人说明理由", ClockState.RUNNING),
    Status.IN_PROGRESS: ("办理中", ClockState.RUNNING),
    # Art. 33(2): extension approved by the head of the 工作机构 and notified.
    Status.EXTENDED: ("已延期办理", ClockState.RUNNING),
    # Art. 35: reasons accepted, a reasonable later reply date notified.
    Status.DELAYED: ("延迟答复", ClockState.RUNNING),
    # Art. 32 / Art. 34: consultation time is not counted (Art. 33(3)).
    Status.IN_CONSULTATION: ("征求意见中", ClockState.PAUSED),
    # Art. 42 + 国办函〔2020〕109号: fee notice issued, 20 working days to pay.
    Status.AWAITING_FEE: ("待申请人缴费", ClockState.PAUSED),
    Status.DECIDED: ("已作出决定待答复", ClockState.RUNNING),
    Status.REPLIED: ("已答复", ClockState.STOPPED),
    Status.CLOSED: ("已办结", ClockState.STOPPED),
    Status.WITHDRAWN: ("申请人已撤回", ClockState.STOPPED),
}

# A case in one of these has its table-三 outcome (docs/legal-notes.md §4.2).
CONCLUDED_STATUSES: frozenset[Status] = frozenset(
    {Status.REPLIED, Status.CLOSED, Status.WITHDRAWN}
)
# Every other status: the case is open (the officer's list, reminders, the partial
# index of open cases, the supervision counts). In declaration order, so a database
# condition built from it is stable.
OPEN_STATUSES: tuple[Status, ...] = tuple(
    s for s in Status if s not in CONCLUDED_STATUSES
)


class Action(StrEnum):
    """What staff (or the deadline engine, for the ``expire_*`` actions) do to a case."""

    ACCEPT = "accept"
    REQUEST_CLARIFICATION = "request_clarification"
    RECEIVE_CLARIFICATION = "receive_clarification"
    EXPIRE_CLARIFICATION = "expire_clarification"
    ASK_REASONS = "ask_reasons"
    ACCEPT_REASONS = "accept_reasons"
    AGREE_DELAY = "agree_delay"
    REJECT_AS_EXCESSIVE = "reject_as_excessive"
    EXTEND = "extend"
    START_CONSULTATION = "start_consultation"
    END_CONSULTATION = "end_consultation"
    ISSUE_FEE_NOTICE = "issue_fee_notice"
    RECORD_PAYMENT = "record_payment"
    WAIVE_FEE = "waive_fee"
    EXPIRE_FEE = "expire_fee"
    DECIDE = "decide"
    ANSWER_ON_THE_SPOT = "answer_on_the_spot"
    REVISE_DECISION = "revise_decision"
    SEND_REPLY = "send_reply"
    ARCHIVE = "archive"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        """Chinese name for buttons and the event log."""
        return _ACTION_LABELS[self]


_ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: "审核通过，转入办理",
    Action.REQUEST_CLARIFICATION: "一次性告知补正",
    Action.RECEIVE_CLARIFICATION: "收到补正申请",
    Action.EXPIRE_CLARIFICATION: "逾期未补正",
    Action.ASK_REASONS: "要求说明理由",
    Action.ACCEPT_REASONS: "理由合理，继续办理",
    Action.AGREE_DELAY: "理由合理，确定延迟答复期限",
    Action.REJECT_AS_EXCESSIVE: "理由不合理，不予处理",
    Action.EXTEND: "延长答复期限",
    Action.START_CONSULTATION: "征求意见",
    Action.END_CONSULTATION: "征求意见结束",
    Action.ISSUE_FEE_NOTICE: "发出收费通知",
    Action.RECORD_PAYMENT: "登记缴费",
    Action.WAIVE_FEE: "决定不收费",
    Action.EXPIRE_FEE: "逾期未缴费",
    Action.DECIDE: "作出处理决定",
    Action.ANSWER_ON_THE_SPOT: "当场答复",
    Action.REVISE_DECISION: "退回修改决定",
    Action.SEND_REPLY: "送达答复",
    Action.ARCHIVE: "归档",
    Action.WITHDRAW: "申请人撤回申请",
    Action.REOPEN: "依复议决定或判决重新办理",
}

_S = Status
_A = Action

# Statuses in which the agency is processing (the "办理" stage of Art. 45).
_WORKING = (_S.IN_PROGRESS, _S.EXTENDED, _S.DELAYED)

# THE table (STYLE §5). Each row cites the article that allows the move.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    # 审核 (Art. 45): accept, ask once for a correction (Art. 30), ask for reasons
    # (Art. 35), or decide at once (Art. 33(1) 当场答复; Art. 39 petitions etc.).
    (_S.RECEIVED, _A.ACCEPT): _S.IN_PROGRESS,
    (_S.RECEIVED, _A.REQUEST_CLARIFICATION): _S.AWAITING_CLARIFICATION,
    (_S.RECEIVED, _A.ASK_REASONS): _S.AWAITING_REASONS,
    (_S.RECEIVED, _A.DECIDE): _S.DECIDED,
    (_S.RECEIVED, _A.ANSWER_ON_THE_SPOT): _S.REPLIED,
    (_S.RECEIVED, _A.WITHDRAW): _S.WITHDRAWN,
    # Art. 30: corrected → processed with a fresh period; not corrected → 视为放弃.
    (_S.AWAITING_CLARIFICATION, _A.RECEIVE_CLARIFICATION): _S.IN_PROGRESS,
    (_S.AWAITING_CLARIFICATION, _A.EXPIRE_CLARIFICATION): _S.CLOSED,
    (_S.AWAITING_CLARIFICATION, _A.WITHDRAW): _S.WITHDRAWN,
    # Art. 35: reasons unreasonable → 不予处理; reasonable → continue or delay.
    (_S.AWAITING_REASONS, _A.ACCEPT_REASONS): _S.IN_PROGRESS,
    (_S.AWAITING_REASONS, _A.AGREE_DELAY): _S.DELAYED,
    (_S.AWAITING_REASONS, _A.REJECT_AS_EXCESSIVE): _S.DECIDED,
    (_S.AWAITING_REASONS, _A.WITHDRAW): _S.WITHDRAWN,
    # Art. 33(2): one extension, approved and notified; not after an Art. 35 delay,
    # which already replaces the deadline.
    (_S.IN_PROGRESS, _A.EXTEND): _S.EXTENDED,
    # Art. 32 / 34 consultation; Art. 42 fee notice; decision (Art. 36–39).
    **{(s, _A.START_CONSULTATION): _S.IN_CONSULTATION for s in _WORKING},
    **{(s, _A.ISSUE_FEE_NOTICE): _S.AWAITING_FEE for s in _WORKING},
    **{(s, _A.DECIDE): _S.DECIDED for s in _WORKING},
    **{(s, _A.WITHDRAW): _S.WITHDRAWN for s in _WORKING},
    # Parallel consultations (a third party and a co-author agency) keep the case
    # here; the service sends END_CONSULTATION when the last one ends.
    (_S.IN_CONSULTATION, _A.START_CONSULTATION): _S.IN_CONSULTATION,
    (_S.IN_CONSULTATION, _A.END_CONSULTATION): _S.IN_PROGRESS,
    (_S.IN_CONSULTATION, _A.WITHDRAW): _S.WITHDRAWN,
    # 国办函〔2020〕109号 / docs/legal-notes.md §1.3: paid or waived → continue; unpaid → 视为放弃.
    (_S.AWAITING_FEE, _A.RECORD_PAYMENT): _S.IN_PROGRESS,
    (_S.AWAITING_FEE, _A.WAIVE_FEE): _S.IN_PROGRESS,
    (_S.AWAITING_FEE, _A.EXPIRE_FEE): _S.CLOSED,
    (_S.AWAITING_FEE, _A.WITHDRAW): _S.WITHDRAWN,
    # 答复 and 归档 (Art. 45).
    (_S.DECIDED, _A.SEND_REPLY): _S.REPLIED,
    (_S.DECIDED, _A.REVISE_DECISION): _S.IN_PROGRESS,
    (_S.DECIDED, _A.WITHDRAW): _S.WITHDRAWN,
    (_S.REPLIED, _A.ARCHIVE): _S.CLOSED,
    # 纠正 by the 行政复议机关 or a court: 行政复议法（2023年修订）第六十四条 (撤销或者
    # 部分撤销，并可以责令被申请人在一定期限内重新作出行政行为) and 行政诉讼法第七十条
    # (判决撤销或者部分撤销，并可以判决被告重新作出行政行为). Only a case with an act
    # to annul reopens: a reply (replied, or archived = closed) or a closing notice
    # (closed after 逾期未补正 / 未缴费, also an act); a withdrawal (no act of
    # the agency) has none. The case is handled again from in_progress with the period the
    # decision gives (docs/applications.md §1b).
    (_S.REPLIED, _A.REOPEN): _S.IN_PROGRESS,
    (_S.CLOSED, _A.REOPEN): _S.IN_PROGRESS,
}


FLOW: FlowTable[Status, Action] = FlowTable(
    Status, Action, TRANSITIONS, subject="申请", noun="办理"
)


def transition(status: Status | str, action: Action | str) -> Status:
    """The status after ``action``; raise :class:`IllegalTransition` if not allowed."""
    return FLOW.transition(status, action)


def allowed_actions(status: Status | str) -> tuple[Action, ...]:
    """Actions allowed in ``status``, in :class:`Action` order (for buttons)."""
    return FLOW.allowed_actions(status)


# --------------------------------------------------------------------------- outcomes

# Outcomes fixed by the action that concludes the case.
FORCED_OUTCOMES: dict[Action, Outcome] = {
    Action.EXPIRE_CLARIFICATION: Outcome.OTHER_NO_SUPPLEMENT,
    Action.EXPIRE_FEE: Outcome.OTHER_NO_FEE,
    Action.REJECT_AS_EXCESSIVE: Outcome.REJECTED_EXCESSIVE,
    Action.WITHDRAW: Outcome.OTHER_OTHER,
}


def outcome_for(
    action: Action | str, chosen: Outcome | str | None = None
) -> Outcome | None:
    """The table-三 outcome recorded by ``action``; None if it concludes nothing.

    DECIDE and ANSWER_ON_THE_SPOT need a ``chosen`` outcome from
    :data:`DECIDABLE_OUTCOMES`; the actions of :data:`FORCED_OUTCOMES` fix theirs
    (``chosen`` may repeat it); every other action takes none.
    """
    action_ = Action(action)
    chosen_ = Outcome(chosen) if chosen is not None else None
    if action_ in FORCED_OUTCOMES:
        forced = FORCED_OUTCOMES[action_]
        if chosen_ not in (None, forced):
            raise IllegalOutcome(
                f"“{action_.label}”的办理结果只能是“{forced.label}”",
                action=action_.value,
            )
        return forced
    if action_ in (Action.DECIDE, Action.ANSWER_ON_THE_SPOT):
        if chosen_ is None:
            raise IllegalOutcome("作出处理决定时必须选择办理结果", action=action_.value)
        if chosen_ not in DECIDABLE_OUTCOMES:
            raise IllegalOutcome(
                f"办理结果“{chosen_.label}”不能直接选择，须经相应程序产生",
                action=action_.value,
            )
        return chosen_
    if chosen_ is not None:
        raise IllegalOutcome(
            f"“{action_.label}”操作不产生办理结果", action=action_.value
        )
    return None
