"""The pure rules of 区分处理 (条例第三十七条): grounds, marks, matching, the list."""

from __future__ import annotations

import pytest

from gongkai.core.redaction import (
    GROUNDS,
    RedactionEntry,
    RedactionError,
    chosen,
    citation,
    compact,
    describe_region,
    describe_text,
    find_spans,
    ground_choices,
    leaks,
    letter_paragraph,
    placeholder,
    region_mark,
    scrub,
    text_mark,
)


def test_every_ground_named_in_the_issue_is_offered_with_its_article():
    offered = {(g.article, g.label) for g in GROUNDS}
    assert ("第十四条", "国家秘密") in offered
    assert ("第十五条", "商业秘密") in offered
    assert ("第十五条", "个人隐私") in offered
    assert ("第十六条", "内部事务信息") in offered
    assert ("第十六条", "过程性信息") in offered
    assert ("第十六条", "行政执法案卷信息") in offered
    assert any(g.free_text for g in GROUNDS)
    assert ("privacy", "第十五条 个人隐私") in ground_choices()


def test_the_letter_cites_the_regulation_or_the_officers_own_law():
    assert citation("privacy") == "《条例》第十五条（个人隐私）"
    assert citation("process_info") == "《条例》第十六条第二款（过程性信息）"
    assert (
        citation("other_laws", "《中华人民共和国统计法》第三十九条")
        == "《中华人民共和国统计法》第三十九条（其他法律、法规禁止公开）"
    )
    with pytest.raises(RedactionError, match="写明法律、法规"):
        citation("other_laws", "  ")
    with pytest.raises(RedactionError, match="依据"):
        citation("no_such_ground")


def test_the_placeholder_names_the_article():
    assert placeholder("trade_secret") == "【已删除：第十五条】"
    assert placeholder("state_secret") == "【已删除：第十四条】"


def test_a_text_mark_needs_words_and_a_positive_occurrence():
    assert text_mark("  张三  ", "privacy").phrase == "张三"
    with pytest.raises(RedactionError, match="请填写"):
        text_mark(" \u200b ", "privacy")
    with pytest.raises(RedactionError, match="正整数"):
        text_mark("张三", "privacy", occurrence=0)
    with pytest.raises(RedactionError, match="过长"):
        text_mark("字" * 501, "privacy")


def test_a_region_is_ordered_clamped_and_not_too_small():
    mark = region_mark(2, 0.8, 1.4, -0.2, 0.5, "privacy", page_count=3)
    assert (mark.x0, mark.y0, mark.x1, mark.y1) == (0.0, 0.5, 0.8, 1.0)
    with pytest.raises(RedactionError, match="太小"):
        region_mark(1, 0.5, 0.5, 0.5005, 0.9, "privacy")
    with pytest.raises(RedactionError, match="页码"):
        region_mark(4, 0.1, 0.1, 0.5, 0.5, "privacy", page_count=3)
    with pytest.raises(RedactionError, match="无效"):
        region_mark(1, float("nan"), 0.1, 0.5, 0.5, "privacy")


def test_matching_ignores_line_breaks_and_zero_width_spaces():
    assert compact("张\n三\u200b丰 ") == "张三丰"
    assert find_spans("甲乙甲乙甲", "甲乙") == [(0, 2), (2, 4)]
    assert find_spans("aaa", "aa") == [(0, 2)]


def test_a_chosen_occurrence_is_counted_through_the_whole_document():
    assert chosen(0, 3, None) == [0, 1, 2]
    assert chosen(2, 3, 4) == [1]
    assert chosen(5, 3, 4) == []


def test_a_leak_is_a_phrase_found_more_often_than_allowed():
    text = "申请人张\n三丰，【已删除：第十五条】，联系人张三丰"
    assert leaks(text, {"张三丰": 0}) == ["张三丰"]
    assert leaks(text, {"张三丰": 2}) == []
    # The engines' own placeholder is not a leak of a phrase it contains.
    assert leaks("【已删除：第十五条】", {"第十五条": 0}) == []


def test_descriptions_say_where_and_how_long_never_what():
    assert describe_text(["正文第3段"], 11) == "正文第3段（11个字）"
    assert (
        describe_text(["第1页", "第1页", "第2页"], 3)
        == "第1页2处、第2页，共3处（每处3个字）"
    )
    assert describe_region(2, 1) == "第2页 区域1"


def test_the_letter_paragraph_lists_each_redaction_with_its_article():
    entries = [
        RedactionEntry("名单.pdf", "第2页 区域1", "privacy"),
        RedactionEntry("报告.docx", "正文第3段（11个字）", "internal_affairs"),
    ]
    assert letter_paragraph(entries) == (
        "区分处理情况（不予公开的内容及依据）如下："
        "1. 《名单.pdf》第2页 区域1，依据《条例》第十五条（个人隐私）；"
        "2. 《报告.docx》正文第3段（11个字），依据《条例》第十六条第一款（内部事务信息）。"
    )
    assert letter_paragraph([]) == ""


def test_a_file_name_holding_a_withheld_phrase_is_scrubbed():
    assert (
        scrub("李秀英低保审核表（李秀英）.pdf", ["李秀英", ""])
        == "【已删除】低保审核表（【已删除】）.pdf"
    )
    # The longer phrase first, so a shorter one inside it leaves nothing behind.
    assert scrub("张三丰材料", ["张三", "张三丰"]) == "【已删除】材料"
