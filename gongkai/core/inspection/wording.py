"""The 严重表述错误 / 错别字 dictionary and its matcher, and dates that cannot exist.

Dictionary format (one entry a line, ``#`` comments)::

    错误写法 => 正确写法 | 严重
    错误写法 => 正确写法

A bad line is reported (line number and reason) and skipped; the rest still works.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

DEFAULT_DICTIONARY_PATH = Path(__file__).with_name("wording_default.txt")
SERIOUS_MARK = "严重"


class Severity(StrEnum):
    SERIOUS = "serious"
    COMMON = "common"

    @property
    def label(self) -> str:
        return "严重表述错误" if self is Severity.SERIOUS else "错别字"


@dataclass(frozen=True)
class Entry:
    wrong: str
    right: str
    severity: Severity


@dataclass(frozen=True)
class BadLine:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Hit:
    wrong: str
    right: str
    severity: Severity
    start: int
    context: str  # a few characters either side, for the screen
    note: str = ""  # why, when there is no right form (a date that cannot exist)

    @property
    def message(self) -> str:
        if self.note:
            return f"“{self.wrong}”：{self.note}"
        if self.right:
            return f"“{self.wrong}”应为“{self.right}”"
        return f"“{self.wrong}”"


@dataclass
class Dictionary:
    entries: dict[str, Entry]
    bad_lines: list[BadLine]
    _pattern: re.Pattern[str] | None = None

    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.entries:
            # Longest first, so a longer wrong phrase wins over its prefix.
            words = sorted(self.entries, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(w) for w in words))
        return self._pattern

    def merged(self, other: Dictionary) -> Dictionary:
        """``other``'s entries over ours (a province's over the national list)."""
        return Dictionary(
            {**self.entries, **other.entries}, [*self.bad_lines, *other.bad_lines]
        )


def parse_dictionary(text: str) -> Dictionary:
    entries: dict[str, Entry] = {}
    bad: list[BadLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=>" not in line:
            bad.append(
                BadLine(number, raw, "缺少“=>”（格式：错误写法 => 正确写法 | 严重）")
            )
            continue
        wrong, _, rest = line.partition("=>")
        right, _, mark = rest.partition("|")
        wrong, right, mark = wrong.strip(), right.strip(), mark.strip()
        if not wrong:
            bad.append(BadLine(number, raw, "错误写法为空"))
            continue
        if wrong == right:
            bad.append(BadLine(number, raw, "错误写法与正确写法相同"))
            continue
        if mark and mark != SERIOUS_MARK:
            bad.append(BadLine(number, raw, f"级别只能写“{SERIOUS_MARK}”或不写"))
            continue
        if right and wrong in right:
            # "X => X…" would flag every correct text that contains the wrong form.
            bad.append(BadLine(number, raw, "正确写法包含错误写法，会误报正确的文字"))
            continue
        severity = Severity.SERIOUS if mark else Severity.COMMON
        entries[wrong] = Entry(wrong, right, severity)
    return Dictionary(entries, bad)


def load_default_dictionary() -> Dictionary:
    return parse_dictionary(DEFAULT_DICTIONARY_PATH.read_text(encoding="utf-8"))


_TAG = re.compile(r"<[^>]+>")


def plain_text(value: str) -> str:
    """Text of an HTML body (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", value or ""))


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    return text[max(0, start - width) : end + width].replace("\n", " ")


def find_wording(text: str, dictionary: Dictionary) -> list[Hit]:
    pattern = dictionary.pattern()
    hits: list[Hit] = []
    if pattern is not None:
        for m in pattern.finditer(text):
            entry = dictionary.entries[m.group(0)]
            hits.append(
                Hit(
                    entry.wrong,
                    entry.right,
                    entry.severity,
                    m.start(),
                    _context(text, m.start(), m.end()),
                )
            )
    hits.extend(find_impossible_dates(text))
    hits.sort(key=lambda h: h.start)
    return hits


_FULL_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(?<![\d.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _date_problem(year: int | None, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"没有{month}月"
    if year is None:
        last = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    else:
        last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if year is not None and month == 2 and day == 29:
            return f"{year}年不是闰年，2月没有29日"
        return f"{month}月没有{day}日"
    return ""


def find_impossible_dates(text: str) -> list[Hit]:
    """Dates that cannot exist (2025年2月29日, 4月31日, 13月1日): serious, since a
    wrong date in an official document misstates when something takes effect."""
    hits: list[Hit] = []
    seen: set[int] = set()
    for pattern, has_year in (
        (_FULL_DATE, True),
        (_ISO_DATE, True),
        (_MONTH_DAY, False),
    ):
        for m in pattern.finditer(text):
            if has_year:
                year, month, day = (int(g) for g in m.groups())
                problem = _date_problem(year if year > 0 else None, month, day)
            else:
                month, day = (int(g) for g in m.groups())
                problem = _date_problem(None, month, day)
            if problem and m.start() not in seen:
                seen.add(m.start())
                hits.append(
                    Hit(
                        m.group(0),
                        "",
                        Severity.SERIOUS,
                        m.start(),
                        _context(text, m.start(), m.end()),
                        note=f"日期不存在（{problem}）",
                    )
                )
    return hits
