"""The inspection indicators (国办秘函〔2019〕19号) read from ``indicators.toml``.

A province tightens a threshold without editing the file: :func:`load_indicators`
takes ``overrides`` (``{"blank_column": {"threshold": 2}, ...}``) merged over it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).with_name("indicators.toml")


class IndicatorError(ValueError):
    """The indicators file or an override is unusable (message in Chinese)."""


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    veto: bool
    basis: str
    threshold: int = 0
    feature: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def param(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)

    def fails(self, count: int, *, checked: int = 0) -> bool:
        """Whether ``count`` failing subjects fail the indicator. For shares
        (``max_share``), ``checked`` is how many subjects were looked at; with
        ``min_checked``, fewer subjects than that are not enough to judge (the
        indicator does not fail)."""
        if checked < int(self.params.get("min_checked", 0)):
            return False
        share = self.params.get("max_share")
        if share is not None and checked:
            return count > self.threshold and count / checked > float(share)
        return count > self.threshold

    @property
    def counts_accepted(self) -> bool:
        """Whether a finding a 负责人 accepted (已说明) still counts for the verdict.
        A 单项否决 item cannot be waived by the body itself: its accepted findings
        keep counting, unless the indicator judges individual subjects a person may
        find to be false positives (``acceptance_clears``: a link that works in a
        browser). Accepted findings of scored items never count."""
        return self.veto and not bool(self.params.get("acceptance_clears", False))


@dataclass(frozen=True)
class ColumnKind:
    code: str
    name: str
    genres: tuple[str, ...]
    period_days: int
    indicator: str
    # Every site must have it: a body with no live item of the kind has a 空白栏目.
    required: bool = False


@dataclass(frozen=True)
class Indicators:
    document: str
    items: dict[str, Indicator]
    column_kinds: dict[str, ColumnKind]

    def __getitem__(self, code: str) -> Indicator:
        return self.items[code]

    def kind_of_genre(self, genre: str) -> ColumnKind | None:
        for kind in self.column_kinds.values():
            if genre in kind.genres:
                return kind
        return None


_KNOWN = {"name", "veto", "basis", "threshold", "feature"}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def parse_indicators(text: str, overrides: dict[str, Any] | None = None) -> Indicators:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise IndicatorError(f"检查指标文件格式错误：{exc}") from exc
    if overrides:
        unknown = set(overrides) - set(data.get("indicator", {})) - {"column_kind"}
        if unknown:
            raise IndicatorError(
                f"检查指标配置中有未知指标：{'、'.join(sorted(unknown))}"
            )
        extra_kinds = overrides.get("column_kind", {})
        extra = {k: v for k, v in overrides.items() if k != "column_kind"}
        data = _merge(data, {"indicator": extra, "column_kind": extra_kinds})
    items: dict[str, Indicator] = {}
    for code, raw in data.get("indicator", {}).items():
        try:
            items[code] = Indicator(
                code=code,
                name=str(raw["name"]),
                veto=bool(raw.get("veto", False)),
                basis=str(raw.get("basis", "")),
                threshold=int(raw.get("threshold", 0)),
                feature=str(raw.get("feature", "")),
                params={k: v for k, v in raw.items() if k not in _KNOWN},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IndicatorError(f"检查指标“{code}”配置不完整或有误：{exc}") from exc
    kinds: dict[str, ColumnKind] = {}
    for code, raw in data.get("column_kind", {}).items():
        try:
            kinds[code] = ColumnKind(
                code=code,
                name=str(raw["name"]),
                genres=tuple(str(g) for g in raw["genres"]),
                period_days=int(raw["period_days"]),
                indicator=str(raw["indicator"]),
                required=bool(raw.get("required", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IndicatorError(f"栏目类别“{code}”配置不完整或有误：{exc}") from exc
        if kinds[code].indicator not in items:
            raise IndicatorError(f"栏目类别“{code}”引用了不存在的指标。")
    return Indicators(str(data.get("document", "")), items, kinds)


def load_indicators(
    path: Path | None = None, overrides: dict[str, Any] | None = None
) -> Indicators:
    try:
        text = (path or DEFAULT_PATH).read_text(encoding="utf-8")
    except OSError as exc:
        raise IndicatorError(f"检查指标文件无法读取：{exc.strerror}") from exc
    return parse_indicators(text, overrides)
