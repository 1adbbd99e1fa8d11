"""Idempotent demo loaders: running them twice creates nothing new.

Each capability adds its own ``load_*`` function here and to ``LOADERS``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import asdict

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.demo.organisations import DEMO_PASSWORD, ORGANISATIONS, USERS
from gongkai.orgs.models import Membership, Organisation
from gongkai.orgs.services import membership_grant, organisation_create


def load_organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        existing = Organisation.objects.filter(credit_code=spec.credit_code).first()
        if existing is None:
            fields = {
                k: v for k, v in asdict(spec).items() if k not in ("key", "parent")
            }
            existing = organisation_create(
                actor=None, parent=orgs[spec.parent] if spec.parent else None, **fields
            )
        orgs[spec.key] = existing
    return orgs


def load_users(orgs: dict[str, Organisation]) -> None:
    for spec in USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "full_name": spec.full_name,
                "is_demo": True,
                "is_staff": spec.is_staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        org = orgs[spec.org]
        if not Membership.objects.filter(
            user=user, organisation=org, role=spec.role
        ).exists():
            membership_grant(actor=None, user=user, organisation=org, role=spec.role)


# Each capability keeps its demo data in ``gongkai/<app>/demo.py`` with a
# ``load(orgs)`` function (idempotent); they run in this order after the tree.
DEMO_MODULES: tuple[str, ...] = (
    "gongkai.publishing.demo",
    "gongkai.publishing.demo_history",  # every catalogue item, 2021–2026
    "gongkai.inforequests.demo",
    "gongkai.inforequests.demo_history",  # cases of 2022–2025
    "gongkai.reports.demo",
    "gongkai.appeals.demo",
    "gongkai.reports.demo_history",  # the 2022–2025 reports, from those cases
    "gongkai.supervision.demo",
    "gongkai.feedback.demo",
    "gongkai.engagement.demo",  # 政策解读 and 政民互动 (issue 21)
    "gongkai.inspection.demo",  # 政府网站自查 findings of 洛浦街道 (issue 26)
    "gongkai.portal.demo",  # re-index search after the back-dating updates above
    "gongkai.publishing.demo_outbox",  # last: deliver what the steps above published
)


def _app_loaders() -> list[Callable[[dict[str, Organisation]], None]]:
    loaders = []
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        loaders.append(module.load)
    return loaders


@transaction.atomic
def load_demo() -> dict[str, Organisation]:
    orgs = load_organisations()
    load_users(orgs)
    for loader in _app_loaders():
        loader(orgs)
    return orgs
