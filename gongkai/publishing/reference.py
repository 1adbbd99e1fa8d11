"""Reference data of proactive disclosure: 条例 Art. 20 categories, the gov.cn
主题分类 tree (docs/legal-notes.md §6.2), the channel checklist of the
standard catalogues (§1.3) and how its entries map to our delivery channels."""

from __future__ import annotations

import re

from django.db import models


class Art20(models.TextChoices):
    """条例第二十条 (一)–(十五); the annual report's table 二 reads 01, 05, 06, 08."""

    A20_01 = "A20_01", "（一）行政法规、规章和规范性文件"
    A20_02 = (
        "A20_02",
        "（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    )
    A20_03 = "A20_03", "（三）国民经济和社会发展规划、专项规划、区域规划及相关政策"
    A20_04 = "A20_04", "（四）国民经济和社会发展统计信息"
    A20_05 = (
        "A20_05",
        "（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    )
    A20_06 = (
        "A20_06",
        "（六）实施行政处罚、行政强制的依据、条件、程序以及有一定社会影响的行政处罚决定",
    )
    A20_07 = "A20_07", "（七）财政预算、决算信息"
    A20_08 = "A20_08", "（八）行政事业性收费项目及其依据、标准"
    A20_09 = "A20_09", "（九）政府集中采购项目的目录、标准及实施情况"
    A20_10 = "A20_10", "（十）重大建设项目的批准和实施情况"
    A20_11 = (
        "A20_11",
        "（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    )
    A20_12 = "A20_12", "（十二）突发公共事件的应急预案、预警信息及应对情况"
    A20_13 = (
        "A20_13",
        "（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    )
    A20_14 = "A20_14", "（十四）公务员招考的职位、名额、报考条件等事项以及录用结果"
    A20_15 = (
        "A20_15",
        "（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
    )


TOPICS: dict[str, tuple[str, ...]] = {
    "国务院组织机构": (
        "国务院",
        "国务院办公厅",
        "国务院组成部门",
        "国务院直属特设机构",
        "国务院直属机构",
        "国务院办事机构",
        "国务院直属事业单位",
        "国务院部委管理的国家局",
        "国务院议事协调机构",
        "其他",
    ),
    "综合政务": (
        "政务公开",
        "政务督查",
        "应急管理",
        "电子政务",
        "文秘工作",
        "保密工作",
        "信访",
        "参事、文史",
        "其他",
    ),
    "国民经济管理、国有资产监管": (
        "宏观经济",
        "经济体制改革",
        "统计",
        "物价",
        "国有资产监管",
        "重大建设项目",
        "其他",
    ),
    "财政、金融、审计": (
        "财政",
        "税务",
        "银行",
        "货币（含外汇）",
        "证券",
        "保险",
        "社会信用体系建设",
        "审计",
        "其他",
    ),
    "国土资源、能源": (
        "土地",
        "矿产",
        "水资源",
        "海洋",
        "煤炭",
        "石油与天然气",
        "电力",
        "其他",
    ),
    "农业、林业、水利": ("农业、畜牧业、渔业", "林业", "水利", "其他"),
    "工业、交通": (
        "机械制造与重工业",
        "轻工纺织",
        "化工",
        "国防工业",
        "航天、航空",
        "信息产业（含电信）",
        "公路",
        "水运",
        "铁路",
        "民航",
        "邮政",
        "其他",
    ),
    "商贸、海关、旅游": (
        "对外经贸合作",
        "国内贸易（含供销）",
        "海关",
        "检验、检疫",
        "旅游",
        "其他",
    ),
    "市场监管、安全生产监管": (
        "工商",
        "质量监督",
        "标准",
        "食品药品监管",
        "安全生产监管",
        "其他",
    ),
    "城乡建设、环境保护": (
        "城市规划",
        "城乡建设（含住房）",
        "环境监测、保护与治理",
        "节能与资源综合利用",
        "气象、水文、测绘、地震",
        "其他",
    ),
    "科技、教育": ("科技", "教育", "知识产权", "其他"),
    "文化、广电、新闻出版": ("文化", "文物", "新闻出版", "广播、电影、电视", "其他"),
    "卫生、体育": ("卫生", "医药管理", "体育", "其他"),
    "人口与计划生育、妇女儿童工作": ("人口与计划生育", "妇女儿童", "其他"),
    "劳动、人事、监察": (
        "劳动就业",
        "社会保障",
        "人事工作",
        "军转安置",
        "监察",
        "纠正行业不正之风",
        "其他",
    ),
    "公安、安全、司法": ("公安", "国家安全", "司法", "其他"),
    "民政、扶贫、救灾": (
        "减灾救灾",
        "优抚安置",
        "社会福利",
        "行政区划与地名",
        "社团管理",
        "扶贫",
        "其他",
    ),
    "民族、宗教": ("民族事务", "宗教事务"),
    "对外事务": ("外交、外事", "国际条约、国际组织", "其他"),
    "港澳台侨工作": ("港澳工作", "对台工作", "侨务工作"),
    "国防": ("国防建设", "国防动员"),
    "其他": (),
}

# Renamings seen on portals (spec §6 variant: 17 as 民政、乡村振兴、救灾).
TOPIC_ALIASES = {"民政、乡村振兴、救灾": "民政、扶贫、救灾"}


def topic_choices() -> list[tuple[str, str]]:
    """``一级\\二级`` strings as gov.cn renders them, plus the bare first levels."""
    choices: list[tuple[str, str]] = [("", "（未分类）")]
    for first, seconds in TOPICS.items():
        if not seconds:
            choices.append((first, first))
        for second in seconds:
            value = f"{first}\\{second}"
            choices.append((value, value))
    return choices


def normalise_topic(value: str) -> str:
    """Apply aliases to the first level; raise ValueError if the topic is unknown."""
    value = value.strip()
    if not value:
        return ""
    first, _, second = value.partition("\\")
    first = TOPIC_ALIASES.get(first, first)
    if first not in TOPICS or (second and second not in TOPICS[first]):
        raise ValueError(f"主题分类“{value}”不在分类表中。")
    return f"{first}\\{second}" if second else first


class Genre(models.TextChoices):
    """What kind of document (体裁): drives the 政策解读 check and table 二."""

    NOTICE = "notice", "通知公告"
    WORK_NEWS = "news", "工作动态"
    NORMATIVE = "normative", "行政规范性文件"
    REGULATION = "regulation", "规章"
    INTERPRETATION = "interpretation", "政策解读"
    PLAN = "plan", "规划计划"
    REPORT = "report", "报告总结"
    LIST = "list", "名单公示"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    """Where a live item goes (the outbox's channels)."""

    PORTAL = "portal", "政府网站（信息公开专栏）"
    FEED = "feed", "订阅源（RSS/Atom/JSON）"
    WECHAT = "wechat", "微信公众号"
    NOTICE_BOARD = "notice_board", "信息公示栏"
    HALL_SCREEN = "hall_screen", "大厅电子屏"


# The standard catalogues' channel checklist (spec §1.3), in printed order.
CATALOGUE_CHANNELS: tuple[str, ...] = (
    "政府网站",
    "政府公报",
    "两微一端",
    "发布会/听证会",
    "广播电视",
    "纸质媒体",
    "公开查阅点",
    "政务服务中心",
    "便民服务站",
    "入户/现场",
    "社区/企事业单位/村公示栏（电子屏）",
    "精准推送",
    "其他",
)

_CHANNEL_MAP: dict[str, tuple[str, ...]] = {
    "政府网站": (Channel.PORTAL, Channel.FEED),
    "两微一端": (Channel.WECHAT,),
    "政务服务中心": (Channel.HALL_SCREEN,),
    "便民服务站": (Channel.HALL_SCREEN,),
    "社区/企事业单位/村公示栏（电子屏）": (Channel.NOTICE_BOARD, Channel.HALL_SCREEN),
}


def delivery_channels(catalogue_channels: list[str] | tuple[str, ...]) -> list[str]:
    """Our delivery channels for a catalogue row's checklist (portal always: Art. 24)."""
    keys: list[str] = [Channel.PORTAL, Channel.FEED]
    for name in catalogue_channels:
        for key in _CHANNEL_MAP.get(name, ()):
            if key not in keys:
                keys.append(key)
    return [str(k) for k in keys]


_WORKING_DAYS = re.compile(r"(\d+)\s*个?工作日")
_PERIODS: tuple[tuple[str, int], ...] = (
    ("每月", 30),
    ("按月", 30),
    ("每季度", 91),
    ("按季度", 91),
    ("每半年", 182),
    ("每年", 365),
    ("按年度", 365),
)


def parse_time_limit(text: str) -> tuple[int | None, int | None]:
    """Read a catalogue row's 公开时限 text: (working days to publish, refresh period in
    days). "信息形成或者变更之日起20个工作日内" → (20, None); "每季度更新" → (None, 91);
    "及时公开" / "实时公开" → (None, None) — Art. 26's 20 working days then apply."""
    days = None
    found = _WORKING_DAYS.search(text or "")
    if found:
        days = int(found.group(1))
    period = next((n for word, n in _PERIODS if word in (text or "")), None)
    return days, period
