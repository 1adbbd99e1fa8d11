"""Standard catalogues (基层政务公开事项标准目录) as data: one TOML file per template
in this folder, each citing its source (docs/catalogue-templates.md).

A template names the organisation kinds it is the default for; a body may follow
another (``Organisation.catalogue_template``) and adapt every row afterwards. The
files are reference data, not code: a province can add or reword a template by
adding a file. Templates whose rows are not taken from an official item list say
so (``status = "unconfirmed"``) and the screens show it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"

BASE_CHANNELS = ("政府网站", "两微一端", "社区/企事业单位/村公示栏（电子屏）")
T20 = "信息形成或者变更之日起20个工作日内"


class TemplateError(ValueError):
    """A template file that cannot be used (message in Chinese)."""


@dataclass(frozen=True)
class TemplateItem:
    item_l1: str
    item_l2: str
    content: str
    basis: str
    time_limit_text: str = T20
    time_limit_days: int | None = 20  # working days; None: 及时/实时 (no fixed count)
    update_period_days: int | None = 365  # how often the item must be refreshed
    channels: tuple[str, ...] = BASE_CHANNELS
    audience_public: bool = True
    audience_specific: str = ""
    mode_proactive: bool = True
    mode_on_request: bool = False
    level_county: bool = False
    level_township: bool = True
    art20: str = "A20_15"


@dataclass(frozen=True)
class TemplateArea:
    code: str
    name: str
    items: tuple[TemplateItem, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CatalogueTemplate:
    key: str
    name: str
    kinds: tuple[str, ...]  # organisation kinds it is the default for
    source: str  # the documents it follows, cited
    status: str  # "confirmed" | "unconfirmed"
    note: str
    areas: tuple[TemplateArea, ...]

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    @property
    def size(self) -> tuple[int, int]:
        return len(self.areas), sum(len(a.items) for a in self.areas)


_ITEM_FIELDS = {f.name for f in fields(TemplateItem)}
_NONE = "none"  # TOML has no null: a count written "none" means 及时/实时 or no period


def _item(raw: dict[str, Any], where: str) -> TemplateItem:
    unknown = set(raw) - _ITEM_FIELDS
    if unknown:
        raise TemplateError(f"{where}：未知的字段 {'、'.join(sorted(unknown))}。")
    for required in ("item_l1", "item_l2", "content", "basis"):
        if not str(raw.get(required, "")).strip():
            raise TemplateError(f"{where}：缺少“{required}”。")
    values = dict(raw)
    for key in ("time_limit_days", "update_period_days"):
        if values.get(key) == _NONE:
            values[key] = None
    if "channels" in values:
        values["channels"] = tuple(values["channels"])
    return TemplateItem(**values)


def parse_template(text: str, key: str) -> CatalogueTemplate:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"目录模板“{key}”格式错误：{exc}") from exc
    for required in ("name", "source", "status", "areas"):
        if required not in data:
            raise TemplateError(f"目录模板“{key}”缺少“{required}”。")
    if data["status"] not in ("confirmed", "unconfirmed"):
        raise TemplateError(f"目录模板“{key}”的 status 应为 confirmed 或 unconfirmed。")
    areas = []
    for a_index, area in enumerate(data["areas"], start=1):
        items = tuple(
            _item(item, f"目录模板“{key}”第{a_index}个领域第{i_index}项")
            for i_index, item in enumerate(area.get("items", []), start=1)
        )
        areas.append(TemplateArea(str(area["code"]), str(area["name"]), items))
    return CatalogueTemplate(
        key=key,
        name=data["name"],
        kinds=tuple(data.get("kinds", ())),
        source=data["source"].strip(),
        status=data["status"],
        note=data.get("note", "").strip(),
        areas=tuple(areas),
    )


@cache
def templates() -> dict[str, CatalogueTemplate]:
    """Every template shipped in ``data/``, by key (the file name)."""
    found = {}
    for path in sorted(DATA_DIR.glob("*.toml")):
        found[path.stem] = parse_template(path.read_text(encoding="utf-8"), path.stem)
    return found


def template(key: str) -> CatalogueTemplate:
    try:
        return templates()[key]
    except KeyError:
        raise TemplateError(f"没有名为“{key}”的目录模板。") from None


def default_template_key(kind: str) -> str:
    """The template an organisation of ``kind`` follows unless told otherwise."""
    for key, tpl in templates().items():
        if kind in tpl.kinds:
            return key
    return "street"


def template_choices() -> list[tuple[str, str]]:
    return [
        (key, tpl.name + ("" if tpl.confirmed else "（待核实）"))
        for key, tpl in templates().items()
    ]
