"""Chinese personal names: the surnames, the words that start like a name but are not
one, and the finder of names in running sentences that citizens write (a 留言, its
answer). Pure functions, no I/O; ``detect`` uses them for every check.

Why hand-written: no word segmenter is a dependency of the platform (jieba and the
like would be one more dictionary to ship and keep); a name in citizen prose is found
by its surname and the words around it (我叫…, 居民…反映, …同志), and the lists below
keep the ordinary words that start with a surname (王府井, 李子坝, 单位, 周边) out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

__all__ = [
    "COMPOUND_SURNAMES",
    "looks_like_name",
    "prose_names",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common surnames (single and compound), enough to recognise names in 公示 lists.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
    "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟"
    "殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游"
    "辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫"
    "费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明"
    "佘池查麻苑迟邝傅楼官劳郁封芮储井富乌巴牧宓班仰秋伊暴厉戎祖束幸郜印宿怀邰鄂索赖蔺屠"
    "阴胥苍闻莘贡逄扶堵宰郦雍濮寿扈燕冀浦阎茹习宦鱼容慎戈庾暨衡满弘匡禄阙殳蔚夔隆厍晁勾融"
    "訾阚那鞠丰巢蒯荆竺权逯盖桓练揭植眭冼原占粟银雒来昝但代"
    "萧洪谈惠乐南栗楚鄢谌奚皮盘仝禹漆卿狄计宣晋初敬伏鹿邸辜羊裘亓修赫杭况鲜诸战慕危亢嵇湛宾"
    "茅尉冶檀衣展奉尧"
)
COMPOUND_SURNAMES = _words(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤"
)
# Words that start with a surname but are not names (table headings, places, terms).
NOT_NAMES = _words(
    "王府 李子 张贴 刘海 陈述 杨树 黄金 周岁 周年 徐州 孙子 马路 朱雀 胡同 高中 高级 林业 罗马 "
    "郑州 梁山 谢谢 宋体 唐朝 许可 韩国 曹操 彭城 曾经 田地 董事 袁州 潘家 于是 蒋家 余额 叶子 "
    "程序 苏州 魏县 吕梁 丁香 任务 任职 沈阳 姚家 卢氏 姜堰 钟楼 谭家 陆续 汪洋 范围 金额 金水 "
    "石家 廖家 贾鲁 夏季 付款 方式 方面 白天 孟津 秦岭 江苏 江西 江区 尹家 段落 雷达 侯马 龙门 "
    "史家 陶瓷 贺兰 毛利 万元 钱数 严格 武汉 戴帽 孔子 向阳 汤阴 常住 常年 温县 康复 施工 文件 "
    "文号 文化 牛奶 安全 安置 安阳 齐全 易地 乔迁 伍家 庞村 颜色 倪家 庄园 章程 鲁山 岳家 殷墟 "
    "申请 申报 欧洲 关于 关系 兰考 焦作 左右 柳林 甘肃 宁夏 宁波 尚未 符合 舒城 纪律 梅花 单位 "
    "单元 单价 季度 涂料 成员 成年 成立 苗木 谷城 盛世 曲阜 路口 时间 时期 司法 古城 吉林 简称 "
    "车辆 项目 连续 景区 党员 党支 宫殿 费用 卫生 卫健 米粮 明细 全部 全年 全镇 应当 应急 师范 "
    "和平 商丘 商业 沙河 荣誉 桑坡 甄别 明确 查询 苑区 迟报 计生 户主 户籍 户数 户名 房屋 房号 "
    "管理 管辖 华夏 喻家 邵阳 万人 钱币 严重 武陟 康乐 施行 文明 文峰 安排 齐备 乔庄 庞大 章节 "
    "岳阳 殷实 詹店 申领 耿庄 兰州 焦点 俞家 左侧 柳州 祝贺 包括 包头 宁陵 尚书 舒适 阮家 柯城 "
    "纪要 梅园 童装 凌晨 毕业 单独 季节 裴城 霍州 涂改 成都 谷物 盛放 曲线 翁家 冉冉 骆驼 蓝色 "
    "游戏 辛店 管道 柴油 蒙古 鲍家 华北 祁县 蒲城 房产 滕州 屈原 饶阳 解决 解释 牟平 艾滋 尤其 "
    "阳光 时任 穆斯 农村 农业 农户 司机 卓越 古代 吉祥 缪斯 车站 项城 连接 芦苇 麦收 褚家 娄底 "
    "窦家 戚家 岑溪 景色 党委 宫家 卜家 冷库 晏家 席位 卫星 米面 柏油 宗教 瞿家 桂林 全体 全市 "
    "全区 全县 全省 全国 佟家 应急 应该 臧家 闵行 苟且 邬家 边界 卞家 姬家 师生 和睦 仇家 栾川 "
    "隋唐 商品 刁难 沙漠 荣获 巫山 寇店 桑树 郎家 甄选 丛林 仲裁 虞城 敖汉 巩义 明天 佘家 池塘 "
    "查看 麻将 苑陵 迟到 邝家 方城 白银 洛阳 "
)
PLACE_SUFFIXES = tuple("村组镇乡县区市省街路巷社局办处科所站院校园厂司队会委部门")


def looks_like_name(token: str) -> bool:
    """A short Chinese name: a common surname and one or two characters (two or three
    after a compound surname), not a word listed as starting like one."""
    if not 2 <= len(token) <= 4:
        return False
    if token in NOT_NAMES or token[:2] in NOT_NAMES:
        return False
    if token.endswith(PLACE_SUFFIXES):
        return False
    if token[:2] in COMPOUND_SURNAMES:
        return len(token) in (3, 4)
    if token[0] not in SURNAMES:
        return False
    return len(token) in (2, 3)


# ------------------------------------------------------------------ names in prose

# Words after which a citizen's sentence names a person: 我叫张三, 居民李建国反映,
# 尊敬的张三, 致张三 opening a line (导致高血压 is no address). The name must then end where the sentence breaks or a word that follows
# names (反映, 的, 同志…) begins, so 我是张家港市人 names nobody.
_PROSE_CUES = (
    "我是|本人|尊敬的|(?<![^\n])致|业主|居民|村民|市民|群众|邻居|租户|老人|患者|职工|员工|同事|"
    "朋友|亲戚|父亲|母亲|爸爸|妈妈|丈夫|妻子|爱人|老伴|儿子|女儿|孙子|孙女|哥哥|姐姐|"
    "弟弟|妹妹|家属|网格员|工作人员|社工|民警|医生"
)
# Words a name follows for certain (我叫, 经办人): a name starting right after one is
# taken whatever comes next (经办人李建国受理), its longest form if it is unsure.
_NAMING_CUES = (
    "我叫|名叫|叫做|名字是|名字叫|姓名|署名|留言人|来信人|反映人|投诉人|举报人|咨询人|"
    "申请人|当事人|联系人|经办人|承办人|答复人|户主"
)
_CUE = re.compile(f"(?:(?P<naming>{_NAMING_CUES})|{_PROSE_CUES})[:：\\s]*")
# Honorifics right after a full name (张三同志, 李建国先生); 王先生 alone is no name.
_HONORIFICS = "同志|先生|女士|老师|师傅|大爷|大妈|阿姨|大姐|大哥"
_HONORIFIC = re.compile(_HONORIFICS)
# A salutation opening an answer: 张三：您好, 李建国您好.
_GREETING = re.compile(r"[:：，,]?\s*(?:您好|你好)")
# What may follow a name in a sentence.
_AFTER_NAME = re.compile(
    f"(?:{_HONORIFICS}|您好|你好|反映|来信|来电|留言|投诉|举报|咨询|身份证|电话|手机|"
    "联系|家住|现住|住在|住址|户籍|性别|今年|去年|年龄|出生|一家|夫妇|名下|本人|"
    "多次|一直|表示|告诉|认为|要求|申请|办理|提出|需要|所在|户口|受理|负责|核实|处理|"
    "回复|答复|接待|签收|上门|前往|陪同|协助|发现|提交|填写|签字|领取|"
    # What an answer says its 经办人 did (经办人张三跟进 is 张三, not 张三跟).
    "跟进|跟踪|核查|督促|督办|调查|走访|到场|沟通|协调|解释|说明|介绍|确认|记录|整改|"
    "落实|通知|告知|转交|转办|办结|审核|审批|批准|同意|检查|复核|"
    "[等的和与及在是说称讲于系已因由向从到将也都曾要想之了把被对给让请去现今昨家没未不]"
    ")"
)
# Another name joined to the one found: 张三、李四和王五.
_JOINED = re.compile("[、和与及]")
_HAN = re.compile("[\u4e00-\u9fff]")

# Surnames that are also function words (和, 向, 于, 时…): in prose 向社区, 和妻子,
# 于是 are far more common than a person so named.
_FUNCTION_SURNAMES = frozenset("和向于时应但来代原全占")
# Characters a given name does not hold but a sentence does around a name.
_NOT_IN_NAMES = frozenset(
    "的了是在不和与及等也都就还又再被把对从向给让这那些个们么着过某说称讲去要想没未已曾因由"
)
# A surname and a title or a kinship word is no full name (张老师, 王主任, 李姐).
_TITLES = re.compile(
    f"{_HONORIFICS}|主任|书记|经理|局长|科长|所长|站长|院长|校长|镇长|村长|组长|队长|"
    "会计|医生|护士|律师|老板|同学|警官|[总工老姐哥叔婶姨伯奶爷]"
)
# Words that begin with a surname and come after 我是/居民/致… in citizens' text.
_NOT_NAMES_IN_PROSE = _words(
    "周边 周末 周围 周期 孙女 农民 农户 房东 房主 房客 车主 包工 商户 商家 文盲 华侨 牧民 "
    "方法 方便 方案 路线 路面 路段 原因 原来 原先 常常 曾多 曾于 曾在 曾向 曾被 曾因 成为 "
    "高兴 高度 高速 高层 高龄 高新 高铁 何时 何处 时候 马上 楼下 楼上 楼道 楼房 楼栋 宿舍 "
    "黄色 金融 石油 贾汪 钱款 毛坯 齐心 乐意 宁可 幸福 和谐 平安 安装 安心 温暖 包括 江北 "
    "江南 钟点 程度 苏北 万一 严肃 章程 解答 贺卡 谷雨 车位 车库 邱县 易于 柏林 冷暖 "
    "尚可 甘心 向上 冯家 洪水 秦家 韩家 罗家 熊家 "
    # Words of a 留言's sentences (居民关心的…, 群众满意是…, 我是单身…).
    "关心 关注 关切 关爱 习惯 满意 满足 焦虑 焦急 单身 宣传 安徽 杭州 温州 常州 南京 "
    "南阳 南昌 南宁 周口 许昌 濮阳 "
)


_COMMON_SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")


def _prose_name_ok(name: str) -> bool:
    return (
        looks_like_name(name)
        # 我是安徽人, 居民中的外地人: a given name does not end in 人.
        and not name.endswith("人")
        and name[0] not in _FUNCTION_SURNAMES
        and name[:2] not in _NOT_NAMES_IN_PROSE
        and not _NOT_IN_NAMES.intersection(name[1:])
        and not _TITLES.search(name, 1)
    )


def _lengths(text: str, start: int) -> tuple[int, ...]:
    # The longer first: 李建国反映 is 李建国; 张三在家 is 张三 (在 is in no name).
    return (4, 3) if text[start : start + 2] in COMPOUND_SURNAMES else (3, 2)


def _ends_a_name(text: str, end: int) -> bool:
    return (
        end == len(text)
        or not _HAN.match(text, end)
        or bool(_AFTER_NAME.match(text, end))
    )


def _name_at(text: str, start: int, *, naming: bool) -> int | None:
    """The end of the name starting at ``start`` right after a cue: one that ends
    where a name may end, else (after a ``naming`` cue) the longest, or None."""
    names = [
        start + n
        for n in _lengths(text, start)
        if len(name := text[start : start + n]) == n
        and all(_HAN.match(c) for c in name)
        and _prose_name_ok(name)
    ]
    for end in names:
        if _ends_a_name(text, end):
            return end
    return names[0] if naming and names else None


def _name_before(text: str, end: int, *, alone: bool) -> int | None:
    """The start of the name ending at ``end`` (before an honorific or a greeting), the
    longer one first (李建国同志, not 建国); ``alone``: it must begin a phrase."""
    for n in (4, 3, 2):
        start = end - n
        if start < 0:
            continue
        name = text[start:end]
        if not all(_HAN.match(c) for c in name) or not _prose_name_ok(name):
            continue
        if (n == 4) != (name[:2] in COMPOUND_SURNAMES):
            continue
        # A greeting opens the text, a line or a phrase (…。张三：您好, 尊敬的张三：).
        if (
            alone
            and start > 0
            and _HAN.match(text, start - 1)
            and not text.endswith(("尊敬的", "致"), 0, start)
        ):
            continue
        # 谢王老师, 找李先生: the honorific follows a surname alone.
        if n == 2 and name[1] in _COMMON_SURNAMES and not alone:
            continue
        return start
    return None


def prose_names(
    text: str, taken: Callable[[int, int], bool]
) -> Iterator[tuple[int, int]]:
    """Spans of the names in ``text``'s sentences; ``taken(start, end)`` says a span
    is already another finding."""
    found: set[tuple[int, int]] = set()

    def add(start: int, end: int) -> None:
        if not taken(start, end):
            found.add((start, end))

    for m in _CUE.finditer(text):
        at, naming = m.end(), m.group("naming") is not None
        while (end := _name_at(text, at, naming=naming)) is not None:
            add(at, end)
            if not _JOINED.match(text, end):
                break
            at = end + 1  # 张三、李四: the next name is named as the first was
    for pattern, alone in ((_HONORIFIC, False), (_GREETING, True)):
        for m in pattern.finditer(text):
            begin = _name_before(text, m.start(), alone=alone)
            if begin is not None:
                add(begin, m.start())
    yield from sorted(_disjoint(found))


def _disjoint(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest of overlapping spans (李建国 over 建国)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            if end - start > kept[-1][1] - kept[-1][0]:
                kept[-1] = (start, end)
            continue
        kept.append((start, end))
    return kept
