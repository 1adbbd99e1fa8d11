"""From a linear document to a Report: sections, version, tables, provenance."""

from __future__ import annotations

from gongkai.core.annual.model import Finding, FormatVersion, Provenance, Report
from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.labels import search
from gongkai.core.annual.parse.ocr import confirm_by_sums
from gongkai.core.annual.parse.rows import RowRead
from gongkai.core.annual.parse.sections import (
    Heading,
    find_agency,
    find_headings,
    find_title,
    find_year,
    section_texts,
)
from gongkai.core.annual.parse.tables import (
    S3Read,
    narrative_hints,
    read_s2,
    read_s3,
    read_s4,
    s3_span,
)
from gongkai.core.annual.schema import (
    S3_COLUMNS,
    S4_COLUMNS,
    S4_GROUPS,
    VERSION_2021_S3_MARKER,
    VERSION_MARKERS,
    cell_keys,
    schema_for,
    version_for_year,
)

_REPORT_HINTS = ("政府信息公开", "政务公开", "信息公开")


def parse_doc(doc: Doc) -> Report:
    """Parse a linear document into a Report (never raises for ordinary input)."""
    report = Report(version="unknown")
    report.diagnostics.extend(doc.findings)
    if not doc.norm.strip():
        if not any(f.severity == "error" for f in doc.findings):
            report.diagnostics.append(finding("parse.empty_input"))
        return report
    headings = find_headings(doc)
    report.title = find_title(doc, headings["一"].start if "一" in headings else None)
    report.year = find_year(doc, report.title)
    report.agency = find_agency(report.title)
    report.sections = section_texts(doc, headings)
    spans = _spans(doc, headings)
    version = _detect_version(doc, spans, report.year, report.diagnostics)
    report.version = version
    if version in ("2021", "2019"):
        _read_tables(doc, version, spans, report)
        for numeral in ("一", "二", "三", "四", "五", "六"):
            if numeral not in headings:
                report.diagnostics.append(finding("parse.section_missing", numeral))
    else:
        _explain_no_tables(doc, report, headings)
    if doc.kind == "ocr" and report.cells:
        confirm_by_sums(report)
    if report.title is None:
        report.diagnostics.append(finding("parse.title_missing"))
    if report.year is None and version != "unknown":
        report.diagnostics.append(finding("parse.year_missing"))
    return report


# --- where the tables are ------------------------------------------------------


def _spans(doc: Doc, headings: dict[str, Heading]) -> dict[str, tuple[int, int]]:
    """Text spans of sections 二, 三, 四 (table sections), from headings or tables."""
    n = len(doc.norm)
    h = headings
    s3_start = (
        h["三"].end if "三" in h else s3_span(doc, h["二"].end if "二" in h else 0, n)
    )
    s4_start = h["四"].end if "四" in h else None
    s5_start = h["五"].start if "五" in h else (h["六"].start if "六" in h else n)
    if s3_start is None:
        s3_start = n
    if s4_start is None:
        m = search(doc.norm, ("行政复议",), _after_carry_forward(doc, s3_start), n)
        s4_start = m.start() if m else s5_start
    s2_start = h["二"].end if "二" in h else 0
    s3_head = h["三"].start if "三" in h else s3_start
    s4_head = h["四"].start if "四" in h else s4_start
    return {
        "二": (s2_start, max(s2_start, s3_head)),
        "三": (s3_start, max(s3_start, s4_head)),
        "四": (s4_start, max(s4_start, s5_start)),
    }


def _after_carry_forward(doc: Doc, start: int) -> int:
    m = search(
        doc.norm,
        ("四、结转下年度继续办理", "结转下一年度继续办理"),
        start,
        len(doc.norm),
    )
    return m.end() if m else start


# --- version (spec §7.4) -------------------------------------------------------


def _detect_version(
    doc: Doc, spans: dict[str, tuple[int, int]], year: int | None, diags: list[Finding]
) -> FormatVersion:
    s2 = doc.norm[slice(*spans["二"])]
    compact_s2 = "".join(s2.split())
    has21 = any(m in compact_s2 for m in VERSION_MARKERS["2021"])
    has19 = any(m in compact_s2 for m in VERSION_MARKERS["2019"])
    by_year = version_for_year(year) if year else None
    if has21 and has19:
        diags.append(finding("parse.version_mixed"))
    if has21 or has19:
        version: FormatVersion = "2021" if has21 else "2019"
        if by_year and by_year != version:
            diags.append(
                finding("parse.version_year_mismatch", f"{version}版/{year}年度")
            )
        return version
    s3 = "".join(doc.norm[slice(*spans["三"])].split())
    if "本年新收政府信息公开申请数量" in s3:
        if VERSION_2021_S3_MARKER in s3:
            return "2021"
        if by_year in ("2021", "2019"):
            diags.append(finding("parse.version_from_year", str(year)))
            return by_year
        return "2019" if "（六）其他处理" in s3 else "unknown"
    if by_year == "legacy":
        diags.append(finding("parse.legacy_format"))
        return "legacy"
    return "unknown"


def _explain_no_tables(doc: Doc, report: Report, headings: dict[str, Heading]) -> None:
    if report.version == "legacy":
        return
    looks_like_report = report.title is not None or len(headings) >= 3
    if looks_like_report and any(h in doc.norm for h in _REPORT_HINTS):
        report.diagnostics.append(finding("parse.tables_missing"))
    else:
        report.diagnostics.append(finding("parse.not_a_report"))


# --- tables -> cells -------------------------------------------------------------


def _read_tables(
    doc: Doc, version: str, spans: dict[str, tuple[int, int]], report: Report
) -> None:
    schema = schema_for(version)
    diags = report.diagnostics
    table_span = (spans["二"][0], spans["四"][1])
    hints = narrative_hints(doc, table_span)
    s2 = read_s2(doc, schema, spans["二"], diags, hints)
    s3 = read_s3(doc, schema, spans["三"], diags)
    s4 = read_s4(doc, spans["四"], diags)
    keys = cell_keys(version, other_as_one_row=s3.other_as_one_row)
    for key in keys:
        report.cells[key] = None
        report.provenance[key] = Provenance(
            where="", confidence="unknown", note="未读到"
        )
    _store_s2(schema, s2, report)
    _store_s3(s3, report)
    _store_s4(s4, report)
    if version == "2021" and s3.other_as_one_row:
        _mark_absent_other_rows(report)
    _collapse_if_empty(report)


def _collapse_if_empty(report: Report) -> None:
    """A form with no numbers at all (a blank template) gets one finding, not 50."""
    if any(v for v in report.cells.values()):
        return  # some non-zero number was printed
    if any(
        v is not None and report.provenance[k].confidence == "certain"
        for k, v in report.cells.items()
    ):
        return  # zeros printed as zeros: a report with nothing to report
    for key in report.cells:
        report.cells[key] = None
        report.provenance[key] = Provenance(
            where="", confidence="unknown", note="表格未填写"
        )
    noisy = {"parse.row_short", "parse.row_missing", "parse.blank_as_zero"}
    report.diagnostics[:] = [d for d in report.diagnostics if d.code not in noisy]
    report.diagnostics.append(finding("parse.tables_empty"))


def _store(report: Report, key: str, row: RowRead, col: int) -> None:
    if row.ambiguous and row.keys:
        report.ambiguous[row.keys] = row.ambiguous
    report.cells[key] = row.values[col]
    report.provenance[key] = Provenance(
        where=row.where, confidence=row.confidence[col], note=row.notes[col]
    )


def _store_s2(schema: object, rows: dict[str, RowRead], report: Report) -> None:
    for table in schema_for(report.version).s2_tables:
        for row in table.rows:
            read = rows.get(row.key)
            if read is None:
                continue
            for i, col in enumerate(table.columns):
                _store(report, f"s2.{row.key}.{col.key}", read, i)


def _store_s3(s3: S3Read, report: Report) -> None:
    for stem, row in s3.rows.items():
        for i, col in enumerate(S3_COLUMNS):
            _store(report, f"s3.{stem}.{col.key}", row, i)


def _store_s4(row: RowRead | None, report: Report) -> None:
    if row is None:
        return
    i = 0
    for group in S4_GROUPS:
        for col in S4_COLUMNS:
            _store(report, f"s4.{group.key}.{col.key}", row, i)
            i += 1


def _mark_absent_other_rows(report: Report) -> None:
    """（六）其他处理 printed as one row: its three 2021 items are absent, not unknown."""
    for stem in ("other.no_supplement", "other.no_fee", "other.other"):
        for col in S3_COLUMNS:
            key = f"s3.{stem}.{col.key}"
            report.cells[key] = None
            report.provenance[key] = Provenance(
                where="",
                confidence="certain",
                note="报告将（六）其他处理印为一行，无此单元格",
            )
