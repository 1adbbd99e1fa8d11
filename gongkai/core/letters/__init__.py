"""Content of the letters of an application (依申请公开), as pure data — no DOCX here.

A :class:`Letter` is what a renderer lays out: title, 文号, addressee, paragraphs,
date, issuing body and a seal placeholder. Functions build one from plain values.

The wording an organisation may edit is a :class:`LetterTemplate`: a title and
paragraphs with named fields (``{applicant_name}``, ``{received_on}``, ``{due_on}`` …).
:func:`render_template` fills them and refuses, in Chinese, a field that is unknown
or has no value. Each template key has a fixed set of fields (:data:`TEMPLATE_FIELDS`);
a template using any other field is refused when it is built, so a bad edit is caught
when it is saved, not when a letter is due.

Legal content that must not be edited away — the remedies paragraph (行政复议法 2023,
行政诉讼法) — is produced by code: :func:`remedies_paragraph`.

The package, by concern (import from here, not from the modules):

- ``document``: :class:`Letter`, :class:`IssuingBody`, dates, 文号, :class:`TemplateError`
- ``fields``: the fields each template key allows and their labels; reply keys
- ``templating``: :class:`LetterTemplate`, :func:`render_template`
- ``templates``: the default wording, as data (:data:`DEFAULT_TEMPLATES`)
- ``remedies``: :class:`AgencyKind`, :class:`Remedies`, :func:`remedies_paragraph`
- ``builders``: one function per letter to the applicant
- ``third_parties``: letters to a third party or a co-author agency
"""

from __future__ import annotations

from gongkai.core.letters.builders import (
    acknowledgement_receipt,
    clarification_notice,
    consultation_notice,
    delay_notice,
    extension_notice,
    fee_notice,
    reasons_request,
    reply_letter,
)
from gongkai.core.letters.document import (
    REGULATION,
    IssuingBody,
    Letter,
    TemplateError,
    chinese_date,
    format_document_number,
)
from gongkai.core.letters.fields import (
    FIELD_LABELS,
    TEMPLATE_FIELDS,
    ReplyVariant,
    reply_template_key,
)
from gongkai.core.letters.remedies import (
    AgencyKind,
    Remedies,
    remedies_paragraph,
    review_body_rule,
)
from gongkai.core.letters.templates import (
    DEFAULT_TEMPLATES,
    TEMPLATE_CHOICES,
    template_label,
)
from gongkai.core.letters.templating import LetterTemplate, render_template
from gongkai.core.letters.third_parties import (
    agency_consultation_letter,
    third_party_consultation_letter,
    third_party_disclosure_notice,
)

__all__ = [
    "DEFAULT_TEMPLATES",
    "FIELD_LABELS",
    "REGULATION",
    "TEMPLATE_CHOICES",
    "TEMPLATE_FIELDS",
    "AgencyKind",
    "IssuingBody",
    "Letter",
    "LetterTemplate",
    "Remedies",
    "ReplyVariant",
    "TemplateError",
    "acknowledgement_receipt",
    "agency_consultation_letter",
    "chinese_date",
    "clarification_notice",
    "consultation_notice",
    "delay_notice",
    "extension_notice",
    "fee_notice",
    "format_document_number",
    "reasons_request",
    "remedies_paragraph",
    "render_template",
    "reply_letter",
    "reply_template_key",
    "review_body_rule",
    "template_label",
    "third_party_consultation_letter",
    "third_party_disclosure_notice",
]
