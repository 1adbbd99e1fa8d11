"""Working-day calendar and statutory deadline engine (pure Python; no Django).

``WorkCalendar`` counts working days from per-year data (``CalendarYear``);
``calendar_from_sources`` applies the precedence admin > chinesecalendar >
provisional; ``parse_notice`` reads the State Council's annual holiday notice;
``compute_ledger`` turns an application's events into its deadlines.
See ``docs/workdays.md``.
"""

from gongkai.core.workdays.calendar import (
    CalendarRangeError,
    CalendarYear,
    DayInfo,
    WorkCalendar,
    weekends_only_year,
)
from gongkai.core.workdays.deadline import Deadline, DeadlineError
from gongkai.core.workdays.events import (
    Event,
    LedgerError,
    LedgerInput,
    event_from_json,
    event_to_json,
    ledger_input_from_json,
)
from gongkai.core.workdays.explain import (
    explain_for_applicant,
    explain_for_staff,
    ledger_to_json,
)
from gongkai.core.workdays.ledger import compute_ledger, recompute_ledgers
from gongkai.core.workdays.model import Ledger, LedgerDay, Pause
from gongkai.core.workdays.notice import (
    HolidayRange,
    MakeupDay,
    NoticeParseError,
    ParsedNotice,
    parse_notice,
)
from gongkai.core.workdays.periods import (
    calendar_days_end,
    lawsuit_after_review_end,
    lawsuit_end,
    months_end,
    publication_due,
    review_application_end,
    roll_to_working_day,
)
from gongkai.core.workdays.provisional import (
    possible_makeup_days,
    provisional_date_note,
    provisional_weekend_note,
)
from gongkai.core.workdays.rules import (
    CORRECTION_NOTICE_WORKING_DAYS,
    FEE_PAYMENT_WORKING_DAYS,
    MAX_EXTENSION_WORKING_DAYS,
    OTHER_AGENCY_WORKING_DAYS,
    PROACTIVE_WORKING_DAYS,
    REPLY_WORKING_DAYS,
    THIRD_PARTY_WORKING_DAYS,
    DeadlineSettings,
    StartDayConvention,
)
from gongkai.core.workdays.sources import (
    calendar_from_sources,
    default_calendar,
    package_year,
    provisional_year,
    resolve_year,
)
from gongkai.core.workdays.statutory import statutory_holidays

__all__ = [
    "CORRECTION_NOTICE_WORKING_DAYS",
    "FEE_PAYMENT_WORKING_DAYS",
    "MAX_EXTENSION_WORKING_DAYS",
    "OTHER_AGENCY_WORKING_DAYS",
    "PROACTIVE_WORKING_DAYS",
    "REPLY_WORKING_DAYS",
    "THIRD_PARTY_WORKING_DAYS",
    "CalendarRangeError",
    "CalendarYear",
    "DayInfo",
    "Deadline",
    "DeadlineError",
    "DeadlineSettings",
    "Event",
    "HolidayRange",
    "Ledger",
    "LedgerDay",
    "LedgerError",
    "LedgerInput",
    "MakeupDay",
    "NoticeParseError",
    "ParsedNotice",
    "Pause",
    "StartDayConvention",
    "WorkCalendar",
    "calendar_days_end",
    "calendar_from_sources",
    "compute_ledger",
    "default_calendar",
    "event_from_json",
    "event_to_json",
    "explain_for_applicant",
    "explain_for_staff",
    "lawsuit_after_review_end",
    "lawsuit_end",
    "ledger_input_from_json",
    "ledger_to_json",
    "months_end",
    "package_year",
    "parse_notice",
    "possible_makeup_days",
    "provisional_date_note",
    "provisional_weekend_note",
    "provisional_year",
    "publication_due",
    "recompute_ledgers",
    "resolve_year",
    "review_application_end",
    "roll_to_working_day",
    "statutory_holidays",
    "weekends_only_year",
]
