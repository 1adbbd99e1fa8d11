"""重复申请 and 第三十五条 signals for the officer (issue 16, requirement 6).

The same applicant is found by the keyed digest of the identity document number
(``InfoRequest.id_digest``), never by name. For a case the officer sees the
applicant's other applications to the same body, each with how alike its
description is (``core.similarity.bigram_jaccard``: the share of two-character
pieces in common), and how many applications the applicant made to the body in
the twelve months up to the case's date of receipt (第三十五条: 申请的数量、频次明显
超过合理范围). The case page shows them (``repeat_signals``), and so does the intake
form before the application is registered (``intake_signals``, the button
“查看同一申请人的申请”). They are signals to read, never decisions: 重复申请 (table 三 row
（五）2) and 第三十五条 stay the officer's steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.core.identifiers import IdentifierError, validate_id_document
from gongkai.core.inforequest_intake import receipt_date
from gongkai.core.similarity import SIMILAR_AT, bigram_jaccard
from gongkai.inforequests.models import InfoRequest
from gongkai.security.fields import digest_of

SHOWN = 20


@dataclass(frozen=True)
class Earlier:
    case: InfoRequest
    similarity: float  # 0.0 … 1.0

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)

    @property
    def alike(self) -> bool:
        return self.similarity >= SIMILAR_AT


@dataclass(frozen=True)
class RepeatSignals:
    others: list[Earlier]  # most alike first, at most SHOWN
    total_others: int
    last_12_months: int  # applications to the body, this one included
    since: date


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def repeat_signals(case: InfoRequest) -> RepeatSignals | None:
    """The signals for ``case`` (None when its identity number is unknown)."""
    if not case.id_digest:
        return None
    return _signals(
        organisation_id=case.organisation_id,
        id_digest=case.id_digest,
        description=case.description,
        on=case.received_on,
        exclude_pk=case.pk,
    )


def intake_signals(
    *,
    organisation_id: int,
    id_type: str,
    id_number: str,
    description: str,
    channel: str,
    submitted_on: date,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
) -> RepeatSignals | None:
    """The signals for an application being registered on the intake form, before it
    exists: the body's applications with the same identity number (None when the
    number is not a valid one of its kind). The count of the last 12 months includes
    the one being registered and ends on the date of receipt the case will get
    (第三十一条, ``receipt_date`` by channel: the signing or confirmation date for a
    letter, fax, e-mail or the platform) — as the case page counts it; while that
    date is not typed yet, on the day it was handed in or sent."""
    try:
        number = validate_id_document(id_type, id_number)
    except (IdentifierError, ValueError):
        return None
    try:
        on = receipt_date(
            channel,
            submitted_on=submitted_on,
            signed_for_on=signed_for_on,
            confirmed_on=confirmed_on,
        )
    except ValueError:  # ReceiptDateError, or no channel chosen yet
        on = submitted_on
    return _signals(
        organisation_id=organisation_id,
        id_digest=digest_of(number),
        description=description,
        on=on,
        exclude_pk=None,
    )


def _signals(
    *,
    organisation_id: int,
    id_digest: str,
    description: str,
    on: date,
    exclude_pk: int | None,
) -> RepeatSignals:
    same = InfoRequest.objects.filter(
        organisation_id=organisation_id, id_digest=id_digest
    )
    since = year_before(on)
    in_year = same.filter(received_on__gt=since, received_on__lte=on).count()
    if exclude_pk is None:
        in_year += 1  # the application being registered
    else:
        same = same.exclude(pk=exclude_pk)
    rows = list(
        same.order_by("-received_on", "-id").only(
            "pk", "tracking_number", "received_on", "status", "outcome", "description"
        )[:200]
    )
    scored = [Earlier(r, bigram_jaccard(description, r.description)) for r in rows]
    scored.sort(key=lambda e: (-e.similarity, -e.case.received_on.toordinal()))
    return RepeatSignals(
        others=scored[:SHOWN],
        total_others=len(rows),
        last_12_months=in_year,
        since=since,
    )
