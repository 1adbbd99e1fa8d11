"""The standard 街道 基层政务公开事项标准目录: 5 areas, 18 items, each with the eight
standard elements (docs/legal-notes.md §6.1; the seed report's "5个领域共18个
基层政务公开事项按照公开事项、公开内容、公开依据、公开时限、公开主体、公开渠道和载体、
公开对象和公开方式等要素进行规范").

The rows are written after the 26 sector 标准指引 as a 街道 applies them; an
organisation loads them with ``catalogue_load_template`` and adapts them (a 社区
keeps the rows it handles and names itself as 公开主体).
"""

from __future__ import annotations

from dataclasses import dataclass, field

_BASE_CHANNELS = ("政府网站", "两微一端", "社区/企事业单位/村公示栏（电子屏）")
_HALL_CHANNELS = (*_BASE_CHANNELS, "政务服务中心", "便民服务站")
_TIAOLI = "《中华人民共和国政府信息公开条例》"
_T20 = "信息形成或者变更之日起20个工作日内"


@dataclass(frozen=True)
class TemplateItem:
    item_l1: str
    item_l2: str
    content: str
    basis: str
    time_limit_text: str = _T20
    time_limit_days: int | None = 20  # working days; None: 及时/实时 (no fixed count)
    update_period_days: int | None = 365  # how often the item must be refreshed
    channels: tuple[str, ...] = _BASE_CHANNELS
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


STREET_TEMPLATE: tuple[TemplateArea, ...] = (
    TemplateArea(
        "01",
        "机构职能",
        (
            TemplateItem(
                "机构信息",
                "机构职能及内设机构",
                "机构名称、主要职责、内设机构及职责、办公地址、办公时间、联系电话",
                f"{_TIAOLI}第二十条第（二）项",
                update_period_days=365,
                art20="A20_02",
            ),
            TemplateItem(
                "机构信息",
                "领导信息",
                "领导姓名、职务、分工",
                f"{_TIAOLI}第二十条第（二）项",
                update_period_days=365,
                art20="A20_02",
            ),
            TemplateItem(
                "便民服务",
                "办事指南",
                "服务事项名称、办理依据、受理条件、申请材料、办理流程、办理时限、收费标准、咨询电话",
                f"{_TIAOLI}第二十条第（五）项；《国务院关于加快推进“互联网+政务服务”工作的指导意见》",
                channels=_HALL_CHANNELS,
                update_period_days=180,
                art20="A20_05",
            ),
        ),
    ),
    TemplateArea(
        "02",
        "社会救助",
        (
            TemplateItem(
                "最低生活保障",
                "低保审核确认及名单公示",
                "申请人姓名（隐去敏感信息）、家庭人口、保障金额、所属社区",
                "《社会救助暂行办法》第十一条；《最低生活保障审核确认办法》",
                time_limit_text="审核后在申请人所在社区公示，公示期为7天",
                time_limit_days=7,
                update_period_days=30,
                channels=_HALL_CHANNELS,
                audience_specific="辖区居民",
                art20="A20_11",
            ),
            TemplateItem(
                "特困人员救助供养",
                "特困人员认定及名单公示",
                "救助供养政策、申请条件、办理流程、认定结果",
                "《社会救助暂行办法》第十四条至第十九条；《特困人员认定办法》",
                update_period_days=90,
                channels=_HALL_CHANNELS,
                art20="A20_11",
            ),
            TemplateItem(
                "临时救助",
                "临时救助政策及结果",
                "救助对象、救助标准、申请程序、救助结果",
                "《社会救助暂行办法》第四十七条至第五十条",
                update_period_days=90,
                art20="A20_11",
            ),
            TemplateItem(
                "残疾人福利",
                "残疾人两项补贴",
                "困难残疾人生活补贴和重度残疾人护理补贴的政策、标准、申请流程、发放名单",
                "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》",
                update_period_days=90,
                channels=_HALL_CHANNELS,
                audience_specific="残疾人及其家属",
                art20="A20_11",
            ),
        ),
    ),
    TemplateArea(
        "03",
        "养老服务",
        (
            TemplateItem(
                "养老服务",
                "高龄津贴发放",
                "补贴对象、补贴标准、申领流程、发放情况",
                "《中华人民共和国老年人权益保障法》；省、市高龄津贴制度文件",
                update_period_days=90,
                channels=_HALL_CHANNELS,
                audience_specific="80周岁以上老年人",
                art20="A20_11",
            ),
            TemplateItem(
                "养老服务",
                "居家和社区养老服务",
                "服务设施名称、地址、服务内容、收费标准、联系方式",
                "《养老服务领域基层政务公开标准指引》",
                update_period_days=180,
                art20="A20_11",
            ),
            TemplateItem(
                "养老服务",
                "养老服务补贴",
                "补贴政策、补贴对象、申请条件、审核结果",
                "《养老服务领域基层政务公开标准指引》",
                update_period_days=90,
                art20="A20_11",
            ),
        ),
    ),
    TemplateArea(
        "04",
        "就业和社会保障",
        (
            TemplateItem(
                "就业服务",
                "就业创业政策及岗位信息",
                "就业创业扶持政策、招聘岗位、职业培训信息",
                "《中华人民共和国就业促进法》；《就业领域基层政务公开标准指引》",
                time_limit_text="及时公开",
                time_limit_days=None,
                update_period_days=30,
                channels=_HALL_CHANNELS,
                art20="A20_11",
            ),
            TemplateItem(
                "社会保险",
                "城乡居民基本养老保险",
                "参保条件、缴费标准、待遇领取条件、办理流程",
                "《中华人民共和国社会保险法》；《社会保险领域基层政务公开标准指引》",
                update_period_days=365,
                channels=_HALL_CHANNELS,
                art20="A20_11",
            ),
            TemplateItem(
                "社会保险",
                "城乡居民基本医疗保险",
                "参保范围、缴费标准、缴费时间、报销政策",
                "《中华人民共和国社会保险法》；《社会保险领域基层政务公开标准指引》",
                update_period_days=365,
                channels=_HALL_CHANNELS,
                art20="A20_11",
            ),
        ),
    ),
    TemplateArea(
        "05",
        "行政执法和安全生产",
        (
            TemplateItem(
                "行政执法",
                "行政许可办理结果",
                "许可事项、申请人、许可决定、决定日期、决定文号",
                f"{_TIAOLI}第二十条第（五）项；《中华人民共和国行政许可法》第四十条",
                time_limit_text="自作出行政决定之日起7个工作日内",
                time_limit_days=7,
                update_period_days=90,
                art20="A20_05",
            ),
            TemplateItem(
                "行政执法",
                "行政处罚决定",
                "执法依据、当事人、违法事实、处罚决定、决定日期",
                f"{_TIAOLI}第二十条第（六）项；《中华人民共和国行政处罚法》第四十八条",
                time_limit_text="自作出行政决定之日起7个工作日内",
                time_limit_days=7,
                update_period_days=90,
                art20="A20_06",
            ),
            TemplateItem(
                "行政执法",
                "行政强制决定",
                "强制措施或执行的依据、当事人、决定内容、决定日期",
                f"{_TIAOLI}第二十条第（六）项；《中华人民共和国行政强制法》",
                time_limit_text="自作出行政决定之日起7个工作日内",
                time_limit_days=7,
                update_period_days=90,
                art20="A20_06",
            ),
            TemplateItem(
                "安全生产",
                "安全生产监督检查",
                "检查计划、检查对象、检查结果、整改情况",
                f"{_TIAOLI}第二十条第（十三）项；《安全生产领域基层政务公开标准指引》",
                update_period_days=90,
                art20="A20_13",
            ),
            TemplateItem(
                "应急管理",
                "突发事件应急预案及预警信息",
                "应急预案、预警信息、应对处置情况",
                f"{_TIAOLI}第二十条第（十二）项；《中华人民共和国突发事件应对法》",
                time_limit_text="实时公开",
                time_limit_days=None,
                update_period_days=365,
                channels=_HALL_CHANNELS,
                art20="A20_12",
            ),
        ),
    ),
)


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
