"""区分处理 (部分公开, 条例第三十七条): the grounds for withholding a part, the marks an
officer makes, and the rules the redaction engines and their check share.

Pure data and functions, no Django. The engines that write the redacted file are
:mod:`gongkai.core.redact_pdf` and :mod:`gongkai.core.redact_docx`; both call
:func:`leaks` on the text they extract from their own output before the file may
be delivered.

A mark never stores a description of the withheld content itself: the redaction
list (what, where, why) says "第2页 区域1" or "正文第3段 11个字", never the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class RedactionError(ValueError):
    """A mark or a file the engines cannot work with (message in Chinese)."""


@dataclass(frozen=True)
class Ground:
    """One legal ground for withholding part of a document.

    ``article`` is what is printed on each box (the visible reason code),
    ``basis`` what the reply letter cites after 《条例》.
    """

    code: str
    article: str
    label: str
    basis: str
    free_text: bool = False  # 其他法律法规: the officer names the law

    @property
    def box_code(self) -> str:
        return self.article


GROUNDS: tuple[Ground, ...] = (
    Ground("state_secret", "第十四条", "国家秘密", "第十四条"),
    Ground("trade_secret", "第十五条", "商业秘密", "第十五条"),
    Ground("privacy", "第十五条", "个人隐私", "第十五条"),
    Ground("internal_affairs", "第十六条", "内部事务信息", "第十六条第一款"),
    Ground("process_info", "第十六条", "过程性信息", "第十六条第二款"),
    Ground("case_file", "第十六条", "行政执法案卷信息", "第十六条第二款"),
    Ground("other_laws", "其他法规", "其他法律、法规禁止公开", "", free_text=True),
)
GROUNDS_BY_CODE: dict[str, Ground] = {g.code: g for g in GROUNDS}


def ground_for(code: str) -> Ground:
    try:
        return GROUNDS_BY_CODE[code]
    except KeyError:
        raise RedactionError("请选择不予公开的依据（条例条款）。") from None


def ground_choices() -> list[tuple[str, str]]:
    """``(code, "第十五条 个人隐私")`` for a select list."""
    return [
        (g.code, f"{g.article if not g.free_text else ''} {g.label}".strip())
        for g in GROUNDS
    ]


def citation(ground_code: str, other_basis: str = "") -> str:
    """The legal basis as the reply letter prints it.

    ``citation("privacy")`` → ``《条例》第十五条（个人隐私）``; for 其他法律法规 the
    officer's own text, e.g. ``《中华人民共和国统计法》第三十九条``.
    """
    ground = ground_for(ground_code)
    if ground.free_text:
        law = other_basis.strip()
        if not law:
            raise RedactionError(
                "依据为“其他法律、法规”的，请写明法律、法规的名称和条款。"
            )
        return f"{law}（{ground.label}）"
    return f"《条例》{ground.basis}（{ground.label}）"


def placeholder(ground_code: str) -> str:
    """The visible text that replaces a removed passage: ``【已删除：第十五条】``."""
    return f"【已删除：{ground_for(ground_code).box_code}】"


PLACEHOLDERS: tuple[str, ...] = tuple(sorted({placeholder(g.code) for g in GROUNDS}))


def scrub(text: str, phrases: list[str]) -> str:
    """``text`` (a file name printed in the letter or given to the applicant) with
    every withheld phrase replaced: "李秀英低保审核表.pdf" → "【已删除】低保审核表.pdf"."""
    for phrase in sorted({p for p in phrases if p}, key=len, reverse=True):
        text = text.replace(phrase, "【已删除】")
    return text


# ----------------------------------------------------------------------------- marks


class MarkKind(StrEnum):
    TEXT = "text"
    REGION = "region"


MAX_PHRASE = 500
MIN_REGION = 0.002  # a region at least 0.2 % of the page in each direction


@dataclass(frozen=True)
class TextMark:
    """Withhold a phrase: every occurrence (``occurrence`` None) or the n-th (1-based),
    counted in reading order through the whole document."""

    phrase: str
    ground: str
    occurrence: int | None = None
    other_basis: str = ""


@dataclass(frozen=True)
class RegionMark:
    """Withhold a rectangle of a PDF page. Coordinates are fractions of the page as
    displayed (0–1, origin top left), so they do not depend on the image size."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    ground: str
    other_basis: str = ""


Mark = TextMark | RegionMark


def text_mark(
    phrase: str, ground: str, occurrence: int | None = None, other_basis: str = ""
) -> TextMark:
    """A checked text mark (refusals in Chinese)."""
    phrase = phrase.strip()
    if not compact(phrase):
        raise RedactionError("请填写要删除的文字。")
    if len(phrase) > MAX_PHRASE:
        raise RedactionError(f"要删除的文字过长（最多{MAX_PHRASE}个字）。")
    if occurrence is not None and occurrence < 1:
        raise RedactionError("第几处应为正整数；留空表示删除所有出现处。")
    citation(ground, other_basis)
    return TextMark(phrase, ground, occurrence, other_basis.strip())


def region_mark(
    page: int,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    ground: str,
    other_basis: str = "",
    *,
    page_count: int | None = None,
) -> RegionMark:
    """A checked region: corners in any order, clamped to the page."""
    if page < 1 or (page_count is not None and page > page_count):
        raise RedactionError(f"页码应在 1 到 {page_count or page} 之间。")
    values = [x0, y0, x1, y1]
    if any(v != v for v in values):  # NaN
        raise RedactionError("区域坐标无效，请在页面图上重新框选。")
    left, right = sorted(min(max(v, 0.0), 1.0) for v in (x0, x1))
    top, bottom = sorted(min(max(v, 0.0), 1.0) for v in (y0, y1))
    if right - left < MIN_REGION or bottom - top < MIN_REGION:
        raise RedactionError("框选的区域太小，请在页面图上按住鼠标拖出一个矩形。")
    citation(ground, other_basis)
    return RegionMark(page, left, top, right, bottom, ground, other_basis.strip())


def item(index: int) -> str:
    """The prefix naming the n-th mark in an engine's refusal ("第2项："), none for 0
    (a single mark being checked as it is added)."""
    return f"第{index}项：" if index else ""


# ------------------------------------------------------------------------ matching

# Characters a text extraction may insert or drop between glyphs: whitespace,
# zero-width spaces and joiners, soft hyphens, the BOM.
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u00ad\u2060\ufeff]+")


def compact(text: str) -> str:
    """Text with everything invisible removed, for comparisons that must not be
    fooled by a line break or a space an extraction put between two characters."""
    return _INVISIBLE.sub("", text)


def find_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Non-overlapping ``(start, end)`` of ``phrase`` in ``text``, left to right."""
    spans: list[tuple[int, int]] = []
    if not phrase:
        return spans
    start = text.find(phrase)
    while start != -1:
        spans.append((start, start + len(phrase)))
        start = text.find(phrase, start + len(phrase))
    return spans


def chosen(count_before: int, found: int, occurrence: int | None) -> list[int]:
    """Which of ``found`` hits (0-based, in this stretch of text) a mark takes, when
    ``count_before`` hits came earlier in the document."""
    if occurrence is None:
        return list(range(found))
    index = occurrence - 1 - count_before
    return [index] if 0 <= index < found else []


def without_placeholders(text: str) -> str:
    for mark in PLACEHOLDERS:
        text = text.replace(mark, "")
    return text


def leaks(extracted: str, allowed: dict[str, int]) -> list[str]:
    """The phrases that occur in ``extracted`` more often than ``allowed`` (phrase →
    how many occurrences may remain: 0 for a phrase withheld everywhere, the
    occurrences not marked when only some were). Whitespace and the placeholders
    the engines insert are ignored, so a phrase split by a line break still counts."""
    haystack = compact(without_placeholders(extracted))
    found = []
    for phrase, may_remain in allowed.items():
        needle = compact(phrase)
        if needle and len(find_spans(haystack, needle)) > may_remain:
            found.append(phrase)
    return found


def describe_text(where: list[str], length: int) -> str:
    """``"正文第3段（11个字）"``; several places are grouped and counted:
    ``"第1页2处、第2页，共3处（每处3个字）"``."""
    if not where:
        return f"{length}个字"
    counts: dict[str, int] = {}
    for place in where:
        counts[place] = counts.get(place, 0) + 1
    parts = [p if n == 1 else f"{p}{n}处" for p, n in counts.items()]
    shown = "、".join(parts[:5]) + ("等" if len(parts) > 5 else "")
    if len(where) == 1:
        return f"{shown}（{length}个字）"
    if len(counts) == 1:
        return f"{where[0]}，共{len(where)}处（每处{length}个字）"
    return f"{shown}，共{len(where)}处（每处{length}个字）"


def describe_region(page: int, number: int) -> str:
    """``"第2页 区域1"`` (number counts the regions of that page)."""
    return f"第{page}页 区域{number}"


@dataclass(frozen=True)
class RedactionEntry:
    """One line of the redaction list: what (described, never quoted), where, why."""

    document: str
    description: str
    ground: str
    other_basis: str = ""

    @property
    def citation(self) -> str:
        return citation(self.ground, self.other_basis)

    @property
    def line(self) -> str:
        return f"《{self.document}》{self.description}，依据{self.citation}"


def letter_paragraph(entries: list[RedactionEntry]) -> str:
    """The paragraph of the 部分公开 reply that lists what was withheld and why."""
    if not entries:
        return ""
    items = "；".join(f"{i}. {e.line}" for i, e in enumerate(entries, 1))
    return f"区分处理情况（不予公开的内容及依据）如下：{items}。"
