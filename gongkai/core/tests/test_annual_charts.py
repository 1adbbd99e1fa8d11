from __future__ import annotations

import xml.etree.ElementTree as ET

from gongkai.core.annual.charts import (
    applicant_chart,
    bar_chart_svg,
    outcome_chart,
    trend_chart,
)
from gongkai.core.annual.model import Report

NS = "{http://www.w3.org/2000/svg}"


def report(year: int, **cells: int) -> Report:
    return Report(year=year, cells=dict(cells))


def test_outcome_groups_add_their_rows():
    r = report(
        2026,
        **{
            "s3.granted.total": 3,
            "s3.withheld.state_secret.total": 1,
            "s3.withheld.case_file.total": 2,
            "s3.other.no_fee.total": 1,
        },
    )
    assert dict(outcome_chart(r).bars) == {
        "予以公开": 3,
        "部分公开": 0,
        "不予公开": 3,
        "无法提供": 0,
        "不予处理": 0,
        "其他处理": 1,
    }


def test_trend_is_in_year_order():
    chart = trend_chart(
        [report(2026, **{"s3.new.total": 5}), report(2024, **{"s3.new.total": 2})]
    )
    assert chart.bars == (("2024年", 2), ("2026年", 5))


def test_the_svg_is_well_formed_and_bars_scale_with_values():
    svg = bar_chart_svg(
        applicant_chart(report(2026, **{"s3.new.natural": 4, "s3.new.commercial": 2}))
    )
    root = ET.fromstring(svg)
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert widths[0] == 2 * widths[1] and widths[2:] == [0.0] * 4
    assert root.find(f"{NS}title").text == "2026年申请人类型"
