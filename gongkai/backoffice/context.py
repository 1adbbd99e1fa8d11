"""Template context for the back-office frame: the user's organisations and the
active one (kept in the session by the organisation switcher).

Nothing here lists every organisation a user can reach: a provincial supervisor
reaches 10^4 of them, and this runs on every back-office page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can
from gongkai.orgs.selectors import (
    membership_list_for_user,
    organisation_choices_for_user,
    reachable_organisations,
)

SESSION_KEY = "gongkai_active_org"


def reachable_organisation(request: HttpRequest, pk: Any) -> Organisation | None:
    """The organisation ``pk`` if the user can open it (the permission helper's reach)."""
    if not request.user.is_authenticated or not isinstance(pk, int):
        return None
    return reachable_organisations(request.user).filter(pk=pk).first()


def active_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation the user is working on now (first of theirs by default)."""
    if hasattr(request, "_gongkai_active_org"):
        return request._gongkai_active_org
    active = None
    if request.user.is_authenticated:
        chosen = (
            request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        )
        active = reachable_organisation(request, chosen) or (
            reachable_organisations(request.user).order_by("path").first()
        )
    request._gongkai_active_org = active  # type: ignore[attr-defined]
    return active


def user_organisations(request: HttpRequest) -> list[Organisation]:
    """The switcher's organisations (all of them up to a few hundred; see
    ``organisation_choices_for_user``)."""
    if not hasattr(request, "_gongkai_orgs"):
        request._gongkai_orgs = (  # type: ignore[attr-defined]
            organisation_choices_for_user(request.user, active_organisation(request))
            if request.user.is_authenticated
            else []
        )
    return request._gongkai_orgs  # type: ignore[attr-defined]


def _membership_organisations(request: HttpRequest) -> list[Organisation]:
    # Permissions flow down the tree from memberships, so what a user may do anywhere
    # they may do on one of their memberships' organisations.
    return [
        m.organisation
        for m in membership_list_for_user(request.user)
        if m.organisation.is_active
    ]


def backoffice(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    own = _membership_organisations(request)
    return {
        "user_orgs": user_organisations(request),
        "active_org": active_organisation(request),
        # Business sections for the business roles only (三权分立: the administrator
        # roles see their own screens and nothing else).
        "can_view_business": any(can(request.user, Perm.VIEW, o) for o in own),
        "can_manage_security": any(
            can(request.user, Perm.MANAGE_SECURITY, o) for o in own
        ),
        # The national holiday schedule is kept by a root organisation's 系统管理员.
        "can_manage_calendar": any(
            o.depth == 0 and can(request.user, Perm.MANAGE_ORGS, o) for o in own
        ),
    }
