"""Every cell and check of the report has a Chinese name, and no two cells share one."""

from __future__ import annotations

import re

import pytest

from gongkai.core.annual import schema
from gongkai.core.annual.names import (
    CHECK_NAMES,
    UNKNOWN_CELL,
    cell_choices,
    cell_name,
    check_name,
)

KEY = re.compile(r"\bs[1-7]\.[a-z_.]+|\b[A-Z]{2,}_[A-Z_]+\b|[a-z]+_[a-z]+")


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_every_cell_has_a_distinct_chinese_name(version: str) -> None:
    names = [name for _, name in cell_choices(version)]
    assert len(names) == len(schema.cell_keys(version)) == len(set(names))
    assert all(name.startswith(("表二·", "表三·", "表四·")) for name in names)
    assert not [n for n in names if KEY.search(n) or n == UNKNOWN_CELL]


def test_the_issue_examples_read_as_printed() -> None:
    assert cell_name("s3.new.natural") == "表三·一、本年新收政府信息公开申请数量·自然人"
    assert cell_name("s2.license.decisions") == "表二·行政许可·本年处理决定数量"
    assert cell_name("s3.carry_forward.natural").endswith("结转下年度继续办理·自然人")
    assert check_name("T3_BALANCE").startswith("表三：各行合计与总计不符")


@pytest.mark.parametrize("key", ["", "s3", "s3.nothing.natural", "x.y.z", "s9.a.b"])
def test_an_unknown_key_is_never_shown_as_itself(key: str) -> None:
    assert cell_name(key) == UNKNOWN_CELL


def test_every_check_the_rules_can_raise_has_a_name() -> None:
    from pathlib import Path

    source = "".join(
        p.read_text(encoding="utf-8")
        for p in (Path(schema.__file__).parent / "checks").glob("*.py")
    )
    codes = set(re.findall(r'"([A-Z][A-Z0-9]+_[A-Z0-9_]+)"', source))
    assert codes and codes <= set(CHECK_NAMES)
    assert check_name("NO_SUCH_CHECK") == "报告审核发现的问题"
