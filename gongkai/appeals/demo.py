"""Demo 复议、诉讼 cases at 洛浦街道 (table 四 of its 2024, 2025 and 2026 reports):

- a 行政复议 decided 结果维持 in 2024;
- a 行政诉讼 after 复议, pending on 31 December 2025 and decided 结果纠正 in 2026.

Made through the services (audited, due dates counted). Idempotent: nothing is added
if the first case number is already there.
"""

from __future__ import annotations

from datetime import date

from gongkai.accounts.models import User
from gongkai.appeals import services
from gongkai.appeals.models import Appeal
from gongkai.orgs.models import Organisation

REVIEW_NUMBER = "洛老政复〔2024〕7号"
SUIT_NUMBER = "（2025）豫0302行初15号"


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
        matter="申请公开洛浦路拆迁补偿方案的答复（复议后起诉）",
    )
    services.appeal_record_reply(
        actor=officer, appeal=suit, replied_on=date(2025, 12, 5)
    )
    services.appeal_decide(
        actor=officer,
        appeal=suit,
        decided_on=date(2026, 3, 16),
        result=Appeal.Result.CORRECTED,
        correction=Appeal.Correction.DECLARED_UNLAWFUL,
        delivered_on=date(2026, 3, 20),
    )
