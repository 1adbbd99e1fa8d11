"""Fill the contact digests (我的申请 sign-in) of applications registered before them."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q

from gongkai.audit.services import audit_record
from gongkai.core.applicant_contact import normalise_email, normalise_phone
from gongkai.inforequests.models import InfoRequest
from gongkai.security.fields import digest_of


class Command(BaseCommand):
    help = (
        "为此前登记的申请补算联系方式摘要（电子邮箱、手机号码的密钥摘要），"
        "使申请人可以用验证码登录“我的申请”查看这些申请。只处理尚无摘要的申请，可重复运行。"
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=1000, help="每批处理的申请数（默认 1000）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, options["batch"])
        done, last = 0, 0
        todo = InfoRequest.objects.filter(
            (Q(email_digest="") & ~Q(email="")) | (Q(phone_digest="") & ~Q(phone=""))
        ).only("pk", "email", "phone", "email_digest", "phone_digest")
        while True:
            rows = list(todo.filter(pk__gt=last).order_by("pk")[:batch])
            if not rows:
                break
            for row in rows:
                row.email_digest = digest_of(normalise_email(row.email))
                row.phone_digest = digest_of(normalise_phone(row.phone))
            InfoRequest.objects.bulk_update(rows, ["email_digest", "phone_digest"])
            done += len(rows)
            last = rows[-1].pk
        audit_record(action="inforequest.fill_contact_digests", details={"rows": done})
        self.stdout.write(f"已补算 {done} 件申请的联系方式摘要。")
