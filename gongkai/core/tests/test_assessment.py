"""Issue 21, requirement 4: an indicator file is checked before anything is loaded."""

from __future__ import annotations

import pytest

from gongkai.core.assessment import (
    METRICS,
    IndicatorSetError,
    parse_indicator_set,
    shipped_sets,
)

GOOD = """
code = "prov"
name = "某省考评方案"
[[indicators]]
key = "a"
name = "按期答复"
metric = "request_on_time"
weight = 60
[[indicators]]
key = "b"
name = "年报"
metric = "annual_report_on_time"
weight = 40
"""


def test_a_good_file_is_read() -> None:
    parsed = parse_indicator_set(GOOD)
    assert [(i.key, i.metric, i.weight) for i in parsed.indicators] == [
        ("a", "request_on_time", 60),
        ("b", "annual_report_on_time", 40),
    ]


def test_an_unknown_metric_is_refused_in_chinese() -> None:
    with pytest.raises(IndicatorSetError) as caught:
        parse_indicator_set(GOOD.replace("request_on_time", "website_beauty"))
    assert any("website_beauty" in m and "未知" in m for m in caught.value.messages)


def test_weights_not_adding_to_100_are_refused() -> None:
    with pytest.raises(IndicatorSetError, match="之和应为 100，现在是 90"):
        parse_indicator_set(GOOD.replace("weight = 40", "weight = 30"))


def test_bad_toml_and_bad_weights_are_refused() -> None:
    with pytest.raises(IndicatorSetError, match="格式错误"):
        parse_indicator_set("code = ")
    with pytest.raises(IndicatorSetError, match="整数"):
        parse_indicator_set(GOOD.replace("weight = 40", 'weight = "40"'))
    with pytest.raises(IndicatorSetError, match="重复"):
        parse_indicator_set(GOOD.replace('key = "b"', 'key = "a"'))


def test_the_shipped_sets_are_valid_and_cite_a_source() -> None:
    sets = shipped_sets()
    assert {"default", "transparency_index"} <= set(sets)
    for parsed in sets.values():
        assert sum(i.weight for i in parsed.indicators) == 100
        assert parsed.source
        assert all(i.metric in METRICS for i in parsed.indicators)
    assert "透明度指数" in sets["transparency_index"].source
