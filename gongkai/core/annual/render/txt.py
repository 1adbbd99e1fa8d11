"""Plain text in the official layout, tables as tab-separated grid rows.

Like the seed report (``shared/seeds/*.txt``): one line per paragraph with a
blank line between blocks; a table row is its grid positions joined by tabs,
a merged cell's text in its top-left position and empty strings elsewhere.
"""

from __future__ import annotations

from gongkai.core.annual.model import Report
from gongkai.core.annual.render.document import build_document
from gongkai.core.annual.render.grid import NATIONAL_FORM, FormOptions, Grid


def _grid_lines(grid: Grid) -> list[str]:
    return ["\t".join(row) for row in grid.matrix()]


def render_txt(report: Report, options: FormOptions = NATIONAL_FORM) -> bytes:
    document = build_document(report, options)
    blocks: list[list[str]] = [[document.title]]
    for section in document.sections:
        blocks.append([section.heading])
        blocks.extend([paragraph] for paragraph in section.paragraphs)
        if section.grid is not None:
            blocks.append(_grid_lines(section.grid))
    text = "\n\n".join("\n".join(block) for block in blocks) + "\n"
    return text.encode("utf-8")
