"""bench_search's one pass over the table answers what a LIKE per text answers.

The benchmark confirms its no-hit queries and the pages it checks by reading
``search_searchdocument`` once (``read_table``); here that reading is compared with
the LIKE statements it replaces, run on the same small table.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.db.models import Q

from gongkai.orgs.models import path_prefix_q
from gongkai.search.models import SearchDocument

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from bench_search import PLATFORM, found_nowhere, read_table

pytestmark = pytest.mark.django_db

WORDS = ["通知", "公告", "垃圾分类", "老旧小区", "联系电话"]


def like_newest(text: str, scope_path: str, limit: int) -> list[int]:
    """The statement the pass replaces: LIKE on title or body, in the scope, newest first."""
    docs = SearchDocument.objects.filter(
        Q(title__contains=text) | Q(body__contains=text)
    )
    if scope_path != PLATFORM:
        docs = docs.filter(path_prefix_q(scope_path, "organisation__path"))
    return list(docs.order_by("-id").values_list("id", flat=True)[:limit])


def like_found_anywhere(text: str) -> bool:
    return (
        SearchDocument.objects.filter(title__contains=text).exists()
        or SearchDocument.objects.filter(body__contains=text).exists()
    )


@pytest.fixture
def table(tree):
    orgs = [tree.district, tree.street, tree.community_a, tree.community_b]
    orgs.append(tree.sibling_street)
    # The oldest document holds a candidate for the no-hit class, once, in its body.
    SearchDocument.objects.create(
        kind="publication",
        object_id="0",
        organisation=tree.community_b,
        title="关于走访的通知",
        body="走访对象：赵琰，联系电话见附件",
    )
    for n in range(1, 60):
        words = [w for i, w in enumerate(WORDS) if n % (i + 2) == 0] or ["其他"]
        SearchDocument.objects.create(
            kind="publication",
            object_id=str(n),
            organisation=orgs[n % len(orgs)],
            title=f"第{n}号{words[0]}" + ("（PDF版本）" if n % 11 == 0 else ""),
            body="，".join(words),
        )
    return tree


def scope_paths(tree) -> list[str]:
    return [PLATFORM, tree.street.path, tree.community_a.path, tree.sibling_street.path]


NEEDLES = [
    "通知",
    "公告",
    "垃圾分类",
    "老旧小区",
    "第1",
    "赵琰",
    "钱玥",
    "pdf版",
    "号通",
]


@pytest.mark.parametrize(("limit", "batch"), [(20, 2_000), (3, 4), (1, 7)])
def test_the_pass_gives_the_newest_ids_a_like_gives_in_every_scope(table, limit, batch):
    paths = scope_paths(table)
    got = read_table(NEEDLES, paths, limit=limit, batch=batch)
    want = {n: {p: like_newest(n, p, limit) for p in paths} for n in NEEDLES}
    assert got == want
    assert got["通知"][PLATFORM]  # the comparison is not of empty lists only


def test_a_candidate_one_document_holds_is_not_a_no_hit_query(table):
    candidates = ["赵琰", "钱玥", "孙珂", "李瑾"]
    got = read_table(candidates, scope_paths(table), batch=5)
    assert like_found_anywhere("赵琰")
    assert [c for c in candidates if not like_found_anywhere(c)] == candidates[1:]
    assert found_nowhere(candidates, got, 2) == sorted(["钱玥", "孙珂"])
    assert found_nowhere(candidates, got, 10) == sorted(candidates[1:])
