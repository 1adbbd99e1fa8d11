from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.orgs.models import Membership, Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, reach_filter


def organisation_subtree(organisation: Organisation) -> QuerySet[Organisation]:
    """The organisation and all its descendants, in tree order."""
    return Organisation.objects.filter(path_prefix_q(organisation.path)).order_by(
        "path"
    )


def organisation_ancestors(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation.ancestor_ids()).order_by(
        "depth"
    )


def organisation_list_for_user(user: Any) -> list[Organisation]:
    """Organisations the user can open in the back office (any permission), tree order."""
    condition = None
    for perm in Perm:
        part = reach_filter(user, perm)
        if part is not None:
            condition = part if condition is None else condition | part
    if condition is None:
        return []
    return list(Organisation.objects.filter(condition, is_active=True).order_by("path"))


def membership_list_for_user(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__path", "role")
    )
