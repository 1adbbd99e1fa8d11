"""The checks of one run, read-only: what each body's columns would fail today.

:func:`check_bodies` reads the bodies' live items in batches, checks every distinct
link once (internal ones in-process or against ``GONGKAI_INSPECTION_SITE_URL``,
outside ones with the core link checker), and returns per body the failing subjects
(:class:`Proto`) and the figures the summary row keeps. The services turn them into
findings; nothing here writes.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from gongkai.core.inspection import Indicators, Severity, column_state
from gongkai.core.inspection.linkcheck import (
    LinkChecker,
    LinkConfig,
    LinkResult,
    Outcome,
    extract_links,
)
from gongkai.core.letters import chinese_date
from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.inspection.models import HomeProbe
from gongkai.inspection.selectors import (
    describe,
    dictionary_for,
    indicators,
    publication_wording,
)
from gongkai.orgs.models import Organisation
from gongkai.privacy.selectors import publication_pii_report
from gongkai.publishing.models import CatalogueArea, Publication
from gongkai.publishing.reference import Genre

BATCH = 2000
LIVE = [str(s) for s in LIVE_STATUSES]


@dataclass
class Proto:
    indicator: str
    subject: str
    label: str
    detail: str
    fix_url: str = ""
    publication_id: int | None = None
    owner_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class BodyResult:
    organisation: Organisation
    protos: list[Proto] = field(default_factory=list)
    items: int = 0
    links: int = 0
    broken: int = 0
    home_probes: int = 0  # scheduled visits of the home page in the window
    home_failures: int = 0
    columns: list[dict[str, Any]] = field(default_factory=list)
    # (publication id, url) of every link in the body's live items
    link_refs: list[tuple[int, str, str, int | None]] = field(default_factory=list)


@dataclass
class RunResult:
    bodies: dict[int, BodyResult]
    checked: set[str]  # indicators actually checked (others keep their findings)
    notes: list[str]


def link_config() -> LinkConfig:
    extra = getattr(settings, "INSPECTION_LINKS", None) or {}
    return LinkConfig(**extra)


def site_url() -> str:
    return str(getattr(settings, "INSPECTION_SITE_URL", "") or "").rstrip("/")


def _home_path(org: Organisation) -> str:
    return reverse("portal:column", args=[org.pk])


def _short(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


# --------------------------------------------------------------------- in-process


def _inprocess_status(path: str) -> tuple[bool, str]:
    """GET a page of this platform without the network (when no site address is
    configured): what the public would get, including a 500 as a failure."""
    from django.test import Client

    try:
        resolve(urlsplit(path).path)
    except Resolver404:
        return False, "本站页面不存在（HTTP 404）"
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    try:
        response = client.get(path, secure=True)
    except Exception as exc:
        return False, page_error_reason(exc)
    if response.status_code >= 400:
        return False, f"打不开（HTTP {response.status_code}）"
    return True, ""


def page_error_reason(exc: BaseException) -> str:
    """Why a page of this platform could not be rendered, in Chinese (never the
    exception's class name)."""
    if isinstance(exc, DatabaseError):
        return "页面出错（数据库暂时无法使用）"
    if isinstance(exc, TimeoutError):
        return "页面出错（超时）"
    if isinstance(exc, MemoryError):
        return "页面出错（服务器内存不足）"
    return "页面出错（服务器内部错误）"


def _is_internal(url: str, base: str) -> bool:
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True
    return bool(base) and parts.netloc == urlsplit(base).netloc


# --------------------------------------------------------------------- the run


def check_bodies(
    bodies: list[Organisation],
    *,
    today: datetime.date | None = None,
    check_links: bool = True,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    ind = indicators()
    today = today or timezone.localdate()
    results = {b.pk: BodyResult(b) for b in bodies}
    notes: list[str] = []
    checked = {
        "home_unavailable",
        "news_stale",
        "column_stale",
        "blank_column",
        "serious_wording",
        "common_typos",
        "interpretation_links",
        "pii_in_lists",
    }
    _home(results, ind)
    _columns(results, ind, today)
    _blank_areas(results)
    _items(results, ind)
    if check_links:
        checked.add("broken_links")
        _links(results, progress)
    else:
        notes.append("本次未检查链接。")
    interaction = getattr(settings, "INSPECTION_INTERACTION_CHECK", "") or ""
    if interaction:
        checked.add("interaction_slow")
        _interaction(results, ind, import_string(interaction), today)
    else:
        # The operator's side (which setting to fill in) is in docs/inspection.md.
        notes.append("留言答复情况的检查未启用，“互动回应差”一项未检查。")
    return RunResult(results, checked, notes)


def probe_homes(bodies: list[Organisation]) -> dict[int, tuple[bool, str]]:
    """Visit each body's column home page once: (reachable, why not). Over HTTP at
    ``GONGKAI_INSPECTION_SITE_URL`` when set, else in-process (no network)."""
    base = site_url()
    targets = {b.pk: _home_path(b) for b in bodies}
    out: dict[int, tuple[bool, str]] = {}
    if base:
        found = LinkChecker(link_config()).check_many(
            base + p for p in targets.values()
        )
        for pk, path in targets.items():
            res = found[base + path]
            out[pk] = (not res.broken, res.message)
    else:
        for pk, path in targets.items():
            out[pk] = _inprocess_status(path)
    return out


def home_window_start(ind: Indicators) -> datetime.datetime:
    days = int(ind["home_unavailable"].param("window_days", 7))
    return timezone.now() - datetime.timedelta(days=days)


def _home(results: dict[int, BodyResult], ind: Indicators) -> None:
    """站点无法访问 from the scheduled visits of the window (``probe_home_pages``),
    never from a visit of this run: runs started by hand add nothing."""
    item = ind["home_unavailable"]
    rows = (
        HomeProbe.objects.filter(
            organisation_id__in=list(results), at__gt=home_window_start(ind)
        )
        .values("organisation_id")
        .annotate(total=Count("pk"), failed=Count("pk", filter=Q(ok=False)))
    )
    for row in rows:
        r = results[row["organisation_id"]]
        r.home_probes, r.home_failures = row["total"], row["failed"]
    days = int(item.param("window_days", 7))
    for r in results.values():
        if item.fails(r.home_failures, checked=r.home_probes):
            r.protos.append(
                Proto(
                    "home_unavailable",
                    "home",
                    "政府信息公开专栏首页",
                    f"首页无法访问：近{days}天定时访问 {r.home_probes} 次，"
                    f"{r.home_failures} 次无法访问"
                    f"（{r.home_failures * 100 / r.home_probes:.1f}%）。",
                    fix_url="",
                    data={"probes": r.home_probes, "failures": r.home_failures},
                )
            )


def _columns(
    results: dict[int, BodyResult], ind: Indicators, today: datetime.date
) -> None:
    kinds = list(ind.column_kinds.values())
    # A column exists when it has a live item (drafts are not on the site).
    rows = (
        Publication.objects.filter(organisation_id__in=list(results), status__in=LIVE)
        .values("organisation_id", "genre")
        .annotate(
            total=Count("pk"),
            last=Max(Coalesce("last_changed_at", "published_at")),
        )
    )
    per_body: dict[int, dict[str, tuple[int, datetime.datetime | None]]] = defaultdict(
        dict
    )
    for row in rows:
        per_body[row["organisation_id"]][row["genre"]] = (row["total"], row["last"])
    labels = dict(Genre.choices)
    for pk, r in results.items():
        genres = per_body.get(pk, {})
        for kind in kinds:
            present = [g for g in kind.genres if g in genres]
            if not present and not kind.required:
                continue  # the body has no such column
            lasts: list[datetime.datetime] = [
                t for g in present if (t := genres[g][1]) is not None
            ]
            last = max(lasts) if lasts else None
            day = timezone.localdate(last) if last else None
            state = column_state(day, kind.period_days, today)
            name = "、".join(labels.get(g, g) for g in (present or kind.genres))
            r.columns.append(
                {
                    "kind": kind.code,
                    "kind_name": kind.name,
                    "name": name,
                    "last_update": day.isoformat() if day else None,
                    "period_days": kind.period_days,
                    "overdue_on": state.overdue_on.isoformat()
                    if state.overdue_on
                    else None,
                    "days_left": state.days_left,
                    "overdue": state.overdue,
                    "blank": state.blank,
                }
            )
            fix = reverse("publishing:create")
            if state.blank:
                r.protos.append(
                    Proto(
                        "blank_column",
                        f"kind:{kind.code}",
                        f"{name}栏目",
                        f"栏目有名称无内容：{name}栏目没有已发布的信息。",
                        fix,
                    )
                )
            elif state.overdue and day is not None:  # a column never updated is blank
                r.protos.append(
                    Proto(
                        kind.indicator,
                        f"kind:{kind.code}",
                        f"{name}栏目",
                        f"{kind.name}栏目应每{kind.period_days}天内更新，"
                        f"最近一次更新为{chinese_date(day)}，已逾期 {-(state.days_left or 0)} 天。",
                        fix,
                        data={"last_update": day.isoformat() if day else None},
                    )
                )


def _blank_areas(results: dict[int, BodyResult]) -> None:
    live_q = Q(items__is_active=True, items__publications__status__in=LIVE)
    areas = (
        CatalogueArea.objects.filter(organisation_id__in=list(results))
        .annotate(
            active=Count("items", filter=Q(items__is_active=True), distinct=True),
            live=Count("items__publications", filter=live_q, distinct=True),
        )
        .filter(active__gt=0, live=0)
        .values("pk", "organisation_id", "name", "code")
    )
    fix = reverse("publishing:catalogue")
    for a in areas:
        results[a["organisation_id"]].protos.append(
            Proto(
                "blank_column",
                f"area:{a['pk']}",
                f"“{a['name']}”栏目（目录领域 {a['code']}）",
                f"栏目有名称无内容：目录领域“{a['name']}”下的公开事项都没有已发布的信息。",
                fix,
            )
        )


def _live_items(body_ids: list[int]) -> Iterable[list[Publication]]:
    qs = (
        Publication.objects.filter(organisation_id__in=body_ids, status__in=LIVE)
        .select_related("interprets")
        .only(
            "pk",
            "organisation_id",
            "title",
            "summary",
            "body",
            "genre",
            "attribute",
            "status",
            "created_by_id",
            "interprets__status",
            "interprets__title",
        )
        .order_by("pk")
    )
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _items(results: dict[int, BodyResult], ind: Indicators) -> None:
    dictionaries = {pk: dictionary_for(r.organisation) for pk, r in results.items()}
    orgs = {pk: r.organisation for pk, r in results.items()}
    base = site_url()
    for batch in _live_items(list(results)):
        for pub in batch:
            r = results[pub.organisation_id]
            pub.organisation = orgs[pub.organisation_id]
            r.items += 1
            fix = reverse("publishing:detail", args=[pub.pk])
            hits = publication_wording(pub, dictionaries[pub.organisation_id])
            serious = [h for h in hits if h.hit.severity is Severity.SERIOUS]
            common = [h for h in hits if h.hit.severity is Severity.COMMON]
            label = f"《{pub.title[:60]}》"
            if serious:
                r.protos.append(
                    Proto(
                        "serious_wording",
                        f"pub:{pub.pk}",
                        label,
                        f"严重表述错误：{describe(serious)}",
                        fix,
                        pub.pk,
                        pub.created_by_id,
                    )
                )
            if common:
                r.protos.append(
                    Proto(
                        "common_typos",
                        f"pub:{pub.pk}",
                        label,
                        f"错别字：{describe(common)}",
                        fix,
                        pub.pk,
                        pub.created_by_id,
                    )
                )
            if pub.genre == Genre.INTERPRETATION and (
                pub.interprets is None or pub.interprets.status not in LIVE
            ):
                what = (
                    "未关联所解读的政策文件"
                    if pub.interprets is None
                    else f"所解读的《{pub.interprets.title[:40]}》未公开（已撤回或未发布），"
                    "解读与原文无法相互链接"
                )
                r.protos.append(
                    Proto(
                        "interpretation_links",
                        f"pub:{pub.pk}",
                        label,
                        f"政策解读{what}。",
                        fix,
                        pub.pk,
                        pub.created_by_id,
                    )
                )
            if (
                pub.genre == Genre.LIST
                and pub.attribute == Publication.Attribute.PROACTIVE
            ):
                report = publication_pii_report(pub)
                if report.open_findings:
                    kinds = sorted({f.finding.kind.label for f in report.open_findings})
                    r.protos.append(
                        Proto(
                            "pii_in_lists",
                            f"pub:{pub.pk}",
                            label,
                            f"公示名单含未去标识化的个人信息 {len(report.open_findings)} 处"
                            f"（{'、'.join(kinds)}），且未记录公开依据。",
                            fix + "#pii",
                            pub.pk,
                            pub.created_by_id,
                        )
                    )
            page = base + reverse(
                "portal:publication", args=[pub.organisation_id, pub.pk]
            )
            for url in extract_links(pub.body or ""):
                r.link_refs.append((pub.pk, url, page, pub.created_by_id))
        del batch


def _links(
    results: dict[int, BodyResult], progress: Callable[[str], None] | None
) -> None:
    base = site_url()
    internal: set[str] = set()
    external: set[str] = set()
    for r in results.values():
        for _pk, url, _page, _owner in r.link_refs:
            if _is_internal(url, base):
                internal.add(url)
            else:
                external.add(url)
    found: dict[str, LinkResult] = {}
    if base:
        absolute = {u: urljoin(base + "/", u) for u in internal}
        checked = LinkChecker(link_config()).check_many(
            list(absolute.values()) + sorted(external)
        )
        found.update({u: checked[a] for u, a in absolute.items()})
        found.update({u: checked[u] for u in external})
    else:
        for url in internal:
            ok, message = _inprocess_status(url)
            found[url] = LinkResult(
                url, Outcome.OK if ok else Outcome.HTTP_ERROR, message=message
            )
        if external:
            found.update(LinkChecker(link_config()).check_many(sorted(external)))
    if progress:
        progress(f"链接：本站 {len(internal)} 个，外部 {len(external)} 个")
    for r in results.values():
        r.links = len(r.link_refs)
        by_pub: dict[int, list[tuple[str, LinkResult]]] = defaultdict(list)
        owners: dict[int, int | None] = {}
        for pk, url, _page, owner in r.link_refs:
            res = found[url]
            if res.broken:
                r.broken += 1
                by_pub[pk].append((url, res))
                owners[pk] = owner
        for pk, bad in by_pub.items():
            for url, res in bad:
                r.protos.append(
                    Proto(
                        "broken_links",
                        f"link:{pk}:{_short(url)}",
                        url[:300],
                        f"链接不可用：{res.message or res.outcome}（{url[:200]}）",
                        reverse("publishing:edit", args=[pk]),
                        pk,
                        owners[pk],
                        data={"url": url[:1000], "outcome": str(res.outcome)},
                    )
                )
        r.link_refs = []


def _interaction(
    results: dict[int, BodyResult],
    ind: Indicators,
    check: Callable[..., Iterable[dict[str, Any]]],
    today: datetime.date,
) -> None:
    """A 留言 feature plugs in a callable returning, for the given bodies, the
    messages unanswered longer than the period: dicts with organisation_id, subject,
    label, detail and optionally fix_url. A ``message:<id>`` subject without a
    fix_url is one of the platform's own 留言: its page is where it is answered."""
    period = int(ind["interaction_slow"].param("period_days", 90))
    for row in check(bodies=list(results), today=today, period_days=period):
        r = results.get(int(row["organisation_id"]))
        if r is not None:
            subject = str(row["subject"])
            r.protos.append(
                Proto(
                    "interaction_slow",
                    subject,
                    str(row["label"]),
                    str(row["detail"]),
                    str(row.get("fix_url", "") or _message_url(subject)),
                )
            )


def _message_url(subject: str) -> str:
    kind, _, pk = subject.partition(":")
    if kind != "message" or not (pk.isascii() and pk.isdigit()):
        return ""
    try:
        return reverse("engagement:message", args=[int(pk)])
    except NoReverseMatch:
        return ""
