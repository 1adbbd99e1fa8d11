from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Membership, Organisation
from gongkai.orgs.services import (
    membership_grant,
    organisation_create,
    organisation_move,
    organisation_update,
)
from gongkai.orgs.tests.factories import credit_code, make_org

pytestmark = pytest.mark.django_db


def test_an_invalid_credit_code_is_refused_in_chinese_and_nothing_is_saved(tree):
    before = Organisation.objects.count()
    good = credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        organisation_create(
            actor=tree.sysadmin,
            parent=tree.street,
            name="错误社区",
            kind="community",
            credit_code=bad,
        )
    assert "统一社会信用代码" in str(info.value)
    assert Organisation.objects.count() == before


def test_a_duplicate_credit_code_is_refused(tree):
    with pytest.raises(ValidationError, match="已被"):
        organisation_create(
            actor=tree.sysadmin,
            parent=tree.street,
            name="重复",
            kind="community",
            credit_code=tree.community_a.credit_code,
        )


def test_moving_an_organisation_under_its_own_descendant_is_refused(tree):
    paths = dict(Organisation.objects.values_list("pk", "path"))
    with pytest.raises(ValidationError, match="循环"):
        organisation_move(
            actor=tree.sysadmin, organisation=tree.street, new_parent=tree.community_a
        )
    with pytest.raises(ValidationError, match="循环"):
        organisation_move(
            actor=tree.sysadmin, organisation=tree.street, new_parent=tree.street
        )
    assert dict(Organisation.objects.values_list("pk", "path")) == paths


def test_moving_a_subtree_rewrites_every_descendant_path(tree):
    organisation_move(
        actor=tree.sysadmin, organisation=tree.street, new_parent=tree.sibling_street
    )
    tree.community_a.refresh_from_db()
    tree.sibling_street.refresh_from_db()
    assert tree.community_a.path.startswith(tree.sibling_street.path)
    assert tree.community_a.depth == 3
    assert tree.community_a.ancestor_ids()[:2] == [
        tree.district.pk,
        tree.sibling_street.pk,
    ]


def test_a_role_granted_twice_is_refused(tree):
    with pytest.raises(ValidationError, match="不能重复授权"):
        membership_grant(
            actor=tree.sysadmin,
            user=tree.officer,
            organisation=tree.street,
            role="officer",
        )
    assert Membership.objects.filter(user=tree.officer, role="officer").count() == 1


def test_only_a_sysadmin_over_the_organisation_may_change_it(tree):
    with pytest.raises(PermissionDenied):
        organisation_update(
            actor=tree.officer, organisation=tree.street, office_phone="123"
        )
    organisation_update(
        actor=tree.sysadmin, organisation=tree.street, office_phone="0379-1234567"
    )
    tree.street.refresh_from_db()
    assert tree.street.office_phone == "0379-1234567"
    event = AuditEvent.objects.filter(action="org.update").latest("id")
    assert event.details["changes"]["office_phone"][1] == "0379-1234567"


def test_a_bad_postcode_is_refused(tree):
    with pytest.raises(ValidationError, match="邮政编码"):
        organisation_update(
            actor=tree.sysadmin, organisation=tree.street, office_postcode="47100"
        )


def test_subtree_queries_use_the_path_prefix(tree, django_assert_num_queries):
    from gongkai.orgs.selectors import organisation_subtree

    with django_assert_num_queries(1):
        got = [o.name for o in organisation_subtree(tree.street)]
    assert got[0] == tree.street.name and set(got[1:]) == {
        tree.community_a.name,
        tree.community_b.name,
    }


def test_a_deep_tree_keeps_correct_paths():
    parent = None
    chain = []
    for depth in range(6):
        parent = make_org(f"第{depth}层", parent, kind="other")
        chain.append(parent.pk)
    assert parent.ancestor_ids() == chain
