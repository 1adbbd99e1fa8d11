"""The screens: findings marked in place at 保密审查, the buttons, the rules form."""

from __future__ import annotations

import pytest

from gongkai.privacy.models import PiiDisclosure, PrivacyRules
from gongkai.privacy.tests.test_publish_check import ID_A, approved


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_review_page_marks_each_finding_in_place_and_offers_both_ways(tree, client):
    pub = approved(tree)
    client.force_login(tree.head)
    html = client.get(f"/office/publishing/items/{pub.pk}/").content.decode()
    assert "个人信息检查" in html
    assert f'title="身份证号码">{ID_A}</mark>' in html
    assert 'title="姓名">王建国</mark>' in html
    assert "不能发布或定时发布" in html
    assert f"/office/privacy/items/{pub.pk}/mask/" in html
    assert f"/office/privacy/items/{pub.pk}/basis/" in html


def test_publishing_from_the_page_is_refused_in_chinese_and_masking_works(tree, client):
    pub = approved(tree)
    client.force_login(tree.officer)
    page = client.post(f"/office/publishing/items/{pub.pk}/do/publish/", follow=True)
    assert "不能发布：发现未遮蔽的个人信息" in page.content.decode()
    page = client.post(f"/office/privacy/items/{pub.pk}/mask/", follow=True)
    assert "已一键遮蔽" in page.content.decode()
    page = client.post(f"/office/publishing/items/{pub.pk}/do/publish/", follow=True)
    pub.refresh_from_db()
    assert pub.status == "published" and ID_A not in pub.body


def test_an_officer_cannot_record_a_basis_and_an_empty_basis_is_explained(tree, client):
    pub = approved(tree)
    client.force_login(tree.officer)
    assert client.post(f"/office/privacy/items/{pub.pk}/basis/").status_code == 404
    client.force_login(tree.head)
    page = client.post(
        f"/office/privacy/items/{pub.pk}/basis/", {"basis": ""}, follow=True
    )
    assert "请写明公开的法律依据" in page.content.decode()
    assert not PiiDisclosure.objects.exists()


def test_the_rules_form_keeps_what_was_typed_and_answers_in_chinese(tree, client):
    client.force_login(tree.head)
    page = client.post(
        "/office/privacy/rules/",
        {
            "kinds": ["resident_id", "mobile"],
            "name_mask": "surname_mou",
            "id_keep": "9",
            "public_values": "0379-60000002",
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "保留位数应在 0 到 6 之间" in html
    assert "0379-60000002" in html
    assert not PrivacyRules.objects.exists()
    page = client.post(
        "/office/privacy/rules/",
        {
            "kinds": ["resident_id", "mobile"],
            "name_mask": "surname_mou",
            "id_keep": "4",
            "public_values": "0379-60000002",
        },
        follow=True,
    )
    assert "已保存" in page.content.decode()
    assert PrivacyRules.objects.get(organisation=tree.street).kinds == [
        "mobile",
        "resident_id",
    ]
    client.force_login(tree.officer)
    assert client.post("/office/privacy/rules/", {}).status_code == 403


def test_the_body_is_unchanged_by_viewing(tree, client):
    pub = approved(tree)
    client.force_login(tree.head)
    client.get(f"/office/publishing/items/{pub.pk}/")
    pub.refresh_from_db()
    assert pub.body.count(ID_A) == 1
