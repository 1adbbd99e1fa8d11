"""信息处理费 calculator (条例 Art. 42; 《政府信息公开信息处理费管理办法》国办函〔2020〕109号).

The fee is optional ("可以收取") and only for applications whose 数量、频次明显超过合理范围;
whether to charge is a human decision. For one application the agency picks ONE method
(办法第三条): 按件计收 (per piece, progressive over the applicant's pieces in a natural
month, 第四条) or 按量计收 (per page, progressive over the pages of one application,
第五条). Amounts are whole 元.

Every figure lives in :class:`FeeSchedule`, so a later change of the rules is a new
schedule (rule version) and old assessments keep theirs. Figures the spec marks
UNCONFIRMED (docs/legal-notes.md §1) are fields with the spec's defaults; see each field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "DEFAULT_SCHEDULE",
    "MAX_PAGES",
    "MAX_PIECES",
    "FeeAssessment",
    "FeeError",
    "FeeLine",
    "FeeMethod",
    "FeeSchedule",
    "assess_per_piece",
    "assess_per_volume",
    "month_key",
    "ordinals_in_month",
    "piece_fee",
    "pieces_total",
    "volume_fee",
]

_MEASURE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

# The largest counts one assessment takes. The itemisation walks the units one by
# one, and a mistyped 10^12 pages hung the case page; no single application comes
# near these (a 100,000-page provision is some 200 boxes of paper).
MAX_PAGES = 100_000
MAX_PIECES = 10_000


class FeeError(ValueError):
    """Invalid input to the fee calculator (message in Chinese)."""


class FeeMethod(StrEnum):
    """How a fee is computed for one application (办法第三条: one method, never both)."""

    NONE = "none"
    PER_PIECE = "per_piece"
    PER_VOLUME = "per_volume"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"none": "不收费", "per_piece": "按件计收", "per_volume": "按量计收"}[
            self.value
        ]


@dataclass(frozen=True)
class FeeSchedule:
    """The figures of the fee rules. Defaults are 国办函〔2020〕109号 as read in docs/legal-notes.md §1.

    按件计收 (办法第四条, confirmed text): up to ``piece_free_limit`` pieces a month
    free; pieces up to ``piece_base_limit`` at ``piece_base_rate``; above that, in bands
    of ``piece_band_size`` pieces, each band ``piece_band_increment`` dearer than the
    one before, the first band above ``piece_base_limit`` already one step up (31–40:
    200元/件). That arithmetic of tier (三) is the standard reading, not official
    text [U].

    按量计收 (办法第五条, figures confirmed via a published local table): the first
    ``page_free_limit`` pages free, then ``page_tiers`` = ((last page of the tier or
    None for no limit, 元 per page), …).
    """

    name: str = "国办函〔2020〕109号"
    # [U] The 办法's effective date was not retrieved; regional notices point to 2021-01-01.
    effective_from: date = date(2021, 1, 1)

    piece_free_limit: int = 10
    piece_base_limit: int = 30
    piece_base_rate: int = 100
    piece_band_size: int = 10
    piece_band_increment: int = 100

    page_free_limit: int = 30
    page_tiers: tuple[tuple[int | None, int], ...] = ((100, 10), (200, 20), (None, 40))

    # [U] Pay within 20 working days from the day after the notice is received: the
    # regional notices (四川, 2021) say so; the national article was not retrieved.
    payment_period_working_days: int = 20
    # [U] The interval from the fee notice to payment is left out of the Art. 33 reply
    # period (docs/legal-notes.md §1.4). Read by the deadline
    # engine.
    pause_clock_while_awaiting_payment: bool = True
    # [U] 办法第五条 continues "相关政府信息已经主动对外公开，行政……" (rest not
    # retrieved). Until confirmed, do not charge by volume for information already
    # proactively disclosed.
    volume_fee_for_proactively_disclosed: bool = False
    # [U] "同一申请人一个自然月内累计申请" is read per receiving agency and per month of
    # the Art. 31 date of receipt; this flag documents that reading for the services.
    count_per_receiving_agency: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.piece_free_limit <= self.piece_base_limit:
            raise FeeError("按件计收的免费件数和基础档上限设置有误")
        if self.piece_band_size <= 0:
            raise FeeError("按件计收的每档件数必须大于0")
        if min(self.piece_base_rate, self.piece_band_increment) < 0:
            raise FeeError("收费标准不能为负数")
        last = self.page_free_limit
        for i, (upper, rate) in enumerate(self.page_tiers):
            if rate < 0:
                raise FeeError("收费标准不能为负数")
            if upper is None:
                if i != len(self.page_tiers) - 1:
                    raise FeeError("只有最后一档可以不设上限")
                continue
            if upper <= last:
                raise FeeError("按量计收各档页数上限必须递增")
            last = upper
        if not self.page_tiers or self.page_tiers[-1][0] is not None:
            raise FeeError("按量计收最后一档不能设上限")


DEFAULT_SCHEDULE = FeeSchedule()


@dataclass(frozen=True)
class FeeLine:
    """One band of an itemised fee: ``first``..``last`` units at ``rate`` 元 each."""

    first: int
    last: int
    unit: str  # "件" or "页"
    rate: int

    @property
    def quantity(self) -> int:
        """Number of units in the band."""
        return self.last - self.first + 1

    @property
    def amount(self) -> int:
        """元 for the band."""
        return self.quantity * self.rate

    @property
    def text(self) -> str:
        """The line in Chinese, e.g. ``第31—100页：70页×10元/页＝700元``."""
        span = (
            f"第{self.first}{self.unit}"
            if self.first == self.last
            else f"第{self.first}—{self.last}{self.unit}"
        )
        if self.rate == 0:
            return f"{span}：{self.quantity}{self.unit}，不收费"
        return (
            f"{span}：{self.quantity}{self.unit}×{self.rate}元/{self.unit}"
            f"＝{self.amount}元"
        )


@dataclass(frozen=True)
class FeeAssessment:
    """A computed fee with its itemisation and legal basis, for the 收费通知书."""

    method: FeeMethod
    amount: int  # 元
    lines: tuple[FeeLine, ...]
    basis: str
    schedule_name: str
    summary: str

    @property
    def explanation(self) -> str:
        """Multi-line Chinese explanation: summary, one line per band, total, basis."""
        parts = [self.summary, *(f"  {line.text}" for line in self.lines)]
        parts.append(f"合计：{self.amount}元。")
        parts.append(f"依据：{self.basis}。")
        return "\n".join(parts)


# --------------------------------------------------------------------------- 按件


def piece_fee(ordinal: int, schedule: FeeSchedule = DEFAULT_SCHEDULE) -> int:
    """元 for the ``ordinal``-th piece (1-based) of one applicant in one natural month."""
    if ordinal < 1:
        raise FeeError("件数序号必须从1开始")
    s = schedule
    if ordinal <= s.piece_free_limit:
        return 0
    if ordinal <= s.piece_base_limit:
        return s.piece_base_rate
    band = (ordinal - s.piece_base_limit - 1) // s.piece_band_size + 1
    return s.piece_base_rate + band * s.piece_band_increment


def pieces_total(count: int, schedule: FeeSchedule = DEFAULT_SCHEDULE) -> int:
    """元 for ``count`` pieces of one applicant in one natural month."""
    if count < 0:
        raise FeeError("件数不能为负数")
    return sum(piece_fee(n, schedule) for n in range(1, count + 1))


def _bands(
    first: int, last: int, unit: str, rate_of: Callable[[int], int]
) -> tuple[FeeLine, ...]:
    """Group consecutive units with the same rate into lines."""
    lines: list[FeeLine] = []
    for n in range(first, last + 1):
        rate = rate_of(n)
        if lines and lines[-1].rate == rate:
            prev = lines[-1]
            lines[-1] = FeeLine(prev.first, n, unit, rate)
        else:
            lines.append(FeeLine(n, n, unit, rate))
    return tuple(lines)


def assess_per_piece(
    *,
    earlier_pieces_this_month: int,
    pieces: int = 1,
    schedule: FeeSchedule = DEFAULT_SCHEDULE,
) -> FeeAssessment:
    """按件计收 for one application of ``pieces`` pieces (after 一事一申请 splitting).

    ``earlier_pieces_this_month`` counts the same applicant's pieces already received
    by this agency earlier in the same natural month (办法第四条).
    """
    if earlier_pieces_this_month < 0:
        raise FeeError("本月此前件数不能为负数")
    if pieces < 1:
        raise FeeError("本申请的件数至少为1件")
    if pieces > MAX_PIECES:
        raise FeeError(f"本申请的件数不能超过{MAX_PIECES}件，请核对。")
    first = earlier_pieces_this_month + 1
    last = earlier_pieces_this_month + pieces
    lines = _bands(first, last, "件", lambda n: piece_fee(n, schedule))
    span = f"第{first}件" if pieces == 1 else f"第{first}—{last}件"
    summary = (
        f"按件计收：申请人本自然月内此前已申请{earlier_pieces_this_month}件，"
        f"本申请计{pieces}件，为本月{span}。"
    )
    return FeeAssessment(
        method=FeeMethod.PER_PIECE,
        amount=sum(line.amount for line in lines),
        lines=lines,
        basis=f"《中华人民共和国政府信息公开条例》第四十二条和{_MEASURE}第三条、第四条",
        schedule_name=schedule.name,
        summary=summary,
    )


# --------------------------------------------------------------------------- 按量


def _page_rate(page: int, schedule: FeeSchedule) -> int:
    if page <= schedule.page_free_limit:
        return 0
    for upper, rate in schedule.page_tiers:
        if upper is None or page <= upper:
            return rate
    raise AssertionError("unreachable: the last tier has no upper limit")


def volume_fee(pages: int, schedule: FeeSchedule = DEFAULT_SCHEDULE) -> int:
    """元 for ``pages`` pages provided for one application (办法第五条)."""
    return assess_per_volume(pages=pages, schedule=schedule).amount


def assess_per_volume(
    *,
    pages: int,
    proactively_disclosed: bool = False,
    schedule: FeeSchedule = DEFAULT_SCHEDULE,
) -> FeeAssessment:
    """按量计收 for one application: ``pages`` A4 pages in paper, e-mail or copied data.

    ``proactively_disclosed``: the information was already proactively disclosed; no
    volume fee unless ``schedule.volume_fee_for_proactively_disclosed`` [U].
    """
    if pages < 0:
        raise FeeError("页数不能为负数")
    if pages > MAX_PAGES:
        raise FeeError(f"页数不能超过{MAX_PAGES}页，请核对。")
    basis = f"《中华人民共和国政府信息公开条例》第四十二条和{_MEASURE}第三条、第五条"
    if proactively_disclosed and not schedule.volume_fee_for_proactively_disclosed:
        return FeeAssessment(
            method=FeeMethod.PER_VOLUME,
            amount=0,
            lines=(),
            basis=basis,
            schedule_name=schedule.name,
            summary=f"按量计收：所申请信息已主动公开，{pages}页不收费。",
        )
    lines = _bands(1, pages, "页", lambda n: _page_rate(n, schedule))
    return FeeAssessment(
        method=FeeMethod.PER_VOLUME,
        amount=sum(line.amount for line in lines),
        lines=lines,
        basis=basis,
        schedule_name=schedule.name,
        summary=f"按量计收：本申请提供政府信息共{pages}页。",
    )


# --------------------------------------------------------------------------- counting


def month_key(received_on: date) -> str:
    """The natural month a piece counts in, ``YYYY-MM`` of the Art. 31 receipt date [U]."""
    return f"{received_on.year:04d}-{received_on.month:02d}"


def ordinals_in_month(
    applications: Iterable[tuple[str, date, int]],
) -> dict[str, tuple[int, int]]:
    """Number each application's pieces within its natural month.

    ``applications`` are one applicant's ``(registration_no, received_on, pieces)``;
    they are ordered by receipt date, then registration number (docs/legal-notes.md §1.2). Returns
    ``{registration_no: (first_ordinal, last_ordinal)}``.
    """
    ordered: Sequence[tuple[str, date, int]] = sorted(
        applications, key=lambda a: (a[1], a[0])
    )
    used: dict[str, int] = {}
    result: dict[str, tuple[int, int]] = {}
    for reg_no, received_on, pieces in ordered:
        if pieces < 1:
            raise FeeError(f"申请{reg_no}的件数至少为1件")
        if reg_no in result:
            raise FeeError(f"申请编号重复：{reg_no}")
        key = month_key(received_on)
        first = used.get(key, 0) + 1
        used[key] = first + pieces - 1
        result[reg_no] = (first, used[key])
    return result
