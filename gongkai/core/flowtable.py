"""One transition-table mechanism for every workflow (STYLE §5).

A workflow is a dict ``(status, action) -> next status`` over two labelled enums;
``FlowTable`` answers the next status or raises :class:`IllegalTransition` with a
Chinese message naming the status and the action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

S = TypeVar("S", bound=Enum)
A = TypeVar("A", bound=Enum)


class IllegalTransition(ValueError):
    """An action that the workflow does not allow in the current status."""

    def __init__(self, message: str, *, status: str = "", action: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.action = action


@dataclass(frozen=True)
class FlowTable(Generic[S, A]):
    """``subject`` names what moves (申请, 信息) and ``noun`` its status (办理, 发布)."""

    statuses: type[S]
    actions: type[A]
    table: Mapping[tuple[S, A], S]
    subject: str
    noun: str
    error: type[IllegalTransition] = IllegalTransition

    def transition(self, status: S | str, action: A | str) -> S:
        """The status after ``action``; raise ``self.error`` if not allowed."""
        try:
            status_ = self.statuses(status)
        except ValueError:
            raise self.error(
                f"未知的{self.noun}状态：{status}", status=str(status)
            ) from None
        try:
            action_ = self.actions(action)
        except ValueError:
            raise self.error(
                f"未知的{self.noun}操作：{action}",
                status=str(status_.value),
                action=str(action),
            ) from None
        try:
            return self.table[(status_, action_)]
        except KeyError:
            raise self.error(
                f"{self.subject}处于“{_label(status_)}”状态，不能执行“{_label(action_)}”操作。",
                status=str(status_.value),
                action=str(action_.value),
            ) from None

    def allowed_actions(self, status: S | str) -> tuple[A, ...]:
        """Actions allowed in ``status``, in enum order (for buttons)."""
        status_ = self.statuses(status)
        return tuple(a for a in self.actions if (status_, a) in self.table)


def _label(member: Enum) -> str:
    return str(getattr(member, "label", member.value))
