from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import reachable_organisations

router = Router(tags=["机构"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    is_disclosure_body: bool = Field(
        ...,
        description="政府信息公开主体（行政机关）；社区居委会、村委会为否，"
        "在其收到的申请由上级公开主体受理",
    )
    parent_id: int | None
    depth: int
    credit_code: str
    division_code: str
    office_address: str
    office_hours: str
    office_phone: str
    office_email: str
    office_postcode: str


class ListFilters(Schema):
    parent_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="只列出该机构的直接下级"
    )
    limit: int = Field(1000, ge=1, le=10000, description="最多返回条数（树形顺序）")
    offset: int = Field(0, ge=0, le=10**7, description="跳过的条数，用于分页")


@router.get(
    "/",
    response=list[OrganisationOut],
    summary="我可访问的机构",
    description="树形顺序。一个省级督查员可访问上万个机构：请用 limit/offset 分页，"
    "或用 parent_id 逐级展开。",
)
def organisation_list(
    request: HttpRequest, filters: Query[ListFilters]
) -> list[Organisation]:
    reachable = reachable_organisations(request.user).order_by("path")
    if filters.parent_id is not None:
        reachable = reachable.filter(parent_id=filters.parent_id)
    return list(reachable[filters.offset : filters.offset + filters.limit])


@router.get("/{org_id}", response=OrganisationOut, summary="机构详情")
def organisation_detail(request: HttpRequest, org_id: int) -> Organisation:
    org = reachable_organisations(request.user).filter(pk=org_id).first()
    if org is None:
        raise Http404("未找到该机构，或您无权访问。")
    return org
