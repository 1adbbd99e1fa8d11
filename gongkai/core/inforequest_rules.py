"""The 条例's limits on when a step of an application may be taken.

:mod:`gongkai.core.inforequest_flow` says which steps follow which; this module says
*when* a step is lawful, from the dates the deadline ledger has already worked out.
Each rule is one function that returns nothing or raises :class:`StepRefused` with
a Chinese message naming the article and, where the step becomes possible later,
the first day it does. The services run the rule before the step, so a forbidden
step is refused on the screen and in the API alike and nothing of it is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.core.flowtable import IllegalTransition
from gongkai.core.inforequest_flow import Action, Outcome, OutcomeGroup
from gongkai.core.workdays import Ledger

__all__ = [
    "PARTIAL_WITHHELD_GROUNDS",
    "STEP_DATE_RULES",
    "ConsultationOpinion",
    "EarlierPiece",
    "StepDays",
    "StepRefused",
    "check_clarification_lapsed",
    "check_clarification_notice_in_time",
    "check_consultation_silence",
    "check_fee_lapsed",
    "check_fee_notice_in_time",
    "check_partial_ground",
    "check_review_body",
    "check_third_party_notice",
    "chinese_day",
    "earlier_pieces_this_month",
    "lawful_days",
]


class StepRefused(IllegalTransition):
    """A step the 条例 does not allow on that day (or at all, in that state).

    ``field`` names the form field the message belongs to ("" for the whole step);
    ``possible_from`` is the first day the step becomes lawful, if there is one;
    ``possible_until`` the last day it was lawful, for a step that had to be taken
    in time (the day a 补录 of it may be dated at the latest).
    """

    def __init__(
        self,
        message: str,
        *,
        article: str,
        field: str = "",
        possible_from: date | None = None,
        possible_until: date | None = None,
    ) -> None:
        super().__init__(message)
        self.article = article
        self.field = field
        self.possible_from = possible_from
        self.possible_until = possible_until


def chinese_day(day: date) -> str:
    """``2026年12月28日`` (no leading zeros), as the refusals print dates."""
    return f"{day.year}年{day.month}月{day.day}日"


# --------------------------------------------------------------------------- Art. 30


def check_clarification_notice_in_time(*, on: date, notice_due: date) -> None:
    """条例第三十条: the 补正 notice is given once, within 7 working days of receipt.

    A late notice would restart the 20 working days from the correction and hide a
    case that is already late, so it is refused, not warned about.
    """
    if on > notice_due:
        raise StepRefused(
            f"补正告知应当自收到申请之日起7个工作日内（至{chinese_day(notice_due)}）"
            "一次性作出（条例第三十条），已超过该期限，不能再告知补正。",
            article="条例第三十条",
            field="on",
            possible_until=notice_due,
        )


def check_clarification_lapsed(*, on: date, correction_deadline: date | None) -> None:
    """条例第三十条: 视为放弃申请 only once the applicant's 补正 period has ended."""
    if correction_deadline is None:
        raise StepRefused(
            "本申请没有记录补正期限，不能按逾期未补正办结（条例第三十条）。",
            article="条例第三十条",
        )
    if on <= correction_deadline:
        first = correction_deadline + timedelta(days=1)
        raise StepRefused(
            f"申请人的补正期限至{chinese_day(correction_deadline)}，"
            f"该日之后（{chinese_day(first)}起）方可按第三十条视为放弃申请。",
            article="条例第三十条",
            field="on",
            possible_from=first,
        )


# --------------------------------------------------------------------------- fees


def check_fee_notice_in_time(*, on: date, due: date | None) -> None:
    """A fee notice is issued within the reply period (国办函〔2020〕109号, 条例第四十二条).

    After the period has run out, a notice would pause a clock that has already
    stopped and let the case be closed for non-payment.
    """
    if due is not None and on > due:
        raise StepRefused(
            f"答复期限已于{chinese_day(due)}届满，收费通知应当在答复期限内发出"
            "（条例第四十二条、国办函〔2020〕109号），不能再发出收费通知。",
            article="条例第四十二条",
            field="on",
            possible_until=due,
        )


def check_fee_lapsed(*, on: date, payment_deadline: date | None) -> None:
    """视为放弃申请 for non-payment only after the 20-working-day payment period."""
    if payment_deadline is None:
        raise StepRefused(
            "本申请没有未缴费的收费通知，不能按逾期未缴费办结。",
            article="国办函〔2020〕109号",
        )
    if on <= payment_deadline:
        first = payment_deadline + timedelta(days=1)
        raise StepRefused(
            f"申请人的缴费期限至{chinese_day(payment_deadline)}（收到收费通知次日起20个工作日），"
            f"该日之后（{chinese_day(first)}起）方可按逾期未缴费视为放弃申请"
            "（国办函〔2020〕109号）。",
            article="国办函〔2020〕109号",
            field="on",
            possible_from=first,
        )


@dataclass(frozen=True)
class EarlierPiece:
    """An application of the same applicant at the same body (for 按件计收)."""

    tracking_number: str
    received_on: date
    pieces: int = 1


def earlier_pieces_this_month(
    received_on: date,
    tracking_number: str,
    applications: Iterable[EarlierPiece],
) -> tuple[EarlierPiece, ...]:
    """The applications counted before this one in its natural month, in receipt order.

    国办函〔2020〕109号第四条: "同一申请人一个自然月内累计申请" — the same applicant
    (identity digest), the same receiving body, the natural month of the 条例第三十一条
    receipt date, ordered by receipt date then tracking number (docs/legal-notes.md §1.2).
    """
    key = (received_on, tracking_number)
    return tuple(
        sorted(
            (
                a
                for a in applications
                if (a.received_on.year, a.received_on.month)
                == (received_on.year, received_on.month)
                and (a.received_on, a.tracking_number) < key
            ),
            key=lambda a: (a.received_on, a.tracking_number),
        )
    )


# --------------------------------------------------------------------------- by step

# The rule of the day each step may be dated, read from the case's deadline ledger
# before the step: the service runs it on the day typed (``take_step``), the screens
# ask it before offering the form (``lawful_days``). One rule, one place.
STEP_DATE_RULES: Mapping[Action, Callable[[Ledger, date], None]] = {
    Action.REQUEST_CLARIFICATION: lambda ledger, on: check_clarification_notice_in_time(
        on=on, notice_due=ledger.correction_notice_due
    ),
    Action.EXPIRE_CLARIFICATION: lambda ledger, on: check_clarification_lapsed(
        on=on, correction_deadline=ledger.correction_deadline
    ),
    Action.ISSUE_FEE_NOTICE: lambda ledger, on: check_fee_notice_in_time(
        on=on, due=ledger.due_date
    ),
    Action.EXPIRE_FEE: lambda ledger, on: check_fee_lapsed(
        on=on, payment_deadline=ledger.payment_deadline
    ),
}


@dataclass(frozen=True)
class StepDays:
    """Which of the days a step may be dated (from the case's last step to today) its
    rule allows.

    * ``refused``: none — the step is not offered, with this refusal;
    * ``until``: only days up to ``until``, before today — a step that had to be
      taken in time and was not recorded then: it may be recorded afterwards (补录)
      with the date it was taken, never today's; ``later`` is the refusal a later
      date gets (its article and ``until`` are what the form's help says);
    * neither: today is lawful, the step is offered as usual.
    """

    refused: StepRefused | None = None
    until: date | None = None
    later: StepRefused | None = None

    @property
    def today(self) -> bool:
        """True if the step may be dated today (offered with today as its date)."""
        return self.refused is None and self.until is None

    @property
    def help_text(self) -> str:
        """What a 补录 form says about its date: the last lawful day and the rule."""
        if self.until is None or self.later is None:
            return ""
        return (
            f"今天已不能办理，只能补录此前已经办理的：日期不能晚于"
            f"{chinese_day(self.until)}（{self.later.article}）。"
        )


def lawful_days(
    rule: Callable[[date], object],
    first: date,
    last: date,
    *,
    until_hint: date | None = None,
) -> StepDays:
    """Which days from ``first`` to ``last`` (the days the step may be dated; ``last``
    is today) ``rule`` allows.

    Every rule here allows a step up to a day (in time) or from a day (lapsed), never
    between two, so the two ends decide whether some day is lawful; the refusal given
    is the one on ``last`` (today). A step lawful on ``first`` but not today had to be
    taken in time: its last lawful day is the one its refusal names
    (``possible_until``) or the caller expects (``until_hint``) if the rule allows it,
    else the last day the rule allows, found by halving.
    """
    try:
        rule(last)
    except StepRefused as exc:
        today_refused = exc
    else:
        return StepDays()
    if not _allows(rule, first):
        return StepDays(refused=today_refused)
    until = today_refused.possible_until or until_hint
    if until is None or not first <= until < last or not _allows(rule, until):
        lo, hi = first, last  # rule(lo) holds, rule(hi) does not
        while (hi - lo).days > 1:
            mid = lo + timedelta(days=(hi - lo).days // 2)
            lo, hi = (mid, hi) if _allows(rule, mid) else (lo, mid)
        until = lo
    return StepDays(until=until, later=today_refused)


def _allows(rule: Callable[[date], object], day: date) -> bool:
    try:
        rule(day)
    except StepRefused:
        return False
    return True


# --------------------------------------------------------------------------- consultations


class ConsultationOpinion:
    """What a consulted party answered (条例第三十二条、第三十四条)."""

    AGREE = "agree"
    OBJECT = "object"
    NO_REPLY = "no_reply"
    LABELS = {AGREE: "同意公开", OBJECT: "不同意公开", NO_REPLY: "逾期未提出意见"}


def check_consultation_silence(
    *, on: date, window_end: date | None, party: str
) -> None:
    """Silence counts only after the 15 working days from the party's receipt.

    条例第三十二条 (third party: "逾期未提出意见的，由行政机关依照本条例的规定决定是否公开")
    and 第三十四条 (other agency: "逾期未提出意见的视为同意公开"), each 15 working days
    from the receipt of the 征求意见书.
    """
    article = "条例第三十二条" if party == "third_party" else "条例第三十四条"
    if window_end is None:
        raise StepRefused(
            "尚未记录对方收到征求意见书的日期，无法确定提出意见的期限；"
            f"请先填写送达日期（{article}）。",
            article=article,
            field="delivered_on",
        )
    if on <= window_end:
        first = window_end + timedelta(days=1)
        raise StepRefused(
            f"对方提出意见的期限至{chinese_day(window_end)}（收到征求意见书之日起15个工作日），"
            f"该日之后（{chinese_day(first)}起）方可按逾期未提出意见处理（{article}）。",
            article=article,
            field="on",
            possible_from=first,
        )


def check_third_party_notice(
    *, outcome: Outcome, objectors: Iterable[str], disclosure_reason: str
) -> tuple[str, ...]:
    """条例第三十二条: disclosing over a third party's objection needs written reasons.

    Returns the third parties that must be told in writing of what is disclosed and
    why; refuses the decision if the reason is missing.
    """
    if outcome not in (Outcome.GRANTED, Outcome.PARTIAL):
        return ()
    names = tuple(dict.fromkeys(n for n in objectors if n))
    if names and not disclosure_reason.strip():
        raise StepRefused(
            f"第三方（{'、'.join(names)}）不同意公开，决定公开的，应当将决定公开的内容和理由"
            "书面告知第三方（条例第三十二条）；请填写决定公开的理由。",
            article="条例第三十二条",
            field="detail_disclosure_reason",
        )
    return names


# --------------------------------------------------------------------------- decisions

# The grounds on which part of the information may be withheld (条例第十四条至第十六条,
# 第三十六条第（七）项): the 不予公开 rows of table 三.
PARTIAL_WITHHELD_GROUNDS: tuple[Outcome, ...] = tuple(
    o for o in Outcome if o.group is OutcomeGroup.WITHHELD
)


def check_partial_ground(outcome: Outcome, ground: str) -> Outcome | None:
    """条例第三十七条: a 部分公开 names the legal ground of the part withheld.

    Returns the ground (one of :data:`PARTIAL_WITHHELD_GROUNDS`) for a partial
    disclosure, None for any other outcome.
    """
    if outcome is not Outcome.PARTIAL:
        return None
    for candidate in PARTIAL_WITHHELD_GROUNDS:
        if candidate.value == ground:
            return candidate
    raise StepRefused(
        "部分公开的，须写明不予公开部分的法律依据（条例第十四条、第十五条、第十六条或"
        "第三十六条第（七）项），请选择不予公开的依据。",
        article="条例第三十七条",
        field="detail_withheld_ground",
    )


def check_review_body(review_body: str, organisation_name: str) -> str:
    """The 行政复议机关 a reply letter names (行政复议法 2023 第二十四条) must be known."""
    if not review_body.strip():
        raise StepRefused(
            f"尚未设置{organisation_name}的行政复议机关，答复告知书无法写明救济途径"
            "（行政复议法第二十四条）；请系统管理员在“文书设置”中填写后再办理。",
            article="行政复议法第二十四条",
        )
    return review_body.strip()
