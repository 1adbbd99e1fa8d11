from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.calendars.models import CalendarYearRecord
from gongkai.calendars.selectors import bump_calendar_version
from gongkai.core.workdays import (
    CalendarYear,
    NoticeParseError,
    ParsedNotice,
    parse_notice,
)
from gongkai.inforequests.recompute import inforequest_recompute_open_deadlines
from gongkai.inforequests.tallies import rebuild


def calendar_notice_preview(*, year: int, text: str) -> ParsedNotice:
    """Parse a pasted State Council notice without storing anything."""
    if not text.strip():
        raise ValidationError("请粘贴国务院办公厅节假日安排通知的全文。")
    try:
        return parse_notice(text, year)
    except NoticeParseError as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def calendar_year_save(
    *, actor: Actor, calendar_year: CalendarYear, notice_text: str = ""
) -> CalendarYearRecord:
    """Store a year's schedule (administrator source) and recompute open deadlines."""
    record, created = CalendarYearRecord.objects.select_for_update().get_or_create(
        year=calendar_year.year
    )
    before = {
        "holidays": list(record.holidays),
        "extra_workdays": list(record.extra_workdays),
    }
    record.holidays = sorted(d.isoformat() for d in calendar_year.holidays)
    record.extra_workdays = sorted(d.isoformat() for d in calendar_year.extra_workdays)
    record.holiday_names = {
        d.isoformat(): n for d, n in sorted(calendar_year.holiday_names.items())
    }
    record.source_note = calendar_year.source_note[:200]
    record.notice_text = notice_text
    record.updated_by = stored_user(actor)
    record.save()
    audit_record(
        action="calendar.year_save",
        actor=actor,
        obj=record,
        details={
            "year": record.year,
            "created": created,
            "before": before,
            "after": {
                "holidays": record.holidays,
                "extra_workdays": record.extra_workdays,
            },
        },
    )
    bump_calendar_version()
    transaction.on_commit(lambda: _recompute_after_change(record.year))
    return record


def calendar_year_import_notice(
    *, year: int, text: str, actor: Actor = None
) -> CalendarYearRecord:
    """Parse and store a pasted notice (the CLI's `calendar import-notice --save`)."""
    parsed = calendar_notice_preview(year=year, text=text)
    return calendar_year_save(
        actor=actor, calendar_year=parsed.to_calendar_year(), notice_text=text
    )


def _recompute_after_change(year: int) -> None:
    # Open applications' due dates depend on the calendar (DESIGN flow 1).
    inforequest_recompute_open_deadlines(reason=f"{year}年节假日安排已更新")
    # Handling times in working days of cases spanning the changed year change too.
    rebuild(since_year=year)
