"""Identity numbers an applicant gives under Art. 29(一) of the 条例 (身份证明), and masking.

Validators normalise (strip whitespace, upper-case) and return the normalised value, or
raise :class:`IdentifierError` with a Chinese message and a stable dotted ``code``.

Standards implemented from their published algorithms:

* 统一社会信用代码 — GB 32100-2015: 18 characters from a 31-character alphabet that omits
  I, O, Z, S, V; characters 3–8 are the administrative-division code (digits); the 18th is
  a check character: ``31 - (Σ value·weight mod 31)`` (31 becomes 0), weights ``3^i mod 31``.
* 居民身份证号码 — GB 11643-1999: 17 digits + check digit by ISO 7064 MOD 11-2
  (weights ``2^(17-i) mod 11``; remainder 10 is written ``X``); digits 7–14 are the birth date.
* 港澳台居民居住证 — same structure and checksum as the resident ID, with the address code
  810000 (香港), 820000 (澳门) or 830000 (台湾).
* 外国人永久居留身份证 — new (2023) 18-digit card beginning with ``9``, same checksum and
  birth date at digits 7–14; old (2004) 15-character card: 3-letter nationality code,
  4-digit 受理地 code, YYMMDD birth date (characters 8–13), 2 more characters (its check
  character is not verified: we hold no published standard for its algorithm).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "IdDocumentType",
    "IdentifierError",
    "credit_code_check_character",
    "fold_ascii",
    "mask_address",
    "mask_email",
    "mask_identifier",
    "mask_phone",
    "resident_id_check_character",
    "validate_credit_code",
    "validate_id_document",
    "validate_resident_id",
]

_CHINA = ZoneInfo("Asia/Shanghai")

# GB 32100-2015 §4.2: the code alphabet, in value order 0..30 (no I, O, Z, S, V).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, ...

# GB 11643-1999 / ISO 7064 MOD 11-2: weight of position i (1-based, left to right) is
# 2^(18-i) mod 11, i.e. 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2.
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"  # check character for (Σ mod 11) = 0..10

_EARLIEST_BIRTH = date(1900, 1, 1)

_RESIDENCE_PERMIT_PREFIXES = {"810000": "香港", "820000": "澳门", "830000": "台湾"}


class IdentifierError(ValueError):
    """An identity number that fails its standard; ``code`` is a stable dotted name."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class IdDocumentType(StrEnum):
    """Identity documents accepted as 身份证明 (Art. 29(一)); value is the stored key."""

    RESIDENT_ID = "resident_id"
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"
    FOREIGNER_PERMANENT_RESIDENCE = "foreigner_permanent_residence"
    CREDIT_CODE = "credit_code"

    @property
    def label(self) -> str:
        """The Chinese name shown on forms and letters."""
        return _DOCUMENT_LABELS[self]


_DOCUMENT_LABELS: dict[IdDocumentType, str] = {
    IdDocumentType.RESIDENT_ID: "居民身份证",
    IdDocumentType.PASSPORT: "护照",
    IdDocumentType.HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    IdDocumentType.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    IdDocumentType.HMT_RESIDENCE_PERMIT: "港澳台居民居住证",
    IdDocumentType.FOREIGNER_PERMANENT_RESIDENCE: "外国人永久居留身份证",
    IdDocumentType.CREDIT_CODE: "统一社会信用代码",
}


def fold_ascii(value: str) -> str:
    """Each character whose compatibility form (NFKC) is printable ASCII written as
    that form: ``１３８ ０ｘ＠ｑｑ．ｃｏｍ`` → ``138 0x@qq.com``; every other
    character (Chinese, 〔〕) is kept. The one fold of what the public types into a
    telephone number, an e-mail address, an id number or a 文号, before it is
    checked and stored (an SMS gateway or a mail server takes ASCII only)."""
    return "".join(_ascii_form(ch) for ch in value or "")


def _ascii_form(ch: str) -> str:
    if ch.isascii():
        return ch
    form = unicodedata.normalize("NFKC", ch)
    return form if form.isascii() and form.isprintable() else ch


def _normalise(value: str) -> str:
    """Drop all whitespace (including full-width spaces), fold full-width and other
    compatibility forms (１ → 1, ² → 2: NFKC) and upper-case."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def _digits(value: str) -> bool:
    """Only ASCII digits: ``str.isdigit`` is true of characters ``int`` refuses."""
    return value.isascii() and value.isdigit()


def _today() -> date:
    return datetime.now(tz=_CHINA).date()


# --------------------------------------------------------------------------- credit code


def credit_code_check_character(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015); return it normalised."""
    value = _normalise(code)
    if not value:
        raise IdentifierError("统一社会信用代码不能为空", code="credit_code.empty")
    if len(value) != 18:
        raise IdentifierError(
            f"统一社会信用代码应为18位，实际为{len(value)}位",
            code="credit_code.length",
        )
    bad = sorted({c for c in value if c not in _CREDIT_VALUE})
    if bad:
        raise IdentifierError(
            f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}"
            "（不使用I、O、Z、S、V）",
            code="credit_code.charset",
        )
    if not _digits(value[2:8]):
        raise IdentifierError(
            "统一社会信用代码第3至8位应为行政区划码（数字）",
            code="credit_code.region",
        )
    if credit_code_check_character(value[:17]) != value[17]:
        raise IdentifierError("统一社会信用代码校验位错误", code="credit_code.checksum")
    return value


# --------------------------------------------------------------------------- 18-digit IDs


def resident_id_check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character (GB 11643) for 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def _parse_birth(yyyymmdd: str) -> date | None:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def _check_birth(born: date | None, label: str, today: date | None) -> None:
    if born is None:
        raise IdentifierError(f"{label}中的出生日期无效", code="id.birth_date")
    if born < _EARLIEST_BIRTH or born > (today or _today()):
        raise IdentifierError(
            f"{label}中的出生日期不合理：{born.isoformat()}", code="id.birth_date"
        )


def _validate_18_digit(number: str, label: str, today: date | None) -> str:
    value = _normalise(number)
    if not value:
        raise IdentifierError(f"{label}号码不能为空", code="id.empty")
    if len(value) == 15 and _digits(value) and label == "居民身份证":
        raise IdentifierError(
            "15位第一代居民身份证已于2013年1月1日停止使用，请提供18位号码",
            code="id.first_generation",
        )
    if len(value) != 18:
        raise IdentifierError(
            f"{label}号码应为18位，实际为{len(value)}位", code="id.length"
        )
    if not _digits(value[:17]) or not (_digits(value[17]) or value[17] == "X"):
        raise IdentifierError(
            f"{label}号码前17位应为数字，第18位应为数字或X", code="id.charset"
        )
    _check_birth(_parse_birth(value[6:14]), label, today)
    if resident_id_check_character(value[:17]) != value[17]:
        raise IdentifierError(f"{label}号码校验位错误", code="id.checksum")
    return value


def validate_resident_id(number: str, *, today: date | None = None) -> str:
    """Validate a 居民身份证号码 (GB 11643, 18 digits); ``today`` bounds the birth date."""
    value = _validate_18_digit(number, "居民身份证", today)
    if value[:6] in _RESIDENCE_PERMIT_PREFIXES:
        raise IdentifierError(
            "该号码是港澳台居民居住证号码，请选择“港澳台居民居住证”",
            code="id.is_residence_permit",
        )
    if value[0] == "9":
        raise IdentifierError(
            "该号码是外国人永久居留身份证号码，请选择“外国人永久居留身份证”",
            code="id.is_foreigner_card",
        )
    return value


def _validate_residence_permit(number: str, today: date | None) -> str:
    value = _validate_18_digit(number, "港澳台居民居住证", today)
    if value[:6] not in _RESIDENCE_PERMIT_PREFIXES:
        raise IdentifierError(
            "港澳台居民居住证号码应以810000、820000或830000开头",
            code="id.residence_permit_prefix",
        )
    return value


_OLD_FOREIGNER = re.compile(r"[A-Z]{3}\d{12}")


def _validate_foreigner_card(number: str, today: date | None) -> str:
    value = _normalise(number)
    label = "外国人永久居留身份证"
    if len(value) == 15:
        if not _OLD_FOREIGNER.fullmatch(value):
            raise IdentifierError(
                f"{label}（旧版15位）应为3位国籍字母代码加12位数字",
                code="id.charset",
            )
        yymmdd = value[7:13]
        # Old cards hold a two-digit year; take the most recent century not in the future.
        today_ = today or _today()
        century = 2000 if int(yymmdd[:2]) + 2000 <= today_.year else 1900
        born = _parse_birth(f"{century + int(yymmdd[:2])}{yymmdd[2:]}")
        _check_birth(born, label, today_)
        return value
    value = _validate_18_digit(value, label, today)
    if value[0] != "9":
        raise IdentifierError(
            f"{label}（新版18位）号码应以9开头", code="id.foreigner_prefix"
        )
    return value


_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")
_HK_MACAO = re.compile(r"[HM]\d{8}(\d{2})?")
_TAIWAN = re.compile(r"\d{8}|\d{10}(\(?[A-Z]\)?)?")


def _validate_pattern(
    number: str, pattern: re.Pattern[str], label: str, hint: str
) -> str:
    value = _normalise(number)
    if not value:
        raise IdentifierError(f"{label}号码不能为空", code="id.empty")
    if not pattern.fullmatch(value):
        raise IdentifierError(f"{label}号码格式错误：{hint}", code="id.format")
    return value


def validate_id_document(
    kind: IdDocumentType | str, number: str, *, today: date | None = None
) -> str:
    """Validate the number of a 身份证明 (Art. 29(一)) of the given kind; return it normalised.

    Passports are checked only for shape (5–20 letters/digits), since foreign passports
    have no common format; 港澳通行证 is H/M + 8 digits (+ 2-digit issue count);
    台胞证 is 8 digits (card since 2015) or 10 digits with an optional letter (booklet).
    """
    try:
        kind = IdDocumentType(kind)
    except ValueError:
        raise IdentifierError(
            f"不支持的身份证明类型：{kind}", code="id.unknown_kind"
        ) from None
    match kind:
        case IdDocumentType.RESIDENT_ID:
            return validate_resident_id(number, today=today)
        case IdDocumentType.HMT_RESIDENCE_PERMIT:
            return _validate_residence_permit(number, today)
        case IdDocumentType.FOREIGNER_PERMANENT_RESIDENCE:
            return _validate_foreigner_card(number, today)
        case IdDocumentType.CREDIT_CODE:
            return validate_credit_code(number)
        case IdDocumentType.PASSPORT:
            return _validate_pattern(
                number, _PASSPORT, kind.label, "应为5至20位字母或数字"
            )
        case IdDocumentType.HK_MACAO_PERMIT:
            return _validate_pattern(
                number, _HK_MACAO, kind.label, "应为H或M加8位数字（可另加2位换证次数）"
            )
        case IdDocumentType.TAIWAN_PERMIT:
            return _validate_pattern(
                number, _TAIWAN, kind.label, "应为8位数字，或旧版10位数字加字母"
            )


# --------------------------------------------------------------------------- masking

MASK = "*"


def mask_identifier(value: str) -> str:
    """Mask an identity number for screens: keep ``min(4, len // 4)`` characters at each end.

    An 18-character ID shows ``4101**********1234``; a 9-character passport
    shows 2 + 2. At most half of the characters (and never more than 8) stay visible.
    """
    text = _normalise(value)
    keep = min(4, len(text) // 4)
    if keep == 0:
        return MASK * len(text)
    return text[:keep] + MASK * (len(text) - 2 * keep) + text[-keep:]


def mask_phone(value: str) -> str:
    """Mask a phone number: mobile ``138****5678``; other numbers keep only the last 4 digits.

    Separators (``-``, ``+``, spaces) are kept; a ``+86``/``86`` country prefix is kept.
    """
    text = str(value).strip()
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    country = 0
    if text.startswith("+86") or (len(digits) == 13 and text.startswith("86")):
        country = 2
    national = digits[country:]
    if len(national) == 11 and text[national[0]] == "1":
        visible = set(national[:3]) | set(national[-4:])
    else:
        visible = set(national[-4:]) if len(national) > 7 else set()
    visible |= set(digits[:country])
    return "".join(
        c if (not c.isdigit() or i in visible) else MASK for i, c in enumerate(text)
    )


_ADDRESS_PREFIX = re.compile(
    r"(?P<province>[^省市区县]{2,7}?(?:省|自治区|特别行政区))?"
    r"(?P<city>[^省市区县]{1,8}?(?:市|自治州|地区|盟))?"
    r"(?P<county>[^省市区县]{1,8}?(?:区|县|市|旗))?"
)

ADDRESS_MASK = MASK * 4


def mask_address(value: str) -> str:
    """Mask a postal address: keep province/city/county, replace the rest with ``****``.

    The replacement has a fixed length so the address length is not revealed. An address
    without a recognisable division prefix keeps only its first ``min(3, len // 3)``
    characters.
    """
    text = "".join(str(value).split())
    match = _ADDRESS_PREFIX.match(text)
    prefix = match.group(0) if match else ""
    if not prefix:
        prefix = text[: min(3, len(text) // 3)]
    if prefix == text:
        return text
    return prefix + ADDRESS_MASK


def mask_email(value: str) -> str:
    """``w***@example.com``: the first character of the mailbox and the domain.

    Empty stays empty; a value without ``@`` keeps only its first character.
    """
    if not value:
        return ""
    local, _, domain = value.partition("@")
    return f"{local[:1]}{MASK * 3}@{domain}" if domain else f"{value[:1]}{MASK * 3}"
