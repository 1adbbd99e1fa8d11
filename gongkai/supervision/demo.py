"""Demo: the district's 政务公开办 has sent the 街道 one 督办 notice that waits on the
工作台 to be acknowledged (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation
from gongkai.supervision.models import SupervisionNotice
from gongkai.supervision.services import notice_send

SUBJECT = "请更新超过更新周期的主动公开事项"


def load(orgs: dict[str, Organisation]) -> None:
    district, luopu = orgs["district"], orgs["luopu"]
    if SupervisionNotice.objects.filter(sender=district, subject=SUBJECT).exists():
        return
    notice_send(
        actor=User.objects.get(username="supervisor"),
        sender=district,
        recipients=[luopu],
        subject=SUBJECT,
        body="经检查，贵单位主动公开目录中有事项超过更新周期未更新。请逐项核实，"
        "于办理期限前更新或说明情况，并在平台上签收本通知。",
        due_on=timezone.localdate() + timedelta(days=10),
    )
