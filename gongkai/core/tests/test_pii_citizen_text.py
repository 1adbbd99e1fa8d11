"""The personal-information check applied to what citizens write (a 留言 and its
answer, ``PiiRules.for_citizen_text``): a mistyped identity number and the names in
running sentences are found; ordinary words that start with a surname are not."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.pii import (
    DEFAULT_RULES,
    Kind,
    NameMask,
    PiiRules,
    find_pii,
    mask_text,
)

TODAY = date(2026, 12, 7)
CITIZEN = DEFAULT_RULES.for_citizen_text()
# GB 11643-1999's example number with its last character changed (the valid one ends
# in X): province 11, born 1949-12-31, check character wrong.
MISTYPED_ID = "110105194912310021"


def found(text: str, rules: PiiRules = CITIZEN) -> list[tuple[Kind, str]]:
    return [(f.kind, f.text) for f in find_pii(text, rules, today=TODAY)]


def masked(text: str, rules: PiiRules = CITIZEN) -> str:
    return mask_text(text, find_pii(text, rules, today=TODAY))


# --------------------------------------------------------------------------- IDs


def test_an_id_with_a_wrong_check_digit_is_masked_in_citizen_text():
    text = f"我的身份证号{MISTYPED_ID}，请核实。"
    assert found(text) == [(Kind.RESIDENT_ID, MISTYPED_ID)]
    assert masked(text) == "我的身份证号1101**********0021，请核实。"


def test_a_publication_keeps_the_strict_check():
    # A publication's 18-digit serials are not taken for IDs typed wrong.
    assert found(f"编号{MISTYPED_ID}。", DEFAULT_RULES) == []


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194913310027", "month 13"),
        ("202612070000123456", "an order number (20 is no province)"),
        ("110105202712310024", "born after today"),
        ("91410300MA44XNFA5Y", "a 统一社会信用代码"),
        ("11010519491231002Y", "a last character that is neither a digit nor X"),
    ],
)
def test_a_number_not_shaped_as_an_id_stays_in_citizen_text(number, why):
    assert found(f"订单编号{number}。") == [], why


def test_the_organisations_id_keep_applies_to_a_mistyped_id():
    rules = PiiRules(id_keep=3).for_citizen_text()
    assert masked(MISTYPED_ID, rules) == "110************021"


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我叫张三，请问低保怎么申请？", "我叫张某，请问低保怎么申请？"),
        ("您好！我是李建国，住在王府井附近。", "您好！我是李*某，住在王府井附近。"),
        ("张三：您好！您的留言已收悉。", "张某：您好！您的留言已收悉。"),
        ("李建国同志：您好，已转城管科处理。", "李*某同志：您好，已转城管科处理。"),
        ("居民张三和李四反映路灯不亮。", "居民张某和李某反映路灯不亮。"),
        ("我丈夫王强去年在工地受伤。", "我丈夫王某去年在工地受伤。"),
        ("我母亲陈秀英今年七十岁。", "我母亲陈*某今年七十岁。"),
        ("本人周杰，联系我即可。", "本人周某，联系我即可。"),
        ("欧阳娜娜女士您好", "欧阳*某女士您好"),
        ("请联系经办人李建国。", "请联系经办人李*某。"),
        ("经办人张三受理了您的申请。", "经办人张某受理了您的申请。"),
        # The verb after a 经办人's name keeps every character.
        ("经办人张三跟进此事。", "经办人张某跟进此事。"),
        ("经办人王五核查后答复。", "经办人王某核查后答复。"),
        # …but never at the cost of a character of a longer name (张国安 排查).
        ("经办人张国安排查隐患。", "经办人张*某排查隐患。"),
        ("致李建国：\n您反映的问题已处理。", "致李*某：\n您反映的问题已处理。"),
    ],
)
def test_a_name_in_a_sentence_is_masked(text, expected):
    assert masked(text) == expected


def test_a_name_in_a_sentence_is_left_to_a_publication():
    # Publications keep their rule: a name next to another finding or after a label.
    assert found("我叫张三，请问低保怎么申请？", DEFAULT_RULES) == []


def test_the_name_mask_is_the_organisations():
    rules = PiiRules(name_mask=NameMask.SURNAME_ONLY).for_citizen_text()
    assert masked("居民李建国反映", rules) == "居民李**反映"


def test_a_name_and_a_mistyped_id_together():
    text = f"我是张三，身份证号{MISTYPED_ID}。"
    assert found(text) == [(Kind.NAME, "张三"), (Kind.RESIDENT_ID, MISTYPED_ID)]


def test_a_masked_text_has_nothing_left_to_mask():
    # Publishing again after a take-down checks the masked text: 张某 is no name.
    text = masked(f"居民张三反映，李建国同志已回复。身份证{MISTYPED_ID}")
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "我是高新区居民，周末经常有人在小区门口摆摊，希望有关部门管一管。",
        "本人在张家港市工作，想咨询异地办理社保卡的流程。",
        "王府井社区的健身器材损坏多日，请尽快维修。",
        "李子坝附近施工单位夜间施工，多次向社区反映无果。",
        "我是张家港市民，王府井大街的店铺，高新区管委会，李子坝站。",
        "我单位已收到您的留言。经核实，该路段属于市政管理范围。以上信息供参考。",
        "办理时间：工作日上午9:00-12:00。办理地点：街道便民服务中心。",
        "尊敬的市民朋友：您好！您的留言已收悉，现答复如下。",
        "网友您好：申请人须向户籍所在地街道提出书面申请。",
        "申请人应当如实提供材料，申请人符合条件的，于受理之日起20个工作日内办结。",
        "我是周边的居民，曾多次向社区反映，工作人员马上来了。",
        "我是农民工，老板拖欠工资三个月。我是房东，也是车主。",
        "邻居孙大爷和张老师都说楼道灯坏了，谢王老师帮忙，找李先生办理。",
        "居民楼下的垃圾桶满了没人清运。本人于2024年3月提交了申请。",
        "我是常住人口，住在周公庙附近，道路坑洼多。",
        "感谢您的来信！请携带本人身份证、户口本到社区服务站办理。",
        "长期噪音导致高血压。导致周边居民无法休息。",
        "小区居民关心的停车难问题一直没有解决。",
        "居民习惯在楼道堆放杂物，群众满意是我们的目标。",
        "我是安徽人，在洛阳打工。我是南阳人，想咨询社保。",
        "我是单身，想申请公租房。居民焦虑不安。",
    ],
)
def test_ordinary_words_that_start_with_a_surname_are_not_names(text):
    assert found(text) == []
