"""How alike two applications' descriptions are (重复申请, 条例第三十六条第（五）项 of
table 三's 2 row): the Jaccard index of their character bigrams.

Chosen because an officer can check it by hand: the share of two-character pieces
the texts have in common (Chinese has no spaces, so words are not at hand without a
segmenter, and bigrams are what the search index uses too). Punctuation and spaces
are dropped, full-width characters folded, Latin letters lower-cased.
"""

from __future__ import annotations

import unicodedata


def _clean(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in folded if ch.isalnum())


def bigrams(text: str) -> set[str]:
    """The set of two-character pieces of ``text`` (a one-character text: itself)."""
    clean = _clean(text)
    if len(clean) < 2:
        return {clean} if clean else set()
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def bigram_jaccard(a: str, b: str) -> float:
    """|A ∩ B| / |A ∪ B| of the bigram sets, 0.0 … 1.0 (two empty texts: 0.0)."""
    first, second = bigrams(a), bigrams(b)
    union = first | second
    if not union:
        return 0.0
    return len(first & second) / len(union)


# At or above this the officer is told the descriptions look alike (a signal to
# read both, never a decision: 重复申请 is decided by the officer).
SIMILAR_AT = 0.6
