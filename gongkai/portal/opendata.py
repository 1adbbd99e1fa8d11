"""开放数据 (issue 21, requirement 5): a body's published items, catalogue and annual
reports as bulk downloads, JSON and CSV, described by a Frictionless Data Package
(``datapackage.json``: the schema of each file and the licence statement).

Only what the public column shows is included (live 主动公开 items, the active
catalogue, published reports). Files are built on demand and kept in the cache under
the portal's content version (``portal/cache.py``), which rises on every public
change, so a download is regenerated after any change and served from the cache
otherwise.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from gongkai.core.annual.names import cell_name
from gongkai.orgs.models import Organisation
from gongkai.portal.cache import content_version
from gongkai.portal.selectors import portal_publications
from gongkai.publishing.models import CatalogueItem
from gongkai.reports.selectors import published_reports

FORMATS = ("json", "csv")
CACHE_SECONDS = 24 * 3600

LICENCE_TITLE = "政府信息公开数据使用说明"
LICENCE_TEXT = (
    "本数据是{org}依据《中华人民共和国政府信息公开条例》主动公开的政府信息，"
    "任何人可以免费下载、复制、传播和再利用，再利用时请注明来源“{org}”并标明下载日期，"
    "不得歪曲原意。数据与本机构政府信息公开专栏同步生成，内容以专栏公开的原文为准。"
)


@dataclass(frozen=True)
class Field:
    name: str
    title: str  # Chinese
    type: str  # Frictionless Table Schema type


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    fields: tuple[Field, ...]
    rows: Callable[[Organisation], Iterable[dict[str, Any]]]


def _when(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _publication_rows(org: Organisation) -> Iterable[dict[str, Any]]:
    for pub in portal_publications(org).select_related("catalogue_item"):
        yield {
            "id": pub.pk,
            "index_no": pub.index_no,
            "title": pub.title,
            "summary": pub.summary,
            "issuing_body": pub.issuing_body,
            "formed_on": _when(pub.formed_on),
            "document_number": pub.document_number,
            "topic": pub.topic,
            "genre": pub.get_genre_display(),
            "art20": pub.get_art20_display() if pub.art20 else "",
            "validity": pub.get_validity_display() if pub.validity else "",
            "catalogue_item": str(pub.catalogue_item) if pub.catalogue_item else "",
            "published_at": _when(pub.published_at),
            "last_changed_at": _when(pub.last_changed_at),
            "url": reverse("portal:publication", args=[org.pk, pub.pk]),
            "body_html": pub.body,
        }


def _catalogue_rows(org: Organisation) -> Iterable[dict[str, Any]]:
    items = CatalogueItem.objects.filter(organisation=org, is_active=True)
    for item in items.select_related("area").order_by("area__order", "order"):
        yield {
            "area_code": item.area.code,
            "area": item.area.name,
            "item_l1": item.item_l1,
            "item_l2": item.item_l2,
            "content": item.content,
            "basis": item.basis,
            "time_limit": item.time_limit_text,
            "subjects": item.subjects,
            "channels": "、".join(item.channels),
            "audience": "、".join(
                x
                for x in (
                    "全社会" if item.audience_public else "",
                    item.audience_specific,
                )
                if x
            ),
            "mode": "、".join(
                x
                for x in (
                    "主动" if item.mode_proactive else "",
                    "依申请" if item.mode_on_request else "",
                )
                if x
            ),
            "update_period_days": item.update_period_days,
        }


def _report_rows(org: Organisation) -> Iterable[dict[str, Any]]:
    """One row per cell of each published report (long format)."""
    for report in published_reports(org):
        for key, value in sorted(report.cells.items()):
            yield {
                "year": report.year,
                "title": report.title,
                "revision": report.revision,
                "published_at": _when(report.published_at),
                "cell": key,
                "cell_name": cell_name(key, report.version),
                "value": value,
                "url": reverse("portal:report", args=[org.pk, report.year]),
            }


def _f(name: str, title: str, type_: str = "string") -> Field:
    return Field(name, title, type_)


DATASETS: dict[str, Dataset] = {
    "publications": Dataset(
        "publications",
        "主动公开信息",
        (
            _f("id", "编号", "integer"),
            _f("index_no", "索引号"),
            _f("title", "标题"),
            _f("summary", "内容概述"),
            _f("issuing_body", "发布机构"),
            _f("formed_on", "成文日期", "date"),
            _f("document_number", "文号"),
            _f("topic", "主题分类"),
            _f("genre", "体裁"),
            _f("art20", "条例第二十条类别"),
            _f("validity", "有效性"),
            _f("catalogue_item", "目录事项"),
            _f("published_at", "发布日期", "datetime"),
            _f("last_changed_at", "最近更新", "datetime"),
            _f("url", "网页地址（本站路径）"),
            _f("body_html", "正文（HTML）"),
        ),
        _publication_rows,
    ),
    "catalogue": Dataset(
        "catalogue",
        "政务公开事项标准目录",
        (
            _f("area_code", "领域编号"),
            _f("area", "领域"),
            _f("item_l1", "一级事项"),
            _f("item_l2", "二级事项"),
            _f("content", "公开内容（要素）"),
            _f("basis", "公开依据"),
            _f("time_limit", "公开时限"),
            _f("subjects", "公开主体"),
            _f("channels", "公开渠道和载体"),
            _f("audience", "公开对象"),
            _f("mode", "公开方式"),
            _f("update_period_days", "更新周期（天）", "integer"),
        ),
        _catalogue_rows,
    ),
    "reports": Dataset(
        "reports",
        "政府信息公开工作年度报告（表格数据）",
        (
            _f("year", "年度", "integer"),
            _f("title", "标题"),
            _f("revision", "版本", "integer"),
            _f("published_at", "公开日期", "datetime"),
            _f("cell", "数据项编号"),
            _f("cell_name", "数据项"),
            _f("value", "数值", "number"),
            _f("url", "网页地址（本站路径）"),
        ),
        _report_rows,
    ),
}


def datapackage(org: Organisation) -> dict[str, Any]:
    """The schema file: every dataset, its files and fields, and the licence."""
    licence = LICENCE_TEXT.format(org=org.name)
    return {
        "name": f"gongkai-{org.pk}",
        "title": f"{org.name}政府信息公开数据",
        "licenses": [{"name": "gov-info-open", "title": LICENCE_TITLE}],
        "licence_statement": licence,
        "version": content_version(),
        "resources": [
            {
                "name": f"{ds.name}-{fmt}",
                "title": ds.title,
                "path": reverse("portal:open_data_file", args=[org.pk, ds.name, fmt]),
                "format": fmt,
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": f.name, "title": f.title, "type": f.type}
                        for f in ds.fields
                    ]
                },
            }
            for ds in DATASETS.values()
            for fmt in FORMATS
        ],
    }


def _render(org: Organisation, dataset: Dataset, fmt: str) -> bytes:
    rows = list(dataset.rows(org))
    if fmt == "json":
        doc = {
            "title": f"{org.name} · {dataset.title}",
            "licence": LICENCE_TEXT.format(org=org.name),
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "fields": [f.name for f in dataset.fields],
            "rows": rows,
        }
        return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f.name for f in dataset.fields])  # as in datapackage.json
    for row in rows:
        writer.writerow(
            ["" if row[f.name] is None else row[f.name] for f in dataset.fields]
        )
    # A BOM so spreadsheet programs read the Chinese correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def open_data_file(org: Organisation, name: str, fmt: str) -> tuple[bytes, int]:
    """The file's bytes and the content version they were built from; cached under
    that version, so any public change regenerates it. KeyError: no such file."""
    dataset = DATASETS[name]
    if fmt not in FORMATS:
        raise KeyError(fmt)
    version = content_version()
    key = f"gongkai:opendata:{org.pk}:{name}:{fmt}:{version}"
    data = cache.get(key)
    if data is None:
        data = _render(org, dataset, fmt)
        cache.set(key, data, CACHE_SECONDS)
    return data, version
