"""Text normalisation for reading published annual reports (spec §9).

Published reports mix full- and half-width forms, Traditional and Simplified
characters, straight and curly quotes and arbitrary whitespace inside labels.
``normalize`` maps all of that to one form so labels can be matched; it keeps
whitespace (it separates numbers) and never changes ASCII digits.
"""

from __future__ import annotations

import re

# Traditional -> Simplified for the characters that occur in the fixed labels,
# headings and title of an annual report (mirror sites serve 繁體, spec §9).
# Deliberately small: only what the format's own vocabulary needs.
_TRAD = (
    "開开請请數数資资訊讯處处議议訟讼規规範范製制發发廢废許许決决強强費费額额"
    "萬万單单機机構构會会織织務务結结轉转總总計计繼继續续辦办據据屬属於于國国"
    "祕秘穩稳護护權权內内類类過过執执詢询項项無无關关沒没現现補补確确訪访舉举"
    "報报訴诉複复復复當当認认獲获繳缴納纳維维糾纠審审經经後后況况條条體体"
    "個个門门區区縣县環环問问題题進进與与業业證证學学團团員员點点為为這这們们"
    "來来時时間间書书樣样種种應应見见說说專专導导歷历優优際际衛卫醫医統统級级"
    "鎮镇鄉乡廳厅設设質质營营稅税徵征戶户產产動动網网線线電电話话號号郵邮編编"
    "聯联繫系係系義义職职責责標标準准擔担傳传達达實实備备億亿簡简狀状齊齐週周"
    "歲岁雙双禮礼圍围廣广漢汉園园鐵铁陸陆陽阳陰阴險险驗验響响顯显風风養养於于"
    "況况屆届衆众眾众圖图軍军農农協协"
    "極极僅仅兩两並并裏里裡里氣气東东車车華华衝冲術术準准劃划則则華华倉仓寶宝"
    "態态憑凭數数擬拟據据擴扩換换構构標标權权歸归殘残溝沟滅灭災灾爭争牽牵獎奖"
    "異异盡尽監监盤盘碼码礎础範范築筑籌筹節节範范紀纪約约級级納纳紙纸細细組组"
    "終终絡络給给絕绝統统絲丝綜综緊紧線线編编緣缘練练縮缩績绩繁繁總总聲声聽听"
    "腦脑臨临艱艰藥药蘇苏處处號号衝冲補补裝装複复覽览規规視视覺觉覽览訂订記记"
    "訓训設设許许診诊詞词試试話话詳详誌志語语誤误說说調调請请論论諮谘講讲謝谢"
    "證证識识譯译讀读變变貝贝負负財财貨货責责貸贷費费資资賠赔質质購购贊赞趕赶"
    "趨趋軟软輔辅輕轻輸输辦办農农遠远適适選选遺遗還还邊边郵邮鄰邻鑒鉴錄录鍵键"
    "長长門门閉闭開开間间閱阅隊队隨随險险隱隐雜杂難难雲云電电靜静領领頻频顧顾"
    "類类顯显餘余館馆駐驻驗验體体鬥斗鳥鸟黨党齡龄龍龙"
)
_TRAD_TABLE: dict[int, str] = {
    ord(_TRAD[i]): _TRAD[i + 1] for i in range(0, len(_TRAD) - 1, 2)
}

_WIDTH_TABLE: dict[int, str] = {
    **{0xFF10 + i: chr(ord("0") + i) for i in range(10)},  # ０-９
    **{0xFF21 + i: chr(ord("A") + i) for i in range(26)},
    **{0xFF41 + i: chr(ord("a") + i) for i in range(26)},
    ord("．"): ".",
    ord("，"): "，",
    ord("("): "（",
    ord(")"): "）",
    ord("〔"): "〔",
    ord("："): "：",
    ord("／"): "/",
    ord("－"): "-",
    ord("\u3000"): " ",  # ideographic space
    ord("\u00a0"): " ",
    ord("\u2002"): " ",
    ord("\u2003"): " ",
    ord("\u2009"): " ",
    ord("\u200b"): " ",  # zero-width space
    ord("\ufeff"): " ",
    ord("\r"): "\n",
    ord("\x0b"): "\n",
    ord("\x0c"): "\n",
}

_TABLE: dict[int, str] = {**_TRAD_TABLE, **_WIDTH_TABLE}

CJK = "\u4e00-\u9fff"
_CJK_RE = re.compile(f"[{CJK}]")


def normalize(text: str) -> str:
    """Unify widths, brackets and Traditional characters, one char for one char.

    The result has the same length as ``text`` so offsets found in it slice the
    original. Quotes are kept; label patterns treat them like whitespace (§9).
    """
    # Pinyin some converted mirrors put after each character ("務(wù)") -> spaces.
    return _PINYIN_RE.sub(_spaces, text.translate(_TABLE))


# "(wù)" / "（fā）": a pinyin syllable with a tone mark; plain ASCII words in
# brackets are left alone.
_PINYIN_RE = re.compile("[（(][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]*[）)]")


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


QUOTES = '“”"‘’「」'
_SKIPPABLE_RE = re.compile(f"[ \t\n{QUOTES}]+")


def compact(text: str) -> str:
    """``normalize`` and drop whitespace and quotes: the form labels compare in."""
    return _SKIPPABLE_RE.sub("", normalize(text))


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def strip_parenthetical(label: str) -> str:
    """Drop a trailing （…） explanation from a label (spec §9), keep item numbers."""
    core = re.sub(r"（[^（）]*）$", "", label)
    return core if core else label
