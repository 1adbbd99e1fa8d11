"""Issue 21, requirement 3: the standard catalogues are data files, one per template,
each citing its source; those not checked against an official list say so."""

from __future__ import annotations

import pytest

from gongkai.core.catalogue_templates import (
    TemplateError,
    default_template_key,
    parse_template,
    templates,
)


def test_every_kind_of_body_has_a_template_with_a_cited_source() -> None:
    shipped = templates()
    assert {"street", "township", "village", "county_department"} <= set(shipped)
    assert shipped["street"].size == (5, 18)  # the seed report's 5个领域共18个事项
    for tpl in shipped.values():
        assert "国办发〔2019〕54号" in tpl.source or "村民委员会组织法" in tpl.source
        for area in tpl.areas:
            for item in area.items:
                assert item.basis and item.content
    assert default_template_key("township") == "township"
    assert default_template_key("village") == "village"
    assert default_template_key("department") == "county_department"
    assert default_template_key("subdistrict") == "street"


def test_templates_without_an_official_list_are_marked_unconfirmed() -> None:
    shipped = templates()
    assert shipped["street"].confirmed
    for key in ("township", "village", "county_department"):
        assert not shipped[key].confirmed


def test_a_bad_template_file_is_refused_in_chinese() -> None:
    with pytest.raises(TemplateError, match="缺少"):
        parse_template('name = "x"\nstatus = "confirmed"\nareas = []\n', "x")
    with pytest.raises(TemplateError, match="未知的字段"):
        parse_template(
            'name = "x"\nsource = "s"\nstatus = "confirmed"\n'
            '[[areas]]\ncode = "01"\nname = "a"\n'
            '[[areas.items]]\nitem_l1 = "a"\nitem_l2 = "b"\ncontent = "c"\n'
            'basis = "d"\ncolour = "red"\n',
            "x",
        )


_GOOD_ITEM = """
[[areas.items]]
item_l1 = "机构信息"
item_l2 = "机构职能及领导信息"
content = "机构名称、主要职责"
basis = "《中华人民共和国政府信息公开条例》第二十条第（二）项"
"""


def _file(folder, name: str, extra: str) -> None:
    (folder / name).write_text(
        'name = "某省乡镇目录"\nstatus = "unconfirmed"\nsource = "某省文件"\n'
        '[[areas]]\ncode = "01"\nname = "机构职能"\n' + _GOOD_ITEM + extra,
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('time_limit_days = "20"', "time_limit_days 应为工作日数（整数，不加引号）"),
        ("update_period_days = 0", "update_period_days 应在1到32767之间"),
        ('channels = "政府网站"', "channels 应为渠道名称的列表"),
        ("channels = [1, 2]", "channels 应为渠道名称的列表"),
        ('mode_proactive = "是"', "mode_proactive 应为 true 或 false"),
        ('art20 = "A20_16"', "art20 应为条例第二十条的项"),
        ("audience_specific = 5", "audience_specific 应为文字"),
        (
            'time_limit_text = "' + "长" * 101 + '"',
            "time_limit_text 最多100个字，现有101个字",
        ),
    ],
)
def test_a_province_file_with_a_wrong_type_is_refused_naming_file_and_item(
    tmp_path, extra, message
) -> None:
    from gongkai.core.catalogue_templates import load_templates

    _file(tmp_path, "good.toml", "")
    broken = _GOOD_ITEM.replace("机构职能及领导信息", "办事指南") + extra + "\n"
    _file(tmp_path, "province_x.toml", broken)
    with pytest.raises(TemplateError) as refused:
        load_templates(tmp_path)
    text = str(refused.value)
    assert "目录模板文件“province_x.toml”第1个领域第2项（办事指南）" in text
    assert message in text


def test_a_correct_province_file_loads(tmp_path) -> None:
    from gongkai.core.catalogue_templates import load_templates

    _file(
        tmp_path,
        "province_x.toml",
        'time_limit_days = "none"\nchannels = ["政府网站"]\n',
    )
    [tpl] = load_templates(tmp_path).values()
    second = tpl.areas[0].items[0]
    assert (second.time_limit_days, second.channels) == (None, ("政府网站",))


def test_an_area_without_a_code_is_refused_not_a_key_error(tmp_path) -> None:
    from gongkai.core.catalogue_templates import load_templates

    (tmp_path / "x.toml").write_text(
        'name = "x"\nstatus = "confirmed"\nsource = "s"\n[[areas]]\nname = "y"\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError, match=r"x\.toml”第1个领域：缺少“code”"):
        load_templates(tmp_path)
