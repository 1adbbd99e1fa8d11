"""Writes to applications, one service per action (STYLE §5). Each locks the row, runs
the 条例's timing rule of ``core.inforequest_rules``, moves the status through the core
table, appends a ``CaseEvent``, stores the due date and audits — in one transaction
(``_base.take_step``). Split by concern; every service is importable from here."""

from __future__ import annotations

from gongkai.inforequests.services._base import (
    HEAD_STEP_BASIS,
    HEAD_STEPS,
    earliest_step_date,
    step_permission,
)
from gongkai.inforequests.services.actions import (
    inforequest_accept,
    inforequest_answer_on_the_spot,
    inforequest_archive,
    inforequest_decide,
    inforequest_expire_clarification,
    inforequest_extend,
    inforequest_receive_clarification,
    inforequest_request_clarification,
    inforequest_send_reply,
    inforequest_withdraw,
)
from gongkai.inforequests.services.article35 import (
    inforequest_accept_reasons,
    inforequest_agree_delay,
    inforequest_ask_reasons,
    inforequest_reject_as_excessive,
    inforequest_revise_decision,
)
from gongkai.inforequests.services.case_admin import (
    inforequest_acknowledge_deadline_changes,
    inforequest_assign,
    may_see_personal_data,
    reveal_personal_data,
)
from gongkai.inforequests.services.consultations import (
    consultation_objectors,
    inforequest_end_consultation,
    inforequest_start_consultation,
    open_consultations,
)
from gongkai.inforequests.services.fees import (
    inforequest_expire_fee,
    inforequest_issue_fee_notice,
    inforequest_record_payment,
    inforequest_waive_fee,
)
from gongkai.inforequests.services.reopen import inforequest_reopen
from gongkai.inforequests.services.transfers import (
    assistance_answer,
    assistance_request,
    inforequest_conclude_transferred,
    transfer_check_acceptable,
    transfer_decline,
    transfer_propose,
    transfer_record_acceptance,
)

__all__ = [
    "HEAD_STEPS",
    "HEAD_STEP_BASIS",
    "assistance_answer",
    "assistance_request",
    "consultation_objectors",
    "earliest_step_date",
    "inforequest_accept",
    "inforequest_accept_reasons",
    "inforequest_acknowledge_deadline_changes",
    "inforequest_agree_delay",
    "inforequest_answer_on_the_spot",
    "inforequest_archive",
    "inforequest_ask_reasons",
    "inforequest_assign",
    "inforequest_conclude_transferred",
    "inforequest_decide",
    "inforequest_end_consultation",
    "inforequest_expire_clarification",
    "inforequest_expire_fee",
    "inforequest_extend",
    "inforequest_issue_fee_notice",
    "inforequest_receive_clarification",
    "inforequest_record_payment",
    "inforequest_reject_as_excessive",
    "inforequest_reopen",
    "inforequest_request_clarification",
    "inforequest_revise_decision",
    "inforequest_send_reply",
    "inforequest_start_consultation",
    "inforequest_waive_fee",
    "inforequest_withdraw",
    "may_see_personal_data",
    "open_consultations",
    "reveal_personal_data",
    "step_permission",
    "transfer_check_acceptable",
    "transfer_decline",
    "transfer_propose",
    "transfer_record_acceptance",
]
