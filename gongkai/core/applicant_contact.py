"""An applicant's contact address as the sign-in key of 我的申请 (issue 16).

Pure functions, no Django: which kind of address was typed (a mainland mobile number
or an e-mail address) and its normal form, so the keyed digest stored with each
application (``InfoRequest.email_digest`` / ``phone_digest``) and the one computed at
sign-in agree whatever spaces, case, full-width characters or ``+86`` were typed.
"""

from __future__ import annotations

import re
import unicodedata

EMAIL = "email"
PHONE = "phone"

_MOBILE = re.compile(r"1[3-9]\d{9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class ContactError(ValueError):
    """Neither a mobile number nor an e-mail address; the message is Chinese."""


def normalise_email(value: str) -> str:
    """``" Zhang@Example.CN "`` → ``"zhang@example.cn"`` ('' if not an address)."""
    text = unicodedata.normalize("NFKC", value or "").strip().lower()
    return text if _EMAIL.fullmatch(text) else ""


def normalise_phone(value: str) -> str:
    """``"+86 138-0013-8000"`` → ``"13800138000"`` ('' if not a mainland mobile).

    Only mobile numbers can receive a code by SMS; a landline gives ''."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value or ""))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if _MOBILE.fullmatch(digits) else ""


def parse_contact(value: str) -> tuple[str, str]:
    """(kind, normal form) of what the applicant typed; raises :class:`ContactError`."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if "@" in text:
        email = normalise_email(text)
        if email:
            return EMAIL, email
        raise ContactError("电子邮箱格式不正确，请输入申请时填写的电子邮箱。")
    phone = normalise_phone(text)
    if phone:
        return PHONE, phone
    raise ContactError("请输入申请时填写的手机号码（11 位）或电子邮箱。")


def mask_contact(kind: str, value: str) -> str:
    """What a page may show of the address: ``138****8000``, ``z***@example.cn``."""
    if kind == PHONE and len(value) == 11:
        return f"{value[:3]}****{value[-4:]}"
    if kind == EMAIL and "@" in value:
        name, domain = value.split("@", 1)
        return f"{name[:1]}***@{domain}"
    return "***"
