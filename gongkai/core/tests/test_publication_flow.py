from __future__ import annotations

import pytest

from gongkai.core.publication_flow import (
    LIVE_STATUSES,
    TRANSITIONS,
    Action,
    IllegalTransition,
    Status,
    allowed_actions,
    transition,
)


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        ("draft", "submit", "in_review"),
        ("in_review", "approve", "approved"),
        ("in_review", "approve_not_public", "filed"),
        ("in_review", "reject", "draft"),
        ("approved", "publish", "published"),
        ("approved", "schedule", "scheduled"),
        ("scheduled", "go_live", "published"),
        ("scheduled", "unschedule", "approved"),
        ("published", "revise", "updated"),
        ("updated", "revise", "updated"),
        ("updated", "withdraw", "withdrawn"),
        ("withdrawn", "reopen", "draft"),
    ],
)
def test_the_table_moves_a_publication_along_its_path(
    status: str, action: str, expected: str
) -> None:
    assert transition(status, action) == Status(expected)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "publish"),  # no publishing without review (保密审查)
        ("draft", "approve"),
        ("in_review", "publish"),
        ("filed", "publish"),  # 不予公开 / 依申请公开 items never go live
        ("withdrawn", "publish"),
        ("published", "submit"),
    ],
)
def test_a_move_outside_the_table_is_refused_in_chinese(
    status: str, action: str
) -> None:
    with pytest.raises(IllegalTransition) as info:
        transition(status, action)
    assert "不能执行" in info.value.message
    assert Status(status).label in info.value.message
    assert Action(action).label in info.value.message


def test_unknown_status_and_action_are_refused() -> None:
    with pytest.raises(IllegalTransition, match="未知的发布状态"):
        transition("lost", "submit")
    with pytest.raises(IllegalTransition, match="未知的发布操作"):
        transition("draft", "fly")


def test_allowed_actions_lists_buttons_of_a_status() -> None:
    assert allowed_actions("in_review") == (
        Action.APPROVE,
        Action.APPROVE_NOT_PUBLIC,
        Action.REJECT,
    )
    assert allowed_actions("draft") == (Action.SUBMIT,)


def test_every_status_can_be_reached_and_only_live_statuses_are_live() -> None:
    reached = {Status.DRAFT} | set(TRANSITIONS.values())
    assert reached == set(Status)
    assert {Status.PUBLISHED, Status.UPDATED} == LIVE_STATUSES
