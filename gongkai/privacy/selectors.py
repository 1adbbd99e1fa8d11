"""Reads of the personal-information check: the rules in force for an organisation,
the findings of one publication (title, summary, body, every public attachment) with
the legal bases recorded for them, the refusal the workflow raises, and the scan
results the screens and the supervision dashboard show.

The publishing workflow calls :func:`require_publishable` before 发布 and 定时发布.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet

from gongkai.core.pii import (
    DEFAULT_RULES,
    Finding,
    Kind,
    NameMask,
    PiiRules,
    find_pii,
    html_lines,
)
from gongkai.core.pii.readers import Segment, read_attachment
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, scope
from gongkai.privacy.models import PiiDisclosure, PiiScan, PiiScanFinding, PrivacyRules
from gongkai.publishing.models import Attachment, Publication

# The law a refusal cites: personal information is not disclosed (条例第十五条) unless
# the person consents or the public interest requires it; 个人信息保护法 第二十五条.
REFUSAL_BASIS = "《政府信息公开条例》第十五条、《个人信息保护法》第二十五条"

TEXT_FIELDS = (("title", "标题"), ("summary", "内容概述"), ("body", "正文"))


# --------------------------------------------------------------------------- rules


def rules_for(organisation: Organisation) -> PiiRules:
    """The rules of ``organisation``, else of its nearest ancestor that has some,
    else the defaults of ``gongkai.core.pii.rules``."""
    ids = organisation.ancestor_ids() or [organisation.pk]
    rows = {
        r.organisation_id: r
        for r in PrivacyRules.objects.filter(organisation_id__in=ids)
    }
    for org_id in reversed(ids):
        row = rows.get(org_id)
        if row is not None:
            return rules_from_row(row)
    return DEFAULT_RULES


def rules_from_row(row: PrivacyRules) -> PiiRules:
    kinds = frozenset(Kind(k) for k in row.kinds if k in Kind._value2member_map_)
    public = frozenset(
        line.strip() for line in row.public_values.splitlines() if line.strip()
    )
    # A phone written with separators is matched by its digits too.
    public |= {"".join(c for c in v if c.isdigit()) for v in public} - {""}
    return PiiRules(
        kinds=kinds - {Kind.UNREADABLE},
        name_mask=NameMask(row.name_mask),
        id_keep=row.id_keep,
        public_values=frozenset(public),
    )


# --------------------------------------------------------------------------- findings


def fingerprint(kind: str, value: str) -> str:
    """A keyed digest identifying a found value without storing it (HMAC-SHA256)."""
    key = hashlib.sha256(b"gongkai.privacy:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Located:
    """A finding and where it is in a publication."""

    location: str  # "title" | "summary" | "body" | "attachment:<pk>"
    location_label: str  # 标题 / 正文 / 附件“名单.xlsx”
    finding: Finding
    fingerprint: str
    disclosure: PiiDisclosure | None = None

    @property
    def key(self) -> str:
        return f"{self.location}|{self.fingerprint}"

    @property
    def open(self) -> bool:
        return self.disclosure is None

    @property
    def place(self) -> str:
        where = self.finding.where
        return f"{self.location_label}{'（' + where + '）' if where else ''}"


@dataclass(frozen=True)
class Chunk:
    text: str
    finding: Located | None = None


@dataclass
class Section:
    """One part of a publication as the reviewer sees it: its text (or, for a file,
    the rows that hold findings) with the findings marked."""

    location: str
    label: str
    lines: list[tuple[str, list[Chunk]]] = field(default_factory=list)
    findings: list[Located] = field(default_factory=list)
    unreadable: list[Located] = field(default_factory=list)
    masked_copy_possible: bool = False


@dataclass
class PiiReport:
    sections: list[Section]

    @property
    def findings(self) -> list[Located]:
        return [f for s in self.sections for f in (*s.findings, *s.unreadable)]

    @property
    def open_findings(self) -> list[Located]:
        return [f for f in self.findings if f.open]

    @property
    def disclosed(self) -> list[Located]:
        return [f for f in self.findings if not f.open]


def _chunks(text: str, located: list[Located]) -> list[Chunk]:
    out: list[Chunk] = []
    pos = 0
    for item in sorted(located, key=lambda x: x.finding.start):
        f = item.finding
        if f.start < pos:
            continue
        if f.start > pos:
            out.append(Chunk(text[pos : f.start]))
        out.append(Chunk(text[f.start : f.end], item))
        pos = f.end
    if pos < len(text):
        out.append(Chunk(text[pos:]))
    return out


def _text_section(
    location: str,
    label: str,
    text: str,
    rules: PiiRules,
    decided: dict[str, PiiDisclosure],
) -> Section:
    section = Section(location, label)
    found = find_pii(text, rules)
    located = [_locate(location, label, f, decided) for f in found]
    section.findings = located
    if located:
        # Show the lines that hold findings, each with its findings marked.
        offset = 0
        for line in text.split("\n"):
            end = offset + len(line)
            here = [x for x in located if offset <= x.finding.start < end + 1]
            if here:
                shifted = [
                    Located(
                        x.location,
                        x.location_label,
                        _shift(x.finding, -offset),
                        x.fingerprint,
                        x.disclosure,
                    )
                    for x in here
                ]
                section.lines.append(("", _chunks(line, shifted)))
            offset = end + 1
    return section


def _shift(f: Finding, by: int) -> Finding:
    return Finding(f.kind, f.start + by, f.end + by, f.text, f.masked, f.where)


def _locate(
    location: str, label: str, f: Finding, decided: dict[str, PiiDisclosure]
) -> Located:
    fp = fingerprint(f.kind, f.text)
    return Located(location, label, f, fp, decided.get(f"{location}|{fp}"))


def attachment_segments(attachment: Attachment) -> tuple[list[Segment], list[str]]:
    """The text of an attachment in segments, and what could not be read."""
    try:
        with attachment.file.open("rb") as fh:
            result = read_attachment(fh, attachment.kind)
    except OSError:
        return [], ["附件文件缺失，无法读取"]
    return result.segments, result.unreadable


def _attachment_section(
    attachment: Attachment, rules: PiiRules, decided: dict[str, PiiDisclosure]
) -> Section:
    location = f"attachment:{attachment.pk}"
    label = f"附件“{attachment.original_name}”"
    section = Section(location, label)
    section.masked_copy_possible = attachment.kind in ("xlsx", "csv", "docx", "txt")
    segments, unreadable = attachment_segments(attachment)
    for seg in segments:
        found = find_pii(seg.text, rules, where=seg.where)
        if not found:
            continue
        located = [_locate(location, label, f, decided) for f in found]
        section.findings.extend(located)
        if len(section.lines) < 200:  # enough to review; the count says the rest
            section.lines.append((seg.where, _chunks(seg.text, located)))
    for reason in unreadable:
        f = Finding(Kind.UNREADABLE, 0, 0, f"{attachment.sha256}:{reason}", reason)
        section.unreadable.append(_locate(location, label, f, decided))
    return section


def public_attachments(publication: Publication) -> QuerySet[Attachment]:
    """The files published with the item (a withheld original is not)."""
    return publication.attachments.filter(withheld=False).order_by("pk")


def publication_pii_report(
    publication: Publication,
    rules: PiiRules | None = None,
    *,
    decided: dict[str, PiiDisclosure] | None = None,
    attachments: list[Attachment] | None = None,
) -> PiiReport:
    """Every finding in the publication's title, summary, body and public attachments,
    each with the legal basis recorded for it (if any). The scan passes ``decided``
    and ``attachments`` read for a whole batch of items."""
    rules = rules or rules_for(publication.organisation)
    if decided is None:
        decided = {
            f"{d.location}|{d.fingerprint}": d
            for d in PiiDisclosure.objects.filter(
                publication=publication
            ).select_related("decided_by")
        }
    if attachments is None:
        attachments = list(public_attachments(publication))
    texts = {
        "title": publication.title,
        "summary": publication.summary,
        "body": html_lines(publication.body),
    }
    sections = [
        _text_section(loc, label, texts[loc], rules, decided)
        for loc, label in TEXT_FIELDS
    ]
    sections += [_attachment_section(a, rules, decided) for a in attachments]
    return PiiReport(sections)


def _summary(items: list[Located]) -> str:
    """正文：身份证号码 2 处（4103**********2343 等）、手机号码 1 处; …"""
    by_place: dict[str, list[Located]] = {}
    for item in items:
        by_place.setdefault(item.location_label, []).append(item)
    parts = []
    for place, found in by_place.items():
        kinds = Counter(x.finding.kind for x in found)
        order = list(Kind)
        described = []
        for kind, n in sorted(kinds.items(), key=lambda kv: order.index(kv[0])):
            if kind is Kind.UNREADABLE:
                reasons = "；".join(
                    dict.fromkeys(
                        x.finding.masked for x in found if x.finding.kind is kind
                    )
                )
                described.append(f"无法读取（{reasons}）")
                continue
            example = next(x.finding.masked for x in found if x.finding.kind is kind)
            described.append(f"{kind.label} {n} 处（如 {example}）")
        parts.append(f"{place}：{'、'.join(described)}")
    return "；".join(parts)


def require_publishable(publication: Publication) -> None:
    """Refuse (ValidationError, Chinese) while findings are neither masked nor covered
    by a recorded legal basis. Only 主动公开 items reach the public."""
    if publication.attribute != Publication.Attribute.PROACTIVE:
        return
    report = publication_pii_report(publication)
    blocking = report.open_findings
    if not blocking:
        return
    raise ValidationError(
        f"不能发布：发现未遮蔽的个人信息——{_summary(blocking)}。"
        f"依照{REFUSAL_BASIS}，涉及个人隐私的信息不得公开。"
        "请在“个人信息检查”中一键遮蔽（或上传处理后的附件），"
        "确需公开的，由审核人逐项记录公开的法律依据后再发布。",
        code="pii",
    )


def new_open_findings(
    publication: Publication, before: dict[str, str], after: dict[str, str]
) -> list[Located]:
    """Findings in the changed text fields of a live item that were not there before
    (and have no recorded basis): an update must not put personal information online."""
    rules = rules_for(publication.organisation)
    decided = {
        f"{d.location}|{d.fingerprint}"
        for d in PiiDisclosure.objects.filter(publication=publication)
    }
    labels = dict(TEXT_FIELDS)
    fresh: list[Located] = []
    for name, text in after.items():
        if name not in labels:
            continue
        to_text = html_lines if name == "body" else str
        old = {
            fingerprint(f.kind, f.text)
            for f in find_pii(to_text(before.get(name, "") or ""), rules)
        }
        for f in find_pii(to_text(text or ""), rules):
            fp = fingerprint(f.kind, f.text)
            if fp not in old and f"{name}|{fp}" not in decided:
                fresh.append(Located(name, labels[name], f, fp))
    return fresh


def require_no_new_pii(
    publication: Publication, before: dict[str, str], after: dict[str, str]
) -> None:
    fresh = new_open_findings(publication, before, after)
    if fresh:
        raise ValidationError(
            f"不能更新已公开的信息：修改后的内容含有个人信息——{_summary(fresh)}。"
            f"依照{REFUSAL_BASIS}，请先遮蔽后再保存。",
            code="pii",
        )


def attachment_blockers(
    publication: Publication, attachment: Attachment
) -> list[Located]:
    """What a new attachment of a live item would put online (findings, unreadable)."""
    section = _attachment_section(attachment, rules_for(publication.organisation), {})
    return section.findings + section.unreadable


# --------------------------------------------------------------------------- scan results


def scan_findings_for(
    user: Any, organisation: Organisation, *, below: bool
) -> QuerySet[PiiScanFinding]:
    """Findings of the latest scans in live items of ``organisation`` (and of every body
    below it when ``below``), limited to what ``user`` may see."""
    qs = PiiScanFinding.objects.filter(
        publication__status__in=("published", "updated"),
    )
    if below:
        qs = qs.filter(path_prefix_q(organisation.path, "organisation__path"))
    else:
        qs = qs.filter(organisation=organisation)
    return scope(qs, user, Perm.VIEW).select_related("publication", "organisation")


def scan_last(organisation: Organisation) -> PiiScan | None:
    return PiiScan.objects.filter(organisation=organisation).first()


@dataclass(frozen=True)
class UnitPii:
    organisation: Organisation
    items: int
    findings: int


def scan_summary_by_unit(
    user: Any, root: Organisation, limit: int = 50
) -> list[UnitPii]:
    """For the supervision dashboard: per unit of the subtree, the live items with
    findings and the findings, units with the most first (grouped SQL)."""
    rows = (
        scan_findings_for(user, root, below=True)
        .values("organisation")
        .annotate(items=Count("publication", distinct=True), findings=Count("pk"))
        .order_by("-findings")[:limit]
    )
    orgs = Organisation.objects.in_bulk([r["organisation"] for r in rows])
    return [
        UnitPii(orgs[r["organisation"]], r["items"], r["findings"])
        for r in rows
        if r["organisation"] in orgs
    ]
