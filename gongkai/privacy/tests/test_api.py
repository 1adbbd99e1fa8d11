"""The API of the check: findings (masked only), one-click masking, the legal basis;
a refused publish through the publishing API answers in Chinese."""

from __future__ import annotations

import pytest

from gongkai.privacy.tests.test_publish_check import ID_A, MOBILE, approved

API = "/api/privacy/publications"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def post_json(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_the_api_lists_masked_findings_and_refuses_to_publish_in_chinese(tree, client):
    pub = approved(tree)
    client.force_login(tree.officer)
    report = client.get(f"{API}/{pub.pk}").json()
    assert report["publishable"] is False
    assert {f["kind"] for f in report["findings"]} == {"resident_id", "mobile", "name"}
    assert ID_A not in str(report) and MOBILE not in str(report)
    refused = post_json(client, f"/api/publishing/publications/{pub.pk}/publish")
    assert refused.status_code in (400, 422)
    assert "不能发布：发现未遮蔽的个人信息" in str(refused.json())
    masked = post_json(client, f"{API}/{pub.pk}/mask").json()
    # 2 ID numbers, 1 mobile, the 2 names in their rows
    assert masked["remaining"] == 0 and masked["text_masked"] == 5
    assert client.get(f"{API}/{pub.pk}").json() == {
        "publishable": True,
        "findings": [],
    }


def test_only_a_reviewer_records_a_basis_through_the_api(tree, client):
    pub = approved(tree)
    client.force_login(tree.head)
    keys = [f["key"] for f in client.get(f"{API}/{pub.pk}").json()["findings"]]
    client.force_login(tree.officer)
    body = {"keys": keys, "basis": "依《社会救助审核确认办法》公示"}
    assert post_json(client, f"{API}/{pub.pk}/basis", body).status_code == 404
    client.force_login(tree.head)
    report = post_json(client, f"{API}/{pub.pk}/basis", body).json()
    assert report["publishable"] is True
    assert all(f["disclosed"] for f in report["findings"])
