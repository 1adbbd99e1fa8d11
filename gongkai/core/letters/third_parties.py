"""Letters to a third party (Art. 32) and to a co-author agency (Art. 34)."""

from __future__ import annotations

from datetime import date

from gongkai.core.letters.builders import _Head, _letter
from gongkai.core.letters.document import IssuingBody, Letter, chinese_date
from gongkai.core.letters.remedies import Remedies, remedies_paragraph
from gongkai.core.letters.templating import LetterTemplate


def third_party_consultation_letter(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    third_party_name: str,
    information: str,
    consultation_reason: str,
    reply_by: date | None = None,
    template: LetterTemplate | None = None,
) -> Letter:
    """第三方意见征询函 (Art. 32): written, 15 working days from the third party's receipt.

    It names the information, never the applicant. ``reply_by`` is the date the
    deadline engine computed, if the receipt date is known; otherwise the letter
    states the rule in words.
    """
    values = {
        "addressee_name": third_party_name,
        "information": information,
        "consultation_reason": consultation_reason,
        "reply_by": f"即{chinese_date(reply_by)}前"
        if reply_by
        else "以送达回证记载的收到日期起算",
    }
    return _letter(
        "third_party_consultation",
        _Head(body, document_number, issued_on),
        third_party_name,
        values,
        template,
    )


def agency_consultation_letter(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    agency_name: str,
    information: str,
    reply_by: date | None = None,
    template: LetterTemplate | None = None,
) -> Letter:
    """协商函 to a co-author agency (Art. 34): 15 working days; silence means consent."""
    values = {
        "addressee_name": agency_name,
        "information": information,
        "reply_by": f"即{chinese_date(reply_by)}前"
        if reply_by
        else "以送达回证记载的收到日期起算",
    }
    return _letter(
        "agency_consultation",
        _Head(body, document_number, issued_on),
        agency_name,
        values,
        template,
    )


def third_party_disclosure_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    third_party_name: str,
    information: str,
    disclosure_reason: str,
    remedies: Remedies,
    third_party_is_organisation: bool = True,
    template: LetterTemplate | None = None,
) -> Letter:
    """依申请公开告知书 to a third party (Art. 32, last sentence): disclosed over objection.

    Tells the third party the content and the public-interest reasons in writing, with
    the general remedies clause.
    """
    values = {
        "addressee_name": third_party_name,
        "information": information,
        "disclosure_reason": disclosure_reason,
    }
    you = "贵单位" if third_party_is_organisation else "您"
    return _letter(
        "third_party_disclosure",
        _Head(body, document_number, issued_on),
        third_party_name,
        values,
        template,
        extra=(remedies_paragraph(remedies, you=you), "特此告知。"),
    )
