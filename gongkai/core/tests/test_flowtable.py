from __future__ import annotations

from enum import StrEnum

import pytest

from gongkai.core.flowtable import FlowTable, IllegalTransition


class Light(StrEnum):
    RED = "red"
    GREEN = "green"

    @property
    def label(self) -> str:
        return {"red": "红灯", "green": "绿灯"}[self.value]


class Press(StrEnum):
    GO = "go"
    STOP = "stop"


FLOW = FlowTable(
    Light, Press, {(Light.RED, Press.GO): Light.GREEN}, subject="信号", noun="信号"
)


def test_a_listed_move_gives_the_next_status():
    assert FLOW.transition("red", "go") is Light.GREEN
    assert FLOW.allowed_actions("red") == (Press.GO,)
    assert FLOW.allowed_actions("green") == ()


@pytest.mark.parametrize(
    ("status", "action", "words"),
    [
        ("green", "go", "绿灯"),
        ("blue", "go", "未知的信号状态"),
        ("red", "jump", "未知的信号操作"),
    ],
)
def test_anything_else_is_refused_in_chinese(status, action, words):
    with pytest.raises(IllegalTransition) as info:
        FLOW.transition(status, action)
    assert words in info.value.message
