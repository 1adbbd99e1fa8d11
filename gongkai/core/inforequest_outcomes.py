"""The 21 result rows of table 三 (2021 format) an application can end in.

:class:`Outcome` carries each row's flat key, printed label, legal basis and the reply
letter it uses; :func:`combine_outcomes` gives the one row of an application whose
items got different outcomes. Which action records which outcome is in
:mod:`gongkai.core.inforequest_flow` (:func:`~gongkai.core.inforequest_flow.outcome_for`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from gongkai.core.flowtable import IllegalTransition
from gongkai.core.inforequest_intake import ApplicantType

__all__ = [
    "DECIDABLE_OUTCOMES",
    "DEFAULT_PRECEDENCE",
    "CombinedOutcome",
    "IllegalOutcome",
    "Outcome",
    "OutcomeGroup",
    "ReplyLetter",
    "combine_outcomes",
]


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
    WITHHELD_STATE_SECRET = "withheld.state_secret"  # noqa: S105  # a table-三 row (国家秘密), not a password
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
        part) — the safer reading (docs/legal-notes.md §2.2).
        """
        return _OUTCOMES[self].review_first

    @property
    def ends_without_decision(self) -> bool:
        """True if the case ends by lapse or withdrawal, not by a decision on the request.

        逾期不补正 (Art. 30 视为放弃申请), 逾期未缴费 (国办函〔2020〕109号) and 其他
        (withdrawal etc.): the 条例 requires no decision letter; a closing notice
        (终止处理告知书) is recommended (docs/legal-notes.md §2.3).
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
    # No single article (docs/legal-notes.md §2.4): the request is not one to disclose
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


# Outcomes staff may choose with DECIDE / ANSWER_ON_THE_SPOT. The three forced ones
# need their procedure first: Art. 30 deadline, fee deadline, Art. 35 reasons.
DECIDABLE_OUTCOMES: frozenset[Outcome] = frozenset(Outcome) - {
    Outcome.OTHER_NO_SUPPLEMENT,
    Outcome.OTHER_NO_FEE,
    Outcome.REJECTED_EXCESSIVE,
}


class IllegalOutcome(IllegalTransition):
    """An outcome that cannot go with the action that concludes the case."""


# Per-item outcomes of a multi-item application that was not split (docs/legal-notes.md §2.1
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
