"""``{% repeat_signals case %}``: the 重复申请 / 第三十五条 box of the case page."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.core.similarity import SIMILAR_AT
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.repeats import repeat_signals as signals_for

register = template.Library()


@register.inclusion_tag("inforequests/_repeat_signals.html")
def repeat_signals(case: InfoRequest) -> dict[str, Any]:
    # The case page is reached through the permission helper; the other cases
    # shown are the same body's, so within the same reach.
    return {
        "case": case,
        "signals": signals_for(case),
        "similar_at": round(SIMILAR_AT * 100),
    }
