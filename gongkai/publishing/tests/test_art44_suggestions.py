"""Art. 44: the same information asked for by several applicants → suggest 主动公开."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.identifiers import resident_id_check_character
from gongkai.publishing.selectors import suggest_proactive_from_requests

pytestmark = pytest.mark.django_db

DESCRIPTION = "2026年洛浦街道老旧小区改造项目的资金安排文件"


def _id(base17: str) -> str:
    return base17 + resident_id_check_character(base17)


def _request(tree, org, id_base: str, description: str, outcome: str):
    from gongkai.inforequests.models import InfoRequest
    from gongkai.inforequests.tests.factories import register

    req = register(
        tree.officer,
        org,
        id_number=_id(id_base),
        description=description,
        submitted_on=date(2026, 9, 18),
    )
    # The outcome is the applications app's business; set it directly for this read test.
    InfoRequest.objects.filter(pk=req.pk).update(outcome=outcome)
    return req


def test_two_applicants_asking_for_the_same_disclosed_information_give_a_suggestion(
    tree,
) -> None:
    first = _request(tree, tree.street, "41030219800101123", DESCRIPTION, "granted")
    # Same information, written with spaces and a full stop; partly disclosed.
    second = _request(
        tree,
        tree.street,
        "41030219900202234",
        " 2026年 洛浦街道老旧小区改造项目的资金安排文件。",
        "partial",
    )
    # The first applicant again: still two applicants.
    _request(tree, tree.street, "41030219800101123", DESCRIPTION, "granted")
    # Withheld information is not a candidate for proactive disclosure.
    _request(
        tree,
        tree.street,
        "41030219700303345",
        "某企业的商业秘密材料",
        "withheld.third_party",
    )
    _request(
        tree,
        tree.street,
        "41030219600404456",
        "某企业的商业秘密材料",
        "withheld.third_party",
    )
    suggestions = suggest_proactive_from_requests(tree.street)
    assert len(suggestions) == 1
    assert suggestions[0]["applicants"] == 2
    assert first.pk in suggestions[0]["request_ids"]
    assert second.pk in suggestions[0]["request_ids"]
    # Other organisations' requests are not mixed in.
    assert suggest_proactive_from_requests(tree.sibling_street) == []


def test_one_applicant_alone_gives_no_suggestion(tree) -> None:
    _request(tree, tree.street, "41030219800101123", DESCRIPTION, "granted")
    assert suggest_proactive_from_requests(tree.street) == []
