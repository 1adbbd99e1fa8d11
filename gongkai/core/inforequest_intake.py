"""Who applies and how the application arrives (条例 Art. 29, Art. 31).

:class:`ApplicantType` — the applicant columns of table 三 (Art. 29(一));
:class:`IntakeChannel` and :func:`receipt_date` — the Art. 31 date of receipt.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum

from gongkai.core.identifiers import IdDocumentType

__all__ = [
    "INTAKE_MAX_LENGTHS",
    "REGULATION_IN_FORCE",
    "ApplicantType",
    "IntakeChannel",
    "ReceiptDateError",
    "phone_error",
    "receipt_date",
]

# 《中华人民共和国政府信息公开条例》(国务院令第492号) took effect on 1 May 2008: no
# application, and no review or suit about one, predates it (and the working-day
# calendar could not count from such a date).
REGULATION_IN_FORCE = date(2008, 5, 1)

# The longest text each field of an application takes, in characters — one rule for
# every way in: the online form, staff intake and the API (staff intake once took any
# length, and a 5,000-character description gave a ten-page 回执). The short fields are
# the widths of their columns (``InfoRequest``); 2,000 characters of description are
# the online form's limit, about a page and a half.
INTAKE_MAX_LENGTHS: dict[str, int] = {
    "applicant_name": 100,
    "id_number": 40,
    "legal_representative": 50,
    "contact_person": 50,
    "phone": 30,
    "email": 100,
    "address": 200,
    "postcode": 6,
    "description": 2000,
}


# --------------------------------------------------------------------------- contact

# A telephone number as people write it: digits, spaces, hyphens, parentheses, an
# optional +86 (or 0086) in front — "0903-1234567", "(0903) 123 4567", "+86 139 1234
# 5678"; 7 to 20 digits in all (a local number without area code has 7).
_PHONE_CHARS = re.compile(r"(?:\+86|0086)?[0-9\s()\-]+")
PHONE_DIGITS = (7, 20)
PHONE_MESSAGE = (
    "联系电话格式不正确：请填写数字，可含空格、连字符“-”和括号，可在前面加 +86，"
    "共7至20位数字，例如 13912345678 或 0903-1234567。"
)


def phone_error(value: str) -> str | None:
    """The Chinese message if ``value`` is not a telephone number (None if it is, or if
    blank: whether a contact is required is the caller's rule). Full-width digits and
    signs count as their ASCII forms. One rule for every way in (online form, staff
    intake, the API)."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return None
    if not _PHONE_CHARS.fullmatch(text):
        return PHONE_MESSAGE
    digits = sum(c in "0123456789" for c in text)
    low, high = PHONE_DIGITS
    return None if low <= digits <= high else PHONE_MESSAGE


# --------------------------------------------------------------------------- applicants


class ApplicantType(StrEnum):
    """Applicant categories = the six value columns of table 三 (Art. 29; 2021 format).

    The value is the column key of the flat cell keys (``s3.granted.natural``).
    """

    NATURAL = "natural"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    SOCIAL = "social"
    LEGAL = "legal"
    OTHER = "other"

    @property
    def column(self) -> str:
        """Column key in table 三."""
        return self.value

    @property
    def label(self) -> str:
        """Column header as printed in table 三."""
        return _APPLICANT_LABELS[self]

    @property
    def is_organisation(self) -> bool:
        """True for the five columns under 法人或其他组织."""
        return self is not ApplicantType.NATURAL

    @property
    def group_label(self) -> str:
        """The spanning header of the column ('' for 自然人)."""
        return "法人或其他组织" if self.is_organisation else ""

    @property
    def accepted_documents(self) -> tuple[IdDocumentType, ...]:
        """Identity documents (身份证明, Art. 29(一)) that fit this applicant type."""
        if self.is_organisation:
            return (IdDocumentType.CREDIT_CODE,)
        return tuple(d for d in IdDocumentType if d is not IdDocumentType.CREDIT_CODE)


_APPLICANT_LABELS: dict[ApplicantType, str] = {
    ApplicantType.NATURAL: "自然人",
    ApplicantType.COMMERCIAL: "商业企业",
    ApplicantType.RESEARCH: "科研机构",
    ApplicantType.SOCIAL: "社会公益组织",
    ApplicantType.LEGAL: "法律服务机构",
    ApplicantType.OTHER: "其他",
}


# --------------------------------------------------------------------------- intake


class IntakeChannel(StrEnum):
    """How an application arrived (Art. 29, Art. 31)."""

    IN_PERSON = "in_person"
    ORAL = "oral"
    REGISTERED_POST = "registered_post"
    ORDINARY_LETTER = "ordinary_letter"
    FAX = "fax"
    EMAIL = "email"
    ONLINE = "online"

    @property
    def label(self) -> str:
        """Chinese name for forms."""
        return _CHANNEL_LABELS[self]

    @property
    def ledger_channel(self) -> str:
        """The channel key of the deadline ledger (``core.workdays`` events).

        E-mail is an Internet channel under Art. 31(三), so the ledger calls it
        ``online``; the other keys are the same.
        """
        return "online" if self is IntakeChannel.EMAIL else self.value


_CHANNEL_LABELS: dict[IntakeChannel, str] = {
    IntakeChannel.IN_PERSON: "当面提交",
    IntakeChannel.ORAL: "口头提出（代为填写）",
    IntakeChannel.REGISTERED_POST: "邮寄（需签收）",
    IntakeChannel.ORDINARY_LETTER: "平常信函",
    IntakeChannel.FAX: "传真",
    IntakeChannel.EMAIL: "电子邮件",
    IntakeChannel.ONLINE: "网络平台",
}


class ReceiptDateError(ValueError):
    """The dates given do not determine an Art. 31 date of receipt."""


def receipt_date(
    channel: IntakeChannel | str,
    *,
    submitted_on: date,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """The date the agency received the application (收到申请之日), Art. 31.

    * 当面 / 口头代填 (Art. 31(一), Art. 29(1)): ``submitted_on``, the day it was handed in.
    * 邮寄需签收 (Art. 31(二)): ``signed_for_on``, the day the agency signed for it.
    * 平常信函 (Art. 31(二)): ``confirmed_on``, the day the 工作机构 confirmed with the
      applicant (it must do so on the day the letter arrives).
    * 互联网 (网络平台, 电子邮件) and 传真 (Art. 31(三)): ``confirmed_on``, the day both
      sides confirmed; an online platform that auto-confirms passes its own date.

    ``submitted_on`` is the day the applicant handed in, posted or sent it; a
    signing or confirmation date before it is refused.
    """
    channel_ = IntakeChannel(channel)
    if channel_ in (IntakeChannel.IN_PERSON, IntakeChannel.ORAL):
        return submitted_on
    if channel_ is IntakeChannel.REGISTERED_POST:
        return _not_before(signed_for_on, submitted_on, "签收日期", channel_)
    return _not_before(confirmed_on, submitted_on, "确认日期", channel_)


def _not_before(
    day: date | None, submitted_on: date, what: str, channel: IntakeChannel
) -> date:
    if day is None:
        raise ReceiptDateError(
            f"以“{channel.label}”方式提交的申请，须填写{what}（条例第三十一条）"
        )
    if day < submitted_on:
        raise ReceiptDateError(f"{what}不能早于申请人提交（寄出、发送）日期")
    return day
