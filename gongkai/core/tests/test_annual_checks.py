"""Each check of spec §6 on small hand-built reports: one passing, one failing case."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings

from gongkai.core.annual.checks import CROSS_YEAR_RULES, RULES, has_errors, validate
from gongkai.core.annual.model import Finding, Report
from gongkai.core.tests.test_annual_checks_factories import (
    set_row,
    small_consistent_report,
    valid_reports,
    zero_report,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "annual-toolkit.md"


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def columns_of(findings: list[Finding], code: str) -> set[str]:
    """The column of the first (summed-to) key of each finding with ``code``."""
    return {f.keys[0].rsplit(".", 1)[1] for f in findings if f.code == code}


# --------------------------------------------------------------------------
# Clean reports
# --------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_a_complete_zero_report_has_no_findings(version: str) -> None:
    assert validate(zero_report(version)) == []


def test_a_hand_computed_consistent_report_has_no_findings() -> None:
    assert validate(small_consistent_report()) == []


@settings(max_examples=60, deadline=None)
@given(valid_reports())
def test_any_consistent_report_has_no_findings(report: Report) -> None:
    assert validate(report) == []


def test_every_finding_has_a_chinese_message_and_a_known_severity() -> None:
    report = small_consistent_report()
    report.cells["s3.total.natural"] = 99
    report.sections["六"] = "无"
    findings = validate(report)
    assert findings
    for finding in findings:
        assert finding.severity in ("error", "warning", "info")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.message)


def declared_codes(rule: object) -> set[str]:
    """Check IDs named at the start of a rule's docstring (``T3_BALANCE: …``)."""
    first_line = (getattr(rule, "__doc__", "") or "").splitlines()[0]
    head = first_line.split(":", 1)[0]
    return set(re.findall(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", head))


def test_every_rule_names_its_check_ids_and_the_docs_list_exactly_those() -> None:
    in_code = [declared_codes(rule) for rule in (*RULES, *CROSS_YEAR_RULES)]
    assert all(in_code), "every rule's docstring starts with the IDs it reports"
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", DOCS.read_text(), re.M))
    assert set().union(*in_code) == documented


# --------------------------------------------------------------------------
# Section 三
# --------------------------------------------------------------------------


def test_t3_balance_fails_in_the_columns_where_new_plus_carried_differs() -> None:
    report = small_consistent_report()
    # carry forward 2 instead of 1: natural 5+1 != 5+2, total 6+1 != 6+2
    set_row(report, "carry_forward", natural=2)
    findings = validate(report)
    assert codes(findings) == {"T3_BALANCE"}
    assert columns_of(findings, "T3_BALANCE") == {"natural", "total"}
    assert all(f.severity == "error" for f in findings)


def test_t3_result_total_fails_when_results_do_not_add_up_to_total() -> None:
    report = small_consistent_report()
    # granted 4 instead of 3: results natural 4+2 = 6 != 5, total 4+1+2 = 7 != 6
    set_row(report, "granted", natural=4)
    findings = validate(report)
    assert codes(findings) == {"T3_RESULT_TOTAL"}
    assert columns_of(findings, "T3_RESULT_TOTAL") == {"natural", "total"}


def test_t3_row_total_fails_when_six_columns_do_not_add_up() -> None:
    report = small_consistent_report()
    report.cells["s3.granted.total"] = 4  # 3 + 0 + … = 3
    findings = validate(report)
    row_findings = [f for f in findings if f.code == "T3_ROW_TOTAL"]
    assert len(row_findings) == 1
    assert row_findings[0].keys[0] == "s3.granted.total"
    assert "s3.granted.natural" in row_findings[0].keys


def test_t3_subtotal_rows_pass_when_equal_to_their_items() -> None:
    report = small_consistent_report()
    set_row(report, "withheld.subtotal", commercial=1)  # item 1 has commercial 1
    assert validate(report) == []


def test_t3_subtotal_rows_fail_when_not_equal_to_their_items() -> None:
    report = small_consistent_report()
    set_row(report, "withheld.subtotal", commercial=2)
    findings = validate(report)
    assert codes(findings) == {"T3_SUBTOTAL"}
    assert columns_of(findings, "T3_SUBTOTAL") == {"commercial", "total"}


def test_a_one_row_other_group_counts_towards_the_total() -> None:
    report = zero_report("2019")
    set_row(report, "new", natural=2)
    set_row(report, "other.subtotal", natural=2)
    set_row(report, "total", natural=2)
    assert validate(report) == []
    set_row(report, "other.subtotal", natural=1)
    assert codes(validate(report)) == {"T3_RESULT_TOTAL"}


def test_a_2021_report_printing_other_as_one_row_is_complete() -> None:
    report = small_consistent_report()
    for col in (
        "natural",
        "commercial",
        "research",
        "social",
        "legal",
        "other",
        "total",
    ):
        for item in ("no_supplement", "no_fee", "other"):
            report.cells[f"s3.other.{item}.{col}"] = None
        report.cells[f"s3.other.subtotal.{col}"] = 0
    assert validate(report) == []


def test_t3_carry_le_input_fails_when_more_is_carried_forward_than_received() -> None:
    report = zero_report()
    set_row(report, "new", natural=1)
    set_row(report, "carry_forward", natural=3)
    assert "T3_CARRY_LE_INPUT" in codes(validate(report))
    set_row(report, "carry_forward", natural=1)
    assert "T3_CARRY_LE_INPUT" not in codes(validate(report))


# --------------------------------------------------------------------------
# Section 四
# --------------------------------------------------------------------------


def test_t4_group_total_passes_when_outcomes_add_up() -> None:
    report = zero_report()
    report.cells.update(
        {"s4.review.upheld": 1, "s4.review.other": 2, "s4.review.total": 3}
    )
    assert validate(report) == []


def test_t4_group_total_fails_per_group() -> None:
    report = zero_report()
    report.cells.update(
        {"s4.suit_after_review.pending": 1, "s4.suit_after_review.total": 2}
    )
    findings = validate(report)
    assert codes(findings) == {"T4_GROUP_TOTAL"}
    assert findings[0].keys[0] == "s4.suit_after_review.total"


# --------------------------------------------------------------------------
# Cell values
# --------------------------------------------------------------------------


def test_negative_counts_are_errors_in_each_table() -> None:
    report = zero_report()
    report.cells["s2.license.decisions"] = -1
    report.cells["s3.granted.research"] = -1
    report.cells["s4.review.pending"] = -1
    found = validate(report)
    assert {"T2_NONNEG", "T3_NONNEG_INT", "T4_NONNEG_INT"} <= codes(found)


def test_fractional_counts_are_errors_but_amounts_may_have_decimals() -> None:
    report = zero_report()
    report.cells["s2.fees.amount_wan"] = Decimal("1.2345")
    assert validate(report) == []
    report.cells["s4.review.upheld"] = Decimal("0.5")
    report.cells["s4.review.total"] = Decimal("0.5")
    assert codes(validate(report)) == {"T4_NONNEG_INT"}


def test_the_2019_increase_or_decrease_column_may_be_negative() -> None:
    report = zero_report("2019")
    report.cells["s2.penalty.delta"] = -18
    assert validate(report) == []
    report.cells["s2.penalty.decisions"] = -18
    assert codes(validate(report)) == {"T2_NONNEG"}


def test_a_fee_amount_with_more_than_four_decimals_is_a_warning() -> None:
    report = zero_report()
    report.cells["s2.fees.amount_wan"] = Decimal("24252.311082")  # Pingtan 2021
    findings = validate(report)
    assert codes(findings) == {"T2_FEE_DECIMALS"}
    assert findings[0].severity == "warning"


def test_missing_cells_are_one_warning_listing_every_blank_cell() -> None:
    report = zero_report()
    report.cells["s3.new.legal"] = None
    del report.cells["s4.review.other"]
    findings = validate(report)
    assert codes(findings) == {"CELL_MISSING"}
    (missing,) = findings
    assert missing.severity == "warning"
    assert set(missing.keys) == {"s3.new.legal", "s4.review.other"}


def test_a_missing_cell_silences_the_sums_it_takes_part_in() -> None:
    report = small_consistent_report()
    report.cells["s3.granted.natural"] = None
    assert codes(validate(report)) == {"CELL_MISSING"}


# --------------------------------------------------------------------------
# Narrative
# --------------------------------------------------------------------------


def test_a_missing_section_is_an_error() -> None:
    report = zero_report()
    del report.sections["五"]
    findings = validate(report)
    assert codes(findings) == {"NARR_SECTIONS"}
    assert findings[0].severity == "error"


def test_sections_out_of_order_are_an_error() -> None:
    report = zero_report()
    texts = report.sections
    report.sections = {n: texts[n] for n in ("一", "二", "四", "三", "五", "六")}
    assert codes(validate(report)) == {"NARR_SECTIONS"}


@pytest.mark.parametrize(
    "text",
    ["本年度未收取信息处理费。", "2025年全市实际收取信息处理费共计400元。"],
)
def test_section_six_stating_the_processing_fee_passes(text: str) -> None:
    report = zero_report()
    report.sections["六"] = text
    assert validate(report) == []


def test_section_six_without_the_processing_fee_is_a_warning() -> None:
    report = zero_report()
    report.sections["六"] = "无"  # the seed report (spec §9a)
    findings = validate(report)
    assert codes(findings) == {"NARR_FEE"}
    assert findings[0].severity == "warning"


def test_unpaid_fee_closures_require_mentioning_the_fee_notices() -> None:
    report = zero_report()
    set_row(report, "new", natural=1)
    set_row(report, "other.no_fee", natural=1)
    set_row(report, "total", natural=1)
    report.sections["六"] = "本年度未收取信息处理费。"
    assert codes(validate(report)) == {"NARR_FEE"}
    report.sections["六"] = (
        "本年度发出收费通知1件、金额100元，实际收取0元，未收取信息处理费。"
    )
    assert validate(report) == []


@pytest.mark.parametrize("text", ["无", "", "暂无。"])
def test_an_empty_problems_section_is_a_warning(text: str) -> None:
    report = zero_report()
    report.sections["五"] = text
    assert codes(validate(report)) == {"NARR_S5_NONEMPTY"}


@pytest.mark.parametrize(
    "sentence",
    [
        "2021年共受理政府信息公开申请6件。",  # = new
        "本年度全区共收到7件申请，及时依法依规办结6件，1件结转下年度继续办理。",  # new + carried
        "全年办理政府信息公开申请7件。",
        "收到群众诉求348件，现场解决162件。",  # not applications
        "依申请公开方面，全年共受理6件，办结率100%。",
        "1件结转下年度继续办理。",
    ],
)
def test_narrative_counts_that_match_the_table_pass(sentence: str) -> None:
    report = small_consistent_report()  # new 6, carried 1, concluded 6
    report.sections["一"] += sentence
    assert validate(report) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "区政府办代表区政府受理政府信息公开申请 17 件。",  # 洪泽 2024: table says 95
        "共收到政府信息公开申请21件。",
        "全年办结政府信息公开申请5件。",
        "依申请公开方面，全年共受理21件。",  # the brief's 受理21件 without 申请
        "2件结转下年度继续办理。",
    ],
)
def test_narrative_counts_that_differ_from_the_table_are_warnings(
    sentence: str,
) -> None:
    report = small_consistent_report()
    report.sections["一"] += sentence
    findings = validate(report)
    assert codes(findings) == {"NARR_TEXT_VS_TABLE"}
    assert findings[0].severity == "warning"


def test_a_statistic_period_of_another_year_is_a_warning() -> None:
    report = zero_report(year=2021)
    report.sections["一"] += (
        "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。"
    )
    assert validate(report) == []
    report.sections["一"] += "统计期限为2020年1月1日至2020年12月31日。"
    assert codes(validate(report)) == {"NARR_PERIOD"}


# --------------------------------------------------------------------------
# Against last year's report
# --------------------------------------------------------------------------


def test_carry_over_matches_last_years_carry_forward() -> None:
    last = zero_report(year=2020)
    set_row(last, "carry_forward", natural=1)
    this = small_consistent_report()  # carried: natural 1
    assert validate(this, previous=last) == []


def test_carry_over_differing_from_last_year_is_a_warning_per_column() -> None:
    last = zero_report(year=2020)
    set_row(last, "carry_forward", natural=2)
    findings = validate(small_consistent_report(), previous=last)
    assert codes(findings) == {"XY_CARRY"}
    assert {f.keys[0] for f in findings} == {"s3.carried.natural", "s3.carried.total"}
    assert all(f.severity == "warning" for f in findings)


def _in_force_pair(
    last_in_force: int, issued: int, repealed: int, in_force: int
) -> tuple[Report, Report]:
    last = zero_report(year=2021)
    last.cells["s2.normative.in_force"] = last_in_force
    this = zero_report(year=2022)
    this.cells.update(
        {
            "s2.normative.issued": issued,
            "s2.normative.repealed": repealed,
            "s2.normative.in_force": in_force,
        }
    )
    return last, this


def test_in_force_balance_holds_for_pingtan_2021_to_2022() -> None:
    last, this = _in_force_pair(665, 88, 55, 698)  # corpus README: 665+88−55=698
    assert validate(this, previous=last) == []


def test_in_force_imbalance_is_information_only() -> None:
    last, this = _in_force_pair(698, 62, 33, 440)  # a re-cleaned library
    findings = validate(this, previous=last)
    assert codes(findings) == {"XY_IN_FORCE"}
    assert findings[0].severity == "info"
    assert not has_errors(findings)


def test_a_previous_report_of_another_year_is_a_warning_and_nothing_is_compared() -> (
    None
):
    last = zero_report(year=2019)  # two years before the 2021 report
    set_row(last, "new", natural=2)
    set_row(last, "carry_forward", natural=2)
    findings = validate(small_consistent_report(), previous=last)  # 2021
    assert codes(findings) == {"XY_YEAR"}
    assert findings[0].severity == "warning"


def test_reports_without_years_are_compared() -> None:
    last = zero_report()
    last.year = None
    set_row(last, "new", natural=2)
    set_row(last, "carry_forward", natural=2)
    this = small_consistent_report()
    this.year = None
    assert "XY_CARRY" in codes(validate(this, previous=last))
