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
