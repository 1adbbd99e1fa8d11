"""Plain text (copied from web pages, text dumps) -> linear document."""

from __future__ import annotations

import re

from gongkai.core.annual.parse.digits import BLANK_MARK
from gongkai.core.annual.parse.doc import Doc

_NUMBER_FIELD = re.compile(r"^\s*-?[0-9][0-9,]*(?:\.[0-9]+)?\s*$")
_PAGE_FOOTER = re.compile(
    r"^\s*(?:[-—–]\s*[0-9]{1,3}\s*[-—–]|第\s*[0-9]{1,3}\s*页(?:\s*[/，,]?\s*共\s*[0-9]{1,3}\s*页)?"
    r"|[0-9]{1,3}\s*/\s*[0-9]{1,3})\s*$"
)


def text_doc(text: str, kind: str = "text") -> Doc:
    """Linear document of plain text: page footers dropped, tab blanks marked."""
    lines = [_mark_tab_blanks(_drop_footer(line)) for line in text.split("\n")]
    return Doc("\n".join(lines), kind=kind)


def _drop_footer(line: str) -> str:
    # keep the offsets of everything else: blank the footer, do not delete it
    return " " * len(line) if _PAGE_FOOTER.match(line) else line


def _mark_tab_blanks(line: str) -> str:
    """An empty tab field between two numbers is an empty cell (spec §6.2 blanks).

    Leading and trailing empty fields are left alone: flattened merged label
    cells produce them too, so they prove nothing.
    """
    if "\t" not in line:
        return line
    fields = line.split("\t")
    numeric = [i for i, f in enumerate(fields) if _NUMBER_FIELD.match(f)]
    if len(numeric) < 2:
        return line
    first, last = numeric[0], numeric[-1]
    for i in range(first + 1, last):
        if not fields[i].strip():
            fields[i] = BLANK_MARK
    return "\t".join(fields)
