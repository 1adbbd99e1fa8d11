"""Issue 17 (7): a 文号 is found whole, however its year brackets are typed, and not
confused with a longer number or with text that holds its pieces apart."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.search import index_tokens, parse_query
from gongkai.search.services import search_documents, search_index

pytestmark = pytest.mark.django_db

DOCS = {
    1: ("关于印发《政府信息公开保密审查制度》的通知", "洛街〔2026〕12号"),
    2: ("关于调整临时救助标准的通知", "洛街〔2026〕112号"),
    # The three pieces of the number, apart: not the 文号.
    3: ("洛街社区2026年工作要点", "第一部分共12号文件汇编。"),
    4: ("关于做好城乡居民医保缴费的通知", "洛街〔2025〕12号"),
}


@pytest.fixture
def indexed(tree):
    for pk, (title, body) in DOCS.items():
        search_index(
            kind="publication",
            object_id=pk,
            organisation=tree.street,
            title=title,
            body=body,
            published_on=date(2026, 1, pk),
        )


def found(query: str) -> set[int]:
    return {int(h.document.object_id) for h in search_documents(query).hits}


@pytest.mark.parametrize(
    "typed",
    [
        "洛街〔2026〕12号",  # as printed
        "洛街[2026]12号",  # ASCII brackets
        "洛街［2026］12号",  # full-width brackets
        "洛街【2026】12号",
        "洛街(2026)12号",
        "〔2026〕12号",  # without the prefix
    ],
)
def test_a_doc_number_is_found_whole(indexed, typed) -> None:
    assert found(typed) == {1}


def test_the_pieces_of_a_number_still_find_what_holds_them(indexed) -> None:
    assert found("洛街") == {1, 2, 3, 4}
    assert found("112号") == {2}


def test_the_index_and_the_query_agree_on_a_doc_number() -> None:
    # One run each: the query's bigrams are one phrase, adjacent in the index.
    assert parse_query("洛街〔2026〕12号").phrases == (
        tuple(index_tokens("洛街〔2026〕12号").split()),
    )
