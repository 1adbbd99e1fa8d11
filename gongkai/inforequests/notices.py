"""Telling the applicant: what the case looks like from their side (:func:`applicant_facts`,
read by the messages and the public status page) and the messages written to the
outbox at each step (:func:`notify_step`), in the step's own transaction.

The wording is data (``gongkai.core.applicant_notices``). The outbox rows are sent
later by ``outbox.notices_send_due`` (``manage.py send_applicant_notices`` and the
task worker): a mail server that is down never blocks the officer and loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from gongkai.core.applicant_notices import plain_outcome, render_notice
from gongkai.core.inforequest_flow import Action, Outcome, Status
from gongkai.core.letters import remedies_paragraph
from gongkai.core.workdays import Ledger
from gongkai.inforequests.caselog import inforequest_ledger
from gongkai.inforequests.letter_settings import remedies_for
from gongkai.inforequests.models import ApplicantNotice, InfoRequest, Letter

# Sent after a transaction that queued messages commits (the task worker drains).
notices_queued = Signal()

# The step → the message the applicant gets (``core.applicant_notices``).
NOTICE_FOR_ACTION: dict[Action, str] = {
    Action.REQUEST_CLARIFICATION: "clarification",
    Action.EXTEND: "extension",
    Action.AGREE_DELAY: "extension",
    Action.ASK_REASONS: "reasons",
    Action.START_CONSULTATION: "consultation",
    Action.ISSUE_FEE_NOTICE: "fee_notice",
    Action.SEND_REPLY: "reply",
    Action.ANSWER_ON_THE_SPOT: "reply",
    Action.REJECT_AS_EXCESSIVE: "reply",
    Action.EXPIRE_CLARIFICATION: "terminated",
    Action.EXPIRE_FEE: "terminated",
    Action.WITHDRAW: "terminated",
}

# Statuses in which the applicant has been answered (the outcome may be shown).
ANSWERED = frozenset(
    {Status.REPLIED.value, Status.CLOSED.value, Status.WITHDRAWN.value}
)

ELECTRONIC = frozenset({InfoRequest.Delivery.EMAIL, InfoRequest.Delivery.ONLINE})

# Messages whose facts come from the deadline ledger (the others skip computing it).
LEDGER_KEYS = frozenset({"consultation", "fee_notice"})

PARTY_LABELS = {"third_party": "第三方", "other_agency": "其他机关"}


def day(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def wants_electronic_delivery(case: InfoRequest) -> bool:
    """The applicant asked to get the answer online or by e-mail (条例第四十条)."""
    return case.delivery in ELECTRONIC


def status_url() -> str:
    return f"{settings.PUBLIC_URL}{reverse('portal:status')}"


@dataclass
class ApplicantFacts:
    """The case as the applicant may see it: no staff notes, no personal data."""

    status_label: str
    due_on: date | None
    provisional: bool
    answered: bool
    outcome_name: str = ""
    outcome_reason: str = ""
    concluded_on: date | None = None
    clarification: dict[str, Any] | None = None  # what, deadline, open
    extension: dict[str, Any] | None = None  # days, reason, due_on
    paused_until: date | None = None  # an open consultation's latest end
    paused_party: str = ""
    fee: dict[str, Any] | None = None  # amount, deadline, open
    reasons_due: date | None = None
    remedies: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _last(events: list[Any], *actions: Action) -> Any:
    wanted = {a.value for a in actions}
    rows = [e for e in events if e.action in wanted]
    return max(rows, key=lambda e: (e.on, e.pk)) if rows else None


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def applicant_facts(
    case: InfoRequest, ledger: Ledger | None = None, *, with_ledger: bool = True
) -> ApplicantFacts:
    """``with_ledger=False`` skips the deadline ledger (the 征求意见 pause and the
    payment deadline stay empty) — for messages that do not need it."""
    if ledger is None and with_ledger:
        ledger = inforequest_ledger(case, with_days=False)
    status = Status(case.status)
    answered = case.status in ANSWERED
    events = list(case.events.all())  # one query (or the prefetched rows)
    facts = ApplicantFacts(
        status_label=status.label,
        due_on=None if answered else case.due_on,
        provisional=bool(case.due_provisional and not answered),
        answered=answered,
        concluded_on=case.concluded_on if answered else None,
    )
    if answered and case.outcome:
        outcome = Outcome(case.outcome)
        facts.outcome_name, facts.outcome_reason = plain_outcome(outcome)
        if case.status == Status.WITHDRAWN.value:
            facts.outcome_name, facts.outcome_reason = "终止办理", "申请人撤回申请"
        try:
            facts.remedies = remedies_paragraph(
                remedies_for(case.organisation), outcome=outcome
            )
        except ValidationError:
            facts.remedies = ""  # no 复议机关 configured: the letter itself was refused
    asked = _last(events, Action.REQUEST_CLARIFICATION)
    if asked is not None:
        facts.clarification = {
            "what": asked.data.get("what", ""),
            "deadline": _iso(asked.data.get("deadline")),
            "open": status is Status.AWAITING_CLARIFICATION,
        }
    extended = _last(events, Action.EXTEND, Action.AGREE_DELAY)
    if extended is not None:
        facts.extension = {
            "days": extended.data.get("working_days"),
            "reason": extended.data.get("reason", ""),
            "due_on": _iso(extended.data.get("new_due")) or case.due_on,
        }
    open_consultations = [
        p
        for p in (ledger.pauses if ledger else ())
        if p.open and p.kind in ("third_party", "other_agency")
    ]
    if open_consultations and not answered:
        latest = max(open_consultations, key=lambda p: p.window_end)
        facts.paused_until = latest.window_end
        facts.paused_party = PARTY_LABELS.get(latest.kind, "有关方面")
    fee = _last(events, Action.ISSUE_FEE_NOTICE)
    if fee is not None:
        facts.fee = {
            "amount": fee.data.get("amount_yuan"),
            "deadline": ledger.payment_deadline if ledger else None,
            "open": status is Status.AWAITING_FEE,
        }
    reasons = _last(events, Action.ASK_REASONS)
    if reasons is not None and status is Status.AWAITING_REASONS:
        facts.reasons_due = _iso(reasons.data.get("reasons_due"))
    return facts


# --------------------------------------------------------------------------- messages


def _fields(case: InfoRequest, key: str, facts: ApplicantFacts) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "tracking": case.tracking_number,
        "body_name": case.organisation.name,
        "status_url": status_url(),
        "received_on": day(case.received_on),
        "due_on": day(case.due_on),
        "provisional": "（暂定：节假日安排公布后可能调整）"
        if case.due_provisional
        else "",
        "replied_on": day(case.concluded_on or timezone.localdate()),
    }
    if key == "clarification" and facts.clarification:
        fields["what"] = facts.clarification["what"]
        fields["deadline"] = day(facts.clarification["deadline"])
    elif key == "extension":
        fields["reason"] = (facts.extension or {}).get("reason") or "见延期答复告知书"
    elif key == "reasons":
        fields["deadline"] = day(facts.reasons_due)
    elif key == "consultation":
        fields["party"] = facts.paused_party or "有关方面"
        fields["paused_until"] = day(facts.paused_until) or "征求意见结束"
    elif key == "fee_notice" and facts.fee:
        fields["amount"] = facts.fee["amount"]
        fields["deadline"] = day(facts.fee["deadline"])
    elif key in ("reply", "terminated"):
        fields["outcome"] = facts.outcome_name
        fields["reason"] = (
            f"（{facts.outcome_reason}）"
            if key == "reply" and facts.outcome_reason
            else facts.outcome_reason
        )
        fields["remedies"] = facts.remedies
        fields["delivery"] = (
            "答复告知书（PDF）附在本邮件中，也可在查询页面下载（电子送达）。"
            if wants_electronic_delivery(case)
            else f"答复告知书将以{case.get_delivery_display()}方式送达，也可在查询页面查看。"
        )
    return fields


@transaction.atomic
def notify(
    case: InfoRequest, key: str, *, letter: Letter | None = None
) -> list[ApplicantNotice]:
    """Queue the message ``key`` to the applicant's e-mail and phone (whichever given)."""
    if not case.email and not case.phone:
        return []
    facts = applicant_facts(case, with_ledger=key in LEDGER_KEYS)
    message = render_notice(key, _fields(case, key, facts))
    now = timezone.now()
    rows = []
    if case.email:
        rows.append(
            ApplicantNotice(
                request=case,
                event=key,
                channel=ApplicantNotice.Channel.EMAIL,
                subject=message.subject[:200],
                body=message.body,
                letter=letter if wants_electronic_delivery(case) else None,
                next_try_at=now,
            )
        )
    if case.phone:
        rows.append(
            ApplicantNotice(
                request=case,
                event=key,
                channel=ApplicantNotice.Channel.SMS,
                body=message.sms,
                next_try_at=now,
            )
        )
    created = ApplicantNotice.objects.bulk_create(rows)
    transaction.on_commit(lambda: notices_queued.send(sender=ApplicantNotice))
    return created


def notify_step(case: InfoRequest, action: Action) -> list[ApplicantNotice]:
    """The message of a step, if the applicant is told of it (``NOTICE_FOR_ACTION``)."""
    key = NOTICE_FOR_ACTION.get(action)
    if key is None:
        return []
    letter = None
    if key == "reply":
        letter = case.letters.filter(kind="reply").order_by("-issued_on", "-id").first()
    return notify(case, key, letter=letter)
