"""The one permission helper: every organisation-scoped query goes through here.

A user's powers come only from memberships (user × organisation × role). Each role
grants a set of permissions with a reach: the organisation itself (``SELF``) or it
and all its descendants (``SUBTREE``). Nobody ever reaches a sibling or an ancestor.

Views, the admin site and the API call :func:`scope` / :func:`get_scoped_or_404` /
:func:`require`; no other code filters by organisation on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from gongkai.orgs.models import Membership, Organisation, Role, path_prefix_q


class Perm(StrEnum):
    VIEW = "view"  # read business data (applications, publications, reports)
    EDIT = "edit"  # create and change business data
    APPROVE = "approve"  # approve extensions, replies, publications, reports
    MANAGE_ORGS = "manage_orgs"  # 系统管理员: organisations and memberships
    MANAGE_SECURITY = "manage_security"  # 安全管理员: accounts' security state
    VIEW_AUDIT = "view_audit"  # 审计管理员: read and export the audit log


class Reach(Enum):
    SELF = "self"
    SUBTREE = "subtree"


@dataclass(frozen=True)
class Grant:
    perms: frozenset[Perm]
    reach: Reach


# 三权分立: the three administrator roles share no permission with each other
# or with the business roles (tested in orgs/tests/test_separation_of_duties.py).
ROLE_GRANTS: dict[str, Grant] = {
    Role.OFFICER: Grant(frozenset({Perm.VIEW, Perm.EDIT}), Reach.SUBTREE),
    Role.LIAISON: Grant(frozenset({Perm.VIEW, Perm.EDIT}), Reach.SELF),
    Role.HEAD: Grant(frozenset({Perm.VIEW, Perm.EDIT, Perm.APPROVE}), Reach.SUBTREE),
    Role.LEADER: Grant(frozenset({Perm.VIEW, Perm.APPROVE}), Reach.SUBTREE),
    Role.SUPERVISOR: Grant(frozenset({Perm.VIEW}), Reach.SUBTREE),
    Role.SYSADMIN: Grant(frozenset({Perm.MANAGE_ORGS}), Reach.SUBTREE),
    Role.SECADMIN: Grant(frozenset({Perm.MANAGE_SECURITY}), Reach.SUBTREE),
    Role.AUDITOR: Grant(frozenset({Perm.VIEW_AUDIT}), Reach.SUBTREE),
}

PERM_LABELS = {
    Perm.VIEW: "查看",
    Perm.EDIT: "办理",
    Perm.APPROVE: "审批",
    Perm.MANAGE_ORGS: "管理机构和人员",
    Perm.MANAGE_SECURITY: "管理账号安全",
    Perm.VIEW_AUDIT: "查看审计日志",
}

M = TypeVar("M", bound=Model)


def _memberships(user: Any) -> list[tuple[str, int, str]]:
    """(role, organisation id, organisation path) of the user's active memberships.

    Cached on the user object, which lives for one request: memberships rarely
    change within a request, and this saves a query per scoped list.
    """
    cached: list[tuple[str, int, str]] | None = getattr(
        user, "_gongkai_memberships", None
    )
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user, organisation__is_active=True
            ).values_list("role", "organisation_id", "organisation__path")
        )
        user._gongkai_memberships = cached
    return cached


def forget_cached_permissions(user: Any) -> None:
    if hasattr(user, "_gongkai_memberships"):
        del user._gongkai_memberships


def _grants(user: Any, perm: Perm) -> list[tuple[Reach, int, str]]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [
        (ROLE_GRANTS[role].reach, org_id, path)
        for role, org_id, path in _memberships(user)
        if perm in ROLE_GRANTS[role].perms
    ]


def reach_filter(user: Any, perm: Perm) -> Q | None:
    """A Q over Organisation for the organisations ``user`` may act on; None = none."""
    condition: Q | None = None
    for reach, org_id, path in _grants(user, perm):
        part = path_prefix_q(path) if reach is Reach.SUBTREE else Q(pk=org_id)
        condition = part if condition is None else condition | part
    return condition


def organisations_for(user: Any, perm: Perm) -> QuerySet[Organisation]:
    """Organisations on which ``user`` holds ``perm``."""
    condition = reach_filter(user, perm)
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition, is_active=True)


def scope(
    queryset: QuerySet[M], user: Any, perm: Perm, *, via: str = "organisation"
) -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose organisation (``via``) the user may act on."""
    condition = reach_filter(user, perm)
    if condition is None:
        return queryset.none()
    if queryset.model is Organisation and via in ("", "self"):
        return queryset.filter(condition)
    allowed = Organisation.objects.filter(condition).values("pk")
    return queryset.filter(**{f"{via}__in": allowed})


def can(user: Any, perm: Perm, organisation: Organisation | None) -> bool:
    if organisation is None or not organisation.is_active:
        return False
    for reach, org_id, path in _grants(user, perm):
        if org_id == organisation.pk:
            return True
        if reach is Reach.SUBTREE and organisation.path.startswith(path):
            return True
    return False


def require(user: Any, perm: Perm, organisation: Organisation | None) -> None:
    """Raise PermissionDenied (Chinese message) unless ``user`` holds ``perm`` there."""
    if not can(user, perm, organisation):
        where = organisation.label if organisation else "该机构"
        raise PermissionDenied(f"您没有在“{where}”{PERM_LABELS[perm]}的权限。")


def can_register_intake(
    user: Any, point: Organisation, body: Organisation | None = None
) -> bool:
    """May ``user`` register an application handed in at ``point``?

    The case is the disclosure body's (``point.disclosure_body()``, given as ``body``
    or looked up). Whoever may 办理 at the body may register it, and so may whoever
    may 办理 at the point itself: a 社区联络员 registers what was handed in at the
    居委会 — the case is then the 街道's, which they can neither read nor handle
    there unless another membership gives them that.
    """
    if body is None:
        body = point.disclosure_body()
    if body is None:
        return False
    return can(user, Perm.EDIT, body) or can(user, Perm.EDIT, point)


def intake_points_for(user: Any) -> QuerySet[Organisation]:
    """Where ``user`` may register applications (``can_register_intake``): the bodies
    and the points below them (社区, 村) on which they may 办理."""
    return organisations_for(user, Perm.EDIT)


def require_intake(
    user: Any, point: Organisation, body: Organisation | None = None
) -> None:
    """Raise PermissionDenied (Chinese) unless ``user`` may register intake at ``point``."""
    if not can_register_intake(user, point, body):
        raise PermissionDenied(f"您没有在“{point.label}”登记政府信息公开申请的权限。")


def get_scoped_or_404(
    queryset: QuerySet[M],
    user: Any,
    perm: Perm,
    *,
    via: str = "organisation",
    **lookup: Any,
) -> M:
    """Fetch one object the user may act on; anything else is a 404, never a hint."""
    try:
        found = scope(queryset, user, perm, via=via).filter(**lookup).first()
    except (OverflowError, ValueError):
        found = None  # an id no row can have (e.g. beyond 64 bits): simply not found
    if found is None:
        raise Http404("未找到该对象，或您无权访问。")
    return found


def held_perms(user: Any, organisation: Organisation) -> set[Perm]:
    """Every permission ``user`` holds on ``organisation`` (for showing buttons)."""
    return {perm for perm in Perm if can(user, perm, organisation)}
