"""The standard catalogues as the publishing app uses them.

The templates themselves are data files, one per kind of body, each citing its
source: ``gongkai/core/catalogue_templates/data/*.toml`` (docs/catalogue-templates.md).
The 街道 template (5 areas, 18 items, each with the eight standard elements; the seed
report's "5个领域共18个基层政务公开事项…") is ``street.toml``; 乡镇, 村（居） and
county departments have their own. An organisation loads its template with
``catalogue_load_template`` and adapts the rows.
"""

from __future__ import annotations

from gongkai.core.catalogue_templates import (
    CatalogueTemplate,
    TemplateArea,
    TemplateItem,
    default_template_key,
    template,
    template_choices,
    templates,
)

__all__ = [
    "RULES_AREA",
    "RULES_L1",
    "STREET_TEMPLATE",
    "CatalogueTemplate",
    "TemplateArea",
    "TemplateItem",
    "default_template_key",
    "template",
    "template_choices",
    "template_size",
    "templates",
]

_TIAOLI = "《中华人民共和国政府信息公开条例》"

STREET_TEMPLATE: tuple[TemplateArea, ...] = template("street").areas


# 政府信息公开制度: the second of the four first-level columns every 政府信息公开 column
# carries under its unified name (国办公开办函〔2019〕61号, 统一名称、统一格式). The
# body's own rules are kept as publications of these items. Only a disclosure body (a
# 行政机关) has them: a 社区 is not one and answers under its 街道's rules.
RULES_L1 = "政府信息公开制度"
_RULES_T = "制度制定或者修订之日起20个工作日内"
RULES_AREA = TemplateArea(
    "00",
    RULES_L1,
    (
        TemplateItem(
            RULES_L1,
            "政府信息公开保密审查制度",
            "审查范围、审查程序、审查责任、不予公开信息的处理",
            f"{_TIAOLI}第十七条；《中华人民共和国保守国家秘密法》",
            time_limit_text=_RULES_T,
            update_period_days=None,
        ),
        TemplateItem(
            RULES_L1,
            "政府信息公开申请办理制度",
            "申请的接收、登记、补正、征求意见、答复、送达、归档及办理时限",
            f"{_TIAOLI}第二十七条至第四十五条",
            time_limit_text=_RULES_T,
            update_period_days=None,
        ),
        TemplateItem(
            RULES_L1,
            "政府信息发布协调制度",
            "涉及其他机关的信息的协商、确认，发布前的核对",
            f"{_TIAOLI}第十一条",
            time_limit_text=_RULES_T,
            update_period_days=None,
        ),
        TemplateItem(
            RULES_L1,
            "政策解读和回应关切制度",
            "政策解读的范围和方式、政务舆情的收集研判和回应",
            f"{_TIAOLI}第六条；《国务院办公厅关于在政务公开工作中进一步做好政务舆情回应的通知》"
            "（国办发〔2016〕61号）",
            time_limit_text=_RULES_T,
            update_period_days=None,
        ),
    ),
)


def template_size() -> tuple[int, int]:
    """(areas, items) of the standard template: (5, 18) as in the seed report."""
    return len(STREET_TEMPLATE), sum(len(a.items) for a in STREET_TEMPLATE)
