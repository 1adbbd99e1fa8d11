"""Demo 复议、诉讼 cases at 洛浦街道 (table 四 of its 2024, 2025 and 2026 reports):

- a 行政复议 decided 结果维持 in 2024;
- a 行政诉讼 after 复议 about 赵丽娟's application (answered in September 2025),
  pending on 31 December 2025 and decided 结果纠正 (责令重新答复) in 2026: the decision
  reopens the application (``inforequest_reopen``), whose new 20-working-day period
  runs from the delivery of the judgment.

The judgment's dates are counted back from today in working days (decided 6, delivered
4 working days ago), so the reopened case shows a live deadline whenever the demo is
loaded; they are kept inside 2026 (the year the issue fixes), so loaded after 2026 the
reopened case is simply overdue. Made through the services (audited, due dates
counted). Idempotent: nothing is added if the first case number is already there.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.appeals import services
from gongkai.appeals.models import Appeal
from gongkai.calendars.selectors import work_calendar
from gongkai.inforequests.demo import SUIT_APPLICANT, find
from gongkai.orgs.models import Organisation

REVIEW_NUMBER = "洛老政复〔2024〕7号"
SUIT_NUMBER = "（2025）豫0302行初15号"


def judgment_dates(today: date) -> tuple[date, date]:
    """(decided_on, delivered_on) of the 2026 judgment: 6 and 4 working days before
    today, kept within 2026 and never after today."""
    calendar = work_calendar()
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    decided = calendar.add_working_days(today, -6)
    delivered = calendar.add_working_days(today, -4)
    decided = min(max(decided, first), last, today)
    delivered = min(max(delivered, decided), last, today)
    return decided, delivered


def load(orgs: dict[str, Organisation]) -> None:
    street = orgs["luopu"]
    if Appeal.objects.filter(organisation=street, case_number=REVIEW_NUMBER).exists():
        return
    officer = User.objects.get(username="officer")
    review = services.appeal_register(
        actor=officer,
        organisation=street,
        kind=Appeal.Kind.REVIEW,
        filed_on=date(2024, 4, 8),
        received_on=date(2024, 4, 10),
        case_number=REVIEW_NUMBER,
        applicant="王建华",
        authority="洛阳市老城区人民政府",
        matter="申请公开2023年老旧小区改造资金使用情况的答复",
    )
    services.appeal_record_reply(
        actor=officer, appeal=review, replied_on=date(2024, 4, 19)
    )
    services.appeal_decide(
        actor=officer,
        appeal=review,
        decided_on=date(2024, 6, 5),
        result=Appeal.Result.UPHELD,
        delivered_on=date(2024, 6, 7),
    )
    suit = services.appeal_register(
        actor=officer,
        organisation=street,
        kind=Appeal.Kind.SUIT_AFTER_REVIEW,
        filed_on=date(2025, 11, 20),
        received_on=date(2025, 11, 24),
        case_number=SUIT_NUMBER,
        applicant="赵丽娟",
        authority="洛阳市老城区人民法院",
        matter="申请公开洛浦路沿线房屋征收拆迁补偿方案的答复（复议后起诉）",
        requests=[r for r in (find(SUIT_APPLICANT, street),) if r is not None],
    )
    services.appeal_record_reply(
        actor=officer, appeal=suit, replied_on=date(2025, 12, 5)
    )
    decided_on, delivered_on = judgment_dates(timezone.localdate())
    services.appeal_decide(
        actor=officer,
        appeal=suit,
        decided_on=decided_on,
        result=Appeal.Result.CORRECTED,
        correction=Appeal.Correction.ORDERED_TO_REANSWER,
        delivered_on=delivered_on,
    )
