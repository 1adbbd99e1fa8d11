"""The one audited reveal of personal data (feedback contacts, masked 留言, an
application's personal fields and attachments): every attempt is a row, a refused
one never reads the value."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.audit.models import AuditEvent
from gongkai.audit.services import audit_reveal, audit_verify
from gongkai.orgs.permissions import Perm, can

pytestmark = pytest.mark.django_db

SECRET = "13812345678"


def _reveal(actor: Any, org: Any, read: list[str]) -> str:
    def value() -> str:
        read.append(SECRET)
        return SECRET

    return audit_reveal(
        action="test.reveal",
        actor=actor,
        organisation=org,
        obj=org,
        allowed=can(actor, Perm.APPROVE, org),
        refusal="只有负责人可以查看。",
        value=value,
        details={"field": "phone"},
    )


def test_an_allowed_reveal_returns_the_value_and_records_a_success(tree: Any) -> None:
    read: list[str] = []
    assert _reveal(tree.head, tree.street, read) == "13812345678"
    event = AuditEvent.objects.get(action="test.reveal")
    assert event.result == "success"
    assert event.user_id == tree.head.pk
    assert event.organisation_id == tree.street.pk
    assert event.object_id == str(tree.street.pk)
    assert event.details == {"field": "phone"}


def test_a_refused_reveal_records_a_denial_and_never_reads_the_value(
    tree: Any,
) -> None:
    read: list[str] = []
    with pytest.raises(PermissionDenied, match="只有负责人可以查看。"):
        _reveal(tree.officer, tree.street, read)
    assert read == []
    event = AuditEvent.objects.get(action="test.reveal")
    assert event.result == "denied"
    assert event.user_id == tree.officer.pk
    assert event.details == {"field": "phone"}


def test_a_refusal_leaves_the_audit_chain_intact(tree: Any) -> None:
    with pytest.raises(PermissionDenied):
        _reveal(tree.officer, tree.street, [])
    _reveal(tree.head, tree.street, [])
    assert list(
        AuditEvent.objects.filter(action="test.reveal")
        .order_by("id")
        .values_list("result", flat=True)
    ) == ["denied", "success"]
    assert audit_verify() == []
