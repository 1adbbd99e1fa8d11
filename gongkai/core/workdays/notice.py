"""Parser for the State Council's annual holiday notice, pasted as text.

《国务院办公厅关于YYYY年部分节假日安排的通知》 has one numbered item per holiday:
a date range with weekdays in brackets, "放假" / "放假调休" / "放假，与周末连休",
"共N天", then the 调休上班 days "M月D日（周X）上班". This module turns it into
every holiday range and every 上班 day, each with the line it came from, or
raises ``NoticeParseError`` whose Chinese message names the line. It checks
what the text itself states: the bracketed weekday of every date, "共N天"
against the range, that a 上班 day is a weekend day, and the year of the title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai.core.workdays.calendar import CalendarYear

WEEKDAY_CHARS = "一二三四五六日"  # Monday .. Sunday; 天 is read as 日

_ITEM = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.]\s*([^:]{1,40}?)\s*:")
_ITEM_START = re.compile(r"(?<=[。;\s])(?=[一二三四五六七八九十]{1,3}、)")
_TOKEN = re.compile(
    r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:\((?P<note>[^)]*)\))?"
    r"|(?P<to>至|到|-|—|~)"
    r"|(?P<off>放假)"
    r"|(?P<on>上班)"
    r"|共(?P<n>\d+)天"
)
_WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")
_TITLE_YEAR = re.compile(r"关于(\d{4})年(?:部分)?节假日安排")
_DOC_NO = re.compile(r"国办发明电\s*[〔\[(]\s*(\d{4})\s*[〕\])]\s*(\d+)\s*号")


class NoticeParseError(ValueError):
    """The notice text cannot be read; the message (Chinese) names the line."""

    def __init__(self, message: str, line_no: int | None = None) -> None:
        where = f"第{line_no}行：" if line_no else ""
        super().__init__(where + message)
        self.line_no = line_no


@dataclass(frozen=True)
class HolidayRange:
    """One 放假 range of the notice (inclusive), with the line it came from."""

    name: str
    start: date
    end: date
    stated_days: int | None
    line_no: int
    line: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


@dataclass(frozen=True)
class MakeupDay:
    """One 调休上班 day of the notice, with the line it came from."""

    date: date
    name: str
    line_no: int
    line: str


@dataclass(frozen=True)
class ParsedNotice:
    """Everything the notice says about one year, ready for confirmation."""

    year: int
    ranges: tuple[HolidayRange, ...]
    makeup_days: tuple[MakeupDay, ...]
    doc_no: str = ""
    title: str = ""
    warnings: tuple[str, ...] = ()
    ignored_lines: tuple[tuple[int, str], ...] = field(default=())

    def holidays(self) -> frozenset[date]:
        """Every day off of the notice."""
        return frozenset(d for r in self.ranges for d in r.dates())

    def workdays(self) -> frozenset[date]:
        """Every 调休上班 day of the notice."""
        return frozenset(m.date for m in self.makeup_days)

    def to_calendar_year(self, source: str = "admin") -> CalendarYear:
        """The notice as calendar data (dates of a neighbouring year included)."""
        names = {d: r.name for r in self.ranges for d in r.dates()}
        names.update({m.date: m.name for m in self.makeup_days})
        return CalendarYear(
            year=self.year,
            holidays=self.holidays(),
            extra_workdays=self.workdays(),
            source=source,
            provisional=False,
            source_note=self.doc_no or self.title or f"{self.year}年节假日安排通知",
            holiday_names=names,
        )


def _normalise(line: str) -> str:
    text = unicodedata.normalize("NFKC", line)
    return text.replace("〔", "[").replace("〕", "]").strip()


def _resolve_date(
    m: re.Match[str], year: int, item: str, prev: date | None, line_no: int
) -> date:
    """The date of one match; year and month default from context."""
    explicit_year = m.group("y")
    month = int(m.group("m")) if m.group("m") else (prev.month if prev else None)
    if month is None:
        raise NoticeParseError(f"“{m.group(0)}”缺少月份。", line_no)
    if explicit_year:
        y = int(explicit_year)
    elif prev is not None and not m.group("m"):
        y = prev.year
    elif item == "元旦" and month == 12:
        y = year - 1  # e.g. the 2019 notice: 2018年12月30日至2019年1月1日
    elif prev is not None and month < prev.month:
        y = prev.year + 1  # a range running over the year end
    else:
        y = year
    try:
        d = date(y, month, int(m.group("d")))
    except ValueError:
        raise NoticeParseError(f"“{m.group(0)}”不是有效日期。", line_no) from None
    _check_weekday(d, m.group("note") or "", m.group(0), line_no)
    return d


def _check_weekday(d: date, note: str, text: str, line_no: int) -> None:
    wd = _WEEKDAY.search(note)
    if not wd:
        return
    stated = WEEKDAY_CHARS.index(wd.group(1).replace("天", "日"))
    if stated != d.weekday():
        actual = WEEKDAY_CHARS[d.weekday()]
        raise NoticeParseError(
            f"“{text}”注明为周{wd.group(1)}，但{d.year}年{d.month}月{d.day}日是周{actual}，"
            "请核对年份或日期。",
            line_no,
        )


def _adjacent(sentence: str, last_end: int, m: re.Match[str]) -> bool:
    """True if ``m`` follows the previous date with only blanks in between."""
    return last_end >= 0 and not sentence[last_end : m.start()].strip()


@dataclass
class _LineResult:
    ranges: list[HolidayRange]
    makeup: list[MakeupDay]
    unused: list[str]  # sentences with dates that say neither 放假 nor 上班


def _parse_line(line: str, line_no: int, year: int, item: str, raw: str) -> _LineResult:
    """Read the 放假 ranges and 上班 days of one line.

    A keyword (至 / 放假 / 上班) acts only when it directly follows a date (and
    its bracket), as in "2月4日（农历正月初七、周二）放假调休"; elsewhere it is prose.
    """
    out = _LineResult([], [], [])
    for sentence in re.split(r"[。;；]", line):
        pend: list[tuple[date, bool]] = []  # (date, preceded by 至)
        link = False
        prev: date | None = None
        last_end = -1
        acted = False

        for m in _TOKEN.finditer(sentence):
            if m.group("d"):
                d = _resolve_date(m, year, item, prev, line_no)
                pend.append((d, link))
                prev, link, last_end = d, False, m.end()
            elif m.group("to") and pend and _adjacent(sentence, last_end, m):
                link, last_end = True, m.end()
            elif (
                (m.group("off") or m.group("on"))
                and pend
                and _adjacent(sentence, last_end, m)
            ):
                if m.group("off"):
                    out.ranges.extend(_ranges(pend, item, line_no, raw))
                else:
                    out.makeup.extend(_makeups(pend, item, line_no, raw))
                pend, acted, last_end = [], True, -1
            elif m.group("n") and acted and out.ranges:
                stated = int(m.group("n"))
                _check_count(out.ranges, stated, line_no)
                last = out.ranges[-1]
                out.ranges[-1] = HolidayRange(
                    last.name, last.start, last.end, stated, line_no, raw
                )
        if link:
            raise NoticeParseError("“至”之后缺少结束日期。", line_no)
        if pend and acted:
            d0 = pend[-1][0]
            raise NoticeParseError(
                f"日期“{d0.month}月{d0.day}日”之后没有“放假”或“上班”，无法判断其含义。",
                line_no,
            )
        if pend:
            out.unused.append(sentence.strip())
    return out


def _ranges(
    pend: list[tuple[date, bool]], item: str, line_no: int, raw: str
) -> list[HolidayRange]:
    if not pend:
        raise NoticeParseError("“放假”前没有日期。", line_no)
    out: list[HolidayRange] = []
    for d, linked in pend:
        if linked and out:
            start = out[-1].start
            if d < start:
                raise NoticeParseError(
                    f"放假区间的结束日早于开始日（{d.isoformat()}）。", line_no
                )
            out[-1] = HolidayRange(item, start, d, None, line_no, raw)
        else:
            out.append(HolidayRange(item, d, d, None, line_no, raw))
    return out


def _makeups(
    pend: list[tuple[date, bool]], item: str, line_no: int, raw: str
) -> list[MakeupDay]:
    if not pend:
        raise NoticeParseError("“上班”前没有日期。", line_no)
    out = []
    for d, linked in pend:
        if linked:
            raise NoticeParseError("上班日应逐日列出，不能写成区间。", line_no)
        if d.weekday() < 5:
            raise NoticeParseError(
                f"{d.month}月{d.day}日是周{WEEKDAY_CHARS[d.weekday()]}，本来就是工作日，"
                "不能列为调休上班日。",
                line_no,
            )
        out.append(MakeupDay(d, item, line_no, raw))
    return out


def _check_count(ranges: list[HolidayRange], stated: int, line_no: int) -> None:
    if not ranges:
        raise NoticeParseError(f"“共{stated}天”前没有放假日期。", line_no)
    actual = ranges[-1].days
    if actual != stated:
        r = ranges[-1]
        raise NoticeParseError(
            f"放假区间 {r.start.isoformat()} 至 {r.end.isoformat()} 为{actual}天，"
            f"与通知所写“共{stated}天”不符。",
            line_no,
        )


def notice_year(text: str) -> int | None:
    """The year named in the notice's title ("关于YYYY年部分节假日安排的通知"), if any."""
    for line in text.splitlines():
        m = _TITLE_YEAR.search(_normalise(line))
        if m:
            return int(m.group(1))
    return None


def _segments(text: str) -> list[tuple[int, str, str]]:
    """(line number, normalised segment, raw line) — a line holding several numbered
    items (text pasted without line breaks) is cut before each "二、", "三、" …"""
    out: list[tuple[int, str, str]] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = _normalise(raw)
        for part in _ITEM_START.split(line):
            if part.strip():
                out.append((line_no, part.strip(), raw))
    return out


def parse_notice(text: str, year: int) -> ParsedNotice:
    """Parse the pasted notice for ``year``; raise ``NoticeParseError`` if unreadable."""
    ranges: list[HolidayRange] = []
    makeup: list[MakeupDay] = []
    ignored: list[tuple[int, str]] = []
    item = ""
    doc_no = title = ""
    segments = _segments(text)
    has_items = any(_ITEM.match(line) for _, line, _ in segments)
    for line_no, line, raw in segments:
        doc_m = _DOC_NO.search(line)
        if doc_m:
            doc_no = f"国办发明电〔{doc_m.group(1)}〕{doc_m.group(2)}号"
        title_m = _TITLE_YEAR.search(line)
        if title_m:
            title = line.split("通知")[0] + "通知" if "通知" in line else line
            if int(title_m.group(1)) != year:
                raise NoticeParseError(
                    f"标题为{title_m.group(1)}年的通知，与指定年份{year}年不符。",
                    line_no,
                )
            continue
        item_m = _ITEM.match(line)
        if item_m:
            item = item_m.group(1).strip()
            line = line[item_m.end() :]
        if "放假" not in line and "上班" not in line:
            if re.search(r"\d+月\d+日", line):
                ignored.append((line_no, raw.strip()))
            continue
        if has_items and not item:
            if re.search(r"\d+月\d+日", line):
                ignored.append((line_no, raw.strip()))
            continue  # the preamble before item 一
        result = _parse_line(line, line_no, year, item or "节假日", raw.strip())
        ranges.extend(result.ranges)
        makeup.extend(result.makeup)
        ignored.extend((line_no, s) for s in result.unused)
    _check_whole(ranges, makeup, year)
    return ParsedNotice(
        year=year,
        ranges=tuple(ranges),
        makeup_days=tuple(makeup),
        doc_no=doc_no,
        title=title,
        warnings=_warnings(ranges, year),
        ignored_lines=tuple(ignored),
    )


def _check_whole(
    ranges: list[HolidayRange], makeup: list[MakeupDay], year: int
) -> None:
    if not ranges:
        raise NoticeParseError(
            "未找到任何放假安排（需要形如“1月1日（周三）放假”的条目）。"
        )
    seen: dict[date, int] = {}
    for r in ranges:
        if r.days > 31:
            raise NoticeParseError(f"放假区间长达{r.days}天，不合常理。", r.line_no)
        if not any(d.year == year for d in r.dates()):
            raise NoticeParseError(
                f"放假区间 {r.start} 至 {r.end} 不在{year}年。", r.line_no
            )
        for d in r.dates():
            if d in seen:
                raise NoticeParseError(
                    f"{d.isoformat()} 在第{seen[d]}行已列为放假日。", r.line_no
                )
            seen[d] = r.line_no
    for m in makeup:
        if m.date in seen:
            raise NoticeParseError(
                f"{m.date.isoformat()} 同时被列为放假日（第{seen[m.date]}行）和上班日。",
                m.line_no,
            )
        if abs(m.date.year - year) > 1:
            raise NoticeParseError(f"上班日 {m.date} 与{year}年相距过远。", m.line_no)


_EXPECTED = ("元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆")


def _warnings(ranges: list[HolidayRange], year: int) -> tuple[str, ...]:
    names = "".join(r.name for r in ranges)
    missing = [n for n in _EXPECTED if n not in names]
    if missing:
        return (f"通知中未找到以下节日：{'、'.join(missing)}；请核对是否粘贴完整。",)
    return ()
