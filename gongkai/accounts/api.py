from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from gongkai.orgs.selectors import membership_list_for_user

router = Router(tags=["账号"])


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    role: str
    role_label: str


class MeOut(Schema):
    username: str
    name: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="当前用户及其岗位")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "username": user.get_username(),
        "name": user.display_name,
        "memberships": [
            {
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name,
                "role": m.role,
                "role_label": m.get_role_display(),
            }
            for m in membership_list_for_user(user)
        ],
    }
