"""Reads of proactive disclosure, one function per question a screen asks.

Scoped lists go through ``gongkai.orgs.permissions.scope``; ``table2_for`` is the
public entry point for the annual report (flat ``s2.*`` keys)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.calendars.selectors import work_calendar
from gongkai.core.engagement_rules import interpretation_rate, interpretation_state
from gongkai.core.letters import chinese_date
from gongkai.core.publication_flow import LIVE_STATUSES, Status
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, scope
from gongkai.publishing.models import (
    CatalogueItem,
    ChannelDelivery,
    EnforcementDecision,
    FeeRecord,
    NormativeDocument,
    Publication,
    late_publication_q,
    next_update_due,
    published_in_year_q,
)
from gongkai.publishing.reference import Channel, Genre

# ------------------------------------------------------------------ table 二


def table2_for(org: Organisation, year: int) -> dict[str, int | Decimal]:
    """Table 二 of ``org``'s annual report for ``year`` from its registers.

    制发 = issued in the year; 废止 = repealed in the year; 现行有效 = in force on
    31 December (issued by then, neither repealed nor expired by then). Decisions
    count by decision date; fees are the year's sum in 万元 to 4 decimals.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    cells: dict[str, int | Decimal] = {}
    docs = NormativeDocument.objects.filter(organisation=org)
    for kind, prefix in (
        (NormativeDocument.Kind.REGULATION, "s2.regulations"),
        (NormativeDocument.Kind.NORMATIVE, "s2.normative"),
    ):
        agg = docs.filter(kind=kind).aggregate(
            issued=Count("pk", filter=Q(issued_on__range=(start, end))),
            repealed=Count("pk", filter=Q(repealed_on__range=(start, end))),
            in_force=Count(
                "pk",
                filter=Q(issued_on__lte=end)
                & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
                & (Q(expired_on__isnull=True) | Q(expired_on__gt=end)),
            ),
        )
        for key in ("issued", "repealed", "in_force"):
            cells[f"{prefix}.{key}"] = int(agg[key])
    decided = (
        EnforcementDecision.objects.filter(
            organisation=org, decided_on__range=(start, end)
        )
        .values("kind")
        .annotate(n=Count("pk"))
    )
    counts = {row["kind"]: row["n"] for row in decided}
    for kind_key, key in (
        ("license", "s2.license.decisions"),
        ("penalty", "s2.penalty.decisions"),
        ("coercion", "s2.coercion.decisions"),
    ):
        cells[key] = int(counts.get(kind_key, 0))
    total = FeeRecord.objects.filter(
        organisation=org, collected_on__range=(start, end)
    ).aggregate(s=Sum("amount_wan"))["s"]
    cells["s2.fees.amount_wan"] = Decimal(total or 0).quantize(Decimal("0.0001"))
    return cells


# ------------------------------------------------------------------ publications


def publication_list_for(
    user: Any, organisation: Organisation | None = None
) -> QuerySet[Publication]:
    """Publications the user may see (of ``organisation`` only, when given)."""
    qs = scope(Publication.objects.all(), user, Perm.VIEW).select_related(
        "organisation", "catalogue_item"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def publication_awaiting_review_for(user: Any) -> QuerySet[Publication]:
    """Items in review that ``user`` may approve (a head sees its communities' too)."""
    return (
        scope(Publication.objects.filter(status=Status.IN_REVIEW), user, Perm.APPROVE)
        .select_related("organisation")
        .order_by("updated_at")
    )


def publication_list_under(
    user: Any, organisation: Organisation
) -> QuerySet[Publication]:
    """Publications of ``organisation`` and every unit below it that the user may see."""
    return publication_list_for(user).filter(
        organisation__path__startswith=organisation.path
    )


def publication_live_for(organisation: Organisation) -> QuerySet[Publication]:
    """Live 主动公开 items of one organisation, newest first (public channels)."""
    return Publication.objects.filter(
        organisation=organisation,
        status__in=[s.value for s in LIVE_STATUSES],
        attribute=Publication.Attribute.PROACTIVE,
    ).order_by("-published_at", "-pk")


def publication_late_for(
    user: Any, organisation: Organisation | None = None
) -> list[Publication]:
    """Art. 26: 主动公开 items published after their due date (local date), or still
    unpublished and not withdrawn past it. Computed in the database."""
    return list(
        publication_list_for(user, organisation)
        .filter(attribute=Publication.Attribute.PROACTIVE, due_on__isnull=False)
        .filter(late_publication_q(timezone.localdate()))
        .order_by("due_on", "pk")
    )


def publication_counts(user: Any, organisation: Organisation) -> dict[str, int]:
    rows = (
        publication_list_for(user, organisation)
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def normative_without_interpretation(
    user: Any, organisation: Organisation | None = None
) -> QuerySet[Publication]:
    """Normative documents (not withdrawn) that no 政策解读 links to."""
    return (
        publication_list_for(user, organisation)
        .filter(genre__in=[Genre.NORMATIVE, Genre.REGULATION])
        .exclude(status=Status.WITHDRAWN)
        .annotate(n_interp=Count("interpretations"))
        .filter(n_interp=0)
    )


# ------------------------------------------------------------------ staleness


@dataclass(frozen=True)
class StaleItem:
    item: CatalogueItem
    last_published: date | None
    due: date
    days_overdue: int


@dataclass(frozen=True)
class ItemFreshness:
    """How current one catalogue item is, for the catalogue screen."""

    last_published: date | None
    due: date | None  # next refresh by its update period (Art. 53(2)); None: none set
    days_overdue: int  # > 0: stale by that many days
    late_count: int  # its items disclosed after their 公开时限 (Art. 26 due date)
    live_count: int = 0  # its live publications

    @property
    def label(self) -> str:
        if self.due is None:
            return "无固定更新周期"
        if self.days_overdue > 0:
            return f"已超期 {self.days_overdue} 天未更新"
        return f"按期（{chinese_date(self.due)}前更新）"


def catalogue_freshness(
    items: QuerySet[CatalogueItem], today: date
) -> list[tuple[CatalogueItem, ItemFreshness]]:
    """The one reading of Art. 53(2) for catalogue items (the 目录 screen, the stale
    list, the supervisor's 目录事项及时更新率): the base date is the latest live
    publication under the item, else the date the item entered the catalogue; the
    item is stale once the next refresh by its update period is past — one grouped
    query over ``items`` (already scoped by the caller)."""
    live = Q(publications__status__in=[s.value for s in LIVE_STATUSES])
    late = Q(
        publications__attribute=Publication.Attribute.PROACTIVE,
        publications__due_on__isnull=False,
    ) & late_publication_q(today, prefix="publications__")
    annotated = items.annotate(
        last_pub=Max("publications__published_at", filter=live),
        n_live=Count("publications", filter=live, distinct=True),
        n_late=Count("publications", filter=late, distinct=True),
    )
    out: list[tuple[CatalogueItem, ItemFreshness]] = []
    for item in annotated:
        last = timezone.localdate(item.last_pub) if item.last_pub else None
        due = next_update_due(
            last or timezone.localdate(item.created_at), item.update_period_days
        )
        out.append(
            (
                item,
                ItemFreshness(
                    last_published=last,
                    due=due,
                    days_overdue=(today - due).days if due and due < today else 0,
                    late_count=item.n_late,
                    live_count=item.n_live,
                ),
            )
        )
    return out


def catalogue_stale_for(
    user: Any, organisation: Organisation | None = None, today: date | None = None
) -> list[StaleItem]:
    """Art. 53(2): catalogue items not refreshed within their update period
    (``catalogue_freshness``)."""
    today = today or timezone.localdate()
    items = scope(
        CatalogueItem.objects.filter(is_active=True, update_period_days__isnull=False),
        user,
        Perm.VIEW,
    ).select_related("organisation", "area")
    if organisation is not None:
        items = items.filter(organisation=organisation)
    stale = [
        StaleItem(
            item=item,
            last_published=f.last_published,
            due=f.due,
            days_overdue=f.days_overdue,
        )
        for item, f in catalogue_freshness(items, today)
        if f.due is not None and f.days_overdue > 0
    ]
    stale.sort(key=lambda s: (-s.days_overdue, s.item.pk))
    return stale


def catalogue_freshness_for(
    user: Any, organisation: Organisation, today: date | None = None
) -> dict[int, ItemFreshness]:
    """Per catalogue item of ``organisation``: its last live publication, the date it
    must next be refreshed and by how much it is late, and how many of its items
    missed their 公开时限 — one grouped query (``catalogue_freshness``)."""
    today = today or timezone.localdate()
    items = scope(
        CatalogueItem.objects.filter(organisation=organisation), user, Perm.VIEW
    )
    return {item.pk: f for item, f in catalogue_freshness(items, today)}


# ------------------------------------------------------------------ channels


@dataclass(frozen=True)
class SyncRow:
    publication: Publication
    channel: str
    state: str  # ready / sent / failed / missing / stale_revision
    reason: str


def channel_sync_for(user: Any, organisation: Organisation) -> list[SyncRow]:
    """Live items that are not (or not in their latest version) on some channel, and
    withdrawn items whose copy has still to come down."""
    rows: list[SyncRow] = []
    live = (
        publication_list_for(user, organisation)
        .filter(status__in=[s.value for s in LIVE_STATUSES])
        .prefetch_related("deliveries")
        .annotate(rev=Max("revisions__number"))
    )
    for pub in live:
        by_channel = {d.channel: d for d in pub.deliveries.all()}
        for channel in pub.channels:
            d = by_channel.get(channel)
            if d is None:
                rows.append(SyncRow(pub, channel, "missing", "未进入发送队列"))
            elif d.status == ChannelDelivery.State.FAILED:
                rows.append(
                    SyncRow(
                        pub,
                        channel,
                        "failed",
                        f"发送失败（{d.attempts} 次）：{d.last_error}",
                    )
                )
            elif d.status == ChannelDelivery.State.READY:
                why = d.last_error or "等待发送"
                if channel == Channel.NOTICE_BOARD and not d.last_error:
                    why = "待打印张贴到信息公示栏"
                rows.append(SyncRow(pub, channel, "ready", why))
            elif d.revision < (getattr(pub, "rev", 0) or 0):
                rows.append(SyncRow(pub, channel, "stale_revision", "渠道上仍是旧版本"))
            elif d.superseded_id:
                why = d.last_error or "新版本已发出，旧版本待撤下"
                rows.append(SyncRow(pub, channel, "superseded", why))
    # Withdrawn items whose copy is still up on a channel.
    retracting = (
        publication_list_for(user, organisation)
        .filter(deliveries__status=ChannelDelivery.State.RETRACT)
        .distinct()
        .prefetch_related("deliveries")
    )
    for withdrawn in retracting:
        for d in withdrawn.deliveries.all():
            if d.status == ChannelDelivery.State.RETRACT:
                why = d.last_error or "已撤回，待从渠道撤下"
                rows.append(SyncRow(withdrawn, d.channel, "retract", why))
    return rows


# ------------------------------------------------------------------ Art. 44


def _normalise_description(text: str) -> str:
    """Collapse whitespace and punctuation so the same request reads the same."""
    keep = [ch for ch in text if ch.isalnum()]
    return "".join(keep).lower()


def suggest_proactive_from_requests(
    org: Organisation, minimum_applicants: int = 2
) -> list[dict[str, Any]]:
    """Art. 44: the same information asked for by several applicants and disclosed
    (予以公开 / 部分公开) → suggest making it 主动公开.

    Requests are grouped by their description with whitespace and punctuation
    removed; applicants are told apart by the digest of their ID number.
    Returns [] when the applications app has no model (it is optional here).
    """
    try:
        models = importlib.import_module("gongkai.inforequests.models")
    except ModuleNotFoundError:
        return []
    info_request = getattr(models, "InfoRequest", None)
    if info_request is None:  # TODO: nothing to read until the app has its model
        return []
    groups: dict[str, dict[str, Any]] = {}
    rows = info_request.objects.filter(
        organisation=org, outcome__in=["granted", "partial"]
    ).values_list("pk", "description", "id_digest", "applicant_name")
    for pk, description, id_digest, name in rows:
        key = _normalise_description(description)
        if not key:
            continue
        group = groups.setdefault(
            key, {"description": description, "applicants": set(), "requests": []}
        )
        group["applicants"].add(id_digest or name)
        group["requests"].append(pk)
    return [
        {
            "description": g["description"],
            "applicants": len(g["applicants"]),
            "request_ids": g["requests"],
        }
        for g in groups.values()
        if len(g["applicants"]) >= minimum_applicants
    ]


# ------------------------------------------------------------------ 政策解读 (issue 21)


@dataclass
class InterpretationRow:
    """One unit's 规范性文件 of a year and whether each has a timely 解读."""

    documents: list[tuple[Publication, Any]]  # (document, InterpretationState)

    @property
    def total(self) -> int:
        return len(self.documents)

    @property
    def timely(self) -> int:
        return sum(1 for _d, s in self.documents if s.value == "timely")

    @property
    def rate(self) -> float | None:
        return interpretation_rate([s for _d, s in self.documents])

    @property
    def missing(self) -> list[tuple[Publication, Any]]:
        """Documents without a timely 解读 whose time is up (late or none)."""
        return [(d, s) for d, s in self.documents if s.value in ("late", "missing")]


def interpretation_figures(
    units: list[Organisation], year: int, today: date | None = None
) -> dict[int, InterpretationRow]:
    """解读率 per unit: the ``year``'s live 规范性文件 (by publication date) and, for
    each, whether a live 解读 reached the public with it or within
    ``settings.INTERPRETATION_WORKING_DAYS`` working days."""
    today = today or timezone.localdate()
    calendar = work_calendar()
    rows = {u.pk: InterpretationRow(documents=[]) for u in units}
    live = list(LIVE_STATUSES)
    documents = (
        Publication.objects.filter(
            published_in_year_q(year),
            organisation__in=units,
            genre__in=[Genre.NORMATIVE, Genre.REGULATION],
            status__in=live,
        )
        .only("id", "title", "organisation_id", "published_at", "index_no")
        .prefetch_related(
            Prefetch(
                "interpretations",
                queryset=Publication.objects.filter(
                    status__in=live, published_at__isnull=False
                ).only("id", "interprets_id", "published_at", "title"),
                to_attr="live_interpretations",
            )
        )
        .order_by("published_at", "pk")
    )
    for doc in documents:
        assert doc.published_at is not None
        state = interpretation_state(
            document_published=timezone.localdate(doc.published_at),
            interpretations_published=[
                timezone.localdate(i.published_at) for i in doc.live_interpretations
            ],
            days=settings.INTERPRETATION_WORKING_DAYS,
            calendar=calendar,
            today=today,
        )
        rows[doc.organisation_id].documents.append((doc, state))
    return rows
