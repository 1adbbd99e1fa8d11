"""信息处理费 (条例 Art. 42, 国办函〔2020〕109号). Expected figures are the worked
examples of spec fees.md §4.2–§4.3, or hand arithmetic written next to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.fees import (
    DEFAULT_SCHEDULE,
    FeeError,
    FeeLine,
    FeeMethod,
    FeeSchedule,
    assess_per_piece,
    assess_per_volume,
    month_key,
    ordinals_in_month,
    piece_fee,
    pieces_total,
    volume_fee,
)

# --------------------------------------------------------------------------- 按件


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300),
     (51, 400), (60, 400), (61, 500), (101, 900)],
)  # fmt: skip
def test_the_nth_piece_of_a_month_costs_the_tier_rate(ordinal: int, fee: int) -> None:
    assert piece_fee(ordinal) == fee


@pytest.mark.parametrize(
    ("count", "total"),
    # fees.md §4.2 examples
    [
        (0, 0),
        (10, 0),
        (11, 100),
        (30, 2000),
        (31, 2200),
        (40, 4000),
        (45, 5500),
        (60, 11000),
    ],
)
def test_monthly_totals_match_the_spec_examples(count: int, total: int) -> None:
    assert pieces_total(count) == total


def test_a_split_application_is_itemised_by_band() -> None:
    # Pieces 26–45: 5×100 + 10×200 + 5×300 = 500 + 2000 + 1500 = 4000.
    a = assess_per_piece(earlier_pieces_this_month=25, pieces=20)
    assert a.method is FeeMethod.PER_PIECE
    assert a.amount == 4000
    assert [(line.first, line.last, line.rate) for line in a.lines] == [
        (26, 30, 100),
        (31, 40, 200),
        (41, 45, 300),
    ]
    assert "第四条" in a.basis
    assert a.explanation.splitlines() == [
        "按件计收：申请人本自然月内此前已申请25件，本申请计20件，为本月第26—45件。",
        "  第26—30件：5件×100元/件＝500元",
        "  第31—40件：10件×200元/件＝2000元",
        "  第41—45件：5件×300元/件＝1500元",
        "合计：4000元。",
        "依据：《中华人民共和国政府信息公开条例》第四十二条和"
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第三条、第四条。",
    ]


def test_the_tenth_piece_is_free_and_says_so() -> None:
    a = assess_per_piece(earlier_pieces_this_month=9)
    assert a.amount == 0
    assert a.lines == (FeeLine(10, 10, "件", 0),)
    assert a.lines[0].text == "第10件：1件，不收费"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"earlier_pieces_this_month": -1}, "负数"),
        ({"earlier_pieces_this_month": 0, "pieces": 0}, "至少为1件"),
    ],
)
def test_per_piece_rejects_impossible_counts(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(FeeError, match=message):
        assess_per_piece(**kwargs)


def test_piece_ordinals_start_at_one() -> None:
    with pytest.raises(FeeError):
        piece_fee(0)


@given(st.integers(0, 200), st.integers(1, 60))
def test_splitting_a_month_into_applications_never_changes_the_total(
    earlier: int, pieces: int
) -> None:
    a = assess_per_piece(earlier_pieces_this_month=earlier, pieces=pieces)
    assert a.amount == pieces_total(earlier + pieces) - pieces_total(earlier)
    assert sum(line.quantity for line in a.lines) == pieces


@given(st.integers(1, 300))
def test_a_later_piece_never_costs_less(n: int) -> None:
    assert 0 <= piece_fee(n) <= piece_fee(n + 1)


# --------------------------------------------------------------------------- 按量


@pytest.mark.parametrize(
    ("pages", "fee"),
    # fees.md §4.3 examples; 201 pages: 700 + 2000 + 40 = 2740.
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (200, 2700),
        (201, 2740),
        (250, 4700),
    ],
)
def test_volume_fees_match_the_spec_examples(pages: int, fee: int) -> None:
    assert volume_fee(pages) == fee


def test_a_volume_fee_is_itemised_by_tier() -> None:
    a = assess_per_volume(pages=250)
    assert [line.text for line in a.lines] == [
        "第1—30页：30页，不收费",
        "第31—100页：70页×10元/页＝700元",
        "第101—200页：100页×20元/页＝2000元",
        "第201—250页：50页×40元/页＝2000元",
    ]
    assert a.method is FeeMethod.PER_VOLUME
    assert "第五条" in a.basis
    assert a.explanation.endswith("第三条、第五条。")


def test_no_volume_fee_for_information_already_proactively_disclosed_by_default() -> (
    None
):
    a = assess_per_volume(pages=250, proactively_disclosed=True)
    assert a.amount == 0
    assert "已主动公开" in a.summary
    charging = replace(DEFAULT_SCHEDULE, volume_fee_for_proactively_disclosed=True)
    assert (
        assess_per_volume(
            pages=250, proactively_disclosed=True, schedule=charging
        ).amount
        == 4700
    )


def test_negative_pages_are_refused() -> None:
    with pytest.raises(FeeError, match="页数不能为负数"):
        volume_fee(-1)


@given(st.integers(0, 2000), st.integers(0, 2000))
def test_volume_fee_is_never_negative_and_monotone_in_pages(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert 0 <= volume_fee(low) <= volume_fee(high)


@given(st.integers(0, 1000))
def test_volume_lines_add_up_to_the_amount_and_the_pages(pages: int) -> None:
    a = assess_per_volume(pages=pages)
    assert sum(line.amount for line in a.lines) == a.amount
    assert sum(line.quantity for line in a.lines) == pages


# --------------------------------------------------------------------------- schedule


def test_the_default_schedule_carries_the_unconfirmed_figures_with_spec_defaults() -> (
    None
):
    s = DEFAULT_SCHEDULE
    assert s.payment_period_working_days == 20
    assert s.pause_clock_while_awaiting_payment is True
    assert s.effective_from == date(2021, 1, 1)
    assert s.count_per_receiving_agency is True
    assert s.volume_fee_for_proactively_disclosed is False


def test_a_custom_schedule_changes_the_figures() -> None:
    # free up to 5, then 50/件 to 20, then bands of 5 pieces +50 each:
    # piece 21–25 → 100, 26–30 → 150.
    s = FeeSchedule(
        name="测试",
        piece_free_limit=5,
        piece_base_limit=20,
        piece_base_rate=50,
        piece_band_size=5,
        piece_band_increment=50,
        page_free_limit=10,
        page_tiers=((None, 1),),
    )
    assert [piece_fee(n, s) for n in (5, 6, 20, 21, 25, 26)] == [
        0,
        50,
        50,
        100,
        100,
        150,
    ]
    assert volume_fee(15, s) == 5
    assert (
        assess_per_piece(earlier_pieces_this_month=0, schedule=s).schedule_name
        == "测试"
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"piece_free_limit": 40},  # above the base limit
        {"piece_band_size": 0},
        {"piece_base_rate": -1},
        {"page_tiers": ((100, 10), (50, 20), (None, 40))},  # not increasing
        {"page_tiers": ((20, 10), (None, 40))},  # below the free limit
        {"page_tiers": ((100, 10),)},  # last tier capped
        {"page_tiers": ((None, 10), (None, 20))},
        {"page_tiers": ((100, -10), (None, 20))},
    ],
)
def test_an_inconsistent_schedule_is_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(FeeError):
        FeeSchedule(**kwargs)


def test_method_labels() -> None:
    assert [m.label for m in FeeMethod] == ["不收费", "按件计收", "按量计收"]


# --------------------------------------------------------------------------- counting


def test_month_key_is_year_and_month_of_receipt() -> None:
    assert month_key(date(2026, 3, 31)) == "2026-03"
    assert month_key(date(2026, 12, 1)) == "2026-12"


def test_pieces_are_numbered_within_each_natural_month_by_receipt_date() -> None:
    result = ordinals_in_month(
        [
            ("2026-004", date(2026, 3, 20), 2),
            ("2026-001", date(2026, 3, 2), 3),
            ("2026-003", date(2026, 3, 2), 1),  # same day: by registration number
            ("2026-010", date(2026, 4, 1), 4),  # new month starts again at 1
        ]
    )
    assert result == {
        "2026-001": (1, 3),
        "2026-003": (4, 4),
        "2026-004": (5, 6),
        "2026-010": (1, 4),
    }


@pytest.mark.parametrize(
    "apps",
    [
        [("A", date(2026, 3, 2), 0)],
        [("A", date(2026, 3, 2), 1), ("A", date(2026, 3, 3), 1)],
    ],
)
def test_ordinals_reject_empty_or_duplicate_applications(
    apps: list[tuple[str, date, int]],
) -> None:
    with pytest.raises(FeeError):
        ordinals_in_month(apps)
