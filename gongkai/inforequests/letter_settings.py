"""Per-organisation letter settings: the 文号 and its prefix (发文机关代字), the
行政复议机关 a letter names, the issuing body's contact line and its own wording."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from gongkai.core import letters as content
from gongkai.core.inforequest_rules import StepRefused, check_review_body
from gongkai.inforequests.models import (
    LetterSequence,
    LetterSettings,
    LetterWording,
)
from gongkai.orgs.models import Organisation

_KIND_CHAR = {
    Organisation.Kind.PROVINCE: "省",
    Organisation.Kind.CITY: "市",
    Organisation.Kind.DISTRICT: "区",
    Organisation.Kind.SUBDISTRICT: "街",
    Organisation.Kind.TOWNSHIP: "镇",
    Organisation.Kind.COMMUNITY: "社",
    Organisation.Kind.VILLAGE: "村",
}


def _settings(organisation: Organisation) -> LetterSettings | None:
    return LetterSettings.objects.filter(organisation=organisation).first()


def number_prefix(organisation: Organisation) -> str:
    """The 发文机关代字: configured, else first character of the short name + kind + 公开."""
    configured = _settings(organisation)
    if configured and configured.number_prefix.strip():
        return configured.number_prefix.strip()
    name = organisation.short_name or organisation.name
    kind_char = _KIND_CHAR.get(organisation.kind, "")  # type: ignore[call-overload]
    second = kind_char if kind_char and kind_char != name[:1] else name[1:2]
    return f"{name[:1]}{second}公开"


def _review_body(organisation: Organisation) -> str:
    configured = _settings(organisation)
    name = configured.review_body if configured else ""
    if not name.strip() and organisation.parent is not None:
        name = organisation.parent.name
    return name


def review_body_refusal(organisation: Organisation) -> StepRefused | None:
    """Why no letter with remedies can be written for this organisation (None: it
    can) — ``check_review_body`` on the name ``remedies_for`` would print."""
    try:
        check_review_body(_review_body(organisation), organisation.name)
    except StepRefused as exc:
        return exc
    return None


def remedies_for(organisation: Organisation) -> content.Remedies:
    """Where an applicant challenges this organisation's reply (行政复议法第二十四条).

    Configured per organisation; by default the parent organisation — for a 街道办事处
    the 人民政府 that set it up, for a department its 本级人民政府, for a 区人民政府 the
    市人民政府 above it. At the top of the tree it must be configured: a letter that
    cannot name the 复议机关 is refused, never written with a vague "上一级行政机关".
    """
    try:
        name = check_review_body(_review_body(organisation), organisation.name)
    except StepRefused as exc:
        raise ValidationError(exc.message) from exc
    return content.Remedies(review_body=name)


def issuing_body(organisation: Organisation) -> content.IssuingBody:
    configured = _settings(organisation)
    contact = configured.contact.strip() if configured else ""
    if not contact and organisation.office_phone:
        contact = f"联系电话：{organisation.office_phone}"
    return content.IssuingBody(name=organisation.name, contact=contact)


def wording(organisation: Organisation, key: str) -> content.LetterTemplate | None:
    """The organisation's own wording of letter ``key``, or None for the default."""
    row = LetterWording.objects.filter(organisation=organisation, key=key).first()
    if row is None:
        return None
    return wording_template(key, row.title, row.paragraphs)


def wording_template(key: str, title: str, text: str) -> content.LetterTemplate:
    """Build (and so check) a template from a title and one paragraph per line.

    Raises ``TemplateError`` (Chinese) for an unknown letter or field.
    """
    paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not title.strip() or not paragraphs:
        raise content.TemplateError("标题和正文都不能为空")
    return content.LetterTemplate(key, title.strip(), paragraphs)


def next_document_number(organisation: Organisation, year: int) -> str:
    """The next 文号 of ``organisation`` in ``year``; the counter row is locked."""
    # A 社区居委会 is not a 行政机关: it issues no letters and has no 文号 (第二十七条).
    if not organisation.is_disclosure_body:
        raise ValidationError(
            f"“{organisation.label}”不是政府信息公开主体，不能以本机关名义出具文书、编发文号。"
        )
    seq, _ = LetterSequence.objects.get_or_create(organisation=organisation, year=year)
    seq = LetterSequence.objects.select_for_update().get(pk=seq.pk)
    seq.last += 1
    seq.save(update_fields=["last"])
    return content.format_document_number(number_prefix(organisation), year, seq.last)
