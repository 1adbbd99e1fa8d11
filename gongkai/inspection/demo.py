"""Demo: 洛浦街道 has been self-inspected (issue 26). One real run of the checks
(links left out: no network in a demo), plus three findings that show the loop — a
dead outside link waiting for its owner, one reported fixed and awaiting the next
run, one accepted with a reason (links are not checked in the demo run, so they stay
as loaded; idempotent)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.inspection.models import Finding, InspectionRun
from gongkai.inspection.services import inspection_run
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import Publication

OLD_SITE = "http://www.lcq-old.example/zwgk/2019/tzgg.html"


def load(orgs: dict[str, Organisation]) -> None:
    luopu = orgs["luopu"]
    if InspectionRun.objects.filter(organisation=luopu).exists():
        return
    officer = User.objects.get(username="officer")
    live = list(
        Publication.objects.filter(
            organisation=luopu, status__in=[str(s) for s in LIVE_STATUSES]
        ).order_by("-published_at", "-pk")[:3]
    )
    now = timezone.now()
    samples: list[tuple[str, str, str, dict[str, Any]]] = [
        (
            "broken_links",
            "链接不可用：无法连接（" + OLD_SITE + "）",
            Finding.State.OPEN,
            {},
        ),
        (
            "broken_links",
            "链接不可用：打不开（HTTP 404）（http://www.lcq-old.example/zwgk/ldjs.html）",
            Finding.State.OPEN,
            {"claimed_fixed_at": now},
        ),
        (
            "broken_links",
            "链接不可用：访问超时（http://tjj.lcq.example/tjsj/2025.html）",
            Finding.State.ACCEPTED,
            {
                "reason": "统计局网站限制境外线路访问，检查程序超时；经人工核实可以打开。"
            },
        ),
    ]
    for i, (pub, (indicator, detail, state, extra)) in enumerate(
        zip(live, samples, strict=False)
    ):
        Finding.objects.get_or_create(
            organisation=luopu,
            indicator=indicator,
            subject=f"demo:{i}:{pub.pk}",
            defaults={
                "subject_label": f"《{pub.title[:60]}》",
                "detail": detail,
                "fix_url": reverse("publishing:edit", args=[pub.pk]),
                "publication": pub,
                "veto": True,
                "state": state,
                "owner": officer,
                "first_seen_at": now,
                "last_seen_at": now,
                **extra,
            },
        )
    # The real checks (home page, columns, wording, 解读, 公示) over the demo data.
    inspection_run(
        actor=None,
        organisation=luopu,
        below=False,
        trigger=InspectionRun.Trigger.SCHEDULED,
        check_links=False,
    )
