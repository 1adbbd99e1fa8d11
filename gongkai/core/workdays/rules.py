"""Statutory periods of the 条例 (2019) as named constants, and the counting settings.

Every period is in working days (工作日) counted with the start day as day zero
unless ``StartDayConvention.SAME_DAY`` is chosen (see ``DeadlineSettings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# 条例第三十三条第二款: "应当自收到申请之日起20个工作日内予以答复".
REPLY_WORKING_DAYS = 20
# 条例第三十三条第二款: "延长的期限最长不得超过20个工作日" (one extension; cumulative ≤ 20).
MAX_EXTENSION_WORKING_DAYS = 20
# 条例第三十条: "自收到申请之日起7个工作日内一次性告知申请人作出补正".
CORRECTION_NOTICE_WORKING_DAYS = 7
# 条例第三十二条: 第三方 "应当自收到征求意见书之日起15个工作日内提出意见".
THIRD_PARTY_WORKING_DAYS = 15
# 条例第三十四条: 被征求意见机关 "应当自收到征求意见书之日起15个工作日内提出意见".
OTHER_AGENCY_WORKING_DAYS = 15
# 条例第二十六条: 主动公开 "自该政府信息形成或者变更之日起20个工作日内".
PROACTIVE_WORKING_DAYS = 20
# 国办函〔2020〕109号 as implemented regionally (四川 2021-01-18):
# "收到收费通知次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请".
FEE_PAYMENT_WORKING_DAYS = 20
# 条例第三十条 leaves the 补正 period to the agency ("合理的补正期限"); local
# practice is 10–15 working days. Used only when an event does not state one.
DEFAULT_CORRECTION_PERIOD_WORKING_DAYS = 15
# Not statutory: an open case with this many working days left or fewer is "due soon"
# (即将到期). The one threshold of the platform: the ledger's status, the badge on
# the screens, the list filter and its label, the supervision dashboard.
DUE_SOON_WORKING_DAYS = 3


class StartDayConvention(StrEnum):
    """Whether the day of receipt counts as the first day of a period.

    The 条例 says "自收到申请之日起" without saying (docs/legal-notes.md §5.1 [U]).

    * ``NEXT_DAY`` (default): the receipt day is day zero; counting starts the
      next day — 民法典第二百零一条 "开始的当日不计入，自下一日开始计算",
      民事诉讼法第八十五条, and published guidance "自收到申请次日起算".
    * ``SAME_DAY``: the receipt day counts as day one if it is a working day
      (the stricter reading some agencies apply internally).
    """

    NEXT_DAY = "next_day"
    SAME_DAY = "same_day"


@dataclass(frozen=True)
class DeadlineSettings:
    """The knobs of the deadline ledger; statutory lengths stay constants.

    ``pause_for_fee``: the interval from the fee notice to payment is excluded
    from the reply period (docs/legal-notes.md §1.4; default on).
    """

    start_day: StartDayConvention = StartDayConvention.NEXT_DAY
    pause_for_fee: bool = True
    due_soon_working_days: int = DUE_SOON_WORKING_DAYS
    default_correction_period: int = DEFAULT_CORRECTION_PERIOD_WORKING_DAYS
