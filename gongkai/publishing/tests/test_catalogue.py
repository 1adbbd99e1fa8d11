"""The catalogue: the standard template, adapting it per community, own rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.backoffice.context import SESSION_KEY
from gongkai.publishing import services
from gongkai.publishing.catalogue_template import STREET_TEMPLATE, template_size
from gongkai.publishing.models import CatalogueItem

OFFICE = "/office/publishing"


def test_the_template_has_five_areas_and_eighteen_items_with_every_element() -> None:
    assert template_size() == (5, 18)
    for area in STREET_TEMPLATE:
        for row in area.items:
            for element in (
                row.item_l1,
                row.item_l2,
                row.content,
                row.basis,
                row.time_limit_text,
            ):
                assert element.strip()
            assert row.channels and (row.mode_proactive or row.mode_on_request)
            assert row.audience_public or row.audience_specific


def test_loading_twice_keeps_adaptations(tree) -> None:
    assert (
        services.catalogue_load_template(actor=tree.officer, organisation=tree.street)
        == 18 + 4  # a disclosure body also gets its 政府信息公开制度 (issue 17)
    )
    item = CatalogueItem.objects.get(organisation=tree.street, item_l2="领导信息")
    services.catalogue_item_update(
        actor=tree.officer,
        item=item,
        content="领导姓名、职务、分工、照片",
        is_active=False,
    )
    assert (
        services.catalogue_load_template(actor=tree.officer, organisation=tree.street)
        == 0
    )
    item.refresh_from_db()
    assert item.content == "领导姓名、职务、分工、照片" and item.is_active is False


def test_a_liaison_adapts_only_the_own_communitys_catalogue(tree) -> None:
    services.catalogue_load_template(
        actor=tree.liaison_b, organisation=tree.community_b
    )
    other = CatalogueItem.objects.filter(organisation=tree.community_b).first()
    with pytest.raises(PermissionDenied):
        services.catalogue_item_update(actor=tree.liaison_a, item=other, content="改")
    with pytest.raises(PermissionDenied):
        services.catalogue_load_template(
            actor=tree.liaison_a, organisation=tree.community_b
        )


def test_a_row_needs_a_disclosure_mode(tree) -> None:
    services.catalogue_load_template(actor=tree.officer, organisation=tree.street)
    item = CatalogueItem.objects.filter(organisation=tree.street).first()
    with pytest.raises(ValidationError, match="公开方式至少选择"):
        services.catalogue_item_update(
            actor=tree.officer, item=item, mode_proactive=False, mode_on_request=False
        )


def test_a_community_adds_its_own_row_through_the_screen(tree, client) -> None:
    services.catalogue_load_template(
        actor=tree.liaison_a, organisation=tree.community_a
    )
    area = tree.community_a.catalogue_areas.get(code="02")
    client.force_login(tree.liaison_a)
    session = client.session
    session[SESSION_KEY] = tree.community_a.pk
    session.save()
    data = {
        "area": area.pk,
        "item_l1": "社区事务",
        "item_l2": "居民议事会决定",
        "content": "议题、决定、表决结果",
        "basis": "《城市居民委员会组织法》",
        "time_limit_text": "决定作出之日起7个工作日内",
        "time_limit_days": "7",
        "subjects": "甲社区居民委员会",
        "channels": ["社区/企事业单位/村公示栏（电子屏）"],
        "audience_public": "on",
        "mode_proactive": "on",
        "level_township": "on",
        "update_period_days": "30",
        "art20": "A20_15",
        "is_active": "on",
    }
    response = client.post(f"{OFFICE}/catalogue/new/", data)
    assert response.status_code == 302
    item = CatalogueItem.objects.get(
        organisation=tree.community_a, item_l2="居民议事会决定"
    )
    assert item.area == area and item.order == area.items.count()
    response = client.post(f"{OFFICE}/catalogue/new/", data)
    assert "已有同名的公开事项" in response.content.decode()
    # Editing a row of another community is a 404.
    services.catalogue_load_template(
        actor=tree.liaison_b, organisation=tree.community_b
    )
    other = CatalogueItem.objects.filter(organisation=tree.community_b).first()
    assert client.get(f"{OFFICE}/catalogue/{other.pk}/edit/").status_code == 404


def test_editing_a_row_through_the_screen(tree, client) -> None:
    services.catalogue_load_template(actor=tree.officer, organisation=tree.street)
    item = CatalogueItem.objects.get(organisation=tree.street, item_l2="高龄津贴发放")
    client.force_login(tree.officer)
    form = client.get(f"{OFFICE}/catalogue/{item.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data["update_period_days"] = "60"
    response = client.post(f"{OFFICE}/catalogue/{item.pk}/edit/", data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.update_period_days == 60


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("信息形成或者变更之日起20个工作日内", (20, None)),
        ("自作出行政决定之日起7个工作日内", (7, None)),
        ("每季度更新，10个工作日内公开", (10, 91)),
        ("每月更新", (None, 30)),
        ("及时公开", (None, None)),
        ("实时公开", (None, None)),
    ],
)
def test_the_time_limit_text_is_read(text: str, expected: tuple) -> None:
    from gongkai.publishing.reference import parse_time_limit

    assert parse_time_limit(text) == expected


def test_changing_the_time_limit_text_updates_the_derived_numbers(tree) -> None:
    services.catalogue_load_template(actor=tree.officer, organisation=tree.street)
    item = CatalogueItem.objects.get(organisation=tree.street, item_l2="领导信息")
    assert (item.time_limit_days, item.update_period_days) == (20, 365)
    item = services.catalogue_item_update(
        actor=tree.officer, item=item, time_limit_text="每月更新，5个工作日内公开"
    )
    assert (item.time_limit_days, item.update_period_days) == (5, 30)
    # Numbers given explicitly win over the text.
    item = services.catalogue_item_update(
        actor=tree.officer,
        item=item,
        time_limit_text="每月更新，5个工作日内公开（修订）",
        time_limit_days=3,
    )
    assert item.time_limit_days == 3


def test_a_township_loads_its_own_template_and_the_screen_names_it(
    tree, client
) -> None:
    """Issue 21, requirement 3: the template follows the kind of body (or its
    choice); the catalogue screen names it and each item's staleness."""
    from gongkai.orgs.services import organisation_update
    from gongkai.publishing.catalogue_template import template

    organisation_update(
        actor=tree.sysadmin, organisation=tree.sibling_street, kind="township"
    )
    tree.sibling_street.refresh_from_db()
    created = services.catalogue_load_template(
        actor=None, organisation=tree.sibling_street
    )
    township = template("township")
    assert created == township.size[1] + 4  # + 政府信息公开制度
    assert CatalogueItem.objects.filter(
        organisation=tree.sibling_street, item_l2="惠农补贴政策及发放结果"
    ).exists()
    services.catalogue_load_template(actor=None, organisation=tree.street)
    client.force_login(tree.officer)
    page = client.get("/office/publishing/catalogue/").content.decode()
    assert "街道办事处标准目录（5领域18项）" in page
    assert "最近发布：尚无" in page
    assert "按期（" in page


def test_an_unknown_template_is_refused_and_a_body_follows_its_choice(tree) -> None:
    from gongkai.orgs.services import organisation_create, organisation_update

    with pytest.raises(ValidationError, match="没有名为“nonesuch”的目录模板"):
        organisation_update(
            actor=tree.sysadmin, organisation=tree.street, catalogue_template="nonesuch"
        )
    body = organisation_create(
        actor=tree.sysadmin,
        parent=tree.district,
        name="测试区民政局",
        kind="department",
        catalogue_template="township",
    )
    assert body.catalogue_template_key == "township"  # its choice, not its kind's
    services.catalogue_load_template(actor=None, organisation=body)
    assert CatalogueItem.objects.filter(
        organisation=body, item_l2="惠农补贴政策及发放结果"
    ).exists()
