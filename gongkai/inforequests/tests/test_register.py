from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from gongkai.audit.models import AuditEvent
from gongkai.inforequests.intake import inforequest_register
from gongkai.inforequests.models import CaseEvent, InfoRequest
from gongkai.inforequests.tests.factories import RESIDENT_ID, register, registration

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-09-18 10:00 +0800")
def test_registering_stores_the_case_its_first_event_and_the_statutory_due_date(tree):
    request = register(tree.officer, tree.street)
    assert request.tracking_number == f"GK{tree.street.pk}-2026-00001"
    assert request.status == "received"
    # holidays.md §5.6: received Fri 2026-09-18 → 20 working days → 2026-10-22
    # (National Day 10-01..07 off, 09-20 Sunday and 10-10 Saturday worked).
    assert request.due_on == date(2026, 10, 22)
    assert CaseEvent.objects.get(request=request).data["ledger"]["kind"] == "received"
    assert AuditEvent.objects.filter(
        action="inforequest.register", object_id=str(request.pk)
    ).exists()


@time_machine.travel("2026-09-18 10:00 +0800")
def test_personal_data_is_encrypted_at_rest(tree):
    request = register(tree.officer, tree.street)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, address FROM inforequests_inforequest WHERE id = %s",
            [request.pk],
        )
        raw = " ".join(cursor.fetchone())
    assert RESIDENT_ID not in raw and "13912345678" not in raw and "老城区" not in raw
    assert InfoRequest.objects.get(pk=request.pk).id_number == RESIDENT_ID


@time_machine.travel("2026-09-18 10:00 +0800")
def test_numbers_are_consecutive_per_organisation_and_year(tree):
    first = register(tree.officer, tree.street)
    second = register(tree.officer, tree.street)
    # Handed in at a 社区居委会 by its liaison: the 街道's case, the 街道's next number.
    via_community = register(tree.liaison_a, tree.community_a)
    assert (first.serial, second.serial, via_community.serial) == (1, 2, 3)
    assert via_community.organisation == tree.street


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        (
            {"id_number": RESIDENT_ID[:-1] + ("0" if RESIDENT_ID[-1] != "0" else "1")},
            "id_number",
            "校验",
        ),
        ({"applicant_name": " "}, "applicant_name", "姓名"),
        ({"description": ""}, "description", "描述"),
        ({"phone": "", "address": "", "email": ""}, "phone", "联系方式"),
        ({"applicant_type": "commercial"}, "id_type", "统一社会信用代码"),
        ({"submitted_on": date(2026, 9, 19)}, "submitted_on", "晚于今天"),
        ({"channel": "registered_post"}, "submitted_on", "签收"),
    ],
)
@time_machine.travel("2026-09-18 10:00 +0800")
def test_bad_applications_are_refused_in_chinese_and_nothing_is_saved(
    tree, overrides, field, words
):
    with pytest.raises(ValidationError) as info:
        inforequest_register(
            actor=tree.officer,
            organisation=tree.street,
            registration=registration(**overrides),
        )
    assert field in info.value.message_dict
    assert words in " ".join(info.value.message_dict[field])
    assert InfoRequest.objects.count() == 0


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_liaison_cannot_register_for_another_community(tree):
    with pytest.raises(PermissionDenied):
        register(tree.liaison_a, tree.community_b)


@time_machine.travel("2026-09-21 10:00 +0800")
def test_a_signed_for_letter_counts_from_the_signing_day(tree):
    # 条例第三十一条第（二）项: posted 09-16, signed for 09-18 → same due date as in person on 09-18.
    request = register(
        tree.officer,
        tree.street,
        channel="registered_post",
        submitted_on=date(2026, 9, 16),
        signed_for_on=date(2026, 9, 18),
    )
    assert request.received_on == date(2026, 9, 18)
    assert request.due_on == date(2026, 10, 22)
