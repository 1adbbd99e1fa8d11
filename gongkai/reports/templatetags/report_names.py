"""Template filters that show a report's cells and checks by their Chinese names
(``{{ key|cell_name:report.version }}``, ``{{ f.code|check_name }}``), never the keys."""

from __future__ import annotations

from django import template

from gongkai.core.annual.names import cell_name as _cell_name
from gongkai.core.annual.names import check_name as _check_name

register = template.Library()


@register.filter
def cell_name(key: str, version: str = "2021") -> str:
    return _cell_name(str(key), str(version or "2021"))


@register.filter
def check_name(code: str) -> str:
    return _check_name(str(code))
