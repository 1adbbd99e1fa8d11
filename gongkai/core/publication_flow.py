"""Workflow rules of a proactive-disclosure publication (主动公开, 条例 Art. 19–26).

One table, :data:`TRANSITIONS`, maps ``(status, action)`` to the next status; every
other pair is refused by :func:`transition` with :class:`IllegalTransition`, whose
message is Chinese and can be shown as is.

The path of an item: 起草 (draft) → 送审 (in_review: 保密审查 and the 公开属性 check
by the office head, 条例 Art. 17) → 审核通过 (approved) → 定时发布 (scheduled) or
已发布 (published) → 已更新 (updated: changed while live; revisions kept) →
已撤回 (withdrawn). An item whose 公开属性 is 依申请公开 or 不予公开 is approved into
``filed`` (归档, not proactively disclosed) instead of ``approved``.
"""

from __future__ import annotations

from enum import StrEnum

from gongkai.core.flowtable import FlowTable, IllegalTransition

__all__ = [
    "LIVE_STATUSES",
    "TRANSITIONS",
    "Action",
    "IllegalTransition",
    "Status",
    "allowed_actions",
    "transition",
]


class Status(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    FILED = "filed"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    UPDATED = "updated"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.DRAFT: "草稿",
    Status.IN_REVIEW: "待审核",
    Status.APPROVED: "审核通过",
    Status.FILED: "已归档（不主动公开）",
    Status.SCHEDULED: "定时发布",
    Status.PUBLISHED: "已发布",
    Status.UPDATED: "已更新",
    Status.WITHDRAWN: "已撤回",
}


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    APPROVE_NOT_PUBLIC = "approve_not_public"
    REJECT = "reject"
    PUBLISH = "publish"
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    GO_LIVE = "go_live"  # the scheduler reached go_live_at
    REVISE = "revise"  # change a live item; a revision is kept
    WITHDRAW = "withdraw"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.SUBMIT: "送审",
    Action.APPROVE: "审核通过",
    Action.APPROVE_NOT_PUBLIC: "审核通过（不主动公开）",
    Action.REJECT: "退回修改",
    Action.PUBLISH: "发布",
    Action.SCHEDULE: "定时发布",
    Action.UNSCHEDULE: "取消定时",
    Action.GO_LIVE: "到时发布",
    Action.REVISE: "更新内容",
    Action.WITHDRAW: "撤回",
    Action.REOPEN: "重新起草",
}

_S, _A = Status, Action

TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (_S.DRAFT, _A.SUBMIT): _S.IN_REVIEW,
    (_S.IN_REVIEW, _A.APPROVE): _S.APPROVED,
    (_S.IN_REVIEW, _A.APPROVE_NOT_PUBLIC): _S.FILED,
    (_S.IN_REVIEW, _A.REJECT): _S.DRAFT,
    (_S.APPROVED, _A.PUBLISH): _S.PUBLISHED,
    (_S.APPROVED, _A.SCHEDULE): _S.SCHEDULED,
    (_S.APPROVED, _A.REOPEN): _S.DRAFT,
    (_S.SCHEDULED, _A.GO_LIVE): _S.PUBLISHED,
    (_S.SCHEDULED, _A.PUBLISH): _S.PUBLISHED,
    (_S.SCHEDULED, _A.UNSCHEDULE): _S.APPROVED,
    (_S.PUBLISHED, _A.REVISE): _S.UPDATED,
    (_S.UPDATED, _A.REVISE): _S.UPDATED,
    (_S.PUBLISHED, _A.WITHDRAW): _S.WITHDRAWN,
    (_S.UPDATED, _A.WITHDRAW): _S.WITHDRAWN,
    (_S.FILED, _A.REOPEN): _S.DRAFT,
    (_S.WITHDRAWN, _A.REOPEN): _S.DRAFT,
}

# Statuses in which the item is visible on the public channels.
LIVE_STATUSES = frozenset({Status.PUBLISHED, Status.UPDATED})


FLOW: FlowTable[Status, Action] = FlowTable(
    Status, Action, TRANSITIONS, subject="信息", noun="发布"
)


def transition(status: Status | str, action: Action | str) -> Status:
    """The status after ``action``; raise :class:`IllegalTransition` if not allowed."""
    return FLOW.transition(status, action)


def allowed_actions(status: Status | str) -> tuple[Action, ...]:
    """Actions allowed in ``status``, in :class:`Action` order (for buttons)."""
    return FLOW.allowed_actions(status)
