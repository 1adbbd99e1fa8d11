from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.publishing.models import CatalogueArea, CatalogueItem, Publication
from gongkai.publishing.selectors import table2_for

SEED_TABLE2 = {
    "s2.regulations.issued": 0,
    "s2.regulations.repealed": 0,
    "s2.regulations.in_force": 0,
    "s2.normative.issued": 0,
    "s2.normative.repealed": 0,
    "s2.normative.in_force": 0,
    "s2.license.decisions": 3,
    "s2.penalty.decisions": 3,
    "s2.coercion.decisions": 4,
    "s2.fees.amount_wan": Decimal("0"),
}


@pytest.mark.django_db
def test_the_demo_reproduces_the_seed_reports_table_two_and_catalogues() -> None:
    from gongkai.demo.loaders import load_demo

    orgs = load_demo()
    luopu = orgs["luopu"]
    assert table2_for(luopu, 2021) == SEED_TABLE2
    # The seed: 5 areas, 18 items; every community has its catalogue too. The 街道, a
    # disclosure body, also has its 政府信息公开制度 (1 area, 4 items; issue 17).
    assert CatalogueArea.objects.filter(organisation=luopu).count() == 5 + 1
    assert CatalogueItem.objects.filter(organisation=luopu).count() == 18 + 4
    # Issue 21: the 乡镇 and the county department follow their own templates.
    township, housing = orgs["township"], orgs["housing"]
    assert township.catalogue_template_key == "township"
    assert housing.catalogue_template_key == "county_department"
    assert CatalogueItem.objects.filter(
        organisation=township, item_l2="惠农补贴政策及发放结果"
    ).exists()
    assert CatalogueItem.objects.filter(
        organisation=housing, item_l2="部门预算、决算及“三公”经费"
    ).exists()
    for i in range(1, 9):
        assert (
            CatalogueItem.objects.filter(organisation=orgs[f"community{i}"]).count()
            == 18
        )
    states = set(
        Publication.objects.filter(organisation=luopu).values_list("status", flat=True)
    )
    assert {
        "draft",
        "in_review",
        "scheduled",
        "published",
        "updated",
        "withdrawn",
    } <= states
    # Idempotent: a second run adds nothing.
    from gongkai.audit.models import AuditEvent

    before = (
        Publication.objects.count(),
        CatalogueItem.objects.count(),
        AuditEvent.objects.count(),
    )
    load_demo()
    after = (
        Publication.objects.count(),
        CatalogueItem.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before
    assert table2_for(luopu, 2021) == SEED_TABLE2
