from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongkai.backoffice.context import (
    SESSION_KEY,
    active_organisation,
    reachable_organisation,
)
from gongkai.backoffice.selectors import todo_for
from gongkai.inforequests.selectors import deadline_changes_unread_for
from gongkai.orgs.bootstrap import platform_is_empty
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.permissions import PERM_LABELS, Perm, held_perms
from gongkai.orgs.selectors import membership_list_for_user, organisation_subtree


def home(request: HttpRequest) -> HttpResponse:
    """Public landing page: the bodies on this platform (the portal fills this in)."""
    if platform_is_empty():
        return redirect("orgs:first_run")  # a fresh installation: 首次设置
    roots = Organisation.objects.filter(is_active=True, depth__lte=2).order_by("path")
    return render(request, "backoffice/home.html", {"organisations": roots})


def _todo_context(request: HttpRequest) -> dict[str, Any]:
    now = timezone.localtime()
    return {
        "todo": todo_for(request.user, active_organisation(request), now.date()),
        "now": now,
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = list(membership_list_for_user(request.user))
    roles = {m.role for m in memberships}
    return render(
        request,
        "backoffice/dashboard.html",
        {
            **_todo_context(request),
            "memberships": memberships,
            "is_admin_role": bool(roles & {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}),
            # A calendar change moved these cases' due dates (DESIGN flow 1).
            "deadline_changes": deadline_changes_unread_for(request.user),
        },
    )


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """The to-do list alone, for the 工作台's htmx refresh (a full page without htmx)."""
    if not request.headers.get("HX-Request"):
        return redirect("backoffice:dashboard")
    return render(request, "backoffice/_todo.html", _todo_context(request))


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("organisation", ""))
    except ValueError:
        wanted = -1
    if reachable_organisation(request, wanted) is not None:
        request.session[SESSION_KEY] = wanted
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "backoffice:dashboard")


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Anyone with any power over the organisation may see its card; the reach
    # comes from the permission helper (reachable_organisations).
    org = reachable_organisation(request, pk)
    if org is None:
        raise Http404("未找到该机构，或您无权访问。")
    perms = held_perms(request.user, org)
    children = organisation_subtree(org).filter(depth=org.depth + 1)
    return render(
        request,
        "backoffice/organisation_detail.html",
        {
            "org": org,
            "children": children,
            "perm_labels": [PERM_LABELS[p] for p in Perm if p in perms],
        },
    )
