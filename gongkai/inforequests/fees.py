"""信息处理费 of one application, counted from the records (国办函〔2020〕109号).

The officer chooses the method (按件 or 按量) and, for 按量, the pages; the number of
pieces the same applicant already asked of this body in the same natural month comes
from the applications on file, never from a typed number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from gongkai.core import fees
from gongkai.core.inforequest_flow import Action
from gongkai.core.inforequest_rules import EarlierPiece, earlier_pieces_this_month
from gongkai.inforequests.models import CaseEvent, InfoRequest


@dataclass(frozen=True)
class FeeWorking:
    """An assessment and the records it was counted from (shown on the case page)."""

    assessment: fees.FeeAssessment
    pieces: int  # this application's pieces (0 for 按量)
    earlier: tuple[EarlierPiece, ...]

    @property
    def summary(self) -> str:
        return self.assessment.summary

    @property
    def earlier_count(self) -> int:
        return sum(p.pieces for p in self.earlier)


def earlier_applications(request: InfoRequest) -> tuple[EarlierPiece, ...]:
    """The same applicant's applications to this body received earlier in the month.

    The same applicant is the same identity digest (证件号码); an earlier case charged
    按件 counts with the pieces on its fee notice, any other case as one piece.
    """
    received = request.received_on
    rows = list(
        InfoRequest.objects.filter(
            organisation_id=request.organisation_id,
            id_digest=request.id_digest,
            received_on__year=received.year,
            received_on__month=received.month,
        )
        .exclude(pk=request.pk)
        .values_list("pk", "tracking_number", "received_on")
    )
    charged = {
        request_id: int(data.get("pieces") or 1)
        for request_id, data in CaseEvent.objects.filter(
            request_id__in=[pk for pk, _n, _d in rows],
            action=Action.ISSUE_FEE_NOTICE.value,
        ).values_list("request_id", "data")
    }
    candidates = [
        EarlierPiece(number, on, charged.get(pk, 1)) for pk, number, on in rows
    ]
    return earlier_pieces_this_month(received, request.tracking_number, candidates)


def fee_assessment_for(
    request: InfoRequest, *, method: str, pages: int = 0, pieces: int = 1
) -> FeeWorking:
    """The fee of ``request`` by pages (按量) or by pieces (按件, counted from the records)."""
    try:
        if method == fees.FeeMethod.PER_VOLUME:
            return FeeWorking(fees.assess_per_volume(pages=pages), 0, ())
        if method == fees.FeeMethod.PER_PIECE:
            earlier = earlier_applications(request)
            assessment = fees.assess_per_piece(
                earlier_pieces_this_month=sum(p.pieces for p in earlier),
                pieces=pieces,
            )
            return FeeWorking(assessment, pieces, earlier)
    except fees.FeeError as exc:
        raise ValidationError({"method": str(exc)}) from exc
    raise ValidationError({"method": "请选择计费方式（按件或按量）。"})
