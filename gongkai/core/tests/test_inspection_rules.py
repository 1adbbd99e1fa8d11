"""Inspection rules (issue 26): indicators as data, the wording dictionary, dates that
cannot exist, column update periods. Expected values are worked out by hand here."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.inspection import (
    IndicatorError,
    Severity,
    column_state,
    find_wording,
    load_default_dictionary,
    load_indicators,
    parse_dictionary,
    parse_indicators,
    plain_text,
)

# --------------------------------------------------------------------- indicators


def test_indicators_cite_the_document_and_mark_the_veto_items() -> None:
    ind = load_indicators()
    assert "国办秘函〔2019〕19号" in ind.document
    vetoes = {code for code, i in ind.items.items() if i.veto}
    assert {
        "home_unavailable",
        "news_stale",
        "blank_column",
        "serious_wording",
        "interaction_slow",
        "pii_in_lists",
        "broken_links",
    } <= vetoes
    assert ind["news_stale"].param("period_days") == 14
    # "空白栏目数量超过5个": five are tolerated, the sixth fails it.
    assert not ind["blank_column"].fails(5)
    assert ind["blank_column"].fails(6)
    assert ind.kind_of_genre("news") is not None
    assert ind.kind_of_genre("news").period_days == 14  # type: ignore[union-attr]


def test_a_province_tightens_a_threshold_without_editing_the_file() -> None:
    ind = load_indicators(overrides={"blank_column": {"threshold": 0}})
    assert ind["blank_column"].fails(1)
    ind = load_indicators(overrides={"column_kind": {"news": {"period_days": 7}}})
    assert ind.column_kinds["news"].period_days == 7


def test_bad_indicator_configuration_is_refused_in_chinese() -> None:
    with pytest.raises(IndicatorError, match="未知指标"):
        load_indicators(overrides={"no_such": {"threshold": 1}})
    with pytest.raises(IndicatorError, match="格式错误"):
        parse_indicators("[indicator.x\nname=")
    with pytest.raises(IndicatorError, match="配置不完整"):
        parse_indicators("[indicator.x]\nveto = true\n")


def test_broken_link_share() -> None:
    ind = load_indicators()
    links = ind["broken_links"]
    assert not links.fails(5, checked=100)  # 5 % is not above 5 %
    assert links.fails(6, checked=100)
    assert not links.fails(0, checked=100)


def test_home_page_is_judged_on_the_share_of_failed_scheduled_visits() -> None:
    home = load_indicators()["home_unavailable"]
    # A week of hourly visits is 168; the document's 15 failures fail it, 14 do not.
    assert not home.fails(14, checked=168)
    assert home.fails(15, checked=168)
    # The same share over half a week (84 visits): 7 pass, 8 fail.
    assert not home.fails(7, checked=84)
    assert home.fails(8, checked=84)
    # Fewer visits than a day's worth are not enough to judge.
    assert not home.fails(5, checked=10)
    assert not home.fails(0, checked=0)


def test_accepted_findings_of_veto_items_keep_counting_except_single_links() -> None:
    ind = load_indicators()
    assert ind["serious_wording"].counts_accepted
    assert ind["pii_in_lists"].counts_accepted
    assert not ind["broken_links"].counts_accepted  # a link that works
    assert not ind["common_typos"].counts_accepted  # scored


def test_the_news_column_is_required() -> None:
    ind = load_indicators()
    assert ind.column_kinds["news"].required
    assert not ind.column_kinds["plan"].required


# --------------------------------------------------------------------- wording


def test_dictionary_finds_serious_and_common_errors() -> None:
    d = parse_dictionary("中华人民共合国 => 中华人民共和国 | 严重\n按装 => 安装\n")
    hits = find_wording("根据中华人民共合国有关规定，按装设备。", d)
    assert [(h.wrong, h.severity) for h in hits] == [
        ("中华人民共合国", Severity.SERIOUS),
        ("按装", Severity.COMMON),
    ]
    assert hits[0].message == "“中华人民共合国”应为“中华人民共和国”"
    assert find_wording("中华人民共和国，安装设备。", d) == []


def test_bad_dictionary_lines_are_reported_and_the_rest_still_works() -> None:
    text = "\n".join(
        [
            "# comment",
            "没有箭头的行",
            " => 空的错误写法",
            "同一 => 同一",
            "错字 => 正字 | 很严重",
            "社会主意 => 社会主义 | 严重",
            "主义 => 社会主义",
        ]
    )
    d = parse_dictionary(text)
    assert [b.line for b in d.bad_lines] == [2, 3, 4, 5, 7]
    assert list(d.entries) == ["社会主意"]


def test_longer_wrong_form_wins() -> None:
    d = parse_dictionary("共合 => 共和\n中华人民共合国 => 中华人民共和国 | 严重\n")
    hits = find_wording("中华人民共合国", d)
    assert [h.wrong for h in hits] == ["中华人民共合国"]


def test_default_dictionary_loads_clean() -> None:
    d = load_default_dictionary()
    assert d.bad_lines == []
    assert d.entries["中华人民共合国"].severity is Severity.SERIOUS


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2025年2月29日起施行", True),  # 2025 is not a leap year
        ("2024年2月29日起施行", False),  # 2024 is
        ("2100年2月29日", True),  # divisible by 100, not by 400
        ("2000年2月29日", False),  # divisible by 400
        ("2026年4月31日", True),
        ("2026年13月1日", True),
        ("2026-06-31", True),
        ("2026-06-30", False),
        ("于4月31日前报送", True),
        ("于2月29日前报送", False),  # some year has it
        ("于2月30日前报送", True),
        ("2026年12月31日", False),
        ("第0月0日", True),
    ],
)
def test_dates_that_cannot_exist(text: str, found: bool) -> None:
    hits = find_wording(text, parse_dictionary(""))
    assert bool(hits) is found
    if found:
        assert hits[0].severity is Severity.SERIOUS
        assert "日期不存在" in hits[0].message


def test_plain_text_of_a_body() -> None:
    assert plain_text("<p>中华&amp;人民</p><br>共和") == "中华&人民共和"


# --------------------------------------------------------------------- columns


def test_column_update_period_counts_calendar_days() -> None:
    today = date(2026, 12, 7)
    # Updated 14 days ago: still within "2周" (today is its last day); overdue from
    # tomorrow.
    s = column_state(date(2026, 11, 23), 14, today)
    assert not s.overdue and s.days_left == 0
    assert s.overdue_on == date(2026, 12, 8)
    s = column_state(date(2026, 11, 22), 14, today)
    assert s.overdue and s.days_left == -1
    s = column_state(date(2026, 12, 7), 14, today)
    assert s.days_left == 14
    s = column_state(None, 14, today)
    assert s.blank and not s.overdue and s.days_left is None


def test_a_column_updated_today_has_its_whole_period_left() -> None:
    # By hand from the spec (regulation.md, holidays.md §5: the starting day is not
    # counted, 民法典第二百零一条): updated on 8 Dec 2026 with a 183-day period, the
    # period is 9 Dec 2026 … 9 Jun 2027 (23 days of December, 31 + 28 + 31 + 30 + 31
    # = 151 to the end of May, 9 of June: 183). So 183 days are left, not 184, and
    # the column is overdue from 10 Jun 2027.
    today = date(2026, 12, 8)
    s = column_state(today, 183, today)
    assert s.days_left == 183 and not s.overdue
    assert s.overdue_on == date(2027, 6, 10)
    last_day = column_state(today, 183, date(2027, 6, 9))
    assert last_day.days_left == 0 and not last_day.overdue
    first_late = column_state(today, 183, date(2027, 6, 10))
    assert first_late.days_left == -1 and first_late.overdue
