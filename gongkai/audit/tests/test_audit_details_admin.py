"""The 审计管理员 reads an audit row's 详情 as a table of Chinese names and plain
values, not as JSON with English keys; a key without a name is still shown (under
其他, marked 原始字段), and the stored JSON stays as it was written."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from gongkai.audit.models import AuditEvent
from gongkai.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db

DETAILS = {
    "tracking_number": "2026-0007",
    "from_portal": True,
    "closes_on": "2026-12-07",
    "letters": ["告知书甲", "告知书乙"],
    "from": "received",
    "shiny_new_key": "照原样",
}


def _details_text(client: Any, event: AuditEvent) -> str:
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    rows = [
        node
        for node in HTMLParser(page.content.decode()).css("#content .form-row")
        if "详情" in (node.css_first("label").text() if node.css_first("label") else "")
    ]
    assert len(rows) == 1
    return rows[0].text(separator=" ")


def test_the_auditor_reads_details_by_their_chinese_names(
    tree: Any, client: Any
) -> None:
    event = audit_record(
        action="inforequest.register",
        actor=tree.officer,
        organisation=tree.street,
        details=dict(DETAILS),
    )
    client.force_login(tree.auditor)
    text = _details_text(client, event)
    for name in ("申请编号", "网上提交", "截止日期", "文书", "原状态"):
        assert name in text, name
    assert "2026-0007" in text
    assert "是" in text and "true" not in text.lower()
    assert "2026年12月7日" in text
    assert "告知书甲、告知书乙" in text
    for key in ("tracking_number", "from_portal", "closes_on", "letters", "received"):
        assert key not in text, key
    assert "{" not in text and '"' not in text  # no JSON
    # The key without a name is listed as stored, marked as such, never hidden.
    assert "其他" in text and "原始字段" in text
    assert "shiny_new_key" in text and "照原样" in text
    # Only shown differently: the stored JSON (and so the hash chain) is untouched.
    event.refresh_from_db()
    assert event.details == DETAILS
    assert audit_verify() == []


def _written_keys() -> set[tuple[str, str]]:
    """(file, key) of every literal key an ``audit_record``/``audit_reveal`` call
    writes into ``details`` as a dict written in the call (keys built elsewhere,
    such as an organisation's fields, are named through the object's model)."""
    import ast
    from pathlib import Path

    import gongkai

    root = Path(gongkai.__file__).parent
    found: set[tuple[str, str]] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        module = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(module):
            if not (
                isinstance(call, ast.Call)
                and ast.unparse(call.func) in ("audit_record", "audit_reveal")
            ):
                continue
            for keyword in call.keywords:
                if keyword.arg != "details":
                    continue
                for node in ast.walk(keyword.value):
                    if isinstance(node, ast.Dict):
                        found |= {
                            (path.name, k.value)
                            for k in node.keys
                            if isinstance(k, ast.Constant) and isinstance(k.value, str)
                        }
    return found


def test_every_details_key_the_code_writes_has_a_chinese_name() -> None:
    from gongkai.audit.details import DETAIL_KEYS

    written = _written_keys()
    assert len(written) > 50  # the walk found the calls
    assert not {(f, k) for f, k in written if k not in DETAIL_KEYS}


def test_the_audit_entry_links_nowhere_the_auditor_cannot_open(
    tree: Any, client: Any
) -> None:
    event = audit_record(
        action="org.update", actor=tree.sysadmin, organisation=tree.street
    )
    client.force_login(tree.auditor)
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    content = HTMLParser(page.content.decode()).css_first("#content")
    assert tree.street.name in content.text()
    for link in content.css("a[href]"):
        href = link.attributes["href"] or ""
        if href.startswith("/admin/") and not href.startswith("/admin/audit/"):
            assert client.get(href).status_code == 200, href


def _choice(label: str, field: str, code: str) -> str:
    """A code's name as its model field's own choices give it."""
    from django.apps import apps

    return str(dict(apps.get_model(label)._meta.get_field(field).flatchoices)[code])


def test_coded_values_are_shown_by_their_chinese_names(tree: Any, client: Any) -> None:
    from gongkai.inspection.models import InspectionRun
    from gongkai.publishing.models import ChannelDelivery
    from gongkai.supervision.models import INDICATOR_LABELS

    rules = {"kinds": ["resident_id", "mobile"], "name_mask": "surname_mou"}
    events = [
        audit_record(
            action="privacy.rules.save",
            actor=tree.head,
            organisation=tree.street,
            details={"before": dict(rules, id_keep=4), **rules},
        ),
        audit_record(
            action="supervision.scheme_save",
            actor=tree.supervisor,
            organisation=tree.district,
            details={"year": 2026, "weights": {"timeliness": 35, "report_quality": 25}},
        ),
        audit_record(
            action="inspection.run",
            actor=tree.officer,
            organisation=tree.street,
            obj=InspectionRun(pk=1),
            details={"trigger": "manual"},
        ),
        audit_record(
            action="publishing.delivery.sent",
            organisation=tree.street,
            obj=ChannelDelivery(pk=1),
            details={"channel": "feed", "error": ""},
            username="system",
        ),
        audit_record(
            action="inforequest.letter_issued",
            actor=tree.officer,
            organisation=tree.street,
            details={"letter": 3, "kind": "reply", "number": "洛街公开〔2026〕1号"},
        ),
    ]
    client.force_login(tree.auditor)
    text = " ".join(_details_text(client, event) for event in events)
    for code in (
        "resident_id",
        "mobile",
        "surname_mou",
        "timeliness",
        "report_quality",
        "manual",
        "feed",
        "reply",
    ):
        assert code not in text, code
    for name in (
        _choice("privacy.PiiDisclosure", "kind", "resident_id"),
        _choice("privacy.PrivacyRules", "name_mask", "surname_mou"),
        f"{INDICATOR_LABELS['timeliness']}：35",
        _choice("inspection.InspectionRun", "trigger", "manual"),
        _choice("publishing.ChannelDelivery", "channel", "feed"),
    ):
        assert name in text, name
    assert "答复" in text  # the reply letter by its name


def test_an_audit_entry_is_titled_in_chinese_local_time(tree: Any, client: Any) -> None:
    from datetime import UTC, datetime

    event = audit_record(
        action="org.update", actor=tree.sysadmin, organisation=tree.street
    )
    AuditEvent.objects.filter(pk=event.pk).update(
        at=datetime(2026, 12, 8, 5, 20, 37, tzinfo=UTC)
    )
    event.refresh_from_db()
    tree.sysadmin.full_name = "钱系管"
    tree.sysadmin.save(update_fields=["full_name"])
    title = str(event)
    assert title.startswith("2026年12月8日 13:20 ")  # Beijing time
    assert "钱系管" in title and "2026-12-08" not in title
    client.force_login(tree.auditor)
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert "2026年12月8日 13:20" in page.content.decode()


def test_an_audit_entry_whose_account_is_gone_still_has_a_title(tree: Any) -> None:
    event = audit_record(action="org.update", actor=tree.sysadmin)
    AuditEvent.objects.filter(pk=event.pk).update(user_id=10**9)
    event = AuditEvent.objects.get(pk=event.pk)
    assert tree.sysadmin.username in str(event)
