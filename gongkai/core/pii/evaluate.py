"""Precision and recall of the detectors on a labelled set (the test and the
benchmark share this one scorer).

A found value counts as right when a labelled value of the same kind overlaps it; each
labelled value not overlapped by a finding of its kind is a miss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.core.pii.detect import find_pii
from gongkai.core.pii.rules import DEFAULT_RULES, PiiRules

__all__ = ["Score", "score"]


@dataclass
class Score:
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_pos + self.false_neg
        return self.true_pos / labelled if labelled else 1.0


def score(
    docs: Iterable[Mapping[str, Any]], rules: PiiRules = DEFAULT_RULES
) -> dict[str, Score]:
    """Per kind: true positives, false positives and misses over ``docs`` (each a
    ``{"text": …, "labels": [{"kind", "start", "end"}, …]}``)."""
    scores: dict[str, Score] = {}
    for doc in docs:
        labels: Sequence[Mapping[str, Any]] = doc["labels"]
        matched: set[int] = set()
        for f in find_pii(doc["text"], rules):
            hits = [
                i
                for i, label in enumerate(labels)
                if label["kind"] == f.kind
                and label["start"] < f.end
                and f.start < label["end"]
            ]
            entry = scores.setdefault(str(f.kind), Score())
            if hits:
                entry.true_pos += 1
                matched.update(hits)
            else:
                entry.false_pos += 1
        for i, label in enumerate(labels):
            if i not in matched:
                scores.setdefault(str(label["kind"]), Score()).false_neg += 1
    return scores
