"""政策解读 and 政民互动 rules (issue 21, requirements 1 and 2): pure date and text rules.

- A 解读 is timely when it reaches the public with the document it explains or
  within ``days`` working days after it (国办发〔2016〕80号 / 国办发〔2019〕54号
  "同步组织、同步审签、同步部署"; the number of days is a setting, default 3).
- A 重大行政决策 draft is open to comment at least ``min_days`` days
  (《重大行政决策程序暂行条例》第十四条: "征求意见期限一般不少于30日").
- Public text (comments, questions) carries no links, no markup, and stays short.

No Django here: the calendar is passed in (``WorkCalendar``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import Protocol

from gongkai.core.identifiers import fold_ascii
from gongkai.core.inforequest_rules import StepRefused, chinese_day
from gongkai.core.workdays.calendar import MAX_YEAR, MIN_YEAR

__all__ = [
    "CONSULTATION_ARTICLE",
    "CONTACT_MAX_CHARS",
    "DEFAULT_CONSULTATION_FEEDBACK_WORKING_DAYS",
    "DEFAULT_CONSULTATION_MIN_DAYS_MAJOR",
    "DEFAULT_INTERPRETATION_WORKING_DAYS",
    "DEFAULT_MESSAGE_REPLY_WORKING_DAYS",
    "MESSAGE_MAX_CHARS",
    "PERIOD_COUNTING",
    "PUBLIC_COMMENT_MAX_CHARS",
    "InterpretationState",
    "StepRefused",
    "check_consultation_period",
    "check_contact",
    "check_optional_contact",
    "check_public_text",
    "consultation_feedback_due",
    "interpretation_deadline",
    "interpretation_rate",
    "interpretation_state",
    "message_due",
]

DEFAULT_INTERPRETATION_WORKING_DAYS = 3
DEFAULT_CONSULTATION_MIN_DAYS_MAJOR = 30
DEFAULT_CONSULTATION_FEEDBACK_WORKING_DAYS = 20
DEFAULT_MESSAGE_REPLY_WORKING_DAYS = 10
CONSULTATION_ARTICLE = "《重大行政决策程序暂行条例》第十四条"

# The longest public text, in characters, decided once here: the form fields'
# max_length, their help texts, the services' checks and the README come from these.
# A comment (意见征集, the feedback box, 满意度测评) is about a page; a 留言 asks a
# question and may explain a situation, so it has twice that.
PUBLIC_COMMENT_MAX_CHARS = 1000
MESSAGE_MAX_CHARS = 2000
CONTACT_MAX_CHARS = 100  # 联系方式: a telephone number or an e-mail address


class Calendar(Protocol):
    def add_working_days(self, start: date, n: int) -> date: ...


# ------------------------------------------------------------------ 政策解读


class InterpretationState(StrEnum):
    TIMELY = "timely"  # published with the document or within the days
    LATE = "late"  # published, after the deadline
    PENDING = "pending"  # none yet, the deadline not passed
    MISSING = "missing"  # none, the deadline passed

    @property
    def label(self) -> str:
        return {
            "timely": "按时解读",
            "late": "解读逾期",
            "pending": "待解读",
            "missing": "缺少解读",
        }[self.value]


def interpretation_deadline(
    document_published: date, days: int, calendar: Calendar
) -> date:
    """The last day a 解读 of a document published on ``document_published`` is timely
    (the publication day is day zero)."""
    return calendar.add_working_days(document_published, days)


def interpretation_state(
    *,
    document_published: date,
    interpretations_published: list[date],
    days: int,
    calendar: Calendar,
    today: date,
) -> InterpretationState:
    """Whether a document has a timely 解读: its earliest live 解读 decides."""
    deadline = interpretation_deadline(document_published, days, calendar)
    if interpretations_published:
        first = min(interpretations_published)
        return (
            InterpretationState.TIMELY
            if first <= deadline
            else InterpretationState.LATE
        )
    if today <= deadline:
        return InterpretationState.PENDING
    return InterpretationState.MISSING


def interpretation_rate(states: list[InterpretationState]) -> float | None:
    """解读率: the share (0–100, one decimal) of the documents with a timely 解读;
    None when there is no document."""
    if not states:
        return None
    timely = sum(1 for s in states if s == InterpretationState.TIMELY)
    return round(100 * timely / len(states), 1)


# ------------------------------------------------------------------ 意见征集


PERIOD_COUNTING = "《民法典》第二百零一条"


def check_consultation_period(
    *,
    opens_on: date,
    closes_on: date,
    is_major: bool,
    min_days_major: int,
    today: date,
) -> None:
    """Refuse a period that starts before ``today`` (a backdated start would make
    a short period look long), ends before it starts, is shorter than
    ``min_days_major`` days for a 重大行政决策, or has dates the working-day
    calendar cannot count from.

    Days are counted as the platform counts every period (民法典第二百零一条:
    "开始的当日不计入，自下一日开始计算"): the period runs from
    ``max(opens_on, today)`` and a period of N days ends at the earliest on the
    N-th day after its start day. So 1 November opening needs 1 December closing
    for 30 days. The closing day is not moved off a weekend or holiday: comments
    are taken online every day and the rule is a minimum the body may exceed.
    """
    for field, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if not MIN_YEAR <= day.year < MAX_YEAR:
            raise StepRefused(
                f"日期{chinese_day(day)}超出可计算范围（{MIN_YEAR}–{MAX_YEAR - 1}年），"
                "请核对征求意见的起止日期。",
                article=CONSULTATION_ARTICLE,
                field=field,
            )
    if opens_on < today:
        raise StepRefused(
            f"征求意见开始日期不能早于今天（{chinese_day(today)}）：征求意见期限自"
            "草案实际向社会公开之日起计算，不能倒签开始日期"
            f"（{CONSULTATION_ARTICLE}）。开始日期最早为{chinese_day(today)}。",
            article=CONSULTATION_ARTICLE,
            field="opens_on",
            possible_from=today,
        )
    if closes_on < opens_on:
        raise StepRefused(
            "征求意见截止日期不能早于开始日期。",
            article=CONSULTATION_ARTICLE,
            field="closes_on",
        )
    start = max(opens_on, today)
    length = (closes_on - start).days
    if is_major and length < min_days_major:
        earliest = date.fromordinal(start.toordinal() + min_days_major)
        raise StepRefused(
            f"重大行政决策草案公开征求意见的期限不少于{min_days_major}日"
            f"（{CONSULTATION_ARTICLE}；期间按{PERIOD_COUNTING}计算，开始当日不计入），"
            f"自{chinese_day(start)}开始的，现为{length}日；截止日期最早为"
            f"{chinese_day(earliest)}。",
            article=CONSULTATION_ARTICLE,
            field="closes_on",
            possible_from=earliest,
        )


def consultation_feedback_due(closes_on: date, days: int, calendar: Calendar) -> date:
    """The day the 采纳情况 must be published by: ``days`` working days after the
    period closes."""
    return calendar.add_working_days(closes_on, days)


# ------------------------------------------------------------------ 留言


def message_due(submitted_on: date, days: int, calendar: Calendar) -> date:
    """The reply deadline of a 留言 received on ``submitted_on``."""
    return calendar.add_working_days(submitted_on, days)


# A domain or "www." counts only where it starts a word of Latin letters: after a
# Chinese character, a space or punctuation, never inside an e-mail address
# ("zhang@163.com") or a longer word. ``\b`` would not do: Chinese characters are
# word characters to it, so "请访问baidu.com获取" has no boundary before "baidu".
_NOT_AFTER = r"(?<![A-Za-z0-9@.\-])"
_LINK = re.compile(
    r"(?:https?|ftp)://|javascript:|data:text|"
    + _NOT_AFTER
    + r"www\.|"
    + _NOT_AFTER
    + r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|top|xyz|info|cc|io|me)"
    r"(?![A-Za-z0-9\-])",
    re.IGNORECASE,
)
# Real markup only: a tag (a name right after "<" or "</", attributes in their
# HTML shape, then ">"), the opening of a dangerous tag even left unclosed, a
# comment, or a character reference. "x<y 且 y>z" and "onion=" are plain text.
_MARKUP = re.compile(
    r"</?[a-z][a-z0-9-]*"
    r"(?:\s+[a-z_:][-a-z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*"
    r"\s*/?>"
    r"|<(?:script|iframe|img|svg|style|object|embed|a|link|meta|form|body|math)"
    r"(?=[\s/>]|$)"
    r"|<!--|&#x?[0-9a-f]+;?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[^@\s<>\"'()]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE = re.compile(
    r"\+?[0-9 ()（）\-]+(?:(?:转|-|ext\.?)\s*[0-9]{1,6})?", re.IGNORECASE
)


def _check_length(clean: str, *, label: str, max_chars: int) -> str:
    if not clean:
        raise ValueError(f"请填写{label}。")
    if len(clean) > max_chars:
        raise ValueError(f"{label}最多{max_chars}个字，现有{len(clean)}个字。")
    return clean


def _check_one_line(clean: str, *, label: str) -> None:
    if any(unicodedata.category(ch) == "Cc" for ch in clean):
        raise ValueError(f"{label}只能填写一行文字，不能包含换行、制表等控制字符。")


def check_public_text(
    text: str, *, label: str, max_chars: int, single_line: bool = False
) -> str:
    """The text stripped, or ``ValueError`` with a Chinese reason: empty, longer than
    ``max_chars``, carrying a link or markup (script, HTML tags), or — for a
    single-line field (a title, a name: it goes into an e-mail subject) — a line
    break or another control character."""
    clean = _check_length((text or "").strip(), label=label, max_chars=max_chars)
    if single_line:
        _check_one_line(clean, label=label)
    if _MARKUP.search(clean):
        raise ValueError(f"{label}不能包含网页代码或脚本（如 <script>、HTML 标签）。")
    if _LINK.search(clean):
        raise ValueError(f"{label}不能包含网址或链接，请用文字描述。")
    return clean


def check_contact(text: str, *, label: str, max_chars: int) -> str:
    """A contact left by the public: a telephone number (7–20 digits, with the usual
    separators and an extension) or an e-mail address, returned with full-width
    digits and letters folded to ASCII (``fold_ascii``); ``ValueError`` otherwise."""
    clean = _check_length(fold_ascii(text).strip(), label=label, max_chars=max_chars)
    _check_one_line(clean, label=label)
    if _EMAIL.fullmatch(clean):
        return clean
    digits = sum(ch.isdigit() for ch in clean)
    if _PHONE.fullmatch(clean) and 7 <= digits <= 20:
        return clean
    raise ValueError(
        f"{label}请填写电话号码（如 0371-12345678、13800000000）或电子邮箱"
        "（如 zhang@163.com）。"
    )


def check_optional_contact(text: str, *, label: str, max_chars: int) -> str:
    """``check_contact`` for a field the public may leave empty (every public form's
    联系方式): blank stays ``""``."""
    if not (text or "").strip():
        return ""
    return check_contact(text, label=label, max_chars=max_chars)
