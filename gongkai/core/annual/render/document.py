"""The report as an ordered list of blocks every renderer walks.

A document is the title, then the six sections in form order: each section's
heading, its narrative paragraphs and, for 二/三/四, the official table grid.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.core.annual.model import Report
from gongkai.core.annual.render.grid import (
    Grid,
    default_title,
    format_schema,
    section_grids,
)


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


def build_document(report: Report) -> Document:
    """Title and the six sections; a section missing from the report gets no text."""
    grids = section_grids(report)
    blocks = tuple(
        SectionBlock(
            numeral=section.numeral,
            heading=section.heading,
            paragraphs=paragraphs(report.sections.get(section.numeral, "")),
            grid=grids.get(section.numeral),
        )
        for section in format_schema(report).sections
    )
    return Document(title=default_title(report), sections=blocks)
