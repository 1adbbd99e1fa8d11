"""索引号: the configured pattern, serial allocation per organisation and year."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max

from gongkai.orgs.models import Organisation
from gongkai.publishing.models import (
    Publication,
)

DEFAULT_INDEX_PATTERN = "{credit_code}/{year}-{serial:05d}"
INDEX_RETRIES = 5

# ------------------------------------------------------------------ index numbers


def _org_code(org: Organisation) -> str:
    # 组织机构代码 = characters 9–17 of the 统一社会信用代码 (GB 32100-2015).
    return org.credit_code[8:17] if len(org.credit_code) == 18 else f"{org.pk:09d}"


def format_index_no(org: Organisation, year: int, serial: int, month: int = 1) -> str:
    """The 索引号 from the configured pattern (docs/legal-notes.md §6.2)."""
    pattern = getattr(
        settings, "GONGKAI_PUBLICATION_INDEX_PATTERN", DEFAULT_INDEX_PATTERN
    )
    try:
        return str(pattern).format(
            credit_code=org.credit_code or _org_code(org),
            uscc=org.credit_code or _org_code(org),
            org_code=_org_code(org),
            division_code=org.division_code,
            year=year,
            yyyy=year,
            month=month,
            serial=serial,
            seq=serial,
        )
    except (KeyError, ValueError, IndexError) as exc:
        raise ValidationError(f"索引号格式“{pattern}”无效：{exc}") from exc


def _lock_index_allocation(org: Organisation) -> None:
    """Serialise serial allocation per organisation until the transaction ends.

    PostgreSQL: a transaction-level advisory lock keyed on the organisation (no row
    lock on the organisation itself). SQLite: transactions are IMMEDIATE, so writers
    are already serialised. The unique constraints and the retry stay as a backstop.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [0x5055_4249 * 2**32 + org.pk]
            )


def _save_with_index(pub: Publication, manual_index: str) -> None:
    """Insert ``pub`` with a fresh serial; retry when a concurrent insert took it."""
    if manual_index:
        pub.index_no = manual_index
        pub.serial = None
        try:
            with transaction.atomic():
                pub.save()
        except IntegrityError:
            raise _duplicate_index(pub.organisation, manual_index) from None
        return
    _lock_index_allocation(pub.organisation)
    tried = 0
    for _ in range(INDEX_RETRIES):
        top = Publication.objects.filter(
            organisation=pub.organisation, year=pub.year
        ).aggregate(m=Max("serial"))["m"]
        # Past the last serial tried: a hand-entered 索引号 may already hold it.
        pub.serial = tried = max((top or 0) + 1, tried + 1)
        pub.index_no = format_index_no(
            pub.organisation, pub.year, pub.serial, pub.formed_on.month
        )
        try:
            with transaction.atomic():
                pub.save()
            return
        except IntegrityError:
            pub.pk = None
            continue
    raise ValidationError("生成索引号时发生冲突，请稍后重试。")


def _duplicate_index(org: Organisation, index_no: str) -> ValidationError:
    other = Publication.objects.filter(organisation=org, index_no=index_no).first()
    name = f"“{other.title}”" if other else "另一条信息"
    return ValidationError({"index_no": f"索引号“{index_no}”已被本机构的{name}使用。"})
