"""Title, year and agency of a report (spec §0.2), whatever the title's word order."""

from __future__ import annotations

import pytest

from gongkai.core.annual.parse import parse_bytes, parse_text

BODY = "\n一、总体情况\n本年度主动公开信息20条。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n"


@pytest.mark.parametrize(
    ("title", "year", "agency"),
    [
        ("某某局2023年政府信息公开工作年度报告", 2023, "某某局"),
        ("某某局2023年度政府信息公开工作年度报告", 2023, "某某局"),
        ("2023年某某局政府信息公开工作年度报告", 2023, "某某局"),
        ("某某局政府信息公开工作年度报告（2023年）", 2023, "某某局"),
        ("某某镇人民政府2022年政务公开年度报告", 2022, "某某镇人民政府"),
        (
            "某某县人民政府办公室 2024 年政府信息公开工作年度报告",
            2024,
            "某某县人民政府办公室",
        ),
    ],
)
def test_title_year_and_agency(title: str, year: int, agency: str) -> None:
    report = parse_text(title + BODY)
    assert (report.year, report.agency) == (year, agency)


def test_a_pdf_style_title_broken_over_two_lines() -> None:
    report = parse_text("某某区人民政府\n2024 年政府信息公开工作年度报告" + BODY)
    assert report.title == "某某区人民政府2024年政府信息公开工作年度报告"
    assert report.agency == "某某区人民政府"


def test_the_page_title_wins_over_navigation_links() -> None:
    page = (
        "<html><head><title>某某局2023年政府信息公开工作年度报告_年报_某某网</title></head><body>"
        "<ul><li><a>某某局2022年政府信息公开工作年度报告</a></li></ul>"
        "<h1>某某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p></body></html>"
    )
    report = parse_bytes(page.encode(), "a.html")
    assert report.title == "某某局2023年政府信息公开工作年度报告"
    assert report.year == 2023


def test_without_a_page_title_the_line_just_before_the_body_wins() -> None:
    page = (
        "<html><body><ul><li><a>某某局2022年政府信息公开工作年度报告</a></li></ul>"
        "<h1>某某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p></body></html>"
    )
    report = parse_bytes(page.encode(), "a.html")
    assert report.year == 2023
