"""The report as an ordered list of blocks every renderer walks.

A document is the title, then the six sections in form order: each section's
heading, its narrative paragraphs and, for 二/三/四, the official table grid.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.core.annual import schema
from gongkai.core.annual.model import Report
from gongkai.core.annual.render.grid import (
    NATIONAL_FORM,
    FormOptions,
    Grid,
    default_title,
    format_schema,
    section_grids,
)
from gongkai.core.annual.text import compact


@dataclass(frozen=True)
class SectionBlock:
    numeral: str
    heading: str  # "一、总体情况"
    paragraphs: tuple[str, ...]
    grid: Grid | None


@dataclass(frozen=True)
class Document:
    title: str
    sections: tuple[SectionBlock, ...]


def paragraphs(text: str) -> tuple[str, ...]:
    """Non-empty lines of a section's text, stripped."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _table_markers(fmt: schema.FormatSchema, numeral: str) -> tuple[set[str], set[str]]:
    """(strong, weak) header texts of the table printed in section ``numeral``.

    One strong marker (a 二 caption, the 三 corner text) or two weak ones (header
    labels) make a paragraph part of a table rather than of the lead-in text.
    """
    numerals = [s.numeral for s in fmt.sections]
    if numeral == numerals[1]:
        strong = {t.caption for t in fmt.s2_tables}
        weak = {t.label_header for t in fmt.s2_tables}
        weak |= {c.label for t in fmt.s2_tables for c in t.columns}
    elif numeral == numerals[2]:
        strong = {fmt.s3_corner}
        weak = {fmt.s3_group_header} | {c.label for c in fmt.s3_columns}
        weak |= {c.group for c in fmt.s3_columns if c.group}
    else:
        strong = set()
        weak = {g.label for g in fmt.s4_groups} | {
            g.group for g in fmt.s4_groups if g.group
        }
        weak |= {c.label for c in fmt.s4_columns}
    return {compact(m) for m in strong}, {compact(m) for m in weak}


def _is_table_text(paragraph: str, strong: set[str], weak: set[str]) -> bool:
    if "\t" in paragraph:
        return True
    text = compact(paragraph)
    # A strong marker, whole or broken over lines (the 三 corner text in a PDF).
    if any(marker in text or (len(text) >= 6 and text in marker) for marker in strong):
        return True
    return sum(marker in text for marker in weak) >= 2


def lead_in(fmt: schema.FormatSchema, numeral: str, text: str) -> tuple[str, ...]:
    """The narrative before the table of a table section (二、三、四).

    A parsed report's section text also holds the table as text; the renderers
    draw the table from the cells, so only the paragraphs before the first
    table-like paragraph are printed (spec §2: these sections need no narrative;
    some agencies add a short lead-in).
    """
    strong, weak = _table_markers(fmt, numeral)
    kept: list[str] = []
    for paragraph in paragraphs(text):
        if _is_table_text(paragraph, strong, weak):
            break
        kept.append(paragraph)
    return tuple(kept)


def build_document(report: Report, options: FormOptions = NATIONAL_FORM) -> Document:
    """Title and the six sections; a section missing from the report gets no text."""
    grids = section_grids(report, options)
    fmt = format_schema(report)
    blocks = []
    for section in fmt.sections:
        text = report.sections.get(section.numeral, "")
        is_table = section.numeral in grids
        blocks.append(
            SectionBlock(
                numeral=section.numeral,
                heading=section.heading,
                paragraphs=lead_in(fmt, section.numeral, text)
                if is_table
                else paragraphs(text),
                grid=grids.get(section.numeral),
            )
        )
    return Document(title=default_title(report), sections=tuple(blocks))
