"""Template context for the back-office frame: the user's organisations and the
active one (kept in the session by the organisation switcher)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can
from gongkai.orgs.selectors import organisation_list_for_user

SESSION_KEY = "gongkai_active_org"


def active_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation the user is working on now (first of theirs by default)."""
    if hasattr(request, "_gongkai_active_org"):
        return request._gongkai_active_org
    orgs = user_organisations(request)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    active = next((o for o in orgs if o.pk == chosen), orgs[0] if orgs else None)
    request._gongkai_active_org = active  # type: ignore[attr-defined]
    return active


def user_organisations(request: HttpRequest) -> list[Organisation]:
    if not hasattr(request, "_gongkai_orgs"):
        request._gongkai_orgs = (  # type: ignore[attr-defined]
            organisation_list_for_user(request.user)
            if request.user.is_authenticated
            else []
        )
    return request._gongkai_orgs  # type: ignore[attr-defined]


def backoffice(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    orgs = user_organisations(request)
    return {
        "user_orgs": orgs,
        "active_org": active_organisation(request),
        # The national holiday schedule is kept by a root organisation's 系统管理员.
        # Business sections for the business roles only (三权分立: the administrator
        # roles see their own screens and nothing else).
        "can_view_business": any(can(request.user, Perm.VIEW, o) for o in orgs),
        "can_manage_security": any(can(request.user, Perm.MANAGE_SECURITY, o) for o in orgs),
        "can_manage_calendar": any(
            o.depth == 0 and can(request.user, Perm.MANAGE_ORGS, o) for o in orgs
        ),
    }
