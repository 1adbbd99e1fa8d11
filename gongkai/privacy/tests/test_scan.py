"""The scan of already published items (issue 25, requirement 4): a body's own, a
supervisor's whole subtree, the screen with links, the command and the dashboard."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.audit.models import AuditEvent
from gongkai.orgs.tests.factories import make_user
from gongkai.privacy import services as privacy
from gongkai.privacy.models import PiiScanFinding
from gongkai.privacy.tests.test_publish_check import ID_A, MOBILE, resident_id
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live


def leaked(org, actor, head, title: str, body: str) -> Publication:
    """An item published before the check existed: live, with personal information
    (written past the services, as old data is)."""
    pub = make_live(org, actor, head, title, body="<p>公示。</p>")
    Publication.objects.filter(pk=pub.pk).update(body=body)
    pub.refresh_from_db()
    return pub


@pytest.fixture
def leaks(tree):
    street = leaked(
        tree.street,
        tree.officer,
        tree.head,
        "2019年低保名单",
        f"<p>王建国\t{ID_A}\t{MOBILE}</p>",
    )
    community = leaked(
        tree.community_a,
        tree.liaison_a,
        tree.head,
        "2020年临时救助名单",
        f"<p>李秀英\t{resident_id('41030219751231001')}</p>",
    )
    clean = make_live(
        tree.street, tree.officer, tree.head, "工作动态", body="<p>无</p>"
    )
    return street, community, clean


def test_a_scan_of_a_body_finds_its_own_leaks_only(tree, leaks):
    street, _community, _ = leaks
    scan = privacy.pii_scan_run(actor=tree.officer, organisation=tree.street)
    assert scan.items == 2  # the street's two live items
    rows = PiiScanFinding.objects.filter(scan=scan)
    assert {r.publication_id for r in rows} == {street.pk}
    assert {r.kind for r in rows} == {"resident_id", "mobile", "name"}
    assert all(ID_A not in r.masked for r in rows)
    assert AuditEvent.objects.filter(action="privacy.scan.run").count() == 1


def test_a_supervisor_scans_every_body_below_and_a_body_sees_only_its_subtree(
    tree, leaks, client
):
    street, community, _ = leaks
    sibling_officer = make_user("t_sib_officer", tree.sibling_street, "officer")
    sibling_head = make_user("t_sib_head", tree.sibling_street, "head")
    sibling = leaked(
        tree.sibling_street,
        sibling_officer,
        sibling_head,
        "邻街困难群众名单",
        f"<p>赵晓东\t{resident_id('41030319660606001')}</p>",
    )
    scan = privacy.pii_scan_run(
        actor=tree.supervisor, organisation=tree.district, below=True
    )
    assert scan.items == 4
    found = set(PiiScanFinding.objects.values_list("publication_id", flat=True))
    assert found == {street.pk, community.pk, sibling.pk}
    client.force_login(tree.supervisor)  # active organisation: the district
    html = client.get("/office/privacy/scan/?below=1").content.decode()
    for pub in (street, community, sibling):
        assert f"/office/publishing/items/{pub.pk}/#pii" in html
    assert ID_A not in html and "王建国" not in html
    dashboard = client.get("/office/supervision/").content.decode()
    assert "已公开信息中的个人信息" in dashboard
    assert tree.community_a.label in dashboard
    assert tree.sibling_street.label in dashboard
    # The street's officer sees its own subtree's findings, not the sibling's.
    client.force_login(tree.officer)
    html = client.get("/office/privacy/scan/?below=1").content.decode()
    assert "2019年低保名单" in html
    assert "邻街困难群众名单" not in html


def test_masking_a_live_leak_clears_it_from_the_scan_and_the_index(tree, leaks):
    street, _, _ = leaks
    privacy.pii_scan_run(actor=tree.officer, organisation=tree.street)
    assert PiiScanFinding.objects.filter(publication=street).exists()
    privacy.publication_mask(actor=tree.officer, publication=street)
    street.refresh_from_db()
    assert street.status == "updated" and ID_A not in street.body
    assert not PiiScanFinding.objects.filter(publication=street).exists()
    from gongkai.search.models import SearchDocument

    doc = SearchDocument.objects.get(kind="publication", object_id=str(street.pk))
    assert ID_A not in doc.body and MOBILE not in doc.body


def test_the_command_scans_a_subtree_and_refuses_an_unknown_body(tree, leaks, capsys):
    call_command("scan_published_pii", "--org", str(tree.district.pk), "--below")
    out = capsys.readouterr().out
    assert "检查已发布信息 3 条" in out
    assert PiiScanFinding.objects.count() >= 3
    with pytest.raises(CommandError, match="找不到机构"):
        call_command("scan_published_pii", "--org", "不存在")
