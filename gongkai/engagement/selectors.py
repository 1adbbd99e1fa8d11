"""Reads of 政民互动: the public lists of a body's column, the staff lists (scoped),
and the per-unit figures of the supervision dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)

from gongkai.accounts.types import Actor
from gongkai.engagement.models import Consultation, ConsultationComment, Message
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, scope

# ------------------------------------------------------------------ public


def public_consultations(org: Organisation, today: date) -> QuerySet[Consultation]:
    """Drafts of ``org`` whose period has begun (open, closed, or with their result)."""
    return Consultation.objects.filter(organisation=org, opens_on__lte=today)


def public_consultation(org: Organisation, pk: int, today: date) -> Consultation | None:
    return public_consultations(org, today).filter(pk=pk).first()


def public_comments(consultation: Consultation) -> QuerySet[ConsultationComment]:
    return consultation.comments.filter(state=ConsultationComment.State.APPROVED)


def public_answers(org: Organisation) -> QuerySet[Message]:
    """Answered 留言 the body chose to publish (never the asker's contact)."""
    return Message.objects.filter(
        organisation=org, state=Message.State.ANSWERED, is_public=True
    ).only(
        "id",
        "subject",
        "question",
        "answer",
        "submitted_on",
        "answered_on",
        "organisation_id",
    )


@dataclass(frozen=True)
class ResultFigures:
    """The published 采纳情况 in numbers."""

    received: int
    public: int
    adopted: int
    partly: int
    not_adopted: int


def consultation_result_figures(consultation: Consultation) -> ResultFigures:
    counts = consultation.comments.aggregate(
        received=Count("id"),
        public=Count("id", filter=Q(state=ConsultationComment.State.APPROVED)),
        adopted=Count("id", filter=Q(adoption=ConsultationComment.Adoption.ADOPTED)),
        partly=Count("id", filter=Q(adoption=ConsultationComment.Adoption.PARTLY)),
        not_adopted=Count(
            "id", filter=Q(adoption=ConsultationComment.Adoption.NOT_ADOPTED)
        ),
    )
    return ResultFigures(**counts)


# ------------------------------------------------------------------ staff


def staff_consultations(actor: Actor, org: Organisation) -> QuerySet[Consultation]:
    return scope(
        Consultation.objects.filter(organisation=org), actor, Perm.VIEW
    ).annotate(
        n_comments=Count("comments"),
        n_pending=Count(
            "comments", filter=Q(comments__state=ConsultationComment.State.PENDING)
        ),
    )


def staff_messages(actor: Actor, org: Organisation) -> QuerySet[Message]:
    """The body's 留言 for staff: those waiting for an answer first, the earliest
    deadline first; then the answered ones, the newest first. (Ordering by the
    state's key would put "answered" before "pending".)"""
    pending = Q(state=Message.State.PENDING)
    return scope(Message.objects.filter(organisation=org), actor, Perm.VIEW).order_by(
        Case(When(pending, then=Value(0)), default=Value(1)),
        Case(When(pending, then=F("due_on")), output_field=DateField()).asc(
            nulls_last=True
        ),
        "-submitted_on",
        "-pk",
    )


# ------------------------------------------------------------------ supervision


@dataclass
class EngagementRow:
    """One unit's 政民互动 figures of a year."""

    messages: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    consultations: int = 0
    comments: int = 0
    feedback_overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """按时答复率: answered on time ÷ (answered + overdue unanswered)."""
        due = self.answered + self.overdue
        return round(100 * self.on_time / due, 1) if due else None


def engagement_figures(
    units: list[Organisation], year: int, today: date
) -> dict[int, EngagementRow]:
    """Per unit: 留言 received in ``year``, answered, on time, overdue; 意见征集 opened
    in ``year``, their comments, and those whose 采纳情况 is overdue."""
    rows = {u.pk: EngagementRow() for u in units}
    ids = list(rows)
    for msg in (
        Message.objects.filter(organisation_id__in=ids, submitted_on__year=year)
        .values("organisation_id")
        .order_by()
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(state=Message.State.ANSWERED)),
            on_time=Count(
                "id",
                filter=Q(state=Message.State.ANSWERED, answered_on__lte=F("due_on")),
            ),
            overdue=Count(
                "id", filter=Q(state=Message.State.PENDING, due_on__lt=today)
            ),
        )
    ):
        row = rows[msg["organisation_id"]]
        row.messages, row.answered = msg["n"], msg["answered"]
        row.on_time, row.overdue = msg["on_time"], msg["overdue"]
    for cons in (
        Consultation.objects.filter(organisation_id__in=ids, opens_on__year=year)
        .values("organisation_id")
        .order_by()
        .annotate(
            n=Count("id", distinct=True),
            n_comments=Count("comments"),
        )
    ):
        row = rows[cons["organisation_id"]]
        row.consultations, row.comments = cons["n"], cons["n_comments"]
    for late in (
        overdue_feedback(units, today)
        .values("organisation_id")
        .order_by()
        .annotate(n=Count("id"))
    ):
        rows[late["organisation_id"]].feedback_overdue = late["n"]
    return rows


def overdue_feedback(units: list[Organisation], today: date) -> QuerySet[Consultation]:
    """意见征集 whose 采纳情况 was due and is not published (any year)."""
    return Consultation.objects.filter(
        organisation__in=units,
        result_published_at__isnull=True,
        feedback_due_on__lt=today,
    ).select_related("organisation")


def unanswered_messages(
    *, bodies: list[int], today: date, period_days: int
) -> list[dict[str, object]]:
    """留言 still without an answer ``period_days`` after they were left — the
    “互动回应差” item of the website inspection (国办秘函〔2019〕19号); the
    inspection calls this through ``GONGKAI_INSPECTION_INTERACTION_CHECK``."""
    since = date.fromordinal(today.toordinal() - period_days)
    waiting = Message.objects.filter(
        organisation_id__in=bodies,
        state=Message.State.PENDING,
        submitted_on__lt=since,
    ).order_by("submitted_on", "pk")
    return [
        {
            "organisation_id": m.organisation_id,
            "subject": f"message:{m.pk}",
            "label": f"留言“{m.subject}”",
            "detail": (
                f"{m.submitted_on.year}年{m.submitted_on.month}月{m.submitted_on.day}日"
                f"的留言已超过{period_days}天未答复"
            ),
        }
        for m in waiting
    ]
