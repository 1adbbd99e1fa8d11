"""Workflow rules of the annual report (政府信息公开工作年度报告, 条例 Art. 49–50).

One table, :data:`TRANSITIONS`, maps ``(status, action)`` to the next status; every
other pair is refused by :func:`transition` with :class:`IllegalTransition`, whose
message is Chinese and can be shown as is.

The path of a revision: 草稿 (draft: generated from the records, edited) → 已提交审核
(submitted to the office head) → 已审核 (approved) → 已公开 (published in the portal's
年报 column) → 已被更正版取代 (superseded, once a later revision is published). A
correction never edits a published revision: it starts a new draft revision and the
old one stays public until the new one is published.

A revision comes into being in one of :data:`ORIGINS` (generated, imported, started as
a correction); those are not moves, so they are not in the table.
"""

from __future__ import annotations

from enum import StrEnum

from gongkai.core.flowtable import FlowTable, IllegalTransition

__all__ = [
    "ORIGINS",
    "TRANSITIONS",
    "Action",
    "IllegalTransition",
    "Status",
    "allowed_actions",
    "origin_status",
    "transition",
]


class Status(StrEnum):
    """Status of one revision (the same values and labels as ``AnnualReport.Status``)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "已提交审核",
    Status.APPROVED: "已审核",
    Status.PUBLISHED: "已公开",
    Status.SUPERSEDED: "已被更正版取代",
}


class Action(StrEnum):
    """What staff do to a revision; the first three create one (see :data:`ORIGINS`)."""

    GENERATE = "generate"
    IMPORT = "import"
    START_CORRECTION = "start_correction"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PUBLISH = "publish"
    CORRECT = "correct"
    SUPERSEDE = "supersede"  # a later revision of the same year was published

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.GENERATE: "生成草稿",
    Action.IMPORT: "导入已发布年报",
    Action.START_CORRECTION: "创建更正稿",
    Action.SUBMIT: "提交审核",
    Action.APPROVE: "审核通过",
    Action.RETURN: "退回修改",
    Action.PUBLISH: "公开",
    Action.CORRECT: "更正",
    Action.SUPERSEDE: "被更正版取代",
}

_S, _A = Status, Action

TRANSITIONS: dict[tuple[Status, Action], Status] = {
    # The officer sends a checked draft to the office head (errors block it; the
    # service runs the checks inside the step).
    (_S.DRAFT, _A.SUBMIT): _S.SUBMITTED,
    # The office head approves; the service also requires a note on every warning
    # and refuses the report's own author (four-eyes).
    (_S.SUBMITTED, _A.APPROVE): _S.APPROVED,
    # The head sends it back for changes, before or after approving, as long as it
    # is not public yet.
    (_S.SUBMITTED, _A.RETURN): _S.DRAFT,
    (_S.APPROVED, _A.RETURN): _S.DRAFT,
    # Only an approved report goes public (Art. 50: published by the body itself).
    (_S.APPROVED, _A.PUBLISH): _S.PUBLISHED,
    # A published report is corrected by a new draft revision; this one stays public
    # (and in its status) until that revision is published.
    (_S.PUBLISHED, _A.CORRECT): _S.PUBLISHED,
    # Publishing a later revision of the same year retires this one; it stays
    # readable as history.
    (_S.PUBLISHED, _A.SUPERSEDE): _S.SUPERSEDED,
}

# How a revision starts: generated from the records, imported as already published,
# or started as a correction of a published one.
ORIGINS: dict[Action, Status] = {
    _A.GENERATE: _S.DRAFT,
    _A.IMPORT: _S.PUBLISHED,
    _A.START_CORRECTION: _S.DRAFT,
}


FLOW: FlowTable[Status, Action] = FlowTable(
    Status, Action, TRANSITIONS, subject="年度报告", noun="年报"
)


def transition(status: Status | str, action: Action | str) -> Status:
    """The status after ``action``; raise :class:`IllegalTransition` if not allowed."""
    return FLOW.transition(status, action)


def allowed_actions(status: Status | str) -> tuple[Action, ...]:
    """Actions allowed in ``status``, in :class:`Action` order (for buttons)."""
    return FLOW.allowed_actions(status)


def origin_status(action: Action | str) -> Status:
    """The status a revision starts in when created by ``action``."""
    try:
        return ORIGINS[Action(action)]
    except (ValueError, KeyError):
        raise IllegalTransition(
            f"“{action}”不是创建年度报告的操作。", action=str(action)
        ) from None
