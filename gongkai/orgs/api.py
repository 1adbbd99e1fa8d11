from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import organisation_list_for_user

router = Router(tags=["机构"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    depth: int
    credit_code: str
    division_code: str
    office_address: str
    office_hours: str
    office_phone: str
    office_email: str
    office_postcode: str


@router.get("/", response=list[OrganisationOut], summary="我可访问的机构")
def organisation_list(request: HttpRequest) -> list[Organisation]:
    return organisation_list_for_user(request.user)


@router.get("/{org_id}", response=OrganisationOut, summary="机构详情")
def organisation_detail(request: HttpRequest, org_id: int) -> Organisation:
    org = next(
        (o for o in organisation_list_for_user(request.user) if o.pk == org_id), None
    )
    if org is None:
        raise Http404("未找到该机构，或您无权访问。")
    return org
