"""Consultations of a third party (条例第三十二条) or another agency (第三十四条)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.core.inforequest_flow import (
    Action,
    IllegalTransition,
    transition,
)
from gongkai.core.inforequest_rules import (
    ConsultationOpinion,
    check_consultation_silence,
)
from gongkai.core.workdays import Event, Ledger
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.caselog import (
    note_on_case,
)
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.services._base import (
    Rule,
    apply_rule,
    check_step_date,
    ledger_or_refuse,
    lock_case,
    take_step,
)
from gongkai.orgs.permissions import Perm, require


def inforequest_start_consultation(
    *,
    actor: Actor,
    request: InfoRequest,
    party: str,
    name: str,
    on: date | None = None,
    delivered_on: date | None = None,
) -> InfoRequest:
    """征求第三方 (第三十二条) or 其他机关 (第三十四条) 意见: the time is not counted.

    ``delivered_on`` is the day the party received the 征求意见书, when known; its 15
    working days run from it (else it is recorded when the consultation ends)."""
    on = on or _today()
    if delivered_on is not None and delivered_on < on:
        raise ValidationError({"delivered_on": "送达日期不能早于发出日期。"})
    if delivered_on is not None and delivered_on > _today():
        raise ValidationError({"delivered_on": "送达日期不能晚于今天。"})
    if party not in ("third_party", "other_agency"):
        raise ValidationError(
            {"party": "请选择征求意见的对象（第三方或其他行政机关）。"}
        )
    if not name.strip():
        raise ValidationError({"name": "请填写被征求意见的单位或个人。"})
    ref = f"c{request.events.count() + 1}"
    return take_step(
        request,
        Action.START_CONSULTATION,
        actor=actor,
        on=on,
        ledger_event=Event(
            kind="consultation_started",
            date=on,
            party=party,
            ref=ref,
            note=name.strip(),
            delivered_on=delivered_on,
        ),
        data={
            "party": party,
            "name": name.strip(),
            "ref": ref,
            **({"delivered_on": delivered_on.isoformat()} if delivered_on else {}),
        },
    )


def open_consultations(request: InfoRequest) -> list[dict[str, Any]]:
    started = {
        e.data["ref"]: {**e.data, "on": e.on.isoformat()}
        for e in request.events.filter(action=Action.START_CONSULTATION)
    }
    # A consultation ends either with the case's END_CONSULTATION (the last one) or
    # with "end_one_consultation" (another one is still running).
    for ended in request.events.filter(
        action__in=[Action.END_CONSULTATION.value, "end_one_consultation"]
    ):
        started.pop(ended.data.get("ref", ""), None)
    return list(started.values())


@transaction.atomic
def inforequest_end_consultation(
    *,
    actor: Actor,
    request: InfoRequest,
    ref: str,
    opinion: str,
    answer: str = "",
    on: date | None = None,
    delivered_on: date | None = None,
) -> InfoRequest:
    """The party answered (``agree`` / ``object``), or its 15 working days passed in
    silence (``no_reply``, only after the window: 第三十二条、第三十四条).

    ``delivered_on``: the party's receipt of the 征求意见书, if not recorded at the start.
    """
    on = on or _today()
    try:  # a withdrawn or decided case has no consultation left to end
        transition(request.status, Action.END_CONSULTATION)
    except IllegalTransition as exc:
        raise ValidationError(exc.message) from exc
    still_open = open_consultations(request)
    started = next((c for c in still_open if c["ref"] == ref), None)
    if started is None:
        raise ValidationError({"ref": "没有找到这项正在进行的征求意见。"})
    if opinion not in ConsultationOpinion.LABELS:
        raise ValidationError(
            {"opinion": "请选择对方的意见（同意、不同意或逾期未提出意见）。"}
        )
    if delivered_on is not None and delivered_on > _today():
        raise ValidationError({"delivered_on": "送达日期不能晚于今天。"})
    if delivered_on is not None and delivered_on < date.fromisoformat(started["on"]):
        raise ValidationError(
            {"delivered_on": "送达日期不能早于发出征求意见书的日期。"}
        )
    delivery_known = bool(delivered_on or started.get("delivered_on"))

    def silence_rule(ledger: Ledger) -> None:
        if opinion != ConsultationOpinion.NO_REPLY:
            return
        pause = next(p for p in ledger.pauses if p.ref == ref)
        check_consultation_silence(
            on=on,
            window_end=pause.window_end if delivery_known else None,
            party=started["party"],
        )

    ledger_event = Event(
        kind="consultation_ended", date=on, ref=ref, delivered_on=delivered_on
    )
    data = {
        "ref": ref,
        "party": started["party"],
        "name": started["name"],
        "opinion": opinion,
        "answer": answer.strip(),
        **({"delivered_on": delivered_on.isoformat()} if delivered_on else {}),
    }
    if len(still_open) > 1:
        return _end_one_of_several(
            request,
            actor=actor,
            on=on,
            event=ledger_event,
            data=data,
            rule=silence_rule,
        )
    return take_step(
        request,
        Action.END_CONSULTATION,
        actor=actor,
        on=on,
        ledger_event=ledger_event,
        data=data,
        rule_after=silence_rule,
    )


def _end_one_of_several(
    request: InfoRequest,
    *,
    actor: Actor,
    on: date,
    event: Event,
    data: dict[str, Any],
    rule: Rule,
) -> InfoRequest:
    """Another consultation is still running: record this one's end, stay in consultation."""
    today = _today()
    request = lock_case(request)
    require(actor, Perm.EDIT, request.organisation)
    check_step_date(request, on, today)
    note_on_case(
        request,
        actor=actor,
        action="end_one_consultation",
        on=on,
        ledger_event=event,
        data=data,
    )
    ledger = ledger_or_refuse(request, today)
    apply_rule(rule, ledger)
    request.due_on, request.due_provisional = ledger.due_date, ledger.provisional
    request.save(update_fields=["due_on", "due_provisional"])
    audit_record(
        action="inforequest.end_one_consultation",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={"ref": data["ref"], "opinion": data["opinion"]},
    )
    return request


def consultation_objectors(request: InfoRequest) -> list[str]:
    """Third parties that answered 不同意公开 (条例第三十二条): told in writing if disclosed."""
    ended = request.events.filter(
        action__in=[Action.END_CONSULTATION.value, "end_one_consultation"]
    ).order_by("on", "id")
    return [
        e.data.get("name", "")
        for e in ended
        if e.data.get("party") == "third_party"
        and e.data.get("opinion") == ConsultationOpinion.OBJECT
    ]
