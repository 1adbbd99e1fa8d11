"""REST endpoints of 主动公开: the same selectors and services as the screens."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Reply

from gongkai.api.auth import token_or_session
from gongkai.orgs.models import ApiToken, Organisation
from gongkai.orgs.permissions import Perm, get_scoped_or_404
from gongkai.publishing import registers, selectors, services
from gongkai.publishing.models import (
    CatalogueItem,
    EnforcementDecision,
    NormativeDocument,
    Publication,
)

router = Router(tags=["主动公开"])


class PublicationOut(Schema):
    id: int
    organisation_id: int
    index_no: str
    title: str
    summary: str
    body: str
    issuing_body: str
    formed_on: date
    document_number: str
    topic: str
    genre: str
    art20: str
    attribute: str
    validity: str
    status: str
    due_on: date | None
    changed_on: date | None
    published_at: datetime | None
    go_live_at: datetime | None
    channels: list[str]
    catalogue_item_id: int | None
    interprets_id: int | None
    is_late: bool


class PublicationIn(Schema):
    organisation_id: int
    title: str
    formed_on: date
    body: str = ""
    summary: str = ""
    issuing_body: str = ""
    document_number: str = ""
    topic: str = ""
    genre: str = "notice"
    art20: str = ""
    attribute: str = "proactive"
    withhold_reason: str = ""
    catalogue_item_id: int | None = None
    interprets_id: int | None = None
    channels: list[str] = []
    index_no: str = ""


class PublicationPatch(Schema):
    title: str | None = None
    body: str | None = None
    summary: str | None = None
    document_number: str | None = None
    topic: str | None = None
    note: str = ""
    changed_on: date | None = Field(
        None,
        description="已公开信息的内容变更日期（条例第二十六条，默认今天）",
    )


class ActionIn(Schema):
    secrecy_checked: bool = False
    attribute: str | None = None
    withhold_reason: str | None = None
    note: str = ""
    reason: str = ""
    go_live_at: datetime | None = None


class CatalogueItemOut(Schema):
    id: int
    area_id: int
    item_l1: str
    item_l2: str
    content: str
    basis: str
    time_limit_text: str
    time_limit_days: int | None
    subjects: str
    channels: list[str]
    audience_public: bool
    audience_specific: str
    mode_proactive: bool
    mode_on_request: bool
    level_county: bool
    level_township: bool
    update_period_days: int | None
    art20: str


def _org(request: HttpRequest, org_id: int) -> Organisation:
    return get_scoped_or_404(
        Organisation.objects.all(), request.user, Perm.VIEW, via="self", pk=org_id
    )


@router.get("/publications", response=list[PublicationOut], summary="信息列表")
def publication_list(
    request: HttpRequest, organisation_id: int | None = None, status: str = ""
) -> Any:
    org = _org(request, organisation_id) if organisation_id else None
    qs = selectors.publication_list_for(request.user, org)
    if status:
        qs = qs.filter(status=status)
    return list(qs[:500])


@router.get("/publications/{pub_id}", response=PublicationOut, summary="信息详情")
def publication_read(request: HttpRequest, pub_id: int) -> Any:
    return get_scoped_or_404(
        Publication.objects.all(), request.user, Perm.VIEW, pk=pub_id
    )


@router.post(
    "/publications",
    response={201: PublicationOut},
    summary="新建信息（草稿）",
    description="可用接口令牌（范围“新建信息草稿”）调用：起草时即确定公开属性"
    "（attribute：proactive 主动公开 / on_request 依申请公开 / withheld 不予公开，"
    "不予公开须写 withhold_reason），即源头认定。",
    auth=token_or_session(ApiToken.Scope.DRAFT_CREATE),
)
def publication_create(request: HttpRequest, payload: PublicationIn) -> Any:
    data = payload.dict()
    org = _org(request, data.pop("organisation_id"))
    item_id = data.pop("catalogue_item_id")
    interprets_id = data.pop("interprets_id")
    if item_id is not None:
        data["catalogue_item"] = get_scoped_or_404(
            CatalogueItem.objects.all(), request.user, Perm.VIEW, pk=item_id
        )
    if interprets_id is not None:
        data["interprets"] = get_scoped_or_404(
            Publication.objects.all(), request.user, Perm.VIEW, pk=interprets_id
        )
    pub = services.publication_create(actor=request.user, organisation=org, **data)
    return Reply(201, pub)


@router.patch("/publications/{pub_id}", response=PublicationOut, summary="修改信息")
def publication_patch(
    request: HttpRequest, pub_id: int, payload: PublicationPatch
) -> Any:
    pub = get_scoped_or_404(
        Publication.objects.all(), request.user, Perm.VIEW, pk=pub_id
    )
    data = {k: v for k, v in payload.dict().items() if v is not None}
    note = data.pop("note", "")
    changed_on = data.pop("changed_on", None)
    return services.publication_update(
        actor=request.user, publication=pub, note=note, changed_on=changed_on, **data
    )


_ACTION_ARGS = {
    "submit": (),
    "approve": ("secrecy_checked", "note", "attribute", "withhold_reason"),
    "reject": ("note",),
    "publish": (),
    "schedule": ("go_live_at",),
    "unschedule": (),
    "withdraw": ("reason",),
    "reopen": (),
}


@router.post(
    "/publications/{pub_id}/{action}",
    response=PublicationOut,
    summary="办理操作（submit/approve/reject/publish/schedule/unschedule/withdraw/reopen）",
)
def publication_action(
    request: HttpRequest, pub_id: int, action: str, payload: ActionIn
) -> Any:
    if action not in _ACTION_ARGS:
        raise Http404("未知的操作。")
    pub = get_scoped_or_404(
        Publication.objects.all(), request.user, Perm.VIEW, pk=pub_id
    )
    data = payload.dict()
    kwargs = {name: data[name] for name in _ACTION_ARGS[action]}
    if action == "schedule" and kwargs["go_live_at"] is None:
        from django.core.exceptions import ValidationError

        raise ValidationError("请提供定时发布时间 go_live_at。")
    return services.WORKFLOW_SERVICES[action](
        actor=request.user, publication=pub, **kwargs
    )


@router.get(
    "/catalogue/{org_id}",
    response=list[CatalogueItemOut],
    summary="公开目录事项",
    description="可用接口令牌（范围“读取公开目录”）调用。",
    auth=token_or_session(ApiToken.Scope.CATALOGUE_READ),
)
def catalogue_list(request: HttpRequest, org_id: int) -> Any:
    org = _org(request, org_id)
    return list(CatalogueItem.objects.filter(organisation=org))


@router.get(
    "/table2/{org_id}/{year}",
    response=dict[str, int | Decimal],
    summary="年报表二数据（s2.* 键）",
)
def table2(request: HttpRequest, org_id: int, year: int) -> Any:
    return selectors.table2_for(_org(request, org_id), year)


class DecisionOut(Schema):
    id: int
    kind: str
    decided_on: date
    document_number: str
    party: str
    summary: str


class DecisionIn(Schema):
    kind: str
    decided_on: date
    document_number: str
    party: str = ""
    summary: str = ""


class NormativeOut(Schema):
    id: int
    kind: str
    title: str
    document_number: str
    issued_on: date
    expired_on: date | None
    repealed_on: date | None
    publication_id: int | None


class NormativeIn(Schema):
    kind: str
    title: str
    issued_on: date
    document_number: str = ""


@router.get(
    "/registers/{org_id}/decisions",
    response=list[DecisionOut],
    summary="行政许可/处罚/强制决定登记（可按年度）",
)
def decision_list(request: HttpRequest, org_id: int, year: int | None = None) -> Any:
    qs = EnforcementDecision.objects.filter(organisation=_org(request, org_id))
    if year is not None:
        qs = qs.filter(decided_on__year=year)
    return list(qs)


@router.post(
    "/registers/{org_id}/decisions",
    response={201: DecisionOut},
    summary="登记一项行政许可/处罚/强制决定",
)
def decision_create(request: HttpRequest, org_id: int, payload: DecisionIn) -> Any:
    decision = registers.decision_register(
        actor=request.user, organisation=_org(request, org_id), **payload.dict()
    )
    return Reply(201, decision)


@router.get(
    "/registers/{org_id}/normative",
    response=list[NormativeOut],
    summary="规章和行政规范性文件登记",
)
def normative_list(request: HttpRequest, org_id: int) -> Any:
    return list(NormativeDocument.objects.filter(organisation=_org(request, org_id)))


@router.post(
    "/registers/{org_id}/normative",
    response={201: NormativeOut},
    summary="登记一件规章或行政规范性文件",
)
def normative_create(request: HttpRequest, org_id: int, payload: NormativeIn) -> Any:
    doc = registers.normative_document_register(
        actor=request.user, organisation=_org(request, org_id), **payload.dict()
    )
    return Reply(201, doc)
