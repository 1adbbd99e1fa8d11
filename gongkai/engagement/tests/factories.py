"""Helpers of the 政民互动 tests: a consultation open from a day, the CAPTCHA of a
public form as a visitor answers it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import time_machine

from gongkai.engagement import services as s
from gongkai.engagement.models import Consultation


def on(day: date) -> time_machine.travel:
    """The clock on ``day`` (China time)."""
    return time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False)


def open_consultation(tree: Any, opens_on: date, closes_on: date) -> Consultation:
    """A draft of the street open for comment, opened on ``opens_on``."""
    with on(opens_on):
        return s.consultation_open(
            actor=tree.officer,
            organisation=tree.street,
            title="加装电梯实施办法（征求意见稿）",
            body="第一条 为方便居民出行……",
            is_major=False,
            opens_on=opens_on,
            closes_on=closes_on,
        )


def captcha_fields(page: str, *, right: bool = True) -> dict[str, str]:
    """The CAPTCHA answer (right, or off by one) and token of the form on ``page``."""
    question = re.search(r"(\d) 加 (\d) 等于几", page)
    token = re.search(r'name="captcha_token" value="([^"]+)"', page)
    assert question and token, "no CAPTCHA question on the page"
    answer = int(question.group(1)) + int(question.group(2)) + (0 if right else 1)
    return {"captcha": str(answer), "captcha_token": token.group(1)}
