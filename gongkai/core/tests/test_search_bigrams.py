from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.search import (
    SUPERSET_TRIGRAMS,
    QueryError,
    fts5_match,
    highlight_spans,
    index_tokens,
    index_trigrams,
    needs_positions,
    parse_query,
    phrase_text,
    phrase_trigrams,
    run_bigrams,
    runs,
    trigram_set,
    tsquery_superset_text,
    tsquery_text,
)


def matches(document: str, query: str) -> bool:
    """Reference semantics of the index: every query phrase's bigrams adjacent in a run."""
    tokens = index_tokens(document).split(" ")
    for phrase in parse_query(query).phrases:
        n = len(phrase)
        if not any(
            tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1)
        ):
            return False
    return True


def test_bigrams_overlap():
    assert run_bigrams("政府信息") == ["政府", "府信", "信息"]


@pytest.mark.parametrize(
    ("document", "query", "found"),
    [
        ("关于政府信息公开工作的通知", "公开", True),
        ("行政复议决定书", "复议", True),
        ("洛浦街道贴廓巷社区居委会", "贴廓巷", True),  # a name in no dictionary
        ("2026年部分节假日安排", "2026年", True),
        ("2026年部分节假日安排", "2025年", False),
        ("公示栏", "公开", False),
        ("信息，公开", "息公", False),  # never across punctuation
        ("ＡＢＣ公开", "abc公开", True),  # full-width and case folded
    ],
)
def test_recall_and_no_false_hits(document, query, found):
    assert matches(document, query) is found


@given(
    st.text(
        alphabet="政府信息公开复议年度报告街道社区2026-，。 ", min_size=0, max_size=40
    ),
    st.data(),
)
def test_every_substring_of_a_run_is_found(document, data):
    import re

    pieces = [p for p in re.split(r"[-，。 ]+", document) if len(p) >= 2]
    if not pieces:
        return
    piece = data.draw(st.sampled_from(pieces))
    i = data.draw(st.integers(0, len(piece) - 2))
    j = data.draw(st.integers(i + 2, len(piece)))
    assert matches(document, piece[i:j])


@pytest.mark.parametrize("raw", ["", "  ", "公", "，。", "a" * 51])
def test_unsearchable_queries_get_a_chinese_message(raw):
    with pytest.raises(QueryError) as info:
        parse_query(raw)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def test_fts_and_tsquery_syntax_in_the_box_is_only_text():
    query = parse_query("公开\" OR * NEAR(x) '; DROP")
    assert fts5_match(query).count('"') == 2 * len(query.phrases)
    assert "OR" not in fts5_match(query).replace("or", "")
    assert "';" not in tsquery_text(query)


def test_highlight_marks_every_occurrence():
    query = parse_query("公开")
    assert highlight_spans("政务公开与信息公开", query) == [(2, 4), (7, 9)]


def _superset_grams(raw: str) -> set[str]:
    text = tsquery_superset_text(parse_query(raw))
    return {part.strip().strip("'") for part in text.split("&")}


def test_a_phrase_is_asked_of_the_index_by_a_few_trigrams_spread_over_it() -> None:
    # 16 characters: 14 trigrams, of which the first, the last and evenly spaced
    # ones between them, no more than SUPERSET_TRIGRAMS; a two-character run by its
    # one bigram.
    chosen = _superset_grams("关于做好二〇二六年度城镇老旧小区改造")
    assert len(chosen) == SUPERSET_TRIGRAMS
    assert {"关于做", "区改造"} <= chosen
    assert _superset_grams("老旧小区") == {"老旧小", "旧小区"}
    assert _superset_grams("通知 安全生产") == {"通知", "安全生", "全生产"}


def test_only_a_phrase_of_four_characters_or_more_needs_positions() -> None:
    assert not needs_positions(parse_query("通知"))
    assert not needs_positions(parse_query("通知 公告"))
    assert not needs_positions(parse_query("垃圾站"))  # one trigram: exact
    assert needs_positions(parse_query("老旧小区"))


def trigram_matches(document: str, query: str) -> bool:
    """What the trigram column answers (SQLite's ``{tri}`` phrase, PostgreSQL's exact
    tsquery for three characters): a run of three or more characters is found where
    its trigrams are adjacent in the document's trigram string; two characters by
    their bigram."""
    trigrams = index_trigrams(document).split(" ")
    bigrams = set(index_tokens(document).split(" "))
    for phrase in parse_query(query).phrases:
        grams = phrase_trigrams(phrase)
        if not grams:
            if phrase[0] not in bigrams:
                return False
            continue
        n = len(grams)
        if not any(trigrams[i : i + n] == grams for i in range(len(trigrams) - n + 1)):
            return False
    return True


def substring_matches(document: str, query: str) -> bool:
    """The meaning both index readings must have: each query run within one run."""
    doc_runs = runs(document)
    return all(
        any(phrase_text(p) in r for r in doc_runs) for p in parse_query(query).phrases
    )


@given(
    st.text(alphabet="政府信息公开年报告街社区2026-，。 ", min_size=0, max_size=40),
    st.text(alphabet="政府信息公开年报告街社区2026-， ", min_size=2, max_size=10),
)
def test_trigrams_find_exactly_what_the_bigram_phrase_finds(document, query):
    try:
        parse_query(query)
    except QueryError:
        return
    expected = substring_matches(document, query)
    assert matches(document, query) is expected
    assert trigram_matches(document, query) is expected


def test_trigrams_of_a_document() -> None:
    assert index_trigrams("政府信息，公开") == "政府信 府信息 runsep "
    assert trigram_set("信息公开 信息公") == ["信息公", "息公开"]


def test_trigrams_of_the_text_the_bigram_positions_cover() -> None:
    # Positions: 信息 息公 公开 runsep 公示 示栏. Two hold 信息公; five, not 公示栏
    # (its second bigram is past them); six, all three.
    assert trigram_set("信息公开，公示栏", max_positions=2) == ["信息公"]
    assert trigram_set("信息公开，公示栏", max_positions=5) == ["信息公", "息公开"]
    assert trigram_set("信息公开，公示栏", max_positions=6) == [
        "信息公",
        "公示栏",
        "息公开",
    ]
