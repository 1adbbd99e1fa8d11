"""Reading numbers out of value regions and splitting concatenated digit runs.

Text dumps of web pages lose cell boundaries (``640020470`` is 64 0 0 2 0 4 70).
A run may be split only when exactly one split satisfies the table's own sums
(spec §9); otherwise the cells stay unknown. Every split keeps the printed digit
order and never creates numbers with a leading zero.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gongkai.core.annual.model import CellNumber

# Give up enumerating splits beyond this many candidates: the cells stay unknown.
MAX_CANDIDATES = 20_000
# No cell of an annual report has more than 9 digits (counts of 件, 万元 amounts).
_MAX_PART_DIGITS = 9

BLANK_MARK = "∅"  # emitted by the HTML/DOCX readers for an empty value cell

_TOKEN_RE = re.compile(
    r"(?P<num>-?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)"
    r"|(?P<blank>∅)"
    r"|(?P<dash>(?<![^\s∅])(?:/|—+|-+|–|无|－|\\)(?![^\s∅]))"
)
# A number glued to these is a date, page or document number, not a cell value.
# 年 only after a 4-digit year: a vertical label (本/年/度 one per line) may put a
# lone 年 right after a row's last value.
# 位 as in the fee header's 保留4位小数.
_DATE_RE = re.compile(r"(?:19|20)[0-9]{2}年|[0-9]{1,2}[月日]|[0-9]+[号页位]")
_NOISE_BEFORE = set("第")
_NOTE_RE = re.compile(r"[（(][^（）()]*[\u4e00-\u9fff][^（）()]*[）)]")


@dataclass(frozen=True)
class Token:
    """One printed value: a (possibly concatenated) number, a blank or a dash."""

    kind: str  # "num" | "blank" | "dash"
    text: str
    start: int  # offset in the document text


_STANDALONE_NUMBER = re.compile(r"(?:^|[\s∅])-?[0-9]+(?:[\s∅]|$)")


def strip_notes(region: str) -> str:
    """Blank out （其中修订16件）-style notes, keeping offsets (spec §9).

    A bracket pair holding a free-standing number is not a note: a label
    wrapped over lines can enclose its row's values in layout-ordered text.
    """

    def blank(m: re.Match[str]) -> str:
        inner = m.group(0)[1:-1]
        return m.group(0) if _STANDALONE_NUMBER.search(inner) else " " * len(m.group(0))

    return _NOTE_RE.sub(blank, region)


def tokenize(region: str, offset: int = 0) -> list[Token]:
    """Value tokens of a region; numbers glued to 年/页/第… are dropped as noise."""
    cleaned = strip_notes(region)
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(cleaned):
        kind = m.lastgroup or "num"
        if kind == "num" and _is_noise(cleaned, m.start(), m.end()):
            continue
        tokens.append(Token(kind, m.group(0), offset + m.start()))
    return tokens


def _is_noise(text: str, start: int, end: int) -> bool:
    before = text[start - 1 : start] if start else ""
    if before in _NOISE_BEFORE or _DATE_RE.fullmatch(text[start : end + 1]):
        return True
    # "1." directly before a CJK character is item numbering, not a value.
    return text[end : end + 1] == "." and bool(
        re.match(r"[\u4e00-\u9fff]", text[end + 1 : end + 2])
    )


def to_number(text: str) -> CellNumber | None:
    """A printed number as int (or Decimal when it has a fraction); None if bad."""
    clean = text.replace(",", "")
    try:
        if "." in clean:
            return Decimal(clean)
        return int(clean)
    except (ValueError, InvalidOperation):
        return None


def is_plain_number(text: str) -> bool:
    """True if ``text`` reads as one number without a leading zero."""
    digits = text.lstrip("-").split(".")[0].replace(",", "")
    return bool(digits) and (digits == "0" or not digits.startswith("0"))


def _parts(run: str, count: int) -> Iterator[list[str]]:
    """All ways to cut ``run`` into ``count`` numbers without leading zeros."""
    if not count <= len(run) <= count * _MAX_PART_DIGITS:
        return  # cannot fit: prune before exploring (long runs explode otherwise)
    if count == 1:
        if len(run) <= _MAX_PART_DIGITS and (run == "0" or not run.startswith("0")):
            yield [run]
        return
    first_max = (
        1 if run.startswith("0") else min(_MAX_PART_DIGITS, len(run) - count + 1)
    )
    for cut in range(1, first_max + 1):
        for rest in _parts(run[cut:], count - 1):
            yield [run[:cut], *rest]


def _split_group(group: str, count: int) -> Iterator[list[CellNumber]]:
    """Cut one printed group (maybe signed, maybe with a fraction) into numbers."""
    sign = -1 if group.startswith("-") else 1
    body = group.lstrip("-").replace(",", "")
    whole, _, frac = body.partition(".")
    for parts in _parts(whole, count):
        values: list[CellNumber] = [int(p) for p in parts]
        values[0] = sign * int(values[0])
        if frac:
            values[-1] = Decimal(f"{parts[-1]}.{frac}")
            if len(parts) == 1 and sign < 0:
                values[-1] = -values[-1]
        yield values


def split_groups(
    groups: Sequence[str],
    expected: int,
    accept: Callable[[tuple[CellNumber, ...]], bool],
) -> list[tuple[CellNumber, ...]] | None:
    """Every split of ``groups`` into ``expected`` values that ``accept`` allows.

    Whitespace between groups is a real cell boundary; only the inside of a group
    is cut. Returns None when there are too many splits to enumerate (every cut
    tried counts against ``MAX_CANDIDATES``, so this always ends quickly).
    """
    found: list[tuple[CellNumber, ...]] = []
    tried = 0
    sizes = [len(g.lstrip("-").split(".")[0].replace(",", "")) for g in groups]
    after = [sum(sizes[i + 1 :]) for i in range(len(sizes))]  # digits in later groups

    def walk(index: int, remaining: int, acc: list[CellNumber]) -> bool:
        nonlocal tried
        if index == len(groups):
            if remaining == 0 and accept(tuple(acc)):
                found.append(tuple(acc))
            return True
        for count in _part_counts(
            sizes[index], after[index], remaining, len(groups) - index
        ):
            for parts in _split_group(groups[index], count):
                tried += 1
                if tried > MAX_CANDIDATES or not walk(
                    index + 1, remaining - count, [*acc, *parts]
                ):
                    return False
        return True

    if not walk(0, expected, []):
        return None
    return found


def _part_counts(
    digits: int, later_digits: int, remaining: int, groups_left: int
) -> range:
    """How many cells this group may hold so that the later groups can hold the rest."""
    most = _MAX_PART_DIGITS
    low = max(1, -(-digits // most), remaining - later_digits)
    later_min = max(groups_left - 1, -(-later_digits // most))
    high = min(digits, remaining - later_min)
    return range(low, high + 1)


def row_sum_ok(values: tuple[CellNumber, ...]) -> bool:
    """Section 三 row: the six applicant columns add up to 总计 (T3_ROW_TOTAL)."""
    return sum(values[:6]) == values[6]


def s4_sums_ok(values: tuple[CellNumber, ...]) -> bool:
    """Section 四: in each of the three groups 4 outcomes add up to 总计."""
    return all(sum(values[g : g + 4]) == values[g + 4] for g in (0, 5, 10))


def any_split(values: tuple[CellNumber, ...]) -> bool:
    return True
