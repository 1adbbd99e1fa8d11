"""Chinese full-text search by overlapping character bigrams and trigrams
(DESIGN.md "Search").

Text is normalised (NFKC, lower case) and cut at whitespace and punctuation into
runs; each run of two or more characters becomes its overlapping bigrams
("政府信息" → 政府 府信 信息), and each of three or more also its overlapping
trigrams (政府信 府信息). A query matches a document when the query is a substring
of a run: 100% recall, no false hits, any word — dictionary or not — and mixed text
such as "2026年". A two-character query is one bigram; a longer one is asked of the
trigrams, which are far rarer than bigrams: a phrase of common bigrams (dates,
templated sentences) is held whole by few documents, and the index then reads
about as many documents as match (docs/architecture.md "Search at any size").
The database indexes both strings (SQLite FTS5, PostgreSQL tsvector 'simple').
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

MIN_QUERY_CHARS = 2
MAX_QUERY_CHARS = 50
# A token no query can contain (query tokens are one or two characters), between runs
# so that a phrase never spans two runs.
RUN_SEPARATOR = "runsep"
_SPLIT = re.compile(r"[\W_]+", re.UNICODE)


class QueryError(ValueError):
    """A query that cannot be searched; the message is Chinese, for the search box."""


# A 文号's year brackets: 〔2026〕, and the [2026] / (2026) / 【2026】 people type for
# them (NFKC has already folded full-width ［］（） to ASCII).
YEAR_OPENS = "〔[【("
YEAR_CLOSES = "〕]】)"
_DOC_NUMBER_YEAR = re.compile(
    rf"[{re.escape(YEAR_OPENS)}](\d{{4}})[{re.escape(YEAR_CLOSES)}](?=第?\d{{1,6}}号)"
)
_FULL_WIDTH_DIGITS = tuple((chr(0xFF10 + d), str(d)) for d in range(10))
# Each way of writing a 文号's brackets and digits, as the one the filter compares:
# 〔〕 and ASCII digits (the 文号 search compares the same forms, ``normalise``).
DOC_NUMBER_FOLDS: tuple[tuple[str, str], ...] = (
    *((c, "〔") for c in YEAR_OPENS[1:] + "［（"),
    *((c, "〕") for c in YEAR_CLOSES[1:] + "］）"),
    *_FULL_WIDTH_DIGITS,
)


def ascii_digits(text: str) -> str:
    """``洛街〔２０２６〕２１号`` → ``洛街〔2026〕21号``: full-width digits as ASCII,
    every other character kept (a 文号 is saved so; its brackets are the body's)."""
    for variant, digit in _FULL_WIDTH_DIGITS:
        text = text.replace(variant, digit)
    return text


def _doc_numbers(text: str) -> str:
    """``洛街〔2026〕12号`` → ``洛街文2026年12号``: one run, so a 文号 is matched whole —
    the plain split would cut it into 洛街 / 2026 / 12号 and also find 洛街〔2026〕112号
    or any text holding the three pieces apart. Each bracket becomes one word character,
    so lengths (and highlighting) are kept; both the index and the query pass here."""
    return _DOC_NUMBER_YEAR.sub(r"文\1年", text)


def fold_doc_number(text: str) -> str:
    """``洛街[２０２６]21号`` → ``洛街〔2026〕21号``: the form of a 文号 (or a piece of
    one) the publication list's 文号 filter compares, stored value and typed alike
    (``DOC_NUMBER_FOLDS``: full-width digits, any year bracket)."""
    for variant, folded in DOC_NUMBER_FOLDS:
        text = text.replace(variant, folded)
    return text.strip()


def normalise(text: str) -> str:
    return _doc_numbers(unicodedata.normalize("NFKC", text).lower())


def runs(text: str) -> list[str]:
    return [r for r in _SPLIT.split(normalise(text)) if r]


def run_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def run_trigrams(run: str) -> list[str]:
    return [run[i : i + 3] for i in range(len(run) - 2)]


def index_trigrams(text: str) -> str:
    """The space-separated trigram string (SQLite FTS5 column ``tri``), runs separated
    as in :func:`index_tokens`; a run shorter than three characters has none."""
    return _trigram_string(runs(text))


def _trigram_string(text_runs: list[str]) -> str:
    return f" {RUN_SEPARATOR} ".join(" ".join(run_trigrams(r)) for r in text_runs)


def trigrams_of(bigrams: list[str]) -> list[str]:
    """Every distinct trigram of a bigram sequence as :func:`index_tokens` writes it:
    two adjacent bigrams are two of one run (a run separator or a run of one
    character is no bigram), so they make the trigram of the run there."""
    return sorted({a + b[1] for a, b in pairwise(bigrams) if len(a) == len(b) == 2})


def trigram_set(text: str, max_positions: int | None = None) -> list[str]:
    """Every distinct trigram of ``text`` (PostgreSQL lexemes, without positions: a
    document holding every trigram of a phrase is found by the GIN index alone, and
    its bigram positions decide whether the phrase is there); with
    ``max_positions``, only those of the text its first ``max_positions`` bigram
    positions cover — the text the tsvector holds bigrams of, so a phrase of three
    characters is found where one of two or four would be, and a long text's
    trigrams do not pass the tsvector's 1 MB."""
    return trigrams_of(index_tokens(text).split(" ")[:max_positions])


def index_tokens(text: str) -> str:
    """The space-separated bigram string stored in the index.

    Runs are separated by :data:`RUN_SEPARATOR` so that a phrase never spans two runs.
    """
    return _bigram_string(runs(text))


def _bigram_string(text_runs: list[str]) -> str:
    return f" {RUN_SEPARATOR} ".join(" ".join(run_bigrams(r)) for r in text_runs)


@dataclass(frozen=True)
class SearchQuery:
    text: str
    phrases: tuple[tuple[str, ...], ...]  # each phrase: bigrams that must be adjacent


def path_segments(path: str) -> list[str]:
    """The 8-hex-digit segments of an organisation's materialised path."""
    return [seg for seg in path.split(".") if seg]


def kind_token(kind: str) -> str:
    return "k" + kind.encode().hex()


def scope_tokens(path: str, kind: str) -> list[str]:
    """The scope tokens of a document of ``kind`` held by the organisation at
    ``path``: ``u<seg>`` its own organisation, ``o<seg>`` each organisation on its
    path, ``k<hex>`` its kind (gongkai.search.services explains them)."""
    segments = path_segments(path)
    own = [f"u{segments[-1]}"] if segments else []
    return own + [f"o{seg}" for seg in segments] + [kind_token(kind)]


def fts5_row(
    doc_id: int, title: str, body: str, path: str, kind: str
) -> tuple[int, str, str, str]:
    """The values of a document's row in SQLite's FTS5 table (rowid, tokens, scope,
    tri), from what is stored of it: its title (as stored, cut at 300 characters),
    body, organisation's path and kind.

    The table keeps no copy of them (contentless, search migration 0007), and FTS5
    removes such a row only when given the values it was indexed with: every row is
    written, and removed, with what this returns. Changing what it returns for a
    stored document therefore needs a migration that writes the table again."""
    text_runs = runs(f"{title}\n{body}")  # (normalised once for both strings)
    return (
        doc_id,
        _bigram_string(text_runs),
        " ".join(scope_tokens(path, kind)),
        _trigram_string(text_runs),
    )


def parse_query(raw: str) -> SearchQuery:
    """Turn what a person typed into phrases; every phrase must match (AND)."""
    text = (raw or "").strip()
    if not text:
        raise QueryError("请输入要搜索的内容。")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"搜索内容过长，请控制在 {MAX_QUERY_CHARS} 个字以内。")
    parts = runs(text)
    phrases = tuple(tuple(run_bigrams(p)) for p in parts if len(p) >= MIN_QUERY_CHARS)
    if not phrases:
        raise QueryError(f"请至少输入 {MIN_QUERY_CHARS} 个连续的字（不含标点和空格）。")
    return SearchQuery(text=text, phrases=phrases)


def phrase_text(phrase: tuple[str, ...]) -> str:
    """The run a phrase's bigrams were cut from."""
    return phrase[0] + "".join(b[1:] for b in phrase[1:])


def phrase_trigrams(phrase: tuple[str, ...]) -> list[str]:
    return run_trigrams(phrase_text(phrase))


def fts5_match(query: SearchQuery) -> str:
    """An FTS5 MATCH expression, each phrase quoted (so no user syntax gets through)
    and asked of its column: two characters of ``tokens`` (one bigram), three or
    more of ``tri`` (adjacent trigrams: the run holds the phrase)."""
    return " AND ".join(
        '{tri} : "' + " ".join(phrase_trigrams(p)) + '"'
        if len(p) > 1
        else '{tokens} : "' + p[0] + '"'
        for p in query.phrases
    )


def _lexeme(token: str) -> str:
    return "'" + token.replace("'", "''") + "'"


def tsquery_text(query: SearchQuery) -> str:
    """A PostgreSQL to_tsquery('simple', …) text, exact: two characters are a bigram,
    three a trigram, four or more bigrams joined by <-> (adjacent; trigram lexemes
    carry no positions)."""
    parts = []
    for phrase in query.phrases:
        if len(phrase) == 2:
            parts.append(_lexeme(phrase_text(phrase)))
        else:
            parts.append(" <-> ".join(_lexeme(b) for b in phrase))
    return " & ".join(f"({q})" for q in parts)


# A phrase's candidates are asked of the index by at most this many of its trigrams,
# spread over it: each one more costs the index a page visit per candidate, and past
# a few they rarely remove a document that the phrase check would not.
SUPERSET_TRIGRAMS = 8


def tsquery_superset_text(query: SearchQuery) -> str:
    """A few trigrams of each phrase, spread over it (first and last included), and
    the bigram of a two-character one, joined by & without positions: a superset of
    the query's matches that a GIN index answers exactly, without reading a
    document."""
    chosen: set[str] = set()
    for phrase in query.phrases:
        grams = phrase_trigrams(phrase) or list(phrase)
        last = len(grams) - 1
        picks = min(SUPERSET_TRIGRAMS, len(grams))
        step = last / (picks - 1) if picks > 1 else 0
        chosen.update(grams[round(i * step)] for i in range(picks))
    return " & ".join(_lexeme(g) for g in sorted(chosen))


def needs_positions(query: SearchQuery) -> bool:
    """Whether a document holding every trigram may still not match (a phrase of
    four characters or more: its trigrams must also be adjacent)."""
    return any(len(phrase) > 2 for phrase in query.phrases)


def highlight_spans(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    """Character spans in ``text`` where a query run occurs (for <mark>), merged."""
    folded = normalise(text)
    spans: list[tuple[int, int]] = []
    if len(folded) != len(text):  # NFKC changed lengths: no safe mapping
        return spans
    for phrase in query.phrases:
        needle = phrase_text(phrase)
        start = folded.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = folded.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged
