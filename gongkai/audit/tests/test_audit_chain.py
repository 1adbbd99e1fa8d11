from __future__ import annotations

import pytest
from django.db import connection

from gongkai.audit.models import AppendOnlyError, AuditEvent
from gongkai.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def _write_three():
    return [
        audit_record(action=f"test.{i}", details={"n": i, "文字": "中文"})
        for i in range(3)
    ]


def test_an_untouched_chain_verifies(db):
    _write_three()
    assert audit_verify() == []


def test_rows_cannot_be_changed_or_deleted_through_the_orm(db):
    event = _write_three()[0]
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_an_altered_row_is_detected(db):
    events = _write_three()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s",
            ["tampered", events[1].pk],
        )
    problems = audit_verify()
    assert any(str(events[1].pk) in p and "篡改" in p for p in problems)


def test_a_deleted_row_is_detected(db):
    events = _write_three()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    problems = audit_verify()
    assert any(str(events[2].pk) in p for p in problems)


def test_each_row_links_to_the_previous_one(db):
    events = _write_three()
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert AuditEvent.objects.count() == 3
