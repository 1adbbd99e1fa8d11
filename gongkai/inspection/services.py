"""Writes of the self-inspection: a run (checks → findings → each body's summary),
and what people do with a finding (assign, report fixed, accept with a reason).

The next run confirms a fix: a finding no longer seen becomes 已整改; one reported
fixed but seen again goes back to 待整改 (复查未通过)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.inspection import IndicatorError, Indicators, parse_dictionary
from gongkai.inspection.checks import BodyResult, Proto, check_bodies, probe_homes
from gongkai.inspection.models import (
    BodyStatus,
    DailyStatus,
    Finding,
    HomeProbe,
    InspectionRun,
    WordingDictionary,
)
from gongkai.inspection.selectors import indicators
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, can, require, scope

BODY_BATCH = 200
WRITE_BATCH = 1000


def bodies_under(
    organisation: Organisation, below: bool, actor: Actor = None
) -> list[Organisation]:
    """The bodies a run covers: with ``below``, every active 政府信息公开主体 under
    ``organisation`` that ``actor`` may see (all of them for the scheduler)."""
    if not below:
        return [organisation]
    qs = Organisation.objects.filter(
        path_prefix_q(organisation.path), is_active=True, is_disclosure_body=True
    )
    if actor is not None:
        qs = scope(qs, actor, Perm.VIEW, via="self")
    return list(qs.order_by("path"))


def inspection_may_run(*, actor: Actor, organisation: Organisation) -> None:
    """What a run checks before it starts, for the screen that queues one: the
    permission and a usable indicators file (refused in Chinese)."""
    require(actor, Perm.VIEW, organisation)
    try:
        indicators()
    except IndicatorError as exc:
        raise ValidationError(str(exc)) from exc


def inspection_run(
    *,
    actor: Actor,
    organisation: Organisation,
    below: bool = True,
    trigger: str = InspectionRun.Trigger.MANUAL,
    check_links: bool = True,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> InspectionRun:
    """Check ``organisation`` (and with ``below`` every body under it) now. ``actor``
    None: the scheduler. Bodies are checked in groups, each written in its own
    transaction, so a province-wide run never holds one long transaction."""
    if actor is not None:
        require(actor, Perm.VIEW, organisation)
    try:
        ind = indicators()
    except IndicatorError as exc:
        raise ValidationError(str(exc)) from exc
    now = timezone.now()
    run = InspectionRun.objects.create(
        organisation=organisation,
        trigger=trigger,
        started_at=now,
        run_by=stored_user(actor),
    )
    bodies = bodies_under(organisation, below, actor)
    notes: list[str] = []
    for start in range(0, len(bodies), BODY_BATCH):
        group = bodies[start : start + BODY_BATCH]
        result = check_bodies(
            group, today=today, check_links=check_links, progress=progress
        )
        for note in result.notes:
            if note not in notes:
                notes.append(note)
        with transaction.atomic():
            for body in result.bodies.values():
                _record_body(run, body, result.checked, ind, now)
        if progress:
            progress(
                f"已检查 {min(start + BODY_BATCH, len(bodies))}/{len(bodies)} 个单位"
            )
    run.bodies = len(bodies)
    run.notes = notes
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        action="inspection.run",
        actor=actor,
        organisation=organisation,
        obj=run,
        details={
            "bodies": run.bodies,
            "items": run.items,
            "links": run.links,
            "opened": run.opened,
            "confirmed_fixed": run.confirmed_fixed,
            "reopened": run.reopened,
            "trigger": trigger,
        },
    )
    return run


def _record_body(
    run: InspectionRun,
    body: BodyResult,
    checked: set[str],
    ind: Indicators,
    now: datetime.datetime,
) -> None:
    org = body.organisation
    existing = {
        (f.indicator, f.subject): f
        for f in Finding.objects.filter(organisation=org, indicator__in=checked)
    }
    seen: set[tuple[str, str]] = set()
    new: list[Finding] = []
    changed: list[Finding] = []
    for p in body.protos:
        key = (p.indicator, p.subject)
        if key in seen:
            continue
        seen.add(key)
        veto = ind[p.indicator].veto if p.indicator in ind.items else False
        f = existing.get(key)
        if f is None:
            new.append(_new_finding(org, p, veto, now))
            continue
        f.subject_label, f.detail, f.fix_url = p.label[:300], p.detail, p.fix_url[:300]
        f.veto, f.last_seen_at, f.data = veto, now, {**f.data, **p.data}
        if f.state == Finding.State.FIXED:
            f.state, f.fixed_at = Finding.State.OPEN, None
            f.data["reappeared_at"] = now.isoformat()
            run.reopened += 1
        elif f.claimed_fixed_at is not None and f.state == Finding.State.OPEN:
            f.claimed_fixed_at = None
            f.data["recheck_failed_at"] = now.isoformat()
            run.reopened += 1
        changed.append(f)
    for key, f in existing.items():
        if key in seen or f.state == Finding.State.FIXED:
            continue
        f.state, f.fixed_at, f.claimed_fixed_at = Finding.State.FIXED, now, None
        changed.append(f)
        run.confirmed_fixed += 1
    Finding.objects.bulk_create(new, batch_size=WRITE_BATCH)
    Finding.objects.bulk_update(
        changed,
        [
            "subject_label",
            "detail",
            "fix_url",
            "veto",
            "last_seen_at",
            "data",
            "state",
            "fixed_at",
            "claimed_fixed_at",
        ],
        batch_size=WRITE_BATCH,
    )
    run.opened += len(new)
    run.items += body.items
    run.links += body.links
    run.broken_links += body.broken
    _summarise(run, body, ind, now, checked=checked)


def _new_finding(
    org: Organisation, p: Proto, veto: bool, now: datetime.datetime
) -> Finding:
    return Finding(
        organisation=org,
        indicator=p.indicator,
        subject=p.subject,
        subject_label=p.label[:300],
        detail=p.detail,
        fix_url=p.fix_url[:300],
        publication_id=p.publication_id,
        owner_id=p.owner_id,
        veto=veto,
        first_seen_at=now,
        last_seen_at=now,
        data=p.data,
    )


def _summarise(
    run: InspectionRun,
    body: BodyResult,
    ind: Indicators,
    now: datetime.datetime,
    *,
    checked: set[str],
) -> None:
    """The body's verdict now (``BodyStatus``) and as the day ends (``DailyStatus``).

    A finding counts when it is open, or accepted (已说明) on a 单项否决 item whose
    accepted findings keep counting (``Indicator.counts_accepted``: all but single
    links judged false positives) — a body cannot waive a 单项否决 item itself.
    站点无法访问 is the share of failed scheduled visits in its window; 错链断链 the
    share of broken links of the last run that checked links (carried forward by a
    run that did not). ``checked``: the indicators this run looked at (the screens say
    which were not)."""
    org = body.organisation
    links_checked = "broken_links" in checked
    open_counts: dict[str, int] = {}
    counted: dict[str, int] = {}
    for indicator, state in Finding.objects.filter(
        organisation=org, state__in=[Finding.State.OPEN, Finding.State.ACCEPTED]
    ).values_list("indicator", "state"):
        item = ind.items.get(indicator)
        if state == Finding.State.OPEN:
            open_counts[indicator] = open_counts.get(indicator, 0) + 1
        elif item is None or not item.counts_accepted:
            continue
        counted[indicator] = counted.get(indicator, 0) + 1
    previous = BodyStatus.objects.filter(organisation=org).first()
    links_at: datetime.datetime | None
    if links_checked:
        links, broken, links_at = body.links, body.broken, now
    elif previous is not None:
        links, broken = previous.links, previous.broken_links
        links_at = previous.links_checked_at
    else:
        links, broken, links_at = 0, 0, None
    results: dict[str, dict[str, Any]] = {}
    for code, item in ind.items.items():
        if code == "home_unavailable":
            count, subjects = body.home_failures, body.home_probes
        elif code == "broken_links":
            count, subjects = counted.get(code, 0), links
        else:
            count, subjects = counted.get(code, 0), 0
        results[code] = {
            "name": item.name,
            "veto": item.veto,
            "count": count,
            "checked": subjects,
            "open": open_counts.get(code, 0),
            "fails": item.fails(count, checked=subjects),
            # Not looked at by this run (links left out, 留言 check switched off);
            # for links the figures are the last check's.
            "unchecked": code not in checked,
        }
    veto_failed = [c for c, r in results.items() if r["veto"] and r["fails"]]
    scored_failed = [c for c, r in results.items() if not r["veto"] and r["fails"]]
    upcoming = [
        datetime.date.fromisoformat(c["overdue_on"])
        for c in body.columns
        if c["overdue_on"] and not c["overdue"]
    ]
    open_total = sum(open_counts.values())
    BodyStatus.objects.update_or_create(
        organisation=org,
        defaults={
            "run": run,
            "checked_at": now,
            "passed": not veto_failed,
            "veto_failed": veto_failed,
            "scored_failed": scored_failed,
            "indicators": results,
            "columns": body.columns,
            "items": body.items,
            "links": links,
            "broken_links": broken,
            "links_checked_at": links_at,
            "open_findings": open_total,
            "next_overdue_on": min(upcoming) if upcoming else None,
        },
    )
    DailyStatus.objects.update_or_create(
        organisation=org,
        day=timezone.localdate(now),
        defaults={
            "checked_at": now,
            "passed": not veto_failed,
            "veto_failed": veto_failed,
            "scored_failed": scored_failed,
            "open_findings": open_total,
            "open_by_indicator": open_counts,
        },
    )


# --------------------------------------------------------------------- home page


def home_probe_all(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """The scheduled visit of every active body's column home page (the
    ``probe_home_pages`` job, hourly in ``ops/jobs.py``): one ``HomeProbe`` each.
    站点无法访问 counts only these visits. Visits older than twice the window are
    dropped. Returns (visited, failed)."""
    now = now or timezone.now()
    try:
        ind = indicators()
    except IndicatorError as exc:
        raise ValidationError(str(exc)) from exc
    bodies = list(
        Organisation.objects.filter(is_active=True, is_disclosure_body=True).order_by(
            "path"
        )
    )
    failed = 0
    for start in range(0, len(bodies), BODY_BATCH):
        group = bodies[start : start + BODY_BATCH]
        found = probe_homes(group)
        rows = [
            HomeProbe(organisation=b, at=now, ok=ok, message=message[:200])
            for b in group
            for ok, message in [found[b.pk]]
        ]
        failed += sum(1 for r in rows if not r.ok)
        HomeProbe.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    days = int(ind["home_unavailable"].param("window_days", 7))
    HomeProbe.objects.filter(at__lt=now - datetime.timedelta(days=2 * days)).delete()
    return len(bodies), failed


# --------------------------------------------------------------------- findings


def _locked(finding: Finding, actor: Actor, perm: Perm) -> Finding:
    f = (
        Finding.objects.select_for_update()
        .select_related("organisation")
        .get(pk=finding.pk)
    )
    require(actor, perm, f.organisation)
    return f


@transaction.atomic
def finding_assign(*, actor: Actor, finding: Finding, owner: Any) -> Finding:
    """整改责任人: someone who may 办理 at the body."""
    f = _locked(finding, actor, Perm.EDIT)
    if owner is not None and not can(owner, Perm.EDIT, f.organisation):
        raise ValidationError("整改责任人须是本单位可以办理信息公开的工作人员。")
    before = f.owner_id
    f.owner = owner
    f.save(update_fields=["owner"])
    audit_record(
        action="inspection.finding.assign",
        actor=actor,
        organisation=f.organisation,
        obj=f,
        details={"before": before, "owner": owner.pk if owner else None},
    )
    return f


@transaction.atomic
def finding_claim_fixed(*, actor: Actor, finding: Finding) -> Finding:
    """报告已整改: stays 待整改 until the next run no longer sees it."""
    f = _locked(finding, actor, Perm.EDIT)
    if f.state != Finding.State.OPEN:
        raise ValidationError(f"该问题状态为“{f.get_state_display()}”，无需报告整改。")
    f.claimed_fixed_at = timezone.now()
    f.save(update_fields=["claimed_fixed_at"])
    audit_record(
        action="inspection.finding.claim_fixed",
        actor=actor,
        organisation=f.organisation,
        obj=f,
    )
    return f


@transaction.atomic
def finding_accept(*, actor: Actor, finding: Finding, reason: str) -> Finding:
    """已说明（不整改）, with the reason (Perm.APPROVE). It leaves the open list, but
    only a scored item's finding, or a single link judged a false positive (the
    checker was refused, readers are not: ``acceptance_clears`` in the indicators),
    stops counting; every other 单项否决 finding still counts for the verdict and
    the report — a body cannot waive a 单项否决 item (``Indicator.counts_accepted``)."""
    f = _locked(finding, actor, Perm.APPROVE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明不整改的理由。"})
    if f.state == Finding.State.FIXED:
        raise ValidationError("该问题已整改，无需说明。")
    f.state, f.reason = Finding.State.ACCEPTED, reason
    f.save(update_fields=["state", "reason"])
    audit_record(
        action="inspection.finding.accept",
        actor=actor,
        organisation=f.organisation,
        obj=f,
        details={"reason": reason},
    )
    return f


@transaction.atomic
def finding_reopen(*, actor: Actor, finding: Finding) -> Finding:
    f = _locked(finding, actor, Perm.APPROVE)
    if f.state != Finding.State.ACCEPTED:
        raise ValidationError("只有已说明的问题可以重新列为待整改。")
    f.state = Finding.State.OPEN
    f.save(update_fields=["state"])
    audit_record(
        action="inspection.finding.reopen",
        actor=actor,
        organisation=f.organisation,
        obj=f,
    )
    return f


# --------------------------------------------------------------------- dictionary


@transaction.atomic
def wording_dictionary_save(
    *, actor: Actor, organisation: Organisation, entries: str
) -> tuple[WordingDictionary, list[str]]:
    """Save a body's entries; bad lines are kept out of the check and reported back
    (the rest takes effect), never a refusal of the whole list."""
    require(actor, Perm.APPROVE, organisation)
    parsed = parse_dictionary(entries)
    row, _ = WordingDictionary.objects.get_or_create(organisation=organisation)
    before = row.entries
    row.entries = entries
    row.save()
    audit_record(
        action="inspection.dictionary.save",
        actor=actor,
        organisation=organisation,
        obj=row,
        details={
            "entries": len(parsed.entries),
            "bad_lines": len(parsed.bad_lines),
            "changed": before != entries,
        },
    )
    return row, [f"第{b.line}行：{b.reason}" for b in parsed.bad_lines]
