"""The page of GB/T 9704-2012 (党政机关公文格式), one definition for every renderer.

A4 (210 × 297 mm); 天头 (top margin) 37 mm, bottom 35 mm, 订口 (left) 28 mm,
right 26 mm, giving a 156 × 225 mm text block (§5.2.1, §5.2.2). The annual
report's DOCX, the letters' DOCX and the letters' PDF (WeasyPrint ``@page``)
all take their page from here. Pure data; python-docx is imported only by
``apply_to_docx_section``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """A page size and its margins, in millimetres."""

    width_mm: float
    height_mm: float
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.left_mm - self.right_mm

    @property
    def text_height_mm(self) -> float:
        return self.height_mm - self.top_mm - self.bottom_mm

    @property
    def css(self) -> str:
        """The body of a CSS ``@page`` rule: size and margins (top right bottom left)."""
        return (
            f"size: {self.width_mm:g}mm {self.height_mm:g}mm; "
            f"margin: {self.top_mm:g}mm {self.right_mm:g}mm "
            f"{self.bottom_mm:g}mm {self.left_mm:g}mm;"
        )


GBT9704_PAGE = Page(
    width_mm=210, height_mm=297, top_mm=37, bottom_mm=35, left_mm=28, right_mm=26
)


def apply_to_docx_section(section: Any, page: Page = GBT9704_PAGE) -> None:
    """Set a python-docx ``Section`` to ``page`` (portrait)."""
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(page.top_mm), Mm(page.bottom_mm)
    section.left_margin, section.right_margin = Mm(page.left_mm), Mm(page.right_mm)
