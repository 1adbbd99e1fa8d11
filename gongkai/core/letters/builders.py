"""One function per letter to the applicant: plain values in, a :class:`Letter` out.

Letters to third parties and co-author agencies are in
:mod:`gongkai.core.letters.third_parties`; both go through ``_letter`` here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from gongkai.core.fees import DEFAULT_SCHEDULE, FeeAssessment, FeeSchedule
from gongkai.core.inforequest_flow import MAX_EXTENSION_WORKING_DAYS, Outcome
from gongkai.core.letters.document import (
    IssuingBody,
    Letter,
    TemplateError,
    chinese_date,
)
from gongkai.core.letters.fields import ReplyVariant, reply_template_key
from gongkai.core.letters.remedies import Remedies, remedies_paragraph
from gongkai.core.letters.templates import DEFAULT_TEMPLATES
from gongkai.core.letters.templating import LetterTemplate


def _clean(value: str) -> str:
    """Trim a filled-in value; templates supply the closing punctuation."""
    return str(value).strip().rstrip("。．.;；，,")


@dataclass(frozen=True)
class _Head:
    body: IssuingBody
    number: str
    issued_on: date


def _letter(
    key: str,
    head: _Head,
    addressee: str,
    values: Mapping[str, str],
    template: LetterTemplate | None,
    *,
    extra: tuple[str, ...] = (),
    attachments: tuple[str, ...] = (),
) -> Letter:
    tpl = template or DEFAULT_TEMPLATES[key]
    if tpl.key != key:
        raise TemplateError(f"模板“{tpl.key}”不能用于“{key}”")
    cleaned = {k: _clean(v) for k, v in values.items()}
    title, paragraphs = tpl.render({**cleaned, "body_name": head.body.name})
    tail = (head.body.contact,) if head.body.contact else ()
    return Letter(
        key=key,
        title=title,
        document_number=head.number,
        addressee=addressee,
        paragraphs=(*paragraphs, *extra, *tail),
        issued_on=head.issued_on,
        issuing_body=head.body.name,
        seal_text=head.body.seal_text,
        attachments=attachments,
    )


# A letter names the request by its first words, not its whole text: the description
# may run to 2,000 characters (core/inforequest_intake.py) and once made a ten-page 回执.
# The application itself, under its number, keeps the full text.
REQUEST_SUMMARY_MAX = 200


def request_summary_quote(text: str) -> str:
    """The description as a letter quotes it: on one line, at most
    :data:`REQUEST_SUMMARY_MAX` characters, a cut marked with “……”."""
    one_line = " ".join(str(text).split())
    if len(one_line) <= REQUEST_SUMMARY_MAX:
        return one_line
    return one_line[:REQUEST_SUMMARY_MAX].rstrip() + "……"


def _applicant_values(
    applicant_name: str, organisation: bool, received_on: date, request_summary: str
) -> dict[str, str]:
    return {
        "applicant_name": applicant_name,
        "you": "贵单位" if organisation else "您",
        "received_on": chinese_date(received_on),
        "request_summary": request_summary_quote(request_summary),
    }


def acknowledgement_receipt(
    *,
    body: IssuingBody,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    registration_no: str,
    channel: str,
    request_summary: str,
    due_on: date,
    document_number: str = "",
    handed_in_at: str = "",
    template: LetterTemplate | None = None,
) -> Letter:
    """受理回执 (Art. 45 登记): receipt date (Art. 31) and the reply due date (Art. 33).

    ``handed_in_at`` names the place that is not a disclosure body (a 社区居委会) where
    the application was handed in; the receipt says so (Art. 27: the body answers)."""
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {
        "registration_no": registration_no,
        "channel": channel,
        "due_on": chinese_date(due_on),
    }
    via = (
        (f"本申请由{values['you']}在{handed_in_at}提交，由本机关依法受理和答复。",)
        if handed_in_at
        else ()
    )
    return _letter(
        "acknowledgement",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
        extra=via,
    )


def clarification_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    items_to_correct: str,
    correction_due_on: date,
    template: LetterTemplate | None = None,
) -> Letter:
    """补正告知书 (Art. 30): once, within 7 working days of receipt, with a reasonable period."""
    if correction_due_on <= issued_on:
        raise TemplateError("补正期限应晚于告知书日期")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {
        "items_to_correct": items_to_correct,
        "correction_due_on": chinese_date(correction_due_on),
    }
    return _letter(
        "clarification",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def extension_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    extension_days: int,
    original_due_on: date,
    new_due_on: date,
    extension_reason: str,
    template: LetterTemplate | None = None,
) -> Letter:
    """延期答复告知书 (Art. 33(2)): approved by the 工作机构 head, at most 20 working days."""
    if not 1 <= extension_days <= MAX_EXTENSION_WORKING_DAYS:
        raise TemplateError(f"延长的期限应为1至{MAX_EXTENSION_WORKING_DAYS}个工作日")
    if new_due_on <= original_due_on:
        raise TemplateError("延长后的答复期限应晚于原答复期限")
    if issued_on > original_due_on:
        raise TemplateError("延期答复告知书应在原答复期限届满前发出")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {
        "extension_days": str(extension_days),
        "original_due_on": chinese_date(original_due_on),
        "new_due_on": chinese_date(new_due_on),
        "extension_reason": extension_reason,
    }
    return _letter(
        "extension",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def fee_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    assessment: FeeAssessment,
    payment_method: str,
    payment_due_on: date,
    schedule: FeeSchedule = DEFAULT_SCHEDULE,
    template: LetterTemplate | None = None,
) -> Letter:
    """收费通知书 (Art. 42; 国办函〔2020〕109号; docs/legal-notes.md §1.3): basis, figures, how and by when."""
    if assessment.amount <= 0:
        raise TemplateError("收费金额为零时不应发出收费通知书")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {
        "fee_lines": "；".join(line.text for line in assessment.lines),
        "fee_amount": str(assessment.amount),
        "fee_basis": assessment.basis,
        "payment_method": payment_method,
        "payment_days": str(schedule.payment_period_working_days),
        "payment_due_on": chinese_date(payment_due_on),
    }
    return _letter(
        "fee_notice",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def reasons_request(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    reasons_due_on: date,
    template: LetterTemplate | None = None,
) -> Letter:
    """说明理由告知书 (Art. 35): the applicant explains a clearly excessive quantity/frequency."""
    if reasons_due_on <= issued_on:
        raise TemplateError("说明理由的期限应晚于告知书日期")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values["reasons_due_on"] = chinese_date(reasons_due_on)
    return _letter(
        "reasons_request",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def delay_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    new_due_on: date,
    delay_reason: str,
    template: LetterTemplate | None = None,
) -> Letter:
    """延迟答复告知书 (Art. 35): reasons accepted, a reasonable later reply date notified."""
    if new_due_on <= issued_on:
        raise TemplateError("延迟答复的期限应晚于告知书日期")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {"new_due_on": chinese_date(new_due_on), "delay_reason": delay_reason}
    return _letter(
        "delay_notice",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def consultation_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    consulted_party: str,
    template: LetterTemplate | None = None,
) -> Letter:
    """征求意见告知书 to the applicant (Art. 33(3)): consultation time is not counted.

    ``consulted_party`` should be generic (e.g. "第三方", "有关行政机关"), not a name.
    """
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values["consulted_party"] = consulted_party
    return _letter(
        "consultation_notice",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def reply_letter(
    outcome: Outcome,
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    remedies: Remedies,
    details: Mapping[str, str | date] | None = None,
    variant: ReplyVariant = ReplyVariant.DEFAULT,
    corrected_on: date | None = None,
    extension_notice_no: str = "",
    attachments: tuple[str, ...] = (),
    template: LetterTemplate | None = None,
    redaction_list: str = "",
) -> Letter:
    """The reply (or closing) letter for one table-三 outcome (Art. 36–39, 30, 42).

    ``details`` fills the outcome's own fields (:data:`TEMPLATE_FIELDS`), e.g.
    ``{"search_scope": …}`` for 本机关不掌握; dates may be given as ``date``. Names of
    the case's own facts (``applicant_name``, ``received_on`` …) in ``details`` are
    ignored. ``corrected_on`` (Art. 30) and
    ``extension_notice_no`` (Art. 33(2)) add the procedural history to the receipt
    paragraph. The remedies paragraph is always appended; ``redaction_list`` (a
    部分公开's list of what was withheld and why, ``core.redaction.letter_paragraph``)
    comes before it, added by code so no own wording can drop it.
    """
    key = reply_template_key(outcome, variant)
    # The case's own facts win over anything of the same name in ``details``.
    own = {
        k: chinese_date(v) if isinstance(v, date) else v
        for k, v in (details or {}).items()
    }
    values = own | _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    history: list[str] = []
    if corrected_on is not None:
        history.append(
            f"本机关于{chinese_date(corrected_on)}收到{values['you']}补正后的申请。"
        )
    if extension_notice_no:
        history.append(f"本机关已依法延长答复期限（{extension_notice_no}）。")
    letter = _letter(
        key,
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
        extra=(
            *((redaction_list,) if redaction_list else ()),
            remedies_paragraph(remedies, outcome=outcome, you=values["you"]),
            "特此告知。",
        ),
        attachments=attachments,
    )
    if not history:
        return letter
    first, *rest = letter.paragraphs
    return _replace_paragraphs(letter, (first + "".join(history), *rest))


def _replace_paragraphs(letter: Letter, paragraphs: tuple[str, ...]) -> Letter:
    return replace(letter, paragraphs=paragraphs)
