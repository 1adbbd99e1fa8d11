"""Word lists and composers for realistic (but fictional) Chinese government text.

Everything is drawn from a ``random.Random`` passed in, so the same seed gives the
same names, titles and bodies. Place names are invented; no real body is named.
"""

from __future__ import annotations

import random

PROVINCE = "江川省"

PLACE_SYLLABLES = [
    "青",
    "云",
    "安",
    "平",
    "宁",
    "华",
    "阳",
    "山",
    "河",
    "泉",
    "江",
    "湖",
    "林",
    "丰",
    "泰",
    "兴",
    "昌",
    "德",
    "源",
    "康",
    "明",
    "东",
    "西",
    "南",
    "北",
    "清",
    "远",
    "永",
    "嘉",
    "和",
    "新",
    "宝",
    "金",
    "石",
    "桥",
    "城",
    "川",
    "溪",
    "岭",
    "峰",
    "凤",
    "龙",
    "松",
    "柳",
    "桃",
    "梅",
    "兰",
    "竹",
    "湘",
    "汉",
    "沙",
    "海",
    "川",
    "原",
    "庄",
    "台",
    "门",
    "口",
    "湾",
    "塘",
]

STREET_WORDS = [
    "人民",
    "解放",
    "建设",
    "胜利",
    "光明",
    "幸福",
    "和平",
    "新华",
    "东风",
    "朝阳",
    "文化",
    "健康",
    "长江",
    "黄河",
    "中山",
    "滨江",
    "站前",
    "北关",
    "南关",
    "西关",
    "东关",
    "城关",
    "新城",
    "老城",
    "开发",
    "工业",
    "花园",
    "锦绣",
]

COMMUNITY_SUFFIX = ["里", "苑", "园", "村", "街", "巷", "坊", "湾", "庭", "景"]

DEPARTMENTS = (
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
    "林业局",
    "体育局",
    "信访局",
    "政务服务和数据管理局",
    "人民政府办公室",
)

SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "高",
    "林",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
    "许",
    "韩",
    "冯",
    "邓",
    "曹",
]
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀",
    "霞",
    "平",
    "刚",
    "桂",
    "英",
    "华",
    "建",
    "国",
    "文",
    "红",
    "玉",
    "兰",
    "凯",
    "浩",
    "宇",
    "鹏",
    "晨",
    "欣",
]

COMPANY_WORDS = [
    "恒信",
    "华泰",
    "鑫源",
    "瑞丰",
    "宏达",
    "安康",
    "金桥",
    "远航",
    "新锐",
    "德润",
    "嘉禾",
    "顺达",
]
COMPANY_TRADES = [
    "建筑工程",
    "商贸",
    "物流",
    "置业",
    "科技",
    "农业开发",
    "食品",
    "环保科技",
    "医药",
    "房地产开发",
]

TOPICS = (
    "城乡居民医疗保险",
    "老旧小区改造",
    "农村人居环境整治",
    "安全生产",
    "义务教育招生",
    "最低生活保障",
    "公共租赁住房",
    "食品安全",
    "秸秆禁烧",
    "防汛抗旱",
    "垃圾分类",
    "优化营商环境",
    "就业创业补贴",
    "退役军人优待",
    "居家养老服务",
    "森林防火",
    "高标准农田建设",
    "文明城市创建",
    "征地补偿",
    "国有土地上房屋征收",
    "政府采购",
    "财政预算",
    "财政决算",
    "三公经费",
    "重大行政决策",
    "行政许可事项清单",
    "权责清单",
    "双随机一公开",
    "河长制",
    "乡村振兴",
    "困难群众救助",
    "残疾人两项补贴",
    "燃气安全",
    "消防安全",
    "城市道路建设",
    "农村饮水安全",
    "耕地保护",
    "环境空气质量",
    "校外培训治理",
    "医疗机构校验",
)

TOPIC_CATEGORIES = (
    "综合政务",
    "国民经济管理",
    "财政",
    "城乡建设",
    "农业、林业、水利",
    "卫生、体育",
    "教育",
    "民政、扶贫、救灾",
    "劳动、人事、监察",
    "公安、安全、司法",
    "环境监测、保护",
    "市场监管、安全生产监管",
)

TITLE_VERBS = [
    "印发",
    "做好",
    "开展",
    "加强",
    "进一步规范",
    "推进",
    "组织开展",
    "全面落实",
    "调整",
    "公布",
]
TITLE_TAILS = (
    "工作的通知",
    "实施方案的通知",
    "管理办法的通知",
    "专项行动方案",
    "工作要点",
    "若干措施",
    "实施细则",
)

SENTENCES = (
    "为深入贯彻落实{up}关于{topic}工作的决策部署，结合{area}实际，制定本方案。",
    "各单位要提高思想认识，把{topic}作为一项重要任务，切实加强组织领导，明确责任分工。",
    "自{date}起，{area}全面开展{topic}工作，力争到{year}年底取得明显成效。",
    "{dept}负责统筹协调，各{subunit}要按照职责分工抓好落实，每月{day}日前报送工作进展。",
    "对{topic}中发现的问题，要建立台账、限期整改，整改情况及时向社会公开。",
    "联系人：{name}，联系电话：{phone}。",
    "本{doc}自印发之日起施行，有效期{n}年。",
    "经研究，现将{year}年{topic}有关事项通知如下。",
    "{year}年，{area}共受理{topic}相关事项{count}件，办结率{pct}%。",
    "请各{subunit}于{date}前将{topic}工作总结报送{dept}。",
    "符合条件的申请人可通过政务服务网或到{area}政务服务中心窗口办理。",
    "对弄虚作假骗取补助资金的，依法追回并追究相关责任。",
)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
    )


def company_name(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}有限公司"


def place_name(rng: random.Random, length: int = 2) -> str:
    return "".join(rng.choice(PLACE_SYLLABLES) for _ in range(length))


def day_text(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"


def publication_title(
    rng: random.Random, area: str, topic: str, year: int, month: int
) -> str:
    form = rng.random()
    if form < 0.45:
        return f"关于{rng.choice(TITLE_VERBS)}{area}{topic}{rng.choice(TITLE_TAILS)}"
    if form < 0.6:
        return f"{area}{year}年{topic}工作情况报告"
    if form < 0.72:
        return f"{year}年{month}月{topic}{rng.choice(('名单公示', '资金发放情况', '信息公开'))}"
    if form < 0.82:
        return f"关于{person_name(rng)}等同志职务任免的通知"
    if form < 0.92:
        return f"《{area}{topic}实施办法》政策解读"
    return f"{area}召开{topic}工作推进会"


def publication_body(
    rng: random.Random,
    *,
    area: str,
    dept: str,
    topic: str,
    year: int,
    month: int,
    paragraphs: int,
) -> str:
    """A sanitised-HTML body of a few paragraphs (what the editor stores)."""
    values = {
        "up": rng.choice(("省委、省政府", "市委、市政府", "上级部门")),
        "topic": topic,
        "area": area,
        "date": day_text(year, month, rng.randint(1, 28)),
        "year": year,
        "dept": dept,
        "subunit": rng.choice(("乡镇（街道）", "部门", "社区", "单位")),
        "day": rng.randint(1, 28),
        "name": person_name(rng),
        "phone": f"0{rng.randint(310, 999)}-{rng.randint(1000000, 9999999)}",
        "doc": rng.choice(("方案", "办法", "通知", "细则")),
        "n": rng.choice((2, 3, 5)),
        "count": rng.randint(3, 3000),
        "pct": rng.randint(85, 100),
    }
    out = []
    for _ in range(paragraphs):
        picked = rng.sample(SENTENCES, k=3)
        out.append("<p>" + "".join(t.format(**values) for t in picked) + "</p>")
    return "".join(out)


def request_description(rng: random.Random, area: str, topic: str, year: int) -> str:
    form = rng.random()
    if form < 0.4:
        return f"申请公开{area}{year}年{topic}相关文件及资金使用情况。"
    if form < 0.7:
        return f"本人房屋位于{area}{rng.choice(STREET_WORDS)}路{rng.randint(1, 300)}号，申请公开该地块{topic}的批准文件和补偿标准。"
    if form < 0.85:
        return f"申请公开{year}年度{topic}的实施方案、验收结果及参与单位名单。"
    return f"请提供{area}关于{topic}的政策依据及办理流程。"
