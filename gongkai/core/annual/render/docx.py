"""DOCX in the official layout, with the form's merged cells (python-docx).

Typography follows GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm,
title in 方正小标宋简体 二号 (22 pt), first-level headings in 黑体 三号, body in
仿宋_GB2312 三号 (16 pt). East-Asian text uses the ``w:eastAsia`` font
attribute, which Word reads for CJK characters; ``w:ascii``/``w:hAnsi`` are set
too. Font names are those of the standard government font set; where a reader
lacks one, Word substitutes its own mapping (仿宋_GB2312 → 仿宋).
"""

from __future__ import annotations

import copy
import functools
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Mm, Pt
from docx.text.run import Run

from gongkai.core.annual.model import Report
from gongkai.core.annual.render._zip import normalize_zip
from gongkai.core.annual.render.document import SectionBlock, build_document
from gongkai.core.annual.render.grid import NATIONAL_FORM, FormOptions, Grid
from gongkai.core.gbt9704 import GBT9704_PAGE, apply_to_docx_section


@dataclass(frozen=True)
class DocxFonts:
    """Font names (GB/T 9704 roles) and sizes in points."""

    title: str = "方正小标宋简体"
    heading: str = "黑体"
    body: str = "仿宋_GB2312"
    latin: str = "Times New Roman"
    title_size: float = 22  # 二号
    body_size: float = 16  # 三号
    table_size: float = 10.5  # 五号
    wide_table_size: float = 9  # 小五: the 15-column table of section 四


GB_FONTS = DocxFonts()
# For readers without the GB2312 fonts (recent Windows ships 仿宋/黑体/宋体).
COMMON_FONTS = DocxFonts(title="华文中宋", body="仿宋")


def _fixed_time(report: Report) -> datetime:
    """Document dates: 1 January after the report year, so output is stable."""
    year = (report.year + 1) if report.year else 2000
    return datetime(year, 1, 1, tzinfo=UTC)


@functools.cache
def _run_properties(east_asian: str, latin: str, size: float) -> BaseOxmlElement:
    """A ``w:rPr`` with the fonts and size; copied into each run (much faster
    than setting them through python-docx's per-run properties)."""
    run = Document().add_paragraph().add_run()
    run.font.name = latin
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    properties = run._element.rPr
    assert properties is not None  # just created above
    return properties


def _style_run(run: Run, east_asian: str, latin: str, size: float) -> None:
    run._element.insert(0, copy.deepcopy(_run_properties(east_asian, latin, size)))


def _set_default_font(document: DocxDocument, fonts: DocxFonts) -> None:
    normal = document.styles["Normal"]
    normal.font.name = fonts.latin
    normal.font.size = Pt(fonts.body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(
        qn("w:eastAsia"), fonts.body
    )


def _page_setup(document: DocxDocument) -> None:
    apply_to_docx_section(document.sections[0])


def _add_paragraph(
    document: DocxDocument, text: str, font: str, fonts: DocxFonts, *, indent: bool
) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(28)  # fixed 28 pt: 22 lines a page
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(fonts.body_size * 2)
    _style_run(paragraph.add_run(text), font, fonts.latin, fonts.body_size)


@dataclass(frozen=True)
class _CellStyle:
    """Everything about a table cell but its text (hashable: one prototype each)."""

    colspan: int
    vmerge: str | None  # "restart", "continue" or None
    width: int  # EMU
    centered: bool
    east_asian: str
    latin: str
    size: float


@functools.cache
def _cell_prototype(style: _CellStyle) -> BaseOxmlElement:
    """A ``w:tc`` of ``style`` with an empty run; cells are deep copies of it
    (building each cell through python-docx's properties is several times slower)."""
    tc = OxmlElement("w:tc")
    tc.width = Emu(style.width)
    if style.colspan > 1:
        tc.grid_span = style.colspan
    if style.vmerge is not None:
        tc.vMerge = style.vmerge
    tc.get_or_add_tcPr().vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = tc.add_p()
    if style.centered:
        paragraph.get_or_add_pPr().jc_val = WD_ALIGN_PARAGRAPH.CENTER
    if style.vmerge != "continue":
        run = paragraph.add_r()
        run.insert(
            0, copy.deepcopy(_run_properties(style.east_asian, style.latin, style.size))
        )
        run.add_t("")
    return tc


def _new_cell(style: _CellStyle, text: str = "") -> BaseOxmlElement:
    tc = copy.deepcopy(_cell_prototype(style))
    if style.vmerge != "continue":
        tc[-1][-1][-1].text = text  # w:tc / w:p / w:r / w:t
    return tc


# Text width of the GB/T 9704 page: 210 − 28 − 26 mm.
_TEXT_WIDTH_MM = GBT9704_PAGE.text_width_mm
# Label columns of each grid (mm); the value columns share the rest equally.
# Section 三 needs a wide third label column for its long item texts.
_LABEL_WIDTHS_MM: dict[str, tuple[float, ...]] = {
    "s2": (44.0,),
    "s3": (10.0, 16.0, 52.0),
    "s4": (),
}


def _column_widths(grid: Grid) -> list[int]:
    """Width of each grid column in EMU."""
    labels = _LABEL_WIDTHS_MM.get(grid.name, ())
    n_values = grid.n_cols - len(labels)
    value_width = (_TEXT_WIDTH_MM - sum(labels)) / n_values
    return [int(Mm(width)) for width in (*labels, *[value_width] * n_values)]


def _add_table(document: DocxDocument, grid: Grid, fonts: DocxFonts) -> None:
    """The grid as a Word table, merges written the way Word writes them.

    A horizontal merge is one ``w:tc`` with ``w:gridSpan``; a vertical merge is
    a ``w:vMerge="restart"`` cell followed by ``w:vMerge="continue"`` cells in
    the rows below (ECMA-376 §17.4.85), as in the official blank template.
    """
    table = document.add_table(rows=0, cols=grid.n_cols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = fonts.wide_table_size if grid.n_cols > 10 else fonts.table_size
    widths = _column_widths(grid)
    for column, width in zip(table.columns, widths):
        column.width = Emu(width)
    anchors = {(cell.row, cell.col): cell for cell in grid.cells}
    continued = {
        (row, cell.col): cell
        for cell in grid.cells
        for row in range(cell.row + 1, cell.row + cell.rowspan)
    }
    for row in range(grid.n_rows):
        tr = OxmlElement("w:tr")
        table._tbl.append(tr)
        col = 0
        while col < grid.n_cols:
            anchor = anchors.get((row, col))
            cell = anchor or continued[(row, col)]
            style = _CellStyle(
                colspan=cell.colspan,
                vmerge="continue"
                if anchor is None
                else ("restart" if cell.rowspan > 1 else None),
                width=sum(widths[col : col + cell.colspan]),
                centered=cell.role != "label",
                east_asian=fonts.body,
                latin=fonts.latin,
                size=size,
            )
            tr.append(_new_cell(style, cell.text if anchor is not None else ""))
            col += cell.colspan


def _add_section(
    document: DocxDocument, section: SectionBlock, fonts: DocxFonts
) -> None:
    _add_paragraph(document, section.heading, fonts.heading, fonts, indent=True)
    for text in section.paragraphs:
        _add_paragraph(document, text, fonts.body, fonts, indent=True)
    if section.grid is not None:
        _add_table(document, section.grid, fonts)


def _set_properties(document: DocxDocument, report: Report, title: str) -> None:
    props = document.core_properties
    props.title = title
    props.author = report.agency or ""
    props.last_modified_by = "gongkai"
    props.created = props.modified = props.last_printed = _fixed_time(report)
    props.revision = 1
    props.keywords = f"gongkai-annual-report;version={report.version}"


def render_docx(
    report: Report,
    options: FormOptions = NATIONAL_FORM,
    fonts: DocxFonts = GB_FONTS,
) -> bytes:
    model = build_document(report, options)
    document = Document()
    _page_setup(document)
    _set_default_font(document, fonts)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _style_run(title.add_run(model.title), fonts.title, fonts.latin, fonts.title_size)
    for section in model.sections:
        _add_section(document, section, fonts)
    _set_properties(document, report, model.title)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())
