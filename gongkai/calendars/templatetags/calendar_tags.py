"""``{% provisional_weekend day provisional %}``: the note beside a 临时 date that falls
on a Saturday or Sunday (``core.workdays.provisional_weekend_note``), the same on
every list and case page that shows a deadline."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from gongkai.core.workdays import provisional_weekend_note

register = template.Library()


@register.simple_tag
def provisional_weekend(day: date | None, provisional: bool) -> SafeString | str:
    note = provisional_weekend_note(day, bool(provisional))
    if not note:
        return ""
    return format_html(' <span class="muted provisional-weekend">{}</span>', note)
