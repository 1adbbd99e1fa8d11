from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

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


def reachable_organisations(user: Any) -> QuerySet[Organisation]:
    """Active organisations the user can open in the back office (any permission)."""
    condition = None
    for perm in Perm:
        part = reach_filter(user, perm)
        if part is not None:
            condition = part if condition is None else condition | part
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition, is_active=True)


def organisation_list_for_user(user: Any) -> list[Organisation]:
    """Organisations the user can open in the back office (any permission), tree order."""
    return list(reachable_organisations(user).order_by("path"))


# A switcher of more than this many organisations (a province has 10^4) shows the
# neighbourhood of the active one instead of every organisation.
SWITCHER_FULL_LIST_MAX = 300


def organisation_choices_for_user(
    user: Any, active: Organisation | None
) -> list[Organisation]:
    """What the organisation switcher offers, in tree order.

    Everything the user can reach when that is at most ``SWITCHER_FULL_LIST_MAX``;
    otherwise the organisations of their memberships, the active organisation's
    ancestors and the active organisation with its children — enough to move down
    the tree one level at a time and back up, on a page that stays small.
    """
    reachable = reachable_organisations(user)
    if reachable.count() <= SWITCHER_FULL_LIST_MAX:
        return list(reachable.order_by("path"))
    near = Q(pk__in=Membership.objects.filter(user=user).values("organisation_id"))
    if active is not None:
        near |= Q(pk__in=active.ancestor_ids()) | Q(pk=active.pk) | Q(parent=active)
    return list(reachable.filter(near).order_by("path")[: SWITCHER_FULL_LIST_MAX * 2])


def membership_list_for_user(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__path", "role")
    )
