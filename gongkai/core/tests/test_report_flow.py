from __future__ import annotations

import pytest

from gongkai.core.report_flow import (
    ORIGINS,
    TRANSITIONS,
    Action,
    IllegalTransition,
    Status,
    allowed_actions,
    origin_status,
    transition,
)


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        ("draft", "submit", "submitted"),
        ("submitted", "approve", "approved"),
        ("submitted", "return", "draft"),
        ("approved", "return", "draft"),
        ("approved", "publish", "published"),
        ("published", "correct", "published"),
        ("published", "supersede", "superseded"),
    ],
)
def test_the_table_moves_a_report_along_its_path(
    status: str, action: str, expected: str
) -> None:
    assert transition(status, action) == Status(expected)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),  # no approval of what was never submitted
        ("draft", "publish"),  # no publication without review
        ("submitted", "publish"),
        ("submitted", "submit"),
        ("approved", "approve"),
        ("published", "return"),  # a public report is corrected, not taken back
        ("published", "submit"),
        ("draft", "correct"),  # only a published report is corrected
        ("superseded", "correct"),
        ("superseded", "publish"),
        ("approved", "supersede"),
    ],
)
def test_a_move_outside_the_table_is_refused_in_chinese(
    status: str, action: str
) -> None:
    with pytest.raises(IllegalTransition) as info:
        transition(status, action)
    message = info.value.message
    assert message.startswith("年度报告处于") and "不能执行" in message
    assert Status(status).label in message
    assert Action(action).label in message
    assert (info.value.status, info.value.action) == (status, action)


def test_every_pair_not_in_the_table_is_refused() -> None:
    for status in Status:
        for action in Action:
            if (status, action) in TRANSITIONS:
                continue
            with pytest.raises(IllegalTransition):
                transition(status, action)


def test_unknown_status_and_action_are_refused() -> None:
    with pytest.raises(IllegalTransition, match="未知的年报状态"):
        transition("lost", "submit")
    with pytest.raises(IllegalTransition, match="未知的年报操作"):
        transition("draft", "fly")


def test_allowed_actions_lists_buttons_of_a_status() -> None:
    assert allowed_actions("draft") == (Action.SUBMIT,)
    assert allowed_actions("submitted") == (Action.APPROVE, Action.RETURN)
    assert allowed_actions("approved") == (Action.RETURN, Action.PUBLISH)
    assert allowed_actions("published") == (Action.CORRECT, Action.SUPERSEDE)
    assert allowed_actions("superseded") == ()


def test_origins_are_not_moves_and_start_a_revision() -> None:
    assert origin_status("generate") == Status.DRAFT
    assert origin_status(Action.IMPORT) == Status.PUBLISHED
    assert origin_status("start_correction") == Status.DRAFT
    assert not {a for _, a in TRANSITIONS} & set(ORIGINS)
    for not_an_origin in ("submit", "fly"):
        with pytest.raises(IllegalTransition, match="不是创建年度报告的操作"):
            origin_status(not_an_origin)


def test_every_status_can_be_reached_and_has_a_label() -> None:
    reached = set(ORIGINS.values()) | set(TRANSITIONS.values())
    assert reached == set(Status)
    assert all(s.label for s in Status) and all(a.label for a in Action)
