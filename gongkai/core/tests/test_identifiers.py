"""Identity numbers (Art. 29(一) 身份证明) and masking.

Every valid number below was built by hand; the arithmetic is written out next to it
and re-done by the small independent helpers in this file (literal weight tables typed
from the standards), never by the module under test.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.identifiers import (
    IdDocumentType,
    IdentifierError,
    mask_address,
    mask_identifier,
    mask_phone,
    validate_credit_code,
    validate_id_document,
    validate_resident_id,
)

TODAY = date(2026, 11, 25)

# GB 11643-1999 table: weights and check characters, typed from the standard.
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECKS = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

# GB 32100-2015 table 2 and weights, typed from the standard.
CC_VALUES = {
    **{str(d): d for d in range(10)},
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17,
    "J": 18, "K": 19, "L": 20, "M": 21, "N": 22, "P": 23, "Q": 24, "R": 25,
    "T": 26, "U": 27, "W": 28, "X": 29, "Y": 30,
}  # fmt: skip
CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
CC_BY_VALUE = {v: k for k, v in CC_VALUES.items()}


def hand_id_check(first17: str) -> str:
    return ID_CHECKS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def hand_cc_check(first17: str) -> str:
    total = sum(CC_VALUES[c] * w for c, w in zip(first17, CC_WEIGHTS))
    return CC_BY_VALUE[(31 - total % 31) % 31]


# --------------------------------------------------------------------------- resident ID

# 11010519491231002X — the worked example of GB 11643-1999:
#   1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10
#   + 1·5 + 0·8 + 0·4 + 2·2 = 167; 167 mod 11 = 2 → "X".
# 410302198507151230 — 老城区, born 1985-07-15:
#   28+9+0+15+0+8+2+9+48+15+0+63+10+25+8+8+6 = 254; 254 mod 11 = 1 → "0".
VALID_RESIDENT_IDS = ["11010519491231002X", "410302198507151230"]


@pytest.mark.parametrize("number", VALID_RESIDENT_IDS)
def test_hand_calculated_resident_ids_match_the_written_out_arithmetic(
    number: str,
) -> None:
    assert hand_id_check(number[:17]) == number[17]


@pytest.mark.parametrize("number", VALID_RESIDENT_IDS)
def test_a_valid_resident_id_is_accepted_and_returned(number: str) -> None:
    assert validate_resident_id(number, today=TODAY) == number


def test_resident_id_is_normalised_for_case_and_whitespace() -> None:
    assert validate_resident_id(" 110105 19491231 002x\u3000", today=TODAY) == (
        "11010519491231002X"
    )


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "id.empty"),
        ("410302198507151231", "id.checksum"),  # check should be 0
        ("11010519491231002Y", "id.charset"),
        ("4103021985071512", "id.length"),
        ("410302850715123", "id.first_generation"),  # old 15-digit card
        ("41030219850732123X", "id.birth_date"),  # 32 July
        ("410302190002291234", "id.birth_date"),  # 1900 was not a leap year
        ("41030A198507151230", "id.charset"),
    ],
)
def test_an_invalid_resident_id_raises_with_a_stable_code(
    number: str, code: str
) -> None:
    with pytest.raises(IdentifierError) as err:
        validate_resident_id(number, today=TODAY)
    assert err.value.code == code
    assert isinstance(err.value, ValueError)


def test_a_checksum_error_says_so_in_chinese() -> None:
    with pytest.raises(IdentifierError, match="居民身份证号码校验位错误"):
        validate_resident_id("410302198507151231", today=TODAY)


def test_a_birth_date_after_today_is_rejected() -> None:
    # 410302202612010011: born 2026-12-01, after TODAY. Check digit by hand:
    #   28+9+0+15+0+8+4+0+12+18+7+18+0+5+0+0+2 = 126; 126 mod 11 = 5 → "7".
    number = "41030220261201001" + "7"
    assert hand_id_check(number[:17]) == "7"
    with pytest.raises(IdentifierError) as err:
        validate_resident_id(number, today=TODAY)
    assert err.value.code == "id.birth_date"
    assert validate_resident_id(number, today=date(2027, 1, 1)) == number


def test_a_birth_date_before_1900_is_rejected_even_with_a_correct_checksum() -> None:
    # 440524188001010014 is the standard's own example, born 1880:
    #   28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 → "4".
    assert hand_id_check("44052418800101001") == "4"
    with pytest.raises(IdentifierError) as err:
        validate_resident_id("440524188001010014", today=TODAY)
    assert err.value.code == "id.birth_date"


def test_a_residence_permit_number_is_not_accepted_as_a_resident_id() -> None:
    with pytest.raises(IdentifierError) as err:
        validate_resident_id("810000199001010019", today=TODAY)
    assert err.value.code == "id.is_residence_permit"


@given(
    st.from_regex(
        r"[1-6][0-9]{5}(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}",
        fullmatch=True,
    )
)
def test_every_single_character_change_of_a_valid_id_is_caught(first17: str) -> None:
    number = first17 + hand_id_check(first17)
    assert validate_resident_id(number, today=TODAY) == number
    # MOD 11-2: weights are non-zero mod the prime 11, so any one substitution changes
    # the checksum (or breaks the birth date) and must be refused.
    for pos in range(18):
        for other in "0123456789X":
            if other != number[pos]:
                with pytest.raises(IdentifierError):
                    validate_resident_id(
                        number[:pos] + other + number[pos + 1 :], today=TODAY
                    )


# --------------------------------------------------------------------------- credit code

# 91410302MA44R7PU1T — values 9,1,4,1,0,3,0,2,21,10,4,4,25,7,23,27,1:
#   9+3+36+27+0+78+0+34+420+290+100+52+200+168+230+810+28 = 2485;
#   2485 mod 31 = 5; 31 - 5 = 26 → "T".
# 121000004000000010 — 1·1 + 2·3 + 1·9 + 4·20 + 1·28 = 124 = 4·31;
#   mod 31 = 0 → (31 - 0) mod 31 = 0 → "0" (the wrap-around case).
VALID_CREDIT_CODES = ["91410302MA44R7PU1T", "121000004000000010"]


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_hand_calculated_credit_codes_match_the_written_out_arithmetic(
    code: str,
) -> None:
    assert hand_cc_check(code[:17]) == code[17]


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_a_valid_credit_code_is_accepted(code: str) -> None:
    assert validate_credit_code(code) == code


def test_credit_code_is_normalised_for_case_and_whitespace() -> None:
    assert validate_credit_code(" 91410302ma44r7pu1t ") == "91410302MA44R7PU1T"


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("", "credit_code.empty"),
        ("91410302MA44R7PU1", "credit_code.length"),
        ("91410302MA44R7PU1TT", "credit_code.length"),
        ("91410302MA44R7PU1U", "credit_code.checksum"),
        ("91410302MA44R7PO1T", "credit_code.charset"),  # O is not used
        ("91410302MA44R7PI1T", "credit_code.charset"),  # I is not used
        ("91410302MA44R7PS1T", "credit_code.charset"),  # S is not used
        ("9141A302MA44R7PU1T", "credit_code.region"),
    ],
)
def test_an_invalid_credit_code_raises(code: str, error_code: str) -> None:
    with pytest.raises(IdentifierError) as err:
        validate_credit_code(code)
    assert err.value.code == error_code


def test_a_credit_code_checksum_error_has_the_chinese_message() -> None:
    with pytest.raises(IdentifierError, match=r"^统一社会信用代码校验位错误$"):
        validate_credit_code("91410302MA44R7PU1U")


CC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(
    st.text(alphabet=CC_ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=CC_ALPHABET, min_size=9, max_size=9),
)
def test_every_single_character_change_of_a_credit_code_is_caught(
    head: str, region: str, org: str
) -> None:
    first17 = head + region + org
    code = first17 + hand_cc_check(first17)
    assert validate_credit_code(code) == code
    # Weights 3^i mod 31 are non-zero mod the prime 31: one substitution always shows.
    for pos in range(18):
        other = CC_ALPHABET[(CC_VALUES[code[pos]] + 7) % 31]
        with pytest.raises(IdentifierError):
            validate_credit_code(code[:pos] + other + code[pos + 1 :])


def test_swapping_two_adjacent_characters_is_caught() -> None:
    with pytest.raises(IdentifierError):
        validate_credit_code("91410302AM44R7PU1T")


# --------------------------------------------------------------------------- other documents


# 810000199001010019 (香港): 56+9+0+0+0+0+2+9+54+0+0+9+0+5+0+0+2 = 146; mod 11 = 3 → "9".
# 830000199512310025 (台湾): 56+27+0+0+0+0+2+9+54+15+7+18+30+5+0+0+4 = 227; mod 11 = 7 → "5".
# 911840198001010013 (外国人, new card): 63+9+10+40+32+0+2+9+48+0+0+9+0+5+0+0+2 = 229;
#   mod 11 = 9 → "3".
@pytest.mark.parametrize(
    ("kind", "number"),
    [
        (IdDocumentType.RESIDENT_ID, "410302198507151230"),
        (IdDocumentType.HMT_RESIDENCE_PERMIT, "810000199001010019"),
        (IdDocumentType.HMT_RESIDENCE_PERMIT, "830000199512310025"),
        (IdDocumentType.FOREIGNER_PERMANENT_RESIDENCE, "911840198001010013"),
        (IdDocumentType.FOREIGNER_PERMANENT_RESIDENCE, "USA310775010101"),
        (IdDocumentType.PASSPORT, "E12345678"),
        (IdDocumentType.PASSPORT, "EA1234567"),
        (IdDocumentType.HK_MACAO_PERMIT, "H12345678"),
        (IdDocumentType.HK_MACAO_PERMIT, "M1234567801"),
        (IdDocumentType.TAIWAN_PERMIT, "01234567"),
        (IdDocumentType.TAIWAN_PERMIT, "1234567890(B)"),
        (IdDocumentType.CREDIT_CODE, "91410302MA44R7PU1T"),
        ("resident_id", "410302198507151230"),
    ],
)
def test_each_document_kind_accepts_a_well_formed_number(
    kind: IdDocumentType | str, number: str
) -> None:
    assert validate_id_document(kind, number, today=TODAY) == number


def test_hand_calculated_permit_numbers_match_the_written_out_arithmetic() -> None:
    for number in ("810000199001010019", "830000199512310025", "911840198001010013"):
        assert hand_id_check(number[:17]) == number[17]


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        (IdDocumentType.HMT_RESIDENCE_PERMIT, "810000199001010018"),  # checksum
        (IdDocumentType.HMT_RESIDENCE_PERMIT, "410302198507151230"),  # not 81/82/83
        (IdDocumentType.FOREIGNER_PERMANENT_RESIDENCE, "410302198507151230"),
        (IdDocumentType.FOREIGNER_PERMANENT_RESIDENCE, "911840198001010012"),
        (IdDocumentType.FOREIGNER_PERMANENT_RESIDENCE, "US1310775010101"),
        (IdDocumentType.FOREIGNER_PERMANENT_RESIDENCE, "USA310775130101"),  # month 13
        (IdDocumentType.PASSPORT, "E123"),
        (IdDocumentType.PASSPORT, "E1234-5678"),
        (IdDocumentType.HK_MACAO_PERMIT, "C12345678"),
        (IdDocumentType.HK_MACAO_PERMIT, "H1234567"),
        (IdDocumentType.TAIWAN_PERMIT, "1234567"),
        (IdDocumentType.TAIWAN_PERMIT, "T1234567"),
        (IdDocumentType.CREDIT_CODE, "91410302MA44R7PU1U"),
        ("driving_licence", "410302198507151230"),
    ],
)
def test_each_document_kind_rejects_a_malformed_number(
    kind: IdDocumentType | str, number: str
) -> None:
    with pytest.raises(IdentifierError):
        validate_id_document(kind, number, today=TODAY)


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (IdDocumentType.RESIDENT_ID, "居民身份证"),
        (IdDocumentType.PASSPORT, "护照"),
        (IdDocumentType.HK_MACAO_PERMIT, "港澳居民来往内地通行证"),
        (IdDocumentType.TAIWAN_PERMIT, "台湾居民来往大陆通行证"),
        (IdDocumentType.HMT_RESIDENCE_PERMIT, "港澳台居民居住证"),
        (IdDocumentType.FOREIGNER_PERMANENT_RESIDENCE, "外国人永久居留身份证"),
        (IdDocumentType.CREDIT_CODE, "统一社会信用代码"),
    ],
)
def test_every_document_kind_has_its_chinese_label(
    kind: IdDocumentType, label: str
) -> None:
    assert kind.label == label


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("410102198507151234", "4101**********1234"),
        ("91410302MA44R7PU1T", "9141**********PU1T"),
        ("E12345678", "E1*****78"),
        ("abc", "***"),
        ("", ""),
    ],
)
def test_mask_identifier_examples(value: str, masked: str) -> None:
    assert mask_identifier(value) == masked


@given(st.text(alphabet="0123456789ABCXYZ", max_size=40))
def test_mask_identifier_never_shows_more_than_half_or_more_than_eight(
    value: str,
) -> None:
    masked = mask_identifier(value)
    visible = sum(1 for c in masked if c != "*")
    assert len(masked) == len(value)
    assert visible <= len(value) // 2
    assert visible <= 8
    # every visible character is the original one in the same place
    assert all(m in ("*", v) for m, v in zip(masked, value))


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("8613812345678", "86138****5678"),
        ("0379-63912345", "****-****2345"),
        ("12345", "*****"),
    ],
)
def test_mask_phone_examples(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_masked_mobile_shows_exactly_seven_digits(value: str) -> None:
    masked = mask_phone(value)
    assert masked[:3] == value[:3]
    assert masked[3:7] == "****"
    assert masked[7:] == value[7:]


@given(st.text(alphabet="0123456789- ", max_size=20))
def test_a_masked_phone_never_shows_more_than_seven_digits(value: str) -> None:
    masked = mask_phone(value)
    assert len(masked) == len(value.strip())
    # a leading 86 country code may stay visible on top of the 7 digits
    limit = 9 if value.strip().startswith("86") else 7
    assert sum(c.isdigit() for c in masked) <= limit


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("河南省洛阳市老城区洛浦街道中州东路123号", "河南省洛阳市老城区****"),
        ("洛阳市老城区西大街5号院2单元301", "洛阳市老城区****"),
        ("北京市东城区东华门街道1号", "北京市东城区****"),
        ("内蒙古自治区呼和浩特市新城区某路8号", "内蒙古自治区呼和浩特市新城区****"),
        ("幸福路12号", "幸福****"),
        ("河南省洛阳市", "河南省洛阳市"),
    ],
)
def test_mask_address_examples(value: str, masked: str) -> None:
    assert mask_address(value) == masked


@given(st.text(alphabet="路号院单元幢楼室甲乙0123456789", min_size=1, max_size=30))
def test_a_masked_street_address_keeps_at_most_a_third(value: str) -> None:
    masked = mask_address(value)
    assert masked.endswith("****")
    assert len(masked) - 4 <= len(value) // 3
