"""Shared helpers for tests that read the real-report corpus (``../shared/corpus``).

The corpus lives next to the repository: ``<repo>/../shared/corpus/{raw,truth}``.
Tests that need it use ``requires_corpus`` and skip cleanly when it is absent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).parents[3]
CORPUS = REPO_ROOT.parent / "shared" / "corpus"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
SEED_FILE = SEEDS / "000_22ae0ba57f04688c.txt"

requires_corpus = pytest.mark.skipif(
    not (CORPUS / "truth").is_dir(), reason="corpus ../shared/corpus not present"
)


@dataclass(frozen=True)
class Truth:
    """One ground-truth file of the corpus."""

    id: str
    data: dict[str, Any]

    @property
    def cells(self) -> dict[str, Any]:
        return dict(self.data["cells"])

    @property
    def raw_files(self) -> list[Path]:
        return [CORPUS / "raw" / name for name in self.data["source"]["file"]]

    @property
    def year(self) -> int | None:
        return self.data.get("year")

    @property
    def is_2019_template(self) -> bool:
        return "2019" in str(self.data.get("template", ""))

    def is_uncertain(self, key: str) -> bool:
        """True if the truth marks ``key`` as inferred (``row.*`` covers a row)."""
        for pattern in self.data.get("uncertain_cells", []):
            if pattern == key or (
                pattern.endswith(".*") and key.startswith(pattern[:-1])
            ):
                return True
        return False

    def given_cells(self) -> dict[str, Any]:
        """Cells with a value that the truth does not mark uncertain."""
        return {
            k: v
            for k, v in self.cells.items()
            if v is not None and not self.is_uncertain(k)
        }


@cache
def truths() -> tuple[Truth, ...]:
    if not (CORPUS / "truth").is_dir():
        return ()
    return tuple(
        Truth(p.stem, json.loads(p.read_text(encoding="utf-8")))
        for p in sorted((CORPUS / "truth").glob("*.json"))
    )


def truth(stem: str) -> Truth:
    return next(t for t in truths() if t.id == stem)


def corpus_cases() -> list[tuple[str, Path]]:
    """(truth id, raw file) pairs: one report may come in several files."""
    return [(t.id, path) for t in truths() for path in t.raw_files]


def same_number(a: Any, b: Any) -> bool:
    """Equal as numbers (truth JSON floats vs parsed ints/Decimals); None only equals None."""
    if a is None or b is None:
        return a is None and b is None
    return Decimal(str(a)) == Decimal(str(b))
