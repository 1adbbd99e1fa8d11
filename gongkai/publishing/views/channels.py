"""Screens: channel sync (with notice-board confirmation and retry) and the public outputs (feeds, hall screen, poster)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, can, get_scoped_or_404
from gongkai.publishing import channels as channel_services
from gongkai.publishing import selectors
from gongkai.publishing.content import plain_text
from gongkai.publishing.models import (
    ChannelDelivery,
    Publication,
)
from gongkai.publishing.outputs import atom_bytes, json_feed, poster_pdf, rss_bytes
from gongkai.publishing.reference import Channel
from gongkai.publishing.views._helpers import (
    FEED_SIZE,
    _flash_errors,
    _org,
)


@login_required
def channel_sync(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "publishing/sync.html",
        {
            "org": org,
            "rows": selectors.channel_sync_for(request.user, org),
            "can_edit": can(request.user, Perm.EDIT, org),
            "channels": Channel.choices,
        },
    )


@login_required
@require_POST
def delivery_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    delivery = get_scoped_or_404(
        ChannelDelivery.objects.all(),
        request.user,
        Perm.EDIT,
        via="publication__organisation",
        pk=pk,
    )
    try:
        if action == "confirm":
            channel_services.delivery_confirm(actor=request.user, delivery=delivery)
        elif action == "retry":
            channel_services.delivery_retry(actor=request.user, delivery=delivery)
        else:
            raise Http404("未知的操作。")
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "已处理。")
    return redirect("publishing:sync")


# ------------------------------------------------------------------ public channels


def _public_org(pk: int) -> Organisation:
    return get_object_or_404(Organisation, pk=pk, is_active=True)


def _feed_items(org: Organisation) -> list[Publication]:
    return list(selectors.publication_live_for(org)[:FEED_SIZE])


def _page(request: HttpRequest, name: str, *args: int) -> str | None:
    try:
        return request.build_absolute_uri(reverse(name, args=args))
    except NoReverseMatch:  # the public portal is optional
        return None


def _urls(
    request: HttpRequest, org: Organisation, name: str, items: list[Publication]
) -> tuple[str, str, dict[int, str]]:
    """Home page (the portal column, else the hall screen), the feed's own URL and
    each item's page on the portal."""
    screen = request.build_absolute_uri(reverse("publishing:screen", args=[org.pk]))
    base = _page(request, "portal:publications", org.pk) or screen
    me = request.build_absolute_uri(reverse(f"publishing:{name}", args=[org.pk]))
    links: dict[int, str] = {}
    for pub in items:
        page = _page(request, "portal:publication", org.pk, pub.pk)
        if page:
            links[pub.pk] = page
    return base, me, links


def feed_rss(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _public_org(org_pk)
    items = _feed_items(org)
    body = rss_bytes(org, items, *_urls(request, org, "feed_rss", items))
    return HttpResponse(body, content_type="application/rss+xml; charset=utf-8")


def feed_atom(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _public_org(org_pk)
    items = _feed_items(org)
    body = atom_bytes(org, items, *_urls(request, org, "feed_atom", items))
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


def feed_json(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = _public_org(org_pk)
    items = _feed_items(org)
    data = json_feed(org, items, *_urls(request, org, "feed_json", items))
    return JsonResponse(
        data,
        json_dumps_params={"ensure_ascii": False},
        content_type="application/feed+json; charset=utf-8",
    )


def hall_screen(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Full-screen page for the service hall: rotates current items, no external JS."""
    org = _public_org(org_pk)
    items = [
        {"pub": p, "text": plain_text(p.body)[:600]}
        for p in selectors.publication_live_for(org)[:20]
    ]
    return render(
        request,
        "publishing/screen.html",
        {"org": org, "items": items, "today": timezone.localdate()},
    )


@login_required
def poster(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = get_scoped_or_404(
        Organisation.objects.all(), request.user, Perm.VIEW, via="self", pk=org_pk
    )
    pdf = poster_pdf(org, _feed_items(org)[:12])
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = date.today().strftime("%Y%m%d")  # noqa: DTZ011 (a file name only)
    response["Content-Disposition"] = f'inline; filename="poster-{org.pk}-{stamp}.pdf"'
    return response
