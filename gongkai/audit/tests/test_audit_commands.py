"""Audit commands: verify, export (JSON lines, RFC 5424 syslog), prune with retention;
an action fails when its audit row cannot be written."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.audit.services import audit_record
from gongkai.orgs.models import Organisation
from gongkai.orgs.services import organisation_create
from gongkai.security.auditchain import prune_before, verify_chain
from gongkai.security.models import AuditCheckpoint

pytestmark = pytest.mark.django_db


def _rows(n=4):
    return [
        audit_record(action=f"test.{i}", details={"i": i, "名": "张三"})
        for i in range(n)
    ]


def _verify():
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue() + err.getvalue() + str(exc)
    return True, out.getvalue()


def _sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_passes_on_an_intact_chain(db):
    _rows()
    ok, text = _verify()
    assert ok and "审计日志完好" in text


def test_verify_detects_an_altered_row(db):
    rows = _rows()
    _sql("UPDATE audit_auditevent SET username = %s WHERE id = %s", ["x", rows[1].pk])
    ok, text = _verify()
    assert not ok and f"第 {rows[1].pk} 条" in text and "篡改" in text


def test_verify_detects_a_deleted_row(db):
    rows = _rows()
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [rows[2].pk])
    ok, text = _verify()
    assert not ok and f"第 {rows[3].pk} 条" in text


def test_verify_detects_an_inserted_row(db):
    rows = _rows()
    # A forger without the key copies a row's fields and chain links.
    _sql(
        "INSERT INTO audit_auditevent (at, username, object_type, object_id, action, "
        "result, details, prev_hash, hash) VALUES (%s, '', '', '', 'forged', 'success', "
        "'{}', %s, %s)",
        [timezone.now(), rows[-1].hash, "f" * 64],
    )
    ok, text = _verify()
    assert not ok and "篡改" in text


def test_verify_detects_a_deleted_newest_row_against_the_recorded_head(db):
    rows = _rows()
    _, _, head = verify_chain()
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [rows[-1].pk])
    assert _verify()[0]  # a pure chain cannot see a cut tail on its own …
    with pytest.raises(CommandError):
        call_command(
            "audit_verify", expect_head=head, stdout=StringIO(), stderr=StringIO()
        )


def test_export_json_lines_carries_the_chain(db, tmp_path):
    rows = _rows(3)
    target = tmp_path / "audit.jsonl"
    call_command("audit_export", format="jsonl", output=str(target), stdout=StringIO())
    lines = [
        json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()
    ]
    assert [r["id"] for r in lines] == [r.pk for r in rows]
    assert lines[1]["prev_hash"] == lines[0]["hash"]
    assert lines[0]["details"]["名"] == "张三"
    assert AuditEvent.objects.filter(action="audit.export").exists()


RFC5424 = re.compile(
    r"^<(\d{1,3})>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z \S+ gongkai - \S{1,32} "
    r"\[gongkai@32473( \w+=\"(?:[^\"\\\]]|\\.)*\")+\] \ufeff.*$"
)


def test_export_syslog_lines_follow_rfc_5424(db):
    audit_record(action="auth.login_failed", result="failure", username='a"b]c\\')
    audit_record(action="test.ok", details={"k": "值"})
    out = StringIO()
    call_command("audit_export", format="syslog", hostname="gk-host", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    for line in lines:
        assert RFC5424.match(line), line
    assert lines[0].startswith("<108>1 ")  # facility 13 (audit), warning
    assert lines[1].startswith("<110>1 ")  # informational
    assert 'user="a\\"b\\]c\\\\"' in lines[0]


def test_export_filters_by_date(db):
    _rows(2)
    out = StringIO()
    call_command("audit_export", since="2000-01-01", until="2000-01-02", stdout=out)
    assert out.getvalue() == ""
    with pytest.raises(CommandError):
        call_command("audit_export", since="01/01/2000", stdout=StringIO())


def _age(rows, days):
    for row in rows:
        _sql(
            "UPDATE audit_auditevent SET at = %s WHERE id = %s",
            [row.at - timedelta(days=days), row.pk],
        )


def test_prune_refuses_less_than_six_months(db):
    with pytest.raises(CommandError) as info:
        call_command("audit_prune", days=30, stdout=StringIO())
    assert "180" in str(info.value)
    with pytest.raises(ValueError):
        prune_before(179)


def test_prune_keeps_verification_working_through_a_checkpoint(db, settings):
    # Ageing rows rewrites their time, which breaks their HMAC: re-sign the test chain.
    settings.AUDIT_HMAC_KEY = "test-key"
    old = _rows(3)
    _age(old, 200)
    _resign_chain()
    new = _rows(2)
    assert verify_chain()[0] == []
    call_command("audit_prune", stdout=StringIO())
    assert not AuditEvent.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[r.pk for r in new]).count() == 2
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.through_id == old[-1].pk and checkpoint.pruned_rows == 3
    ok, text = _verify()
    assert ok, text
    # The checkpoint is signed: moving it to hide a deletion is detected.
    _sql("UPDATE security_auditcheckpoint SET through_id = through_id + 1", [])
    assert not _verify()[0]


def test_nothing_recent_is_pruned(db):
    _rows(2)
    call_command("audit_prune", days=365, stdout=StringIO())
    assert AuditEvent.objects.count() == 2 and not AuditCheckpoint.objects.exists()


def _resign_chain():
    from gongkai.audit.services import GENESIS_HASH, row_digest

    prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id"):
        digest = row_digest(event, prev)
        _sql(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev, digest, event.pk],
        )
        prev = digest


def test_an_action_fails_when_its_audit_row_cannot_be_written(db):
    with (
        mock.patch.object(AuditEvent, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        organisation_create(
            actor=None, parent=None, name="审计失败测试区", kind="district"
        )
    assert not Organisation.objects.filter(name="审计失败测试区").exists()
