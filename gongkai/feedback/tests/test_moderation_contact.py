"""The moderator sees whether a 联系方式 was left (masked), can show it to reply
(audited, personal data), and the reply field has a label."""

from __future__ import annotations

import pytest
from django.db import connection

from gongkai.audit.models import AuditEvent
from gongkai.feedback import services as s

pytestmark = pytest.mark.django_db


def _feedback(tree, contact=""):
    return s.feedback_submit(
        organisation=tree.street, useful=None, comment="网页打不开", contact=contact
    )


def test_the_contact_is_shown_masked_then_in_full_with_an_audit_record(client, tree):
    item = _feedback(tree, "13812345678")
    client.force_login(tree.officer)
    page = client.get("/office/feedback/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    reveal = f"/office/feedback/{item.pk}/contact/"
    assert f'action="{reveal}"' in page
    shown = client.post(reveal).content.decode()
    assert "13812345678" in shown
    event = AuditEvent.objects.get(action="feedback.contact_reveal")
    assert event.result == AuditEvent.Result.SUCCESS
    with connection.cursor() as cursor:  # still encrypted at rest
        cursor.execute("SELECT contact FROM feedback_feedback WHERE id = %s", [item.pk])
        assert "13812345678" not in str(cursor.fetchone()[0])


def test_no_contact_is_said_and_the_reply_field_has_a_label(client, tree):
    item = _feedback(tree)
    client.force_login(tree.officer)
    page = client.get("/office/feedback/").content.decode()
    assert "未留联系方式" in page
    assert f'<label for="id_fb{item.pk}_reply">回复（可选）</label>' in page
    assert f'id="id_fb{item.pk}_reply"' in page


def test_someone_outside_the_body_cannot_show_the_contact(client, tree):
    item = _feedback(tree, "13812345678")
    client.force_login(tree.liaison_b)
    response = client.post(f"/office/feedback/{item.pk}/contact/")
    assert response.status_code in (403, 404)
    assert "13812345678" not in response.content.decode()
