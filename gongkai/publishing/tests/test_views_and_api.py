"""Screens and API through the test client: responses AND rows, and scoping."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.backoffice.context import SESSION_KEY
from gongkai.publishing.models import CatalogueItem, EnforcementDecision, Publication
from gongkai.publishing.tests.factories import make_live, make_publication

API = "/api/publishing"
OFFICE = "/office/publishing"


def login(client, user, org) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = org.pk
    session.save()


def post_json(client, url: str, body: dict[str, Any] | None = None):
    return client.post(url, body or {}, content_type="application/json")


# ------------------------------------------------------------------ screens


def test_the_index_shows_counts(tree, client) -> None:
    make_publication(tree.street, tree.officer, "草稿一")
    login(client, tree.officer, tree.street)
    response = client.get(f"{OFFICE}/")
    assert response.status_code == 200
    assert "主动公开 · 测试街道办事处" in response.content.decode()
    assert response.context["total"] == 1


def test_creating_a_publication_through_the_form(tree, client) -> None:
    login(client, tree.officer, tree.street)
    response = client.post(
        f"{OFFICE}/items/new/",
        {
            "title": "关于开展消防检查的通知",
            "formed_on": "2021-03-01",
            "genre": "notice",
            "attribute": "proactive",
            "body": "<p>内容</p><script>x</script>",
            "topic": "综合政务\\应急管理",
        },
    )
    pub = Publication.objects.get(title="关于开展消防检查的通知")
    assert (
        response.status_code == 302
        and response["Location"] == f"{OFFICE}/items/{pub.pk}/"
    )
    assert pub.body == "<p>内容</p>" and pub.organisation == tree.street
    assert pub.topic == "综合政务\\应急管理"


def test_form_errors_are_in_chinese(tree, client) -> None:
    login(client, tree.officer, tree.street)
    response = client.post(
        f"{OFFICE}/items/new/",
        {
            "title": "",
            "formed_on": "2021-02-30",
            "genre": "notice",
            "attribute": "withheld",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    # Named fields (issue 17), not Django's "这个字段是必填项。" / "输入一个有效的日期。"
    assert "请填写标题。" in page
    assert "成文日期请按“年-月-日”填写" in page
    assert "这个字段是必填项" not in page and "输入一个有效的日期" not in page
    assert Publication.objects.count() == 0


def test_the_workflow_buttons_move_the_item(tree, client) -> None:
    pub = make_publication(tree.street, tree.officer)
    login(client, tree.officer, tree.street)
    page = client.get(f"{OFFICE}/items/{pub.pk}/").content.decode()
    assert "送审" in page and "审核通过" not in page
    client.post(f"{OFFICE}/items/{pub.pk}/do/submit/")
    login(client, tree.head, tree.street)
    response = client.post(
        f"{OFFICE}/items/{pub.pk}/do/approve/", {"note": "同意"}, follow=True
    )
    assert "请先确认已完成保密审查" in response.content.decode()
    pub.refresh_from_db()
    assert pub.status == "in_review"
    client.post(f"{OFFICE}/items/{pub.pk}/do/approve/", {"secrecy_checked": "on"})
    client.post(f"{OFFICE}/items/{pub.pk}/do/publish/")
    pub.refresh_from_db()
    assert pub.status == "published"


def test_editing_a_live_item_shows_the_change(tree, client) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "原标题")
    login(client, tree.officer, tree.street)
    data = {
        "title": "新标题",
        "formed_on": "2021-03-01",
        "genre": "notice",
        "attribute": "proactive",
        "body": pub.body,
        "change_note": "更正",
        "channels": ["portal", "feed"],
    }
    response = client.post(f"{OFFICE}/items/{pub.pk}/edit/", data)
    assert response.status_code == 302
    pub.refresh_from_db()
    assert pub.status == "updated" and pub.title == "新标题"
    page = client.get(f"{OFFICE}/items/{pub.pk}/").content.decode()
    assert "<del>原标题</del>" in page and "<ins>新标题</ins>" in page


def test_loading_the_catalogue_template_through_the_screen(tree, client) -> None:
    login(client, tree.liaison_a, tree.community_a)
    response = client.post(f"{OFFICE}/catalogue/", follow=True)
    assert "新增 18 个公开事项" in response.content.decode()
    assert CatalogueItem.objects.filter(organisation=tree.community_a).count() == 18
    item = CatalogueItem.objects.filter(organisation=tree.community_a).first()
    assert item.subjects == "测试街道办事处、甲社区居民委员会"
    page = client.get(f"{OFFICE}/catalogue/").content.decode()
    assert "公开渠道和载体" in page and item.item_l2 in page


def test_importing_decisions_with_bad_rows_through_the_screen(tree, client) -> None:
    login(client, tree.officer, tree.street)
    csv = "类别,决定日期,决定文号\n行政许可,2021-03-12,许1\n行政奖励,2021-03-12,奖1\n".encode()
    response = client.post(
        f"{OFFICE}/registers/decisions/import/",
        {"file": SimpleUploadedFile("d.csv", csv)},
    )
    assert response.status_code == 400
    assert "第3行：类别“行政奖励”无效" in response.content.decode()
    assert EnforcementDecision.objects.count() == 0
    good = "类别,决定日期,决定文号\n行政许可,2021-03-12,许1\n".encode()
    response = client.post(
        f"{OFFICE}/registers/decisions/import/",
        {"file": SimpleUploadedFile("d.csv", good)},
    )
    assert response.status_code == 302
    assert EnforcementDecision.objects.count() == 1
    page = client.get(f"{OFFICE}/registers/?year=2021").content.decode()
    assert "许1" in page


def test_registering_a_fee_through_the_screen(tree, client) -> None:
    login(client, tree.officer, tree.street)
    response = client.post(
        f"{OFFICE}/registers/fees/new/",
        {"item": "工本费", "collected_on": "2021-05-01", "amount_wan": "0.123456"},
    )
    assert "最多保留4位小数" in response.content.decode()
    client.post(
        f"{OFFICE}/registers/fees/new/",
        {"item": "工本费", "collected_on": "2021-05-01", "amount_wan": "0.0150"},
    )
    response = client.get(f"{OFFICE}/registers/?year=2021")
    assert response.context["table2"]["s2.fees.amount_wan"] == Decimal("0.0150")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/catalogue/",
        "/items/",
        "/registers/",
        "/sync/",
        "/stale/",
        "/late/",
        "/items/new/",
    ],
)
def test_every_screen_renders(tree, client, path: str) -> None:
    make_live(tree.street, tree.officer, tree.head)
    login(client, tree.officer, tree.street)
    assert client.get(f"{OFFICE}{path}").status_code == 200


def test_the_list_page_runs_a_fixed_number_of_queries(
    tree, client, django_assert_max_num_queries
) -> None:
    for i in range(5):
        make_publication(tree.street, tree.officer, f"信息{i}")
    login(client, tree.officer, tree.street)
    client.get(f"{OFFICE}/items/")
    with django_assert_max_num_queries(12):
        client.get(f"{OFFICE}/items/")


# ------------------------------------------------------------------ scoping


def test_a_liaison_cannot_see_or_change_another_communitys_items_in_screens(
    tree, client
) -> None:
    other = make_publication(tree.community_b, tree.liaison_b, "乙社区信息")
    login(client, tree.liaison_a, tree.community_a)
    assert client.get(f"{OFFICE}/items/{other.pk}/").status_code == 404
    assert client.get(f"{OFFICE}/items/{other.pk}/edit/").status_code == 404
    assert client.post(f"{OFFICE}/items/{other.pk}/do/submit/").status_code == 404
    assert (
        client.post(f"{OFFICE}/items/{other.pk}/edit/", {"title": "改了"}).status_code
        == 404
    )
    assert "乙社区信息" not in client.get(f"{OFFICE}/items/").content.decode()
    other.refresh_from_db()
    assert other.status == "draft" and other.title == "乙社区信息"


def test_a_liaison_cannot_see_or_change_another_communitys_items_through_the_api(
    tree, client
) -> None:
    other = make_publication(tree.community_b, tree.liaison_b, "乙社区信息")
    mine = make_publication(tree.community_a, tree.liaison_a, "甲社区信息")
    client.force_login(tree.liaison_a)
    listed = client.get(f"{API}/publications").json()
    assert [p["title"] for p in listed] == ["甲社区信息"]
    assert client.get(f"{API}/publications/{other.pk}").status_code == 404
    assert post_json(client, f"{API}/publications/{other.pk}/submit").status_code == 404
    response = client.patch(
        f"{API}/publications/{other.pk}",
        {"title": "改了"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = post_json(
        client,
        f"{API}/publications",
        {
            "organisation_id": tree.community_b.pk,
            "title": "越权",
            "formed_on": "2021-03-01",
        },
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到该对象，或您无权访问。"
    other.refresh_from_db()
    assert other.status == "draft" and other.title == "乙社区信息"
    assert client.get(f"{API}/publications/{mine.pk}").status_code == 200


def test_the_api_runs_the_workflow_through_the_services(tree, client) -> None:
    client.force_login(tree.officer)
    response = post_json(
        client,
        f"{API}/publications",
        {
            "organisation_id": tree.street.pk,
            "title": "接口发布",
            "formed_on": "2021-03-01",
            "body": "<p>x</p><script>y</script>",
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["index_no"] == f"{tree.street.credit_code}/2021-00001"
    assert data["body"] == "<p>x</p>"
    pid = data["id"]
    assert (
        post_json(client, f"{API}/publications/{pid}/submit").json()["status"]
        == "in_review"
    )
    refused = post_json(
        client, f"{API}/publications/{pid}/approve", {"secrecy_checked": True}
    )
    assert refused.status_code == 403 and "审批" in refused.json()["detail"]
    client.force_login(tree.head)
    bad = post_json(client, f"{API}/publications/{pid}/publish")
    assert bad.status_code == 400 and "不能执行“发布”操作" in bad.json()["detail"]
    assert (
        post_json(
            client, f"{API}/publications/{pid}/approve", {"secrecy_checked": True}
        ).json()["status"]
        == "approved"
    )
    assert (
        post_json(client, f"{API}/publications/{pid}/publish").json()["status"]
        == "published"
    )
    assert Publication.objects.get(pk=pid).events.count() == 4


def test_the_api_returns_table_two_keys(tree, client) -> None:
    client.force_login(tree.officer)
    cells = client.get(f"{API}/table2/{tree.street.pk}/2021").json()
    assert cells["s2.license.decisions"] == 0
    assert set(cells) >= {"s2.normative.in_force", "s2.fees.amount_wan"}
    client.force_login(tree.liaison_a)
    assert client.get(f"{API}/table2/{tree.street.pk}/2021").status_code == 404


def test_the_head_sees_community_items_awaiting_review_and_the_list_can_include_units_below(
    tree, client
) -> None:
    from gongkai.publishing import services

    pub = make_publication(tree.community_a, tree.liaison_a, "甲社区待审信息")
    services.publication_submit(actor=tree.liaison_a, publication=pub)
    login(client, tree.head, tree.street)
    page = client.get(f"{OFFICE}/").content.decode()
    assert "甲社区待审信息" in page
    assert "甲社区待审信息" not in client.get(f"{OFFICE}/items/").content.decode()
    assert "甲社区待审信息" in client.get(f"{OFFICE}/items/?below=1").content.decode()
    # The liaison of the other community sees neither.
    login(client, tree.liaison_b, tree.community_b)
    assert "甲社区待审信息" not in client.get(f"{OFFICE}/").content.decode()
    assert (
        "甲社区待审信息" not in client.get(f"{OFFICE}/items/?below=1").content.decode()
    )


def test_the_registers_through_the_api(tree, client) -> None:
    client.force_login(tree.officer)
    url = f"{API}/registers/{tree.street.pk}/decisions"
    response = post_json(
        client,
        url,
        {"kind": "penalty", "decided_on": "2021-04-02", "document_number": "罚1"},
    )
    assert response.status_code == 201, response.json()
    again = post_json(
        client,
        url,
        {"kind": "penalty", "decided_on": "2021-04-03", "document_number": "罚1"},
    )
    assert again.status_code == 400 and "已登记" in again.json()["detail"]
    assert [d["document_number"] for d in client.get(f"{url}?year=2021").json()] == [
        "罚1"
    ]
    assert client.get(f"{url}?year=2022").json() == []
    doc = post_json(
        client,
        f"{API}/registers/{tree.street.pk}/normative",
        {"kind": "normative", "title": "管理办法", "issued_on": "2021-05-01"},
    )
    assert doc.status_code == 201
    cells = client.get(f"{API}/table2/{tree.street.pk}/2021").json()
    assert (cells["s2.penalty.decisions"], cells["s2.normative.issued"]) == (1, 1)
    # A liaison cannot write the street's register.
    client.force_login(tree.liaison_a)
    assert (
        post_json(
            client,
            url,
            {"kind": "penalty", "decided_on": "2021-04-02", "document_number": "罚2"},
        ).status_code
        == 404
    )
    assert EnforcementDecision.objects.count() == 1


def test_the_review_form_can_change_the_attribute(tree, client) -> None:
    pub = make_publication(tree.street, tree.officer)
    login(client, tree.officer, tree.street)
    client.post(f"{OFFICE}/items/{pub.pk}/do/submit/")
    login(client, tree.head, tree.street)
    page = client.get(f"{OFFICE}/items/{pub.pk}/").content.decode()
    assert "审核通过（不主动公开）" not in page and "公开属性" in page
    client.post(
        f"{OFFICE}/items/{pub.pk}/do/approve/",
        {"secrecy_checked": "on", "attribute": "on_request", "withhold_reason": ""},
    )
    pub.refresh_from_db()
    assert (pub.status, pub.attribute) == ("filed", "on_request")


def test_the_overview_counts_every_late_item_not_just_the_first_ten(
    tree, client
) -> None:
    from datetime import date

    for i in range(12):
        make_publication(
            tree.street, tree.officer, f"超期{i}", formed_on=date(2021, 1, 4)
        )
    login(client, tree.officer, tree.street)
    response = client.get(f"{OFFICE}/")
    assert response.context["late_count"] == 12
    assert len(response.context["late"]) == 10
