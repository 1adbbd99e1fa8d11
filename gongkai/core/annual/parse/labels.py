"""Regular expressions that find schema labels in normalised document text.

A label may be broken by whitespace or line breaks anywhere (``商业\\n企业``, PDF
vertical labels one character per line), may lose its quotes, and its item
number may be written ``1.`` ``1、`` ``1．`` or ``（1）`` (spec §9).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from gongkai.core.annual.text import QUOTES, compact, strip_parenthetical

GAP = f"[\\s{QUOTES}]*"
_ITEM_RE = re.compile(r"^([0-9])\.")


def _chars_pattern(text: str) -> str:
    return GAP.join(re.escape(c) for c in text)


def label_pattern(label: str) -> str:
    """Pattern for one label: core text without its trailing （…） note."""
    core = compact(strip_parenthetical(label))
    item = _ITEM_RE.match(core)
    if item:
        number = item.group(1)
        rest = core[item.end() :]
        # the dot may drift to another line in PDFs; the number itself may be
        # missing, unless the rest is too short to identify the row ("3.其他")
        prefix = f"(?:{number}{GAP}[.、]?|（{number}）){GAP}"
        if len(rest) >= 5:
            prefix = f"(?:{prefix})?"
        return prefix + _chars_pattern(rest)
    return _chars_pattern(core)


@lru_cache(maxsize=512)
def compile_labels(labels: tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching any of ``labels`` (longest alternatives first)."""
    unique = sorted({label_pattern(x) for x in labels}, key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in unique))


def search(
    norm: str, labels: Iterable[str], start: int, end: int
) -> re.Match[str] | None:
    """First match of any of ``labels`` in ``norm[start:end]``."""
    return compile_labels(tuple(labels)).search(norm, start, end)


# Item number followed by a label text, used when a numbered row's label is a
# variant no alias covers (e.g. a typo): ``2.其他法律行政止公开``.
def numbered_label_pattern(number: int) -> re.Pattern[str]:
    return _numbered(number)


@lru_cache(maxsize=16)
def _numbered(number: int) -> re.Pattern[str]:
    return re.compile(
        f"(?<![0-9.])(?:{number}{GAP}[.、]?|（{number}）){GAP}[\u4e00-\u9fff][\u4e00-\u9fff{QUOTES}、，\\s]*"
    )
