"""How long the free text of an application's steps may be — one table for the
screens' forms and the API (issue 17, requirement 9).

A step's text is printed in a letter (补正事项, 理由) or recorded on the case; the
limit is enough for a full statement of reasons and short of a text that runs a
one-page letter to ten pages. :func:`text_too_long` is run by the step layer
(``inforequests.steps.perform``) and the transfer/assistance services, whichever
entry the text came through; the forms take their ``max_length`` from the same table.
The message is the one the forms give ("需要补正的事项最多1000个字，现有1500个字。",
``gongkai/formbase.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "DETAIL_MAX_LENGTH",
    "LETTER_TEXT_MAX_LENGTH",
    "NOTE_MAX_LENGTH",
    "STEP_TEXT_LIMITS",
    "text_limit",
    "text_too_long",
]

LETTER_TEXT_MAX_LENGTH = 1000  # words printed in a letter (补正事项, 理由)
NOTE_MAX_LENGTH = 2000  # recorded on the case only (协办回复, 补正内容)
DETAIL_MAX_LENGTH = 500  # one field of a reply letter (检索范围, 理由…)

# step -> field -> (Chinese name, most characters). Steps are the workflow actions
# (core.inforequest_flow.Action values) and the transfer/assistance services.
STEP_TEXT_LIMITS: dict[str, dict[str, tuple[str, int]]] = {
    "request_clarification": {"what": ("需要补正的事项", LETTER_TEXT_MAX_LENGTH)},
    "receive_clarification": {"correction": ("补正内容", NOTE_MAX_LENGTH)},
    "agree_delay": {"reason": ("延迟答复的理由", 300)},
    "reject_as_excessive": {"note": ("不予处理的理由", LETTER_TEXT_MAX_LENGTH)},
    "extend": {"reason": ("延期理由", 200)},
    "start_consultation": {
        "name": ("单位或个人名称", 100),
        "reason": ("征求意见的原因", 200),
    },
    "end_consultation": {"ref": ("征求意见编号", 40), "answer": ("意见内容", 500)},
    "issue_fee_notice": {"payment_method": ("缴费方式", 200)},
    "waive_fee": {"reason": ("理由", 300)},
    "revise_decision": {"reason": ("理由", 300)},
    "decide": {"note": ("理由/说明", LETTER_TEXT_MAX_LENGTH)},
    "answer_on_the_spot": {"note": ("理由/说明", LETTER_TEXT_MAX_LENGTH)},
    "send_reply": {"delivery_method": ("送达方式", 30), "tracking": ("邮件单号", 60)},
    "withdraw": {"note": ("说明", 200)},
    "reopen": {"appeal_ref": ("复议决定书或判决书文号", 100)},
    "letter_delivery": {"method": ("送达方式", 30), "tracking": ("邮件单号", 60)},
    "transfer_propose": {"reason": ("转办理由", LETTER_TEXT_MAX_LENGTH)},
    "transfer_decline": {"reason": ("不接收的理由", LETTER_TEXT_MAX_LENGTH)},
    "assistance_request": {"question": ("协办事项", LETTER_TEXT_MAX_LENGTH)},
    "assistance_answer": {"answer": ("协办回复", NOTE_MAX_LENGTH)},
}

# A reply letter's fields (``details``) each print one paragraph part.
_DETAIL_STEPS = frozenset({"decide", "answer_on_the_spot"})


def text_limit(step: str, field: str) -> int:
    """The most characters ``field`` of ``step`` may have (for a form's max_length)."""
    return STEP_TEXT_LIMITS[step][field][1]


def _message(name: str, limit: int, length: int) -> str:
    return f"{name}最多{limit}个字，现有{length}个字。"


def text_too_long(
    step: str, data: Mapping[str, Any], *, detail_names: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Field -> Chinese message for each text of ``data`` longer than the step allows
    (empty when all fit). ``detail_names`` names a reply letter's fields."""
    errors: dict[str, str] = {}
    for field, (name, limit) in STEP_TEXT_LIMITS.get(step, {}).items():
        value = data.get(field)
        if isinstance(value, str) and len(value.strip()) > limit:
            errors[field] = _message(name, limit, len(value.strip()))
    details = data.get("details")
    if step in _DETAIL_STEPS and isinstance(details, Mapping):
        for key, value in details.items():
            text = str(value or "").strip()
            if len(text) > DETAIL_MAX_LENGTH:
                name = (detail_names or {}).get(str(key), "答复告知书的内容")
                errors[f"details.{key}"] = _message(name, DETAIL_MAX_LENGTH, len(text))
    return errors
