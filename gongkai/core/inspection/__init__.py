"""Self-inspection against the government-website indicators (国办秘函〔2019〕19号),
issue 26: the indicators as data, the wording dictionary and its matcher (with dates
that cannot exist), column update periods and the link checker. No Django here."""

from gongkai.core.inspection.columns import ColumnState, column_state
from gongkai.core.inspection.indicators import (
    ColumnKind,
    Indicator,
    IndicatorError,
    Indicators,
    load_indicators,
    parse_indicators,
)
from gongkai.core.inspection.wording import (
    Dictionary,
    Hit,
    Severity,
    find_wording,
    load_default_dictionary,
    parse_dictionary,
    plain_text,
)

__all__ = [
    "ColumnKind",
    "ColumnState",
    "Dictionary",
    "Hit",
    "Indicator",
    "IndicatorError",
    "Indicators",
    "Severity",
    "column_state",
    "find_wording",
    "load_default_dictionary",
    "load_indicators",
    "parse_dictionary",
    "parse_indicators",
    "plain_text",
]
