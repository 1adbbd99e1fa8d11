"""API of the personal-information check: a publication's findings (masked), one-click
masking and the legal basis per finding — the same services as the screens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from gongkai.orgs.permissions import Perm, get_scoped_or_404
from gongkai.privacy import selectors, services
from gongkai.publishing.models import Publication

router = Router(tags=["个人信息检查"])


class FindingOut(Schema):
    key: str = Field(description="记录公开依据时使用的标识（位置|指纹）")
    kind: str = Field(description="类别：resident_id、mobile、landline、bank_card…")
    kind_label: str
    masked: str = Field(description="遮蔽后的内容（原值不经接口返回）")
    place: str = Field(
        description="位置，如“正文”“附件“名单.xlsx”（工作表“名单”第3行）”"
    )
    disclosed: bool = Field(description="是否已记录公开的法律依据")
    basis: str = ""


class ReportOut(Schema):
    publishable: bool = Field(description="没有未处理的个人信息，可以发布")
    findings: list[FindingOut]


class MaskOut(Schema):
    text_masked: int
    files_masked: list[str]
    needs_hand: list[str]
    remaining: int


class BasisIn(Schema):
    keys: list[str] = Field(description="要公开的个人信息（findings 中的 key）")
    basis: str = Field(description="公开的法律依据")


def _report(pub: Publication) -> dict[str, Any]:
    report = selectors.publication_pii_report(pub)
    return {
        "publishable": not report.open_findings,
        "findings": [
            {
                "key": f.key,
                "kind": f.finding.kind.value,
                "kind_label": f.finding.kind.label,
                "masked": f.finding.masked,
                "place": f.place,
                "disclosed": not f.open,
                "basis": f.disclosure.basis if f.disclosure else "",
            }
            for f in report.findings
        ],
    }


@router.get(
    "/publications/{pub_id}", response=ReportOut, summary="信息中的个人信息（检查结果）"
)
def findings(request: HttpRequest, pub_id: int) -> Any:
    pub = get_scoped_or_404(
        Publication.objects.all(), request.user, Perm.VIEW, pk=pub_id
    )
    return _report(pub)


@router.post("/publications/{pub_id}/mask", response=MaskOut, summary="一键遮蔽")
def mask(request: HttpRequest, pub_id: int) -> Any:
    pub = get_scoped_or_404(
        Publication.objects.all(), request.user, Perm.EDIT, pk=pub_id
    )
    return services.publication_mask(actor=request.user, publication=pub)


@router.post(
    "/publications/{pub_id}/basis",
    response=ReportOut,
    summary="逐项记录公开的法律依据（负责人）",
)
def basis(request: HttpRequest, pub_id: int, payload: BasisIn) -> Any:
    pub = get_scoped_or_404(
        Publication.objects.all(), request.user, Perm.APPROVE, pk=pub_id
    )
    services.pii_disclosure_record(
        actor=request.user, publication=pub, keys=payload.keys, basis=payload.basis
    )
    return _report(pub)
