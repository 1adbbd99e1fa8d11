"""Round trip: reading a rendered report gives the report back.

``read(render(r, fmt)) == r`` for cells, version, year, agency and sections,
over random valid reports of both formats (hypothesis). TXT, HTML and DOCX go
through the parser for published reports (``gongkai.core.annual.parse``);
JSON and XLSX, our machine formats, through their exact readers
(``render.readback``). ``read_report`` dispatches between the two, as the CLI
does.

Sections compare by paragraphs (non-empty lines, stripped): the narrative
sections 一、五、六 exactly; for the table sections 二、三、四 the parser also
returns the table text, so the rendered lead-in paragraphs must come first.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.annual import schema
from gongkai.core.annual.model import Report
from gongkai.core.annual.render import render
from gongkai.core.annual.render.grid import other_as_one_row
from gongkai.core.annual.render.readback import read_report
from gongkai.core.tests.annual_fixtures import CORPUS
from gongkai.core.tests.test_annual_checks_factories import (
    set_row,
    small_consistent_report,
    valid_reports,
    zero_report,
)

TABLE_SECTIONS = {s.numeral for s in schema.SECTIONS if s.kind == "tables"}

_PHRASES = (
    "全面贯彻落实政府信息公开条例",
    "及时更新政府信息公开指南和目录",
    "规范办理依申请公开",
    "加强政府网站和政务新媒体管理",
    "将政务公开纳入绩效考核",
    "公开内容还不够丰富",
    "加强业务培训",
    "本年度未收取信息处理费",
)


@st.composite
def narrative(draw: st.DrawFn) -> str:
    """A few paragraphs of ordinary report prose (no headings, no numbers)."""
    count = draw(st.integers(1, 4))
    paragraphs = [
        "，".join(draw(st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=3)))
        + "。"
        for _ in range(count)
    ]
    return "\n".join(paragraphs)


@st.composite
def reports_with_text(draw: st.DrawFn, version: str | None = None) -> Report:
    report = draw(valid_reports(version))
    for numeral in ("一", "五"):
        report.sections[numeral] = draw(narrative())
    report.sections["六"] = draw(narrative()) + "本年度未收取信息处理费。"
    lead_ins = st.sampled_from(
        ["", "本年度主动公开政府信息情况如下。", "具体情况见下表。"]
    )
    for numeral in sorted(TABLE_SECTIONS):
        report.sections[numeral] = draw(lead_ins)
    return report


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def assert_same_report(parsed: Report, original: Report) -> None:
    known = {k: v for k, v in parsed.cells.items() if v is not None}
    expected = {k: v for k, v in original.cells.items() if v is not None}
    assert known == expected
    assert (parsed.version, parsed.year, parsed.agency) == (
        original.version,
        original.year,
        original.agency,
    )
    assert list(parsed.sections) == list(original.sections)
    for numeral, text in original.sections.items():
        got = paragraphs(parsed.sections[numeral])
        if numeral in TABLE_SECTIONS:
            assert got[: len(paragraphs(text))] == paragraphs(text)
        else:
            assert got == paragraphs(text)


def round_trip(report: Report, fmt: str) -> Report:
    return read_report(render(report, fmt), f"report.{fmt}")


FORMATS = ["txt", "html", "docx", "xlsx", "json"]


# --------------------------------------------------------------------------
# Hand-built examples
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_hand_built_2021_report_survives(fmt: str) -> None:
    report = small_consistent_report()
    report.cells["s2.fees.amount_wan"] = Decimal("12.3456")
    report.cells["s2.license.decisions"] = 2293
    assert_same_report(round_trip(report, fmt), report)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_2019_report_with_a_negative_change_survives(fmt: str) -> None:
    report = zero_report("2019")
    report.cells["s2.penalty.prev_items"] = 26
    report.cells["s2.penalty.delta"] = -18
    set_row(report, "new", natural=3)
    set_row(report, "other.subtotal", natural=1)
    set_row(report, "granted", natural=2)
    set_row(report, "total", natural=3)
    assert_same_report(round_trip(report, fmt), report)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_2021_report_printing_other_as_one_row_survives(fmt: str) -> None:
    report = small_consistent_report()
    for item in ("no_supplement", "no_fee", "other"):
        for col in (
            "natural",
            "commercial",
            "research",
            "social",
            "legal",
            "other",
            "total",
        ):
            del report.cells[f"s3.other.{item}.{col}"]
    set_row(report, "other.subtotal")
    assert_same_report(round_trip(report, fmt), report)


# --------------------------------------------------------------------------
# Random valid reports
# --------------------------------------------------------------------------

_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("version", ["2021", "2019"])
@_SETTINGS
@given(data=st.data())
def test_random_valid_reports_survive(
    fmt: str, version: str, data: st.DataObject
) -> None:
    report = data.draw(reports_with_text(version))
    assert_same_report(round_trip(report, fmt), report)


# --------------------------------------------------------------------------
# Real reports: corpus file → parse → render → read back
# --------------------------------------------------------------------------

RAW = CORPUS / "raw"
CORPUS_FILES = (
    sorted(p for p in RAW.glob("*") if p.stem != "blank_template")
    if RAW.is_dir()
    else []
)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_a_parsed_corpus_report_survives_rendering(path: Path, fmt: str) -> None:
    original = read_report(path.read_bytes(), path.name)
    printed = schema.cell_keys(
        original.version, other_as_one_row=other_as_one_row(original)
    )
    if any(original.cells.get(key) is None for key in printed):
        # the form cannot say "unknown": blanks read back as 0 (see the docs)
        pytest.skip("a printed cell of the report is unknown")
    parsed = round_trip(original, fmt)
    known = {k: v for k, v in parsed.cells.items() if v is not None}
    assert known == {k: v for k, v in original.cells.items() if v is not None}
    assert (parsed.version, parsed.year, parsed.agency) == (
        original.version,
        original.year,
        original.agency,
    )
    assert list(parsed.sections) == list(original.sections)
