"""Workflow rules of an application for disclosure (依申请公开, 条例 Art. 27–45).

One table, :data:`TRANSITIONS`, maps ``(status, action)`` to the next status; every
other pair is refused by :func:`transition` with :class:`IllegalTransition`. The
statuses follow the state machine of spec ``regulation.md`` §7 and say what the case
is waiting for; the due date itself is kept by ``gongkai.core.workdays``.

Also here, because the Django app and the annual report both need them:

* :class:`Outcome` — the 21 result rows of table 三 (2021 format), with flat key,
  printed label, legal basis and the reply letter each one uses;
* :class:`ApplicantType` — the applicant columns of table 三 (Art. 29(一));
* :class:`IntakeChannel` and :func:`receipt_date` — the Art. 31 date of receipt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.core.flowtable import FlowTable, IllegalTransition
from gongkai.core.identifiers import IdDocumentType

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
    "check_extension",
    "combine_outcomes",
    "outcome_for",
    "receipt_date",
    "transition",
]

# Art. 33(2): an extension is at most 20 working days (in total, the only reading
# consistent with "最长不得超过20个工作日").
MAX_EXTENSION_WORKING_DAYS = 20


# --------------------------------------------------------------------------- statuses


class ClockState(StrEnum):
    """What the Art. 33 reply clock does while a case is in a status."""

    RUNNING = "running"
    # Art. 30: the period is counted afresh from receipt of the corrected application.
    RESTARTS = "restarts"
    # Art. 33(3) (consultation) and the fee-notice interval (fees.md §3, default on).
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
    # records the interval separately (regulation.md §4 Art. 35).
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

# A case in one of these has its table-三 outcome (regulation.md §7, year attribution).
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
    # 国办函〔2020〕109号 / fees.md §4.4: paid or waived → continue; unpaid → 视为放弃.
    (_S.AWAITING_FEE, _A.RECORD_PAYMENT): _S.IN_PROGRESS,
    (_S.AWAITING_FEE, _A.WAIVE_FEE): _S.IN_PROGRESS,
    (_S.AWAITING_FEE, _A.EXPIRE_FEE): _S.CLOSED,
    (_S.AWAITING_FEE, _A.WITHDRAW): _S.WITHDRAWN,
    # 答复 and 归档 (Art. 45).
    (_S.DECIDED, _A.SEND_REPLY): _S.REPLIED,
    (_S.DECIDED, _A.REVISE_DECISION): _S.IN_PROGRESS,
    (_S.DECIDED, _A.WITHDRAW): _S.WITHDRAWN,
    (_S.REPLIED, _A.ARCHIVE): _S.CLOSED,
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


def check_extension(already_extended_days: int, requested_days: int) -> int:
    """Validate an extension (Art. 33(2)); return the new cumulative total in working days.

    The table lets a case be extended once per pass through ``in_progress``; a case
    that went to consultation after an extension comes back to ``in_progress``, so the
    service must call this with the days already granted.
    """
    if requested_days <= 0:
        raise IllegalTransition("延长的期限应为正整数个工作日", action=Action.EXTEND)
    total = already_extended_days + requested_days
    if total > MAX_EXTENSION_WORKING_DAYS:
        raise IllegalTransition(
            f"延长答复期限累计不得超过{MAX_EXTENSION_WORKING_DAYS}个工作日"
            f"（已延长{already_extended_days}个工作日，本次申请{requested_days}个工作日）",
            action=Action.EXTEND,
        )
    return total


# --------------------------------------------------------------------------- outcomes


class OutcomeGroup(StrEnum):
    """The level-2 groups of table 三 (2021 format)."""

    GRANTED = "granted"
    PARTIAL = "partial"
    WITHHELD = "withheld"
    UNABLE = "unable"
    REJECTED = "rejected"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The group label as printed in table 三."""
        return _GROUP_LABELS[self]


_GROUP_LABELS: dict[OutcomeGroup, str] = {
    OutcomeGroup.GRANTED: "（一）予以公开",
    OutcomeGroup.PARTIAL: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    OutcomeGroup.WITHHELD: "（三）不予公开",
    OutcomeGroup.UNABLE: "（四）无法提供",
    OutcomeGroup.REJECTED: "（五）不予处理",
    OutcomeGroup.OTHER: "（六）其他处理",
}


class ReplyLetter(StrEnum):
    """The reply (or closing) letter an outcome uses; value is its title."""

    GRANTED = "政府信息予以公开告知书"
    PARTIAL = "政府信息部分公开告知书"
    WITHHELD = "政府信息不予公开告知书"
    UNABLE = "政府信息无法提供告知书"
    REJECTED = "政府信息公开申请不予处理告知书"
    TERMINATED = "政府信息公开申请终止处理告知书"


@dataclass(frozen=True)
class _OutcomeInfo:
    label: str
    basis: str
    letter: ReplyLetter
    review_first: bool  # 行政复议法 2023 第二十三条第一款第（四）项: 复议前置


def _info(
    label: str, basis: str, letter: ReplyLetter, review_first: bool
) -> _OutcomeInfo:
    return _OutcomeInfo(label, basis, letter, review_first)


class Outcome(StrEnum):
    """One result row of table 三 (2021 format); the value is the flat row key stem."""

    GRANTED = "granted"
    PARTIAL = "partial"
    WITHHELD_STATE_SECRET = "withheld.state_secret"
    WITHHELD_OTHER_LAWS = "withheld.other_laws"
    WITHHELD_SECURITY_STABILITY = "withheld.security_stability"
    WITHHELD_THIRD_PARTY = "withheld.third_party"
    WITHHELD_INTERNAL_AFFAIRS = "withheld.internal_affairs"
    WITHHELD_PROCESS_INFO = "withheld.process_info"
    WITHHELD_CASE_FILE = "withheld.case_file"
    WITHHELD_QUERY_MATTER = "withheld.query_matter"
    UNABLE_NOT_HELD = "unable.not_held"
    UNABLE_NEEDS_CREATION = "unable.needs_creation"
    UNABLE_UNCLEAR = "unable.unclear"
    REJECTED_PETITION = "rejected.petition"
    REJECTED_REPEAT = "rejected.repeat"
    REJECTED_PUBLICATION = "rejected.publication"
    REJECTED_EXCESSIVE = "rejected.excessive"
    REJECTED_CONFIRM = "rejected.confirm"
    OTHER_NO_SUPPLEMENT = "other.no_supplement"
    OTHER_NO_FEE = "other.no_fee"
    OTHER_OTHER = "other.other"

    @property
    def group(self) -> OutcomeGroup:
        """The level-2 group (（一）…（六）)."""
        return OutcomeGroup(self.value.split(".")[0])

    @property
    def report_key(self) -> str:
        """Flat key stem of the row in table 三, e.g. ``s3.withheld.state_secret``."""
        return f"s3.{self.value}"

    def cell_key(self, applicant: ApplicantType) -> str:
        """Flat key of the cell this outcome counts in for an applicant type."""
        return f"{self.report_key}.{applicant.column}"

    @property
    def label(self) -> str:
        """The row label exactly as the 2021 format prints it."""
        return _OUTCOMES[self].label

    @property
    def legal_basis(self) -> str:
        """The article(s) of the 条例 (or other basis) the outcome rests on."""
        return _OUTCOMES[self].basis

    @property
    def letter(self) -> ReplyLetter:
        """The letter that tells the applicant of this outcome."""
        return _OUTCOMES[self].letter

    @property
    def review_first(self) -> bool:
        """True if the letter must say 行政复议 comes before a suit (复议前置).

        行政复议法 2023 第二十三条第一款第（四）项 and 第二款: a refusal to disclose must
        first go to 行政复议. Applied to every 不予公开 row and to 部分公开 (the withheld
        part) — the safer reading of reply-types.md §2.6 [U for 部分公开 and 行政查询事项].
        """
        return _OUTCOMES[self].review_first

    @property
    def ends_without_decision(self) -> bool:
        """True if the case ends by lapse or withdrawal, not by a decision on the request.

        逾期不补正 (Art. 30 视为放弃申请), 逾期未缴费 (国办函〔2020〕109号) and 其他
        (withdrawal etc.): the 条例 requires no decision letter; a closing notice
        (终止处理告知书) is recommended (reply-types.md §3.6).
        """
        return self.group is OutcomeGroup.OTHER


_R = ReplyLetter
_OUTCOMES: dict[Outcome, _OutcomeInfo] = {
    Outcome.GRANTED: _info(
        "（一）予以公开", "第三十六条第（一）项、第（二）项", _R.GRANTED, False
    ),
    Outcome.PARTIAL: _info(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "第三十七条",
        _R.PARTIAL,
        True,
    ),
    Outcome.WITHHELD_STATE_SECRET: _info(
        "1.属于国家秘密", "第十四条", _R.WITHHELD, True
    ),
    Outcome.WITHHELD_OTHER_LAWS: _info(
        "2.其他法律行政法规禁止公开", "第十四条", _R.WITHHELD, True
    ),
    Outcome.WITHHELD_SECURITY_STABILITY: _info(
        "3.危及“三安全一稳定”", "第十四条", _R.WITHHELD, True
    ),
    Outcome.WITHHELD_THIRD_PARTY: _info(
        "4.保护第三方合法权益", "第十五条、第三十二条", _R.WITHHELD, True
    ),
    Outcome.WITHHELD_INTERNAL_AFFAIRS: _info(
        "5.属于三类内部事务信息", "第十六条第一款", _R.WITHHELD, True
    ),
    Outcome.WITHHELD_PROCESS_INFO: _info(
        "6.属于四类过程性信息", "第十六条第二款", _R.WITHHELD, True
    ),
    Outcome.WITHHELD_CASE_FILE: _info(
        "7.属于行政执法案卷", "第十六条第二款", _R.WITHHELD, True
    ),
    Outcome.WITHHELD_QUERY_MATTER: _info(
        "8.属于行政查询事项", "第三十六条第（七）项", _R.WITHHELD, True
    ),
    Outcome.UNABLE_NOT_HELD: _info(
        "1.本机关不掌握相关政府信息",
        "第三十六条第（四）项、第（五）项",
        _R.UNABLE,
        False,
    ),
    Outcome.UNABLE_NEEDS_CREATION: _info(
        "2.没有现成信息需要另行制作", "第三十八条", _R.UNABLE, False
    ),
    Outcome.UNABLE_UNCLEAR: _info(
        "3.补正后申请内容仍不明确", "第三十条", _R.UNABLE, False
    ),
    Outcome.REJECTED_PETITION: _info(
        "1.信访举报投诉类申请", "第三十九条第一款", _R.REJECTED, False
    ),
    Outcome.REJECTED_REPEAT: _info(
        "2.重复申请", "第三十六条第（六）项", _R.REJECTED, False
    ),
    Outcome.REJECTED_PUBLICATION: _info(
        "3.要求提供公开出版物", "第三十九条第二款", _R.REJECTED, False
    ),
    Outcome.REJECTED_EXCESSIVE: _info(
        "4.无正当理由大量反复申请", "第三十五条", _R.REJECTED, False
    ),
    # No single article (reply-types.md §1): the request is not one to disclose
    # existing government information (Art. 2, Art. 38 reasoning) [U].
    Outcome.REJECTED_CONFIRM: _info(
        "5.要求行政机关确认或重新出具已获取信息",
        "第二条、第三十八条",
        _R.REJECTED,
        False,
    ),
    Outcome.OTHER_NO_SUPPLEMENT: _info(
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "第三十条",
        _R.TERMINATED,
        False,
    ),
    Outcome.OTHER_NO_FEE: _info(
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
        _R.TERMINATED,
        False,
    ),
    Outcome.OTHER_OTHER: _info("3.其他", "", _R.TERMINATED, False),
}

# Outcomes fixed by the action that concludes the case.
FORCED_OUTCOMES: dict[Action, Outcome] = {
    Action.EXPIRE_CLARIFICATION: Outcome.OTHER_NO_SUPPLEMENT,
    Action.EXPIRE_FEE: Outcome.OTHER_NO_FEE,
    Action.REJECT_AS_EXCESSIVE: Outcome.REJECTED_EXCESSIVE,
    Action.WITHDRAW: Outcome.OTHER_OTHER,
}

# Outcomes staff may choose with DECIDE / ANSWER_ON_THE_SPOT. The three forced ones
# need their procedure first: Art. 30 deadline, fee deadline, Art. 35 reasons.
DECIDABLE_OUTCOMES: frozenset[Outcome] = frozenset(Outcome) - {
    Outcome.OTHER_NO_SUPPLEMENT,
    Outcome.OTHER_NO_FEE,
    Outcome.REJECTED_EXCESSIVE,
}


class IllegalOutcome(IllegalTransition):
    """An outcome that cannot go with the action that concludes the case."""


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


# Per-item outcomes of a multi-item application that was not split (reply-types.md §1
# rule 2): there is no official precedence rule [U]; this default follows practice —
# refusals first (they carry 复议前置), then 无法提供, then 不予处理.
DEFAULT_PRECEDENCE: tuple[Outcome, ...] = tuple(
    o for g in ("withheld", "unable", "rejected") for o in Outcome if o.group.value == g
)


@dataclass(frozen=True)
class CombinedOutcome:
    """The one table-三 row for an application with several items, and why (for the log)."""

    outcome: Outcome
    explanation: str


def combine_outcomes(
    items: Sequence[Outcome | str],
    *,
    precedence: Sequence[Outcome] = DEFAULT_PRECEDENCE,
) -> CombinedOutcome:
    """One outcome for an application whose items got different outcomes.

    One application is one 件 in exactly one row. If some information is provided
    (予以公开 / 部分公开) and some is not, the case counts as 部分公开 (Art. 37 practice);
    otherwise the first item outcome in ``precedence`` wins [U: no official rule].
    （六）其他处理 outcomes concern the whole application and cannot be combined.
    """
    outcomes = [Outcome(i) for i in items]
    if not outcomes:
        raise IllegalOutcome("没有可合并的办理结果")
    whole_case = [o for o in outcomes if o.group is OutcomeGroup.OTHER]
    if whole_case:
        raise IllegalOutcome(
            f"“{whole_case[0].label}”针对整件申请，不能与其他事项的结果合并"
        )
    distinct = set(outcomes)
    if len(distinct) == 1:
        only = outcomes[0]
        return CombinedOutcome(only, f"各事项办理结果相同：{only.label}")
    provided = distinct & {Outcome.GRANTED, Outcome.PARTIAL}
    if provided:
        return CombinedOutcome(
            Outcome.PARTIAL,
            "部分事项予以公开、部分事项未予提供，按“部分公开”统计",
        )
    for candidate in precedence:
        if candidate in distinct:
            return CombinedOutcome(
                candidate, f"各事项均未予提供，按优先顺序统计为“{candidate.label}”"
            )
    missing = "、".join(sorted(o.label for o in distinct))
    raise IllegalOutcome(f"优先顺序中没有以下办理结果：{missing}")


# --------------------------------------------------------------------------- applicants


class ApplicantType(StrEnum):
    """Applicant categories = the six value columns of table 三 (Art. 29; 2021 format).

    The value is the column key of the flat cell keys (``s3.granted.natural``).
    """

    NATURAL = "natural"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    SOCIAL = "social"
    LEGAL = "legal"
    OTHER = "other"

    @property
    def column(self) -> str:
        """Column key in table 三."""
        return self.value

    @property
    def label(self) -> str:
        """Column header as printed in table 三."""
        return _APPLICANT_LABELS[self]

    @property
    def is_organisation(self) -> bool:
        """True for the five columns under 法人或其他组织."""
        return self is not ApplicantType.NATURAL

    @property
    def group_label(self) -> str:
        """The spanning header of the column ('' for 自然人)."""
        return "法人或其他组织" if self.is_organisation else ""

    @property
    def accepted_documents(self) -> tuple[IdDocumentType, ...]:
        """Identity documents (身份证明, Art. 29(一)) that fit this applicant type."""
        if self.is_organisation:
            return (IdDocumentType.CREDIT_CODE,)
        return tuple(d for d in IdDocumentType if d is not IdDocumentType.CREDIT_CODE)


_APPLICANT_LABELS: dict[ApplicantType, str] = {
    ApplicantType.NATURAL: "自然人",
    ApplicantType.COMMERCIAL: "商业企业",
    ApplicantType.RESEARCH: "科研机构",
    ApplicantType.SOCIAL: "社会公益组织",
    ApplicantType.LEGAL: "法律服务机构",
    ApplicantType.OTHER: "其他",
}


# --------------------------------------------------------------------------- intake


class IntakeChannel(StrEnum):
    """How an application arrived (Art. 29, Art. 31)."""

    IN_PERSON = "in_person"
    ORAL = "oral"
    REGISTERED_POST = "registered_post"
    ORDINARY_LETTER = "ordinary_letter"
    FAX = "fax"
    EMAIL = "email"
    ONLINE = "online"

    @property
    def label(self) -> str:
        """Chinese name for forms."""
        return _CHANNEL_LABELS[self]

    @property
    def ledger_channel(self) -> str:
        """The channel key of the deadline ledger (``core.workdays`` events).

        E-mail is an Internet channel under Art. 31(三), so the ledger calls it
        ``online``; the other keys are the same.
        """
        return "online" if self is IntakeChannel.EMAIL else self.value


_CHANNEL_LABELS: dict[IntakeChannel, str] = {
    IntakeChannel.IN_PERSON: "当面提交",
    IntakeChannel.ORAL: "口头提出（代为填写）",
    IntakeChannel.REGISTERED_POST: "邮寄（需签收）",
    IntakeChannel.ORDINARY_LETTER: "平常信函",
    IntakeChannel.FAX: "传真",
    IntakeChannel.EMAIL: "电子邮件",
    IntakeChannel.ONLINE: "网络平台",
}


class ReceiptDateError(ValueError):
    """The dates given do not determine an Art. 31 date of receipt."""


def receipt_date(
    channel: IntakeChannel | str,
    *,
    submitted_on: date,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """The date the agency received the application (收到申请之日), Art. 31.

    * 当面 / 口头代填 (Art. 31(一), Art. 29(1)): ``submitted_on``, the day it was handed in.
    * 邮寄需签收 (Art. 31(二)): ``signed_for_on``, the day the agency signed for it.
    * 平常信函 (Art. 31(二)): ``confirmed_on``, the day the 工作机构 confirmed with the
      applicant (it must do so on the day the letter arrives).
    * 互联网 (网络平台, 电子邮件) and 传真 (Art. 31(三)): ``confirmed_on``, the day both
      sides confirmed; an online platform that auto-confirms passes its own date.

    ``submitted_on`` is the day the applicant handed in, posted or sent it; a
    signing or confirmation date before it is refused.
    """
    channel_ = IntakeChannel(channel)
    if channel_ in (IntakeChannel.IN_PERSON, IntakeChannel.ORAL):
        return submitted_on
    if channel_ is IntakeChannel.REGISTERED_POST:
        return _not_before(signed_for_on, submitted_on, "签收日期", channel_)
    return _not_before(confirmed_on, submitted_on, "确认日期", channel_)


def _not_before(
    day: date | None, submitted_on: date, what: str, channel: IntakeChannel
) -> date:
    if day is None:
        raise ReceiptDateError(
            f"以“{channel.label}”方式提交的申请，须填写{what}（条例第三十一条）"
        )
    if day < submitted_on:
        raise ReceiptDateError(f"{what}不能早于申请人提交（寄出、发送）日期")
    return day
