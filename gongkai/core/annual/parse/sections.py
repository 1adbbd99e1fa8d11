"""Finding the six section headings, the title, the agency and the year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.labels import GAP, label_pattern
from gongkai.core.annual.schema import SECTIONS

NUMERALS = ("一", "二", "三", "四", "五", "六")

# Fallbacks for heading wordings no alias lists (spec §2 gives the known ones):
# the numeral, then within a short phrase the word that names the section.
_FALLBACK = {
    "一": r"总\s*体\s*情\s*况|概\s*述",
    "二": r"[^。\n]{0,12}?主\s*动\s*公\s*开",
    "三": r"[^。\n]{0,16}?申\s*请[^。\n]{0,6}?情\s*况",
    "四": r"[^。\n]{0,24}?(?:复\s*议|诉\s*讼)[^。\n]{0,12}?情\s*况",
    "五": r"[^。\n]{0,16}?问\s*题[^。\n]{0,12}?(?:改\s*进|整\s*改|措\s*施|情\s*况)",
    "六": r"[^。\n]{0,6}?其\s*他[^。\n]{0,8}?事\s*项",
}


@dataclass(frozen=True)
class Heading:
    numeral: str
    start: int
    end: int


def _heading_regexes(numeral: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    section = next(s for s in SECTIONS if s.numeral == numeral)
    titles = sorted((section.title, *section.aliases), key=len, reverse=True)
    exact = "|".join(label_pattern(t) for t in titles)
    head = f"{numeral}{GAP}[、.]{GAP}"
    return re.compile(f"{head}(?:{exact})"), re.compile(
        f"{head}(?:{_FALLBACK[numeral]})"
    )


# Exact wordings first; the loose fallback only when no exact heading exists.
_HEADINGS = {n: _heading_regexes(n) for n in NUMERALS}


def find_headings(doc: Doc) -> dict[str, Heading]:
    """Headings 一..六; a missing one is skipped, not guessed.

    Chosen from the end: 六 is its last occurrence, 五 the last one before 六, and
    so on. A table of contents or a lead-in that repeats the headings at the top
    of a page therefore does not capture the sections.
    """
    found: dict[str, Heading] = {}
    limit = len(doc.norm)
    for numeral in reversed(NUMERALS):
        m = None
        for pattern in _HEADINGS[numeral]:
            m = _last_match(pattern, doc.norm, limit)
            if m is not None:
                break
        if m is None:
            continue
        found[numeral] = Heading(numeral, m.start(), m.end())
        limit = m.start()
    return dict(sorted(found.items(), key=lambda item: item[1].start))


def _last_match(
    pattern: re.Pattern[str], text: str, limit: int
) -> re.Match[str] | None:
    last = None
    for m in pattern.finditer(text, 0, limit):
        last = m
    return last


def section_texts(doc: Doc, headings: dict[str, Heading]) -> dict[str, str]:
    """Numeral -> text of the section without its heading, in document order."""
    ordered = sorted(headings.values(), key=lambda h: h.start)
    texts: dict[str, str] = {}
    for i, h in enumerate(ordered):
        end = ordered[i + 1].start if i + 1 < len(ordered) else len(doc.text)
        texts[h.numeral] = doc.text[h.end : end].strip()
    return texts


# --- title, year, agency (spec §0.2) -------------------------------------------

_YEAR_IN_TITLE = re.compile(
    r"((?:19|20)[0-9]{2})\s*年\s*度?\s*(?:的)?\s*(?:政府信息公开|政务公开|信息公开)"
)
_META_TITLE = re.compile(r"^\s*(?:标题|名称|题名)\s*[:：]\s*(.+?)\s*$", re.M)
_PERIOD = re.compile(r"统计期限?[^。]{0,8}?((?:19|20)[0-9]{2})\s*年\s*1\s*月\s*1\s*日")
_REPORT_WORDS = re.compile(r"(?:政府信息公开|政务公开).{0,12}?报告")
_TITLE_INLINE = re.compile(
    r"([\u4e00-\u9fff（）]{2,40}?(?:19|20)[0-9]{2}\s*年\s*度?"
    r"(?:政府信息公开|政务公开)[\u4e00-\u9fff]{0,8}?报告)"
)
_SITE_SUFFIX = re.compile(r"\s*[-_|｜—]\s*[^-_|｜—]{0,30}$")


def find_title(doc: Doc, body_start: int | None = None) -> str | None:
    """The report title (spec §0.2); ``body_start`` is where 一、总体情况 begins.

    Of the title-like lines before the body, the last one wins: navigation and
    "related reports" lists come before a page's own title, not after it.
    """
    m = _META_TITLE.search(doc.norm[:3000])
    if m and _REPORT_WORDS.search(m.group(1)):
        return _clean_title(doc.text[m.start(1) : m.end(1)])
    # A web page's <title> beats its first lines, which are site chrome.
    if doc.title_hint and _REPORT_WORDS.search(doc.title_hint):
        return _clean_title(doc.title_hint)
    head = doc.text[: body_start if body_start else 6000]
    lines = [ln.strip() for ln in head.split("\n")]
    lines = [ln for ln in lines if ln and not re.fullmatch(r"[-—\s0-9第页/]*", ln)]
    candidates = [title for i in range(len(lines)) if (title := _title_at(lines, i))]
    if candidates:
        return _clean_title(candidates[-1] if body_start else candidates[0])
    # one-line dumps: the title runs straight into the body text
    m = _TITLE_INLINE.search(doc.norm[:3000])
    return _clean_title(doc.text[m.start(1) : m.end(1)]) if m else None


def _title_at(lines: list[str], i: int) -> str | None:
    """A title on line ``i``, or wrapped onto the next line (PDF title blocks)."""
    line = lines[i]
    if len(line) <= 80 and _REPORT_WORDS.search(line):
        # "机关\n2024 年政府信息公开工作年度报告": the agency sits on the line above
        if i and re.match(r"^(?:19|20)[0-9]{2}\s*年", line) and len(lines[i - 1]) <= 30:
            return lines[i - 1] + line
        return line
    joined = line + lines[i + 1] if i + 1 < len(lines) else ""
    wrapped = len(line) <= 40 and len(joined) <= 80 and joined.endswith("报告")
    if (
        wrapped
        and _REPORT_WORDS.search(joined)
        and not _REPORT_WORDS.search(lines[i + 1])
    ):
        return joined
    return None


def _clean_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    title = re.sub(r"([0-9])\s+年", r"\1年", title)
    title = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[0-9\u4e00-\u9fff])", "", title)
    # "<report title>_<column>_<site>": drop suffixes while the rest is a title
    while _SITE_SUFFIX.search(title) and _REPORT_WORDS.search(
        _SITE_SUFFIX.sub("", title)
    ):
        title = _SITE_SUFFIX.sub("", title)
    return title


def find_year(doc: Doc, title: str | None) -> int | None:
    for text in (title or "", doc.norm[:5000]):
        m = _YEAR_IN_TITLE.search(text)
        if m:
            return int(m.group(1))
    m = _ANY_YEAR.search(title or "")  # "XX局政府信息公开工作年度报告（2023年）"
    if m:
        return int(m.group(1))
    m = _PERIOD.search(doc.norm)
    return int(m.group(1)) if m else None


_ANY_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年")
_YEAR_FIRST = re.compile(
    r"^(?:19|20)[0-9]{2}\s*年\s*度?\s*(.+?)(?:政府信息公开|政务公开)"
)


def find_agency(title: str | None) -> str | None:
    """The body before the year ("XX局2023年…"), or after it ("2023年XX局政府…")."""
    if not title:
        return None
    m = _YEAR_IN_TITLE.search(title)
    if m and m.start() > 0:
        agency = title[: m.start()].strip(" 　:：-")
        return re.sub(r"^关于", "", agency) or None
    m = _YEAR_FIRST.search(title)
    if m:
        return m.group(1).strip(" 　:：-") or None
    m = re.search(r"^(.+?)(?:政府信息公开|政务公开)", title)
    if m and _ANY_YEAR.search(title):
        return m.group(1).strip(" 　:：-") or None
    return None
