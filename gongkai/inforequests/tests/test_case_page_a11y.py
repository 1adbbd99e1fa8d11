"""The case page for screen readers (issue 17, requirement 9): every element id is
unique and every field of every form has a label of its own."""

from __future__ import annotations

from collections import Counter

import pytest
import time_machine
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from gongkai.inforequests import letters as L
from gongkai.inforequests import services as s
from gongkai.inforequests.tests.factories import registration

pytestmark = pytest.mark.django_db


def _case_page(client, tree, user, *, accepted: bool = False) -> LexborHTMLParser:
    return _case_and_page(client, tree, user, accepted=accepted)[1]


def _case_and_page(client, tree, user, *, accepted: bool = False):
    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        case, _code, _receipt = L.register(
            actor=tree.officer, organisation=tree.street, registration=registration()
        )
        if accepted:
            case = s.inforequest_accept(actor=tree.officer, request=case)
        client.force_login(user)
        response = client.get(reverse("inforequests:detail", args=[case.pk]))
    assert response.status_code == 200
    return case, LexborHTMLParser(response.content.decode())


def _labelled(page: LexborHTMLParser, node) -> bool:
    attrs = node.attributes
    if attrs.get("aria-label") or attrs.get("aria-labelledby") or attrs.get("title"):
        return True
    own = attrs.get("id")
    if own and page.css_first(f'label[for="{own}"]') is not None:
        return True
    parent = node.parent
    while parent is not None:
        if parent.tag == "label":
            return True
        parent = parent.parent
    return False


@pytest.mark.parametrize(("role", "accepted"), [("officer", False), ("head", True)])
def test_every_id_on_the_case_page_is_unique_and_every_field_labelled(
    client, tree, role, accepted
):
    page = _case_page(client, tree, getattr(tree, role), accepted=accepted)
    ids = Counter(n.attributes["id"] for n in page.css("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []
    fields = [
        n
        for n in page.css("input, select, textarea")
        if n.attributes.get("type") not in ("hidden", "submit", "button")
    ]
    assert len(fields) > 10  # the action forms are on the page
    unlabelled = [
        (n.attributes.get("name"), n.attributes.get("id"))
        for n in fields
        if not _labelled(page, n)
    ]
    assert unlabelled == []
    # Each label points at a field that exists.
    for label in page.css("label[for]"):
        assert page.css_first(f'[id="{label.attributes["for"]}"]') is not None, (
            label.attributes["for"]
        )


def _described_by(page: LexborHTMLParser, node) -> list[str]:
    """The texts the field's ``aria-describedby`` ids point at (each must exist)."""
    ids = (node.attributes.get("aria-describedby") or "").split()
    texts = []
    for i in ids:
        target = page.css_first(f'[id="{i}"]')
        assert target is not None, i
        texts.append(target.text(strip=True))
    return texts


def test_a_fields_help_text_is_linked_to_it(client, tree):
    page = _case_page(client, tree, tree.officer, accepted=True)
    on = page.css_first("#act-decide [name=on]")
    assert _described_by(page, on) == ["不填则为今天"]
    assert on.attributes.get("aria-invalid") is None
    assert page.css_first(".error-summary") is None


def test_a_failed_action_links_its_errors_and_summarises_them_at_the_top(client, tree):
    case, _page = _case_and_page(client, tree, tree.officer, accepted=True)
    with time_machine.travel("2026-09-18 10:05 +0800", tick=False):
        response = client.post(
            reverse("inforequests:act", args=[case.pk, "decide"]),
            {"outcome": "", "on": "2026-13-40"},
        )
    assert response.status_code == 400
    page = LexborHTMLParser(response.content.decode())
    form = page.css_first("#act-decide")
    outcome = form.css_first("[name=outcome]")
    assert outcome.attributes.get("aria-invalid") == "true"
    assert "请选择办理结果。" in _described_by(page, outcome)
    on = form.css_first("[name=on]")
    assert on.attributes.get("aria-invalid") == "true"
    assert _described_by(page, on)[0] == "不填则为今天"
    assert "日期请按“年-月-日”填写" in _described_by(page, on)[1]
    # The summary at the top of the page takes the focus and links to each field.
    assert form.css_first(".error-summary") is None
    summary = page.css_first(".error-summary")
    assert summary is not None
    assert summary.attributes.get("role") == "alert"
    assert "autofocus" in summary.attributes
    assert "data-error-summary" in summary.attributes
    links = {
        a.attributes["href"]: a.text(strip=True) for a in summary.css("a[href^='#']")
    }
    assert set(links) == {f"#{outcome.attributes['id']}", f"#{on.attributes['id']}"}
    assert all(page.css_first(f'[id="{h[1:]}"]') is not None for h in links)
    assert "办理结果：请选择办理结果。" in links[f"#{outcome.attributes['id']}"]
    # Only the failed form has one, so the page has one place for the focus.
    assert len(page.css("[data-error-summary]")) == 1
    # Ids stay unique with the error texts and the summary on the page.
    ids = Counter(n.attributes["id"] for n in page.css("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []
