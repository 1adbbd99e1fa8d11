"""Parsing the State Council's annual holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

The 2025 and 2026 texts are written out from the tables of
``../shared/spec/holidays.md`` §3 and §4; the expected ranges below are
those tables, not the parser's output.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.workdays import NoticeParseError, calendar_from_sources, parse_notice

SAMPLES = Path(__file__).resolve().parents[1] / "workdays" / "samples"
D = date.fromisoformat


def _ranges(text: str, year: int) -> list[tuple[str, str, str]]:
    parsed = parse_notice(text, year)
    return [(r.name, r.start.isoformat(), r.end.isoformat()) for r in parsed.ranges]


def test_the_2025_notice_gives_every_range_and_makeup_day() -> None:
    parsed = parse_notice(
        (SAMPLES / "notice_2025.txt").read_text(encoding="utf-8"), 2025
    )
    assert [(r.name, r.start, r.end, r.days) for r in parsed.ranges] == [
        ("元旦", D("2025-01-01"), D("2025-01-01"), 1),
        ("春节", D("2025-01-28"), D("2025-02-04"), 8),  # crosses a month
        ("清明节", D("2025-04-04"), D("2025-04-06"), 3),
        ("劳动节", D("2025-05-01"), D("2025-05-05"), 5),
        ("端午节", D("2025-05-31"), D("2025-06-02"), 3),  # crosses a month
        ("国庆节、中秋节", D("2025-10-01"), D("2025-10-08"), 8),
    ]
    assert sorted(m.date for m in parsed.makeup_days) == [
        D("2025-01-26"),
        D("2025-02-08"),
        D("2025-04-27"),
        D("2025-09-28"),
        D("2025-10-11"),
    ]
    assert parsed.doc_no == "国办发明电〔2024〕12号"
    assert parsed.warnings == ()


def test_the_2026_notice_gives_every_range_and_makeup_day() -> None:
    parsed = parse_notice(
        (SAMPLES / "notice_2026.txt").read_text(encoding="utf-8"), 2026
    )
    assert [(r.name, r.start, r.end) for r in parsed.ranges] == [
        ("元旦", D("2026-01-01"), D("2026-01-03")),
        ("春节", D("2026-02-15"), D("2026-02-23")),  # "至23日": month carried over
        ("清明节", D("2026-04-04"), D("2026-04-06")),
        ("劳动节", D("2026-05-01"), D("2026-05-05")),
        ("端午节", D("2026-06-19"), D("2026-06-21")),
        ("中秋节", D("2026-09-25"), D("2026-09-27")),
        ("国庆节", D("2026-10-01"), D("2026-10-07")),
    ]
    assert [(m.date, m.name) for m in parsed.makeup_days] == [
        (D("2026-01-04"), "元旦"),
        (D("2026-02-14"), "春节"),
        (D("2026-02-28"), "春节"),
        (D("2026-05-09"), "劳动节"),
        (D("2026-09-20"), "国庆节"),
        (D("2026-10-10"), "国庆节"),
    ]


def test_each_range_keeps_its_source_line() -> None:
    text = (SAMPLES / "notice_2025.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    parsed = parse_notice(text, 2025)
    spring = parsed.ranges[1]
    assert lines[spring.line_no - 1].startswith("二、春节")
    assert spring.stated_days == 8


@pytest.mark.parametrize(("year", "expected"), [(2025, 248), (2026, 248)])
def test_a_parsed_notice_reproduces_the_yearly_working_day_count(
    year: int, expected: int
) -> None:
    parsed = parse_notice(
        (SAMPLES / f"notice_{year}.txt").read_text(encoding="utf-8"), year
    )
    cal = calendar_from_sources({year: parsed.to_calendar_year()})
    assert cal.year(year).source == "admin"
    assert (
        cal.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == expected
    )


# The 2019 notice ran over the year end with explicit years.
NOTICE_2019_HEAD = """国务院办公厅关于2019年部分节假日安排的通知
一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。
二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。
"""


def test_a_range_crossing_the_year_end_with_explicit_years() -> None:
    parsed = parse_notice(NOTICE_2019_HEAD, 2019)
    assert _ranges(NOTICE_2019_HEAD, 2019)[0] == ("元旦", "2018-12-30", "2019-01-01")
    assert D("2018-12-29") in parsed.workdays()
    cal = calendar_from_sources({2019: parsed.to_calendar_year()})
    assert not cal.is_working_day(
        D("2018-12-31")
    )  # a Monday given off by the 2019 notice
    assert cal.is_working_day(D("2018-12-29"))


def test_a_range_crossing_the_year_end_without_years() -> None:
    # Same 2019 item written without years: 元旦 dates in December belong to 2018.
    text = "一、元旦：12月30日（周日）至1月1日（周二）放假调休，共3天。12月29日（周六）上班。\n"
    parsed = parse_notice(text, 2019)
    assert (parsed.ranges[0].start, parsed.ranges[0].end) == (
        D("2018-12-30"),
        D("2019-01-01"),
    )
    assert parsed.makeup_days[0].date == D("2018-12-29")


def test_a_note_with_a_date_but_no_arrangement_is_left_out_and_reported() -> None:
    # 2024: "鼓励各单位…安排职工在除夕（2月9日）休息" is not an official day off.
    text = (
        "二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。"
        "鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。\n"
    )
    parsed = parse_notice(text, 2024)
    assert D("2024-02-09") not in parsed.holidays()
    assert len(parsed.ignored_lines) == 1 and parsed.ignored_lines[0][0] == 1
    assert parsed.warnings  # the other holidays are missing from this excerpt


def test_full_width_digits_and_brackets_are_read() -> None:
    text = "一、元旦：１月１日（周三）放假１天，不调休。\n"
    assert _ranges(text, 2025) == [("元旦", "2025-01-01", "2025-01-01")]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        # weekday in brackets contradicts the date (2025-02-08 is a Saturday)
        (
            "x\n二、春节：1月28日至2月4日放假调休，共8天。2月8日（周日）上班。",
            2,
            "周日",
        ),
        # "共9天" but the range has 8 days
        ("一、春节：1月28日至2月4日放假调休，共9天。", 1, "共9天"),
        # a 上班 day that is a weekday
        (
            "一、春节：1月28日至2月4日放假，共8天。2月7日（周五）上班。",
            1,
            "本来就是工作日",
        ),
        # title of another year
        (
            "国务院办公厅关于2024年部分节假日安排的通知\n一、元旦：1月1日放假。",
            1,
            "2024",
        ),
        # an impossible date
        ("一、元旦：2月30日放假。", 1, "不是有效日期"),
        # a range with no end
        ("一、元旦：1月1日至放假。", 1, "至"),
        # a day listed twice
        ("一、元旦：1月1日放假。\n二、春节：1月1日放假。", 2, "已列为放假日"),
    ],
)
def test_unreadable_notices_raise_an_error_naming_the_line(
    text: str, line: int, fragment: str
) -> None:
    with pytest.raises(NoticeParseError) as err:
        parse_notice(text, 2025)
    assert err.value.line_no == line
    assert f"第{line}行" in str(err.value)
    assert fragment in str(err.value)


def test_a_text_with_no_arrangement_at_all_is_refused() -> None:
    with pytest.raises(NoticeParseError, match="未找到任何放假安排"):
        parse_notice("各省、自治区、直辖市人民政府：\n这不是节假日通知。", 2025)


def test_the_2024_notice_with_long_weekday_names_and_joined_weekends() -> None:
    # spec §4a: "星期日" spelled out, "与周末连休" items, and a 除夕 note that is not a day off.
    parsed = parse_notice(
        (SAMPLES / "notice_2024.txt").read_text(encoding="utf-8"), 2024
    )
    assert [(r.name, r.start, r.end) for r in parsed.ranges] == [
        ("元旦", D("2024-01-01"), D("2024-01-01")),
        ("春节", D("2024-02-10"), D("2024-02-17")),
        ("清明节", D("2024-04-04"), D("2024-04-06")),
        ("劳动节", D("2024-05-01"), D("2024-05-05")),
        ("端午节", D("2024-06-10"), D("2024-06-10")),
        ("中秋节", D("2024-09-15"), D("2024-09-17")),
        ("国庆节", D("2024-10-01"), D("2024-10-07")),
    ]
    assert sorted(parsed.workdays()) == [
        D("2024-02-04"),
        D("2024-02-18"),
        D("2024-04-07"),
        D("2024-04-28"),
        D("2024-05-11"),
        D("2024-09-14"),
        D("2024-09-29"),
        D("2024-10-12"),
    ]
    assert D("2024-02-09") not in parsed.holidays()


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_day_of_the_year_agrees_with_the_bundled_data(year: int) -> None:
    # An independent source: the chinesecalendar package's is_workday for each date.
    parsed = parse_notice(
        (SAMPLES / f"notice_{year}.txt").read_text(encoding="utf-8"), year
    )
    cal = calendar_from_sources({year: parsed.to_calendar_year()})
    day = date(year, 1, 1)
    disagreements = []
    while day.year == year:
        if cal.is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day = date.fromordinal(day.toordinal() + 1)
    assert disagreements == []


def test_a_notice_pasted_without_line_breaks() -> None:
    text = (SAMPLES / "notice_2025.txt").read_text(encoding="utf-8")
    one_line = "".join(text.splitlines())
    parsed, expected = parse_notice(one_line, 2025), parse_notice(text, 2025)
    assert parsed.holidays() == expected.holidays()
    assert parsed.workdays() == expected.workdays()
    assert [r.name for r in parsed.ranges] == [r.name for r in expected.ranges]
    assert parsed.doc_no == "国办发明电〔2024〕12号"
    assert {r.line_no for r in parsed.ranges} == {1}


def test_a_long_special_holiday_name() -> None:
    # The 2015 notice's special item (chinesecalendar: anti_fascist_70th_day, 9/3–9/5).
    text = (
        "三、中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日：9月3日至5日放假调休，共3天。"
        "9月6日（星期日）上班。\n"
    )
    parsed = parse_notice(text, 2015)
    assert parsed.ranges[0].name == "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"
    assert (parsed.ranges[0].start, parsed.ranges[0].end) == (
        D("2015-09-03"),
        D("2015-09-05"),
    )
    assert parsed.makeup_days[0].date == D("2015-09-06")


_NOTICE_ALPHABET = "0123456789１２年月日至到放假调休上班共天（）()、。，：；周星期一二三四五六日元旦春节国庆关于部分节假日安排通知\n -"


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=_NOTICE_ALPHABET, max_size=200), year=st.integers(2000, 2040)
)
def test_any_text_either_parses_or_raises_a_notice_error(text: str, year: int) -> None:
    try:
        parsed = parse_notice(text, year)
    except NoticeParseError as exc:
        assert str(exc)
        return
    assert parsed.ranges  # a successful parse always found at least one 放假 range
    assert not parsed.holidays() & parsed.workdays()
    parsed.to_calendar_year()


_TOKENS = [
    "一、元旦：",
    "二、春节：",
    "六、国庆节、中秋节：",
    "1月",
    "2月",
    "12月",
    "10月",
    "1日",
    "3日",
    "8日",
    "28日",
    "29日",
    "30日",
    "31日",
    "2018年",
    "2019年",
    "2099年",
    "至",
    "放假",
    "放假调休",
    "上班",
    "共3天",
    "共8天",
    "（周六）",
    "（星期日）",
    "（农历除夕、周二）",
    "、",
    "。",
    "，",
    "；",
    "\n",
    "国务院办公厅关于2019年部分节假日安排的通知\n",
    "国办发明电〔2018〕15号",
]


@settings(max_examples=600, deadline=None)
@given(
    tokens=st.lists(st.sampled_from(_TOKENS), max_size=40),
    year=st.sampled_from([2019, 2025]),
)
def test_notice_like_text_either_parses_or_raises_a_notice_error(
    tokens: list[str], year: int
) -> None:
    try:
        parsed = parse_notice("".join(tokens), year)
    except NoticeParseError as exc:
        assert str(exc)
        return
    assert parsed.ranges
    assert not parsed.holidays() & parsed.workdays()
    calendar_from_sources({year: parsed.to_calendar_year()}).is_working_day(
        date(year, 6, 1)
    )
