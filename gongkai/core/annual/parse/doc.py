"""The linear document every reader produces and the scanner reads.

Each input format (text, HTML, DOCX, PDF) becomes one string: paragraphs as lines,
table rows as lines with cells separated by tabs and empty value cells written as
``∅``. ``norm`` is the normalised twin of ``text`` with the same length, so an
offset found in ``norm`` slices ``text``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai.core.annual.model import Finding
from gongkai.core.annual.text import normalize

SourceKind = str  # "text" | "html" | "docx" | "pdf"


@dataclass
class Doc:
    text: str
    kind: SourceKind = "text"
    # Offsets where PDF pages start (empty for other formats).
    page_starts: list[int] = field(default_factory=list)
    title_hint: str | None = None
    findings: list[Finding] = field(default_factory=list)
    # Other readings of the same file (e.g. PDF layout order), tried when this
    # one leaves table cells unread.
    alternatives: list[Callable[[], Doc]] = field(default_factory=list)
    norm: str = ""
    _line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.norm = normalize(self.text)
        self._line_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]

    def where(self, offset: int) -> str:
        """Human locator of an offset: format, page (PDF) and line."""
        line = bisect.bisect_right(self._line_starts, offset)
        if self.page_starts:
            page = bisect.bisect_right(self.page_starts, offset)
            return f"{self.kind}:第{page}页:第{line}行"
        return f"{self.kind}:第{line}行"
