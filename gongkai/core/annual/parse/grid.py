"""Writing a table (HTML or DOCX) as lines of the linear document.

Each table row becomes one line: label cells as text, then the value cells,
tab-separated, an empty value cell written ``∅``. Cells copied in by a rowspan
are not repeated. A row that ends early (HTML allows missing trailing cells)
is padded with empty cells up to the table's grid width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.core.annual.parse.digits import BLANK_MARK, strip_notes

_VALUE_RE = re.compile(
    r"^(?:-?[0-9][0-9,]*(?:\.[0-9]+)?(?:万元|元|件|个|项)?|[-—–/／\\]+|无|)$"
)
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


def is_value_text(text: str) -> bool:
    """True for a number, a dash, 无 or an empty cell (notes in （） ignored)."""
    return bool(_VALUE_RE.match(_WS.sub("", strip_notes(text))))


def table_lines(rows: list[list[Cell]], *, pad: bool = True) -> list[str]:
    """Lines for one table; ``rows`` hold only the cells that start in each row.

    ``pad`` fills rows that end early with empty cells (HTML); DOCX rows always
    cover the whole grid, so their readers pass False.
    """
    widths = _row_widths(rows)
    width = max(widths, default=0)
    return [_row_line(cells, width - w if pad else 0) for cells, w in zip(rows, widths)]


def _row_widths(rows: list[list[Cell]]) -> list[int]:
    """Grid width each row fills, counting rowspans from rows above (spec §4.1)."""
    carried: dict[int, int] = {}  # grid column -> rows it stays occupied
    widths: list[int] = []
    for cells in rows:
        col = 0
        occupied = {c for c, left in carried.items() if left > 0}
        for cell in cells:
            while col in occupied:
                col += 1
            for c in range(col, col + cell.colspan):
                if cell.rowspan > 1:
                    carried[c] = cell.rowspan
            col += cell.colspan
        used = max([col, *((c + 1) for c in occupied)]) if occupied or col else 0
        widths.append(used)
        carried = {c: left - 1 for c, left in carried.items() if left - 1 > 0}
        # cells started in this row were set to rowspan; they cover the rows below
    return widths


def _row_line(cells: list[Cell], missing: int) -> str:
    """Label cells, then value cells with blanks marked.

    A row carries values when it has a number, or when a label is followed
    only by value-like cells (all blank / dash / 无: an all-empty data row).
    Header rows (labels only) and empty spacer rows carry none.
    """
    texts = [_WS.sub(" ", c.text).strip() for c in cells]
    last_label = max(
        (i for i, t in enumerate(texts) if t and not is_value_text(t)), default=-1
    )
    has_number = any(re.search(r"[0-9]", t) and is_value_text(t) for t in texts)
    trailing = len(texts) - last_label - 1
    if not has_number and (last_label < 0 or trailing == 0):
        return "\t".join(t for t in texts if t)
    out = [t for t in texts[: last_label + 1] if t]
    for t in texts[last_label + 1 :]:
        out.append(_WS.sub("", t) or BLANK_MARK)
    out.extend(BLANK_MARK for _ in range(max(0, missing)))
    return "\t".join(out)


def span_value(raw: str | None) -> int:
    """A rowspan/colspan attribute as a sane int (bad values count as 1)."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(value, 1), 200)
