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

# Text fields and the longest each may be (the catalogue table's columns).
_TEXT_FIELDS: dict[str, int | None] = {
    "item_l1": 60,
    "item_l2": 100,
    "content": None,
    "basis": None,
    "time_limit_text": 100,
    "audience_specific": 100,
}
_REQUIRED = ("item_l1", "item_l2", "content", "basis")
_DAY_FIELDS = ("time_limit_days", "update_period_days")
_BOOL_FIELDS = (
    "audience_public",
    "mode_proactive",
    "mode_on_request",
    "level_county",
    "level_township",
)
_MAX_DAYS = 32767  # the table's small integer
# 条例第二十条 has fifteen items: A20_01 … A20_15.
_ART20 = {f"A20_{n:02d}" for n in range(1, 16)}


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 40 else text[:40] + "…"


def _item(raw: Any, where: str) -> TemplateItem:
    """One ``[[areas.items]]`` table, every field checked for its type, so a wrong
    file is refused when it is loaded — naming the file, the item and the field —
    never later, when a body's catalogue is made from it."""
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}：应为一个事项表（[[areas.items]]）。")
    label = str(raw.get("item_l2", "")).strip()
    if label:
        where = f"{where}（{label[:30]}）"
    unknown = set(raw) - _ITEM_FIELDS
    if unknown:
        raise TemplateError(f"{where}：未知的字段 {'、'.join(sorted(unknown))}。")
    values = dict(raw)
    for name, limit in _TEXT_FIELDS.items():
        if name not in values:
            continue
        value = values[name]
        if not isinstance(value, str):
            raise TemplateError(
                f"{where}：{name} 应为文字（加引号），现为 {_shown(value)}。"
            )
        if limit is not None and len(value.strip()) > limit:
            raise TemplateError(
                f"{where}：{name} 最多{limit}个字，现有{len(value.strip())}个字。"
            )
    for required in _REQUIRED:
        if not str(values.get(required, "")).strip():
            raise TemplateError(f"{where}：缺少“{required}”。")
    for name in _DAY_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if value == _NONE:
            values[name] = None
        elif isinstance(value, bool) or not isinstance(value, int):
            raise TemplateError(
                f'{where}：{name} 应为工作日数（整数，不加引号）或 "{_NONE}"，'
                f"现为 {_shown(value)}。"
            )
        elif not 1 <= value <= _MAX_DAYS:
            raise TemplateError(
                f"{where}：{name} 应在1到{_MAX_DAYS}之间，现为 {value}。"
            )
    if "channels" in values:
        channels = values["channels"]
        if not isinstance(channels, list) or not all(
            isinstance(c, str) and c.strip() for c in channels
        ):
            raise TemplateError(
                f"{where}：channels 应为渠道名称的列表，如 "
                f'["政府网站", "两微一端"]，现为 {_shown(channels)}。'
            )
        if not channels:
            raise TemplateError(f"{where}：channels 至少要有一个公开渠道。")
        values["channels"] = tuple(c.strip() for c in channels)
    for name in _BOOL_FIELDS:
        if name in values and not isinstance(values[name], bool):
            raise TemplateError(
                f"{where}：{name} 应为 true 或 false（不加引号），"
                f"现为 {_shown(values[name])}。"
            )
    if "art20" in values and values["art20"] not in _ART20:
        raise TemplateError(
            f"{where}：art20 应为条例第二十条的项，A20_01 至 A20_15，"
            f"现为 {_shown(values['art20'])}。"
        )
    return TemplateItem(**values)


def _text(data: dict[str, Any], name: str, where: str, *, required: bool) -> str:
    value = data.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise TemplateError(f"{where}：{name} 应为文字（加引号）。")
    return value


def parse_template(
    text: str, key: str, *, filename: str | None = None
) -> CatalogueTemplate:
    """A template from its TOML ``text``; errors (``TemplateError``, Chinese) name
    ``filename`` when given (the file in ``data/``), else the template ``key``."""
    origin = f"目录模板文件“{filename}”" if filename else f"目录模板“{key}”"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{origin}格式错误：{exc}") from exc
    for required in ("name", "source", "status", "areas"):
        if required not in data:
            raise TemplateError(f"{origin}缺少“{required}”。")
    if data["status"] not in ("confirmed", "unconfirmed"):
        raise TemplateError(f"{origin}的 status 应为 confirmed 或 unconfirmed。")
    name = _text(data, "name", origin, required=True)
    source = _text(data, "source", origin, required=True)
    note = _text(data, "note", origin, required=False)
    kinds = data.get("kinds", [])
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise TemplateError(f'{origin}：kinds 应为机构类型的列表，如 ["township"]。')
    if not isinstance(data["areas"], list):
        raise TemplateError(f"{origin}：areas 应为领域表的列表（[[areas]]）。")
    areas = []
    for a_index, area in enumerate(data["areas"], start=1):
        where = f"{origin}第{a_index}个领域"
        if not isinstance(area, dict):
            raise TemplateError(f"{where}：应为一个领域表（[[areas]]）。")
        for field_name in ("code", "name"):
            value = area.get(field_name)
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise TemplateError(f"{where}：缺少“{field_name}”或不是文字。")
        raw_items = area.get("items", [])
        if not isinstance(raw_items, list):
            raise TemplateError(f"{where}：items 应为事项表的列表（[[areas.items]]）。")
        items = tuple(
            _item(item, f"{where}第{i_index}项")
            for i_index, item in enumerate(raw_items, start=1)
        )
        areas.append(TemplateArea(str(area["code"]), str(area["name"]), items))
    return CatalogueTemplate(
        key=key,
        name=name,
        kinds=tuple(kinds),
        source=source.strip(),
        status=data["status"],
        note=note.strip(),
        areas=tuple(areas),
    )


def load_templates(folder: Path) -> dict[str, CatalogueTemplate]:
    """Every ``*.toml`` template in ``folder``, by key (the file name); the first
    wrong file stops the load with a ``TemplateError`` naming it."""
    found = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(
                f"目录模板文件“{path.name}”无法读取（须为 UTF-8 文本）：{exc}"
            ) from exc
        found[path.stem] = parse_template(text, path.stem, filename=path.name)
    return found


@cache
def templates() -> dict[str, CatalogueTemplate]:
    """Every template shipped in ``data/``, by key (the file name)."""
    return load_templates(DATA_DIR)


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
