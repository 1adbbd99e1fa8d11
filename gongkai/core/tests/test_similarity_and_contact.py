"""Pure helpers of issue 16: the description similarity (重复申请 signal) and the
applicant's contact address as a sign-in key."""

from __future__ import annotations

import pytest

from gongkai.core.applicant_contact import (
    ContactError,
    mask_contact,
    normalise_email,
    normalise_phone,
    parse_contact,
)
from gongkai.core.similarity import bigram_jaccard, bigrams


def test_bigrams_ignore_punctuation_spaces_and_width():
    assert bigrams("老旧 小区，") == {"老旧", "旧小", "小区"}
    assert bigrams("ＡＢc") == {"ab", "bc"}
    assert bigrams("区") == {"区"} and bigrams("，") == set()


def test_jaccard_by_hand():
    # 老旧小区 → {老旧, 旧小, 小区}; 老旧房屋 → {老旧, 旧房, 房屋}: 1 shared of 5.
    assert bigram_jaccard("老旧小区", "老旧房屋") == pytest.approx(1 / 5)
    assert bigram_jaccard("改造资金", "改造资金。") == 1.0
    assert bigram_jaccard("", "") == 0.0
    assert bigram_jaccard("道路维修", "预算公开") == 0.0


def test_a_repeated_request_scores_higher_than_a_different_one():
    first = "2025年洛浦街道老旧小区改造项目的资金安排文件"
    again = "洛浦街道2025年老旧小区改造项目资金安排的文件"
    other = "2025年洛浦街道道路维修项目的招标公告"
    assert bigram_jaccard(first, again) > 0.6 > bigram_jaccard(first, other)


def test_contacts_are_normalised_so_digests_agree():
    assert normalise_email(" Li.Si@Example.CN ") == "li.si@example.cn"
    assert normalise_email("not an address") == ""
    assert normalise_phone("+86 138-0000-1111") == "13800001111"
    assert normalise_phone("008613800001111") == "13800001111"
    assert normalise_phone("0379-6123456") == ""  # a landline gets no SMS
    assert parse_contact("１３８００００１１１１") == ("phone", "13800001111")
    assert parse_contact("LI@x.cn") == ("email", "li@x.cn")
    with pytest.raises(ContactError):
        parse_contact("12345")
    with pytest.raises(ContactError):
        parse_contact("a@b")


def test_masks_show_no_full_address():
    assert mask_contact("phone", "13800001111") == "138****1111"
    assert mask_contact("email", "li.si@example.cn") == "l***@example.cn"
