"""Detectors of personal information in text (pure functions, no I/O).

Each detector is a regular expression that proposes candidates and a validator that
keeps only plausible ones:

* 居民身份证号码 — 18 digits whose last character is the GB 11643 (ISO 7064 MOD 11-2)
  check character, whose first two digits are a province code and whose digits 7–14
  are a birth date between 1900 and today; the first-generation 15-digit form (province
  code, YYMMDD birth date). An 18-digit order number or serial therefore does not alarm.
* 手机号码 — 11 digits 1[3-9]x…, optionally +86 and separated 3-4-4, never inside a
  longer run of digits.
* 固定电话 — area code 0xx(x) with a separator or brackets, then 7–8 digits.
* 银行卡号 — 16–19 digits (optionally in groups of four) starting 3–6 that pass the Luhn
  check.
* 电子邮箱; 详细住址 — a road, street or lane with a 门牌号 (…路12号, …巷3号2单元301室).
* 姓名 — a short Chinese name (a common surname plus one or two characters) on the same
  line or table row as one of the above, or after a label such as 姓名/申请人/户主.

Why hand-written: the libraries that detect personal data (Microsoft Presidio, scrubadub)
need spaCy models and know no Chinese identity numbers; the checks here are the
published algorithms (GB 11643, Luhn) and a few patterns.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from gongkai.core.identifiers import mask_email, resident_id_check_character
from gongkai.core.pii.names import COMPOUND_SURNAMES, looks_like_name, prose_names
from gongkai.core.pii.rules import (
    DEFAULT_RULES,
    OFFICIAL_CONTACT_LABELS,
    STAFF_CONTACT_LABELS,
    Kind,
    NameMask,
    PiiRules,
)

__all__ = [
    "Finding",
    "find_pii",
    "is_bank_card",
    "is_resident_id",
    "mask_text",
    "mask_value",
]

MASK = "*"
_CHINA = ZoneInfo("Asia/Shanghai")

# GB/T 2260 province-level codes (first two digits of an address code), with 81–83
# (港澳台 residence permits, same structure).
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal information: where (``start``/``end`` in the text, and
    ``where`` in a file: a page, sheet cell or paragraph), what, and its mask."""

    kind: Kind
    start: int
    end: int
    text: str
    masked: str
    where: str = ""

    @property
    def label(self) -> str:
        return self.kind.label


def _today() -> date:
    return datetime.now(_CHINA).date()


# --------------------------------------------------------------------------- validators


def _birth_ok(year: int, month: int, day: int, today: date) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= today


def is_resident_id(value: str, *, today: date | None = None) -> bool:
    """A plausible 居民身份证号码 (18-digit with checksum, or the old 15-digit form)."""
    text = value.upper()
    today = today or _today()
    if text[:2] not in _PROVINCES:
        return False
    if len(text) == 18:
        if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
            return False
        if not _birth_ok(int(text[6:10]), int(text[10:12]), int(text[12:14]), today):
            return False
        return resident_id_check_character(text[:17]) == text[17]
    if len(text) == 15 and text.isdigit():
        # First-generation cards (issued until 2004, void since 2013) belong to people
        # born 1920–1999; a 15-digit number with year digits below 20 is a register
        # number (营业执照注册号 and the like), not an identity number.
        if int(text[6:8]) < 20:
            return False
        year, month, day = 1900 + int(text[6:8]), int(text[8:10]), int(text[10:12])
        return _birth_ok(year, month, day, today)
    return False


def _mistyped_id(value: str, today: date) -> bool:
    """17 digits and a digit or X, a province code and a real birth date, whatever the
    check character: an identity number as a citizen may have mistyped it
    (``PiiRules.mistyped_ids``)."""
    text = value.upper()
    return (
        len(text) == 18
        and text[:17].isdigit()
        and (text[17].isdigit() or text[17] == "X")
        and text[:2] in _PROVINCES
        and _birth_ok(int(text[6:10]), int(text[10:12]), int(text[12:14]), today)
    )


def _id_shaped(digits: str) -> bool:
    """18 digits that look like an identity number (province code, a birth year and
    month) but fail its check: an ID typed wrong is not a bank card."""
    return (
        len(digits) == 18 and digits[:2] in _PROVINCES and digits[6:8] in ("19", "20")
    )


def is_bank_card(digits: str) -> bool:
    """16–19 digits, a card-network first digit (3–6) and a valid Luhn check digit."""
    if not (16 <= len(digits) <= 19) or not digits.isdigit() or digits[0] not in "3456":
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


# --------------------------------------------------------------------------- masks


def _mask_keep(text: str, head: int, tail: int) -> str:
    """Replace every digit/letter except the first ``head`` and last ``tail`` ones;
    separators (spaces, hyphens) stay where they are."""
    positions = [i for i, c in enumerate(text) if c.isalnum()]
    visible = set(positions[:head]) | set(positions[len(positions) - tail :])
    return "".join(
        c if (not c.isalnum() or i in visible) else MASK for i, c in enumerate(text)
    )


def _mask_name(name: str, style: NameMask) -> str:
    surname_len = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    surname, rest = name[:surname_len], name[surname_len:]
    if style is NameMask.SURNAME_ONLY:
        return surname + MASK * len(rest)
    if style is NameMask.KEEP_FIRST_LAST:
        if len(rest) == 1:
            return surname + MASK
        return surname + MASK * (len(rest) - 1) + rest[-1]
    # SURNAME_MOU: 张三丰 → 张*某, 张三 → 张某
    if len(rest) == 1:
        return surname + "某"
    return surname + MASK * (len(rest) - 1) + "某"


_ADDRESS_NUMBER = re.compile(r"[0-9０-９一二三四五六七八九十百零〇]")


def mask_value(kind: Kind, text: str, rules: PiiRules = DEFAULT_RULES) -> str:
    """The mask of one found value under ``rules``."""
    keep = max(0, rules.id_keep)
    if kind is Kind.RESIDENT_ID:
        return _mask_keep(text, keep, keep)
    if kind is Kind.BANK_CARD:
        return _mask_keep(text, keep, keep)
    if kind is Kind.MOBILE:
        digits = sum(c.isdigit() for c in text)
        head = 3 + (digits - 11)  # a +86 prefix stays visible
        return _mask_keep(text, head, 4)
    if kind is Kind.LANDLINE:
        match = re.match(r"[(（]?0\d{2,3}[)）]?[-－—\s]?", text)
        area = match.group(0) if match else ""
        number = text[len(area) :]
        return area + _mask_keep(number, 0, 2)
    if kind is Kind.EMAIL:
        return mask_email(text)
    if kind is Kind.ADDRESS:
        # Keep the road name; every digit of the 门牌号/楼/单元/室 is masked.
        cut = _road_end(text)
        return text[:cut] + _ADDRESS_NUMBER.sub(MASK, text[cut:])
    if kind is Kind.NAME:
        return _mask_name(text, rules.name_mask)
    return text


def _road_end(text: str) -> int:
    match = re.search(r"(?:路|街|大道|巷|胡同|弄|里|道|村|组|小区|社区)", text)
    return match.end() if match else 0


# --------------------------------------------------------------------------- patterns

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![\d+])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![\d])")
_LANDLINE = re.compile(
    r"(?<![\d])(?:[(（]0\d{2,3}[)）][-－—\s]?|0\d{2,3}[-－—\s])[2-9]\d{6,7}"
    r"(?:[-－转]\d{1,5})?(?![\d])"
)
_CARD = re.compile(r"(?<![\d])[3-6]\d{3}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![\dXx])")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,24}"
)
_ROAD_WORD = re.compile(r"路|街|大道|巷|胡同|弄|里")
_ADDRESS_BREAKS = "住在于到至址为是居家位：:，、"
_NUM = r"[0-9０-９一二三四五六七八九十百零〇]{1,5}"
_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:路|街|大道|巷|胡同|弄|里)"
    rf"{_NUM}(?:-{_NUM})?号(?:院)?"
    rf"(?:{_NUM}(?:号楼|栋|幢|楼))?(?:{_NUM}单元)?(?:{_NUM}(?:室|户|号))?"
)


_NAME_TOKEN = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,4}(?![\u4e00-\u9fff])")
_NAME_LABEL = re.compile(
    r"(?:姓名|户主|申请人|收款人|监护人|领取人|当事人|户名|被申请人|代理人)"
    r"[:：\s]*([\u4e00-\u9fff]{2,8})"
)
_NAME_FOLLOWERS = re.compile(
    "(?:身份|身|联系|电话|手机|住址|家住|现住|住|性别|男|女|年龄|出生|户籍|系|为|的|于|在|等|同志)"
)


# --------------------------------------------------------------------------- finding


def _official_context(text: str, start: int) -> bool:
    """A contact right after a label such as 咨询电话 / 办公地址 (within 12 characters
    on the same line) is the body's own published contact."""
    line_start = text.rfind("\n", max(0, start - 60), start) + 1
    before = text[max(line_start, start - 12) : start]
    if any(label in before for label in OFFICIAL_CONTACT_LABELS):
        return True
    # "联系人：王某，联系电话：0379-…" closing a notice names the official in charge and
    # the office line (their official capacity, not their private life). A mobile
    # number is still reported: this is asked only for landlines and addresses.
    sentence = text[max(line_start, start - 60) : start]
    sentence = sentence[max(sentence.rfind("。"), sentence.rfind("；")) + 1 :]
    return any(label in sentence for label in STAFF_CONTACT_LABELS)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


class _Spans:
    """Disjoint spans, sorted, with an O(log n) overlap test (a page of 10^4 findings
    must not cost 10^8 comparisons)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        # The span with the largest start before ``end`` has the largest end of all
        # those starting before it (the spans are disjoint): only it can overlap.
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _raw_findings(
    text: str, rules: PiiRules, today: date
) -> Iterator[tuple[Kind, int, int]]:
    taken = _Spans()
    public = rules.public_values

    def keep(kind: Kind, start: int, end: int) -> bool:
        if taken.overlaps(start, end):
            return False
        value = text[start:end]
        if value in public or (_digits(value) and _digits(value) in public):
            return False
        taken.add(start, end)
        return rules.wants(kind)

    for m in _ID.finditer(text):
        value = m.group(1)
        if (
            is_resident_id(value, today=today)
            or (rules.mistyped_ids and _mistyped_id(value, today))
        ) and keep(Kind.RESIDENT_ID, m.start(1), m.end(1)):
            yield Kind.RESIDENT_ID, m.start(1), m.end(1)
    for m in _CARD.finditer(text):
        digits = _digits(m.group(0))
        if _id_shaped(digits) or not is_bank_card(digits):
            continue
        if keep(Kind.BANK_CARD, *m.span()):
            yield Kind.BANK_CARD, *m.span()
    for m in _MOBILE.finditer(text):
        if keep(Kind.MOBILE, *m.span()):
            yield Kind.MOBILE, *m.span()
    for m in _LANDLINE.finditer(text):
        if _official_context(text, m.start()):
            continue
        if keep(Kind.LANDLINE, *m.span()):
            yield Kind.LANDLINE, *m.span()
    for m in _EMAIL.finditer(text):
        if keep(Kind.EMAIL, *m.span()):
            yield Kind.EMAIL, *m.span()
    for m in _ADDRESS.finditer(text):
        # The road-name run starts at the leftmost Chinese character it can: cut it
        # after the last word that ends a name or introduces an address (家住, 位于…).
        start = m.start()
        road = _ROAD_WORD.search(text, m.start(), m.end())
        head = text[start : road.start() if road else start]
        cut = max(head.rfind(c) for c in _ADDRESS_BREAKS)
        if cut >= 0:
            start += cut + 1
        if _official_context(text, start):
            continue
        if keep(Kind.ADDRESS, start, m.end()):
            yield Kind.ADDRESS, start, m.end()


def _name_findings(
    text: str, anchors: list[tuple[Kind, int, int]], *, prose: bool = False
) -> Iterator[tuple[int, int]]:
    """Names on the lines (table rows) that hold another finding, and after labels;
    with ``prose``, also in running sentences (``names.prose_names``)."""
    taken = _Spans((s, e) for _, s, e in anchors)
    breaks = [i for i, c in enumerate(text) if c == "\n"] if anchors else []
    lines: set[tuple[int, int]] = set()
    for _, start, _ in anchors:
        i = bisect_left(breaks, start)
        line_start = breaks[i - 1] + 1 if i > 0 else 0
        lines.add((line_start, breaks[i] if i < len(breaks) else len(text)))
    seen: set[tuple[int, int]] = set()
    for line_start, line_end in sorted(lines):
        for m in _NAME_TOKEN.finditer(text, line_start, line_end):
            span = (m.start(), m.end())
            if looks_like_name(m.group(0)) and not taken.overlaps(*span):
                seen.add(span)
    for m in _NAME_LABEL.finditer(text):
        # After a label the name may run into the next word (申请人张三丰身份证号…):
        # cut it where such a word begins.
        token = m.group(1)
        candidate = token[0] + _NAME_FOLLOWERS.split(token[1:], maxsplit=1)[0]
        if looks_like_name(candidate):
            span = (m.start(1), m.start(1) + len(candidate))
            if not taken.overlaps(*span):
                seen.add(span)
    if prose:
        names = _Spans(seen)
        for span in prose_names(text, taken.overlaps):
            if not names.overlaps(*span):
                seen.add(span)
    yield from sorted(seen)


def find_pii(
    text: str,
    rules: PiiRules = DEFAULT_RULES,
    *,
    where: str = "",
    today: date | None = None,
) -> list[Finding]:
    """Every finding in ``text``, in order of position."""
    if not text:
        return []
    today = today or _today()
    raw = list(_raw_findings(text, rules, today))
    found = [
        Finding(kind, s, e, text[s:e], mask_value(kind, text[s:e], rules), where)
        for kind, s, e in raw
    ]
    if rules.wants(Kind.NAME):
        for s, e in _name_findings(text, raw, prose=rules.names_in_prose):
            value = text[s:e]
            if value in rules.public_values:
                continue
            masked = mask_value(Kind.NAME, value, rules)
            found.append(Finding(Kind.NAME, s, e, value, masked, where))
    return sorted(found, key=lambda f: (f.start, f.end))


def mask_text(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with every finding replaced by its mask (spans must not overlap)."""
    out: list[str] = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos or f.kind is Kind.UNREADABLE:
            continue
        out.append(text[pos : f.start])
        out.append(f.masked)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)
