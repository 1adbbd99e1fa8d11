"""The personal-information detectors (gongkai.core.pii): what alarms, what does not,
the masks, the per-organisation rules, and precision/recall on the labelled set."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.pii import (
    Kind,
    NameMask,
    PiiRules,
    find_pii,
    html_lines,
    is_bank_card,
    is_resident_id,
    mask_text,
)
from gongkai.core.pii.detect import _Spans
from gongkai.core.pii.evaluate import score

DATA = Path(__file__).parent / "data" / "pii_labelled.json"

# The example number printed in GB 11643-1999 (born 1949-12-31, check character X).
STANDARD_ID = "11010519491231002X"
TODAY = date(2026, 12, 7)


def kinds(text: str, rules: PiiRules | None = None) -> list[tuple[str, str]]:
    found = find_pii(text, rules or PiiRules(), today=TODAY)
    return [(str(f.kind), f.text) for f in found]


# --------------------------------------------------------------------------- IDs


def test_the_standard_example_id_is_found_and_masked_4_plus_4():
    (f,) = find_pii(f"身份证号：{STANDARD_ID}。", today=TODAY)
    assert (f.kind, f.text, f.masked) == (
        Kind.RESIDENT_ID,
        STANDARD_ID,
        "1101**********002X",
    )


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "wrong check digit"),
        ("110105194913310027", "month 13"),
        ("202612070000123456", "an order number (20 is no province)"),
        ("110105202712310024", "born after today"),
        ("91410300MA44XNFA5Y", "a 统一社会信用代码"),
        ("410300000123456", "a 15-digit register number (year digits 00)"),
    ],
)
def test_an_18_digit_number_that_is_not_an_id_does_not_alarm(number, why):
    assert kinds(f"编号{number}。") == [], why


def test_the_old_15_digit_form_is_found():
    assert kinds("原身份证号110105491231002，") == [("resident_id", "110105491231002")]


def test_a_lower_case_x_is_an_id():
    assert is_resident_id(STANDARD_ID.lower(), today=TODAY)


# --------------------------------------------------------------------------- phones


def test_mobile_numbers_in_text_and_separated():
    text = "电话13912345678或139-1234-5678，+86 13912345678"
    found = kinds(text)
    assert [k for k, _ in found] == ["mobile", "mobile", "mobile"]
    assert find_pii("13912345678", today=TODAY)[0].masked == "139****5678"


def test_a_mobile_inside_a_longer_digit_run_is_not_a_mobile():
    assert kinds("流水号2139123456789") == []
    assert kinds("流水号1391234567800") == []


def test_a_personal_landline_is_found_the_offices_hotline_is_not():
    assert kinds("家庭电话0379-65432100") == [("landline", "0379-65432100")]
    assert kinds("咨询电话：0379-65432100") == []
    assert kinds("联系电话（0379）65432100") == [("landline", "（0379）65432100")]


# --------------------------------------------------------------------------- cards, mail


def test_bank_cards_pass_luhn_numbers_that_fail_it_do_not_alarm():
    assert is_bank_card("4111111111111111")
    assert not is_bank_card("4111111111111112")
    assert kinds("卡号4111 1111 1111 1111") == [("bank_card", "4111 1111 1111 1111")]
    assert kinds("卡号4111111111111112") == []


def test_an_id_with_a_wrong_check_digit_is_not_reported_as_a_bank_card():
    # 18 digits, Luhn-valid, but shaped like an identity number typed wrong.
    candidate = next(
        f"41030419800101{n:04d}"
        for n in range(10000)
        if is_bank_card(f"41030419800101{n:04d}")
        and not is_resident_id(f"41030419800101{n:04d}", today=TODAY)
    )
    assert kinds(f"证件号{candidate}") == []


def test_email_addresses():
    (f,) = find_pii("邮箱 zhang.san@example.com。", today=TODAY)
    assert (f.kind, f.masked) == (Kind.EMAIL, "z***@example.com")


# --------------------------------------------------------------------------- addresses


def test_an_address_with_a_house_number_keeps_the_road_and_masks_the_numbers():
    (f,) = find_pii("户主家住洛浦路12号3单元301室。", today=TODAY)
    assert f.kind is Kind.ADDRESS
    assert f.text == "洛浦路12号3单元301室"
    assert f.masked == "洛浦路**号*单元***室"


def test_the_offices_own_address_is_not_reported():
    assert kinds("办公地址：洛阳市老城区民主街26号") == []


# --------------------------------------------------------------------------- names


def test_a_name_in_the_same_table_row_as_an_id_is_found():
    text = f"序号\t姓名\t身份证号\n1\t张三丰\t{STANDARD_ID}\n2\t李四\t备注"
    found = kinds(text)
    assert ("name", "张三丰") in found
    assert ("name", "李四") not in found  # its row holds nothing personal
    assert ("name", "姓名") not in found


def test_a_name_after_a_label_runs_into_the_next_word():
    found = kinds(f"申请人张三丰身份证号{STANDARD_ID}")
    assert ("name", "张三丰") in found


def test_a_table_in_html_keeps_its_rows():
    html = (
        "<table><tr><th>姓名</th><th>身份证号</th></tr>"
        f"<tr><td>王小明</td><td>{STANDARD_ID}</td></tr></table>"
    )
    text = html_lines(html)
    assert text.splitlines()[1] == f"王小明\t{STANDARD_ID}"
    assert ("name", "王小明") in kinds(text)


@pytest.mark.parametrize(
    ("style", "three", "two"),
    [
        (NameMask.SURNAME_MOU, "张*某", "张某"),
        (NameMask.KEEP_FIRST_LAST, "张*丰", "张*"),
        (NameMask.SURNAME_ONLY, "张**", "张*"),
    ],
)
def test_name_masks_follow_the_organisations_rule(style, three, two):
    rules = PiiRules(name_mask=style)
    text = f"张三丰\t{STANDARD_ID}\n张三\t13912345678"
    masks = {f.text: f.masked for f in find_pii(text, rules, today=TODAY)}
    assert masks["张三丰"] == three
    assert masks["张三"] == two


# --------------------------------------------------------------------------- rules


def test_an_organisation_may_leave_a_kind_out_and_keep_its_own_numbers():
    rules = PiiRules(
        kinds=frozenset({Kind.RESIDENT_ID}), public_values=frozenset({"13800000000"})
    )
    assert kinds(f"{STANDARD_ID} 13912345678", rules) == [("resident_id", STANDARD_ID)]
    assert (
        kinds("13800000000", PiiRules(public_values=frozenset({"13800000000"}))) == []
    )


def test_id_keep_changes_the_visible_digits():
    (f,) = find_pii(STANDARD_ID, PiiRules(id_keep=3), today=TODAY)
    assert f.masked == "110************02X"


def test_mask_text_replaces_every_finding():
    text = f"张三丰\t{STANDARD_ID}\t13912345678"
    masked = mask_text(text, find_pii(text, today=TODAY))
    assert masked == "张*某\t1101**********002X\t139****5678"
    assert find_pii(masked, today=TODAY) == []


# --------------------------------------------------------------------------- measured

# Floors, not targets: the set is synthetic (bench/make_pii_labelled.py) and real
# documents are harder; docs/benchmarks.md gives the measured figures.
FLOORS = {
    "resident_id": (0.98, 0.98),
    "mobile": (0.98, 0.98),
    "landline": (0.95, 0.95),
    "bank_card": (0.95, 0.95),
    "email": (0.95, 0.95),
    "address": (0.9, 0.9),
    "name": (0.9, 0.9),
}


@pytest.mark.parametrize("part", ["dev", "heldout"])
def test_precision_and_recall_per_kind_on_the_labelled_set(part):
    docs = json.loads(DATA.read_text(encoding="utf-8"))[part]
    scores = score(docs)
    assert set(scores) == set(FLOORS)
    for kind, (p_floor, r_floor) in FLOORS.items():
        s = scores[kind]
        assert s.true_pos >= 30, kind  # the set really holds this kind
        assert s.precision >= p_floor, (kind, s)
        assert s.recall >= r_floor, (kind, s)


def test_the_official_in_charge_and_the_office_line_closing_a_notice_are_not_reported():
    assert kinds("联系人：王建国，联系电话：0379-63921234。") == []
    # A mobile number is personal even there, and then the name next to it is too.
    found = kinds("联系人：王建国，联系电话：13903795678。")
    assert ("mobile", "13903795678") in found and ("name", "王建国") in found
    # The label reaches only to the end of its sentence.
    assert ("landline", "0379-65432100") in kinds(
        "联系人：王建国。家庭电话0379-65432100"
    )


@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 20)), max_size=40),
    st.integers(0, 220),
    st.integers(1, 20),
)
def test_the_span_index_answers_overlap_as_a_full_scan_would(spans, start, size):
    kept: list[tuple[int, int]] = []
    index = _Spans()
    for s, n in spans:  # keep only disjoint spans, as the detectors do
        if not any(a < s + n and s < b for a, b in kept):
            kept.append((s, s + n))
            index.add(s, s + n)
    end = start + size
    assert index.overlaps(start, end) == any(a < end and start < b for a, b in kept)


def test_a_page_of_thousands_of_findings_is_found_whole():
    text = "路1号" * 3000 + "".join(f"\n张三\t{STANDARD_ID}" for _ in range(2000))
    found = find_pii(text, today=TODAY)
    assert sum(f.kind is Kind.ADDRESS for f in found) == 1500
    assert sum(f.kind is Kind.RESIDENT_ID for f in found) == 2000
    assert sum(f.kind is Kind.NAME for f in found) == 2000
