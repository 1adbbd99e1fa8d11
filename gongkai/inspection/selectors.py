"""Reads of the self-inspection: the indicators and wording dictionary in force for a
body, the wording check of one publication (and the refusal the publishing workflow
raises for the serious list), findings and body results in the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from gongkai.core.inspection import (
    Dictionary,
    Hit,
    Indicators,
    Severity,
    find_wording,
    load_default_dictionary,
    load_indicators,
    parse_dictionary,
    plain_text,
)
from gongkai.inspection.models import BodyStatus, Finding, WordingDictionary
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, scope
from gongkai.publishing.models import Publication

# --------------------------------------------------------------------- indicators


def indicators() -> Indicators:
    """The indicators file (``GONGKAI_INSPECTION_INDICATORS`` or the shipped one) with
    the province's ``GONGKAI_INSPECTION_OVERRIDES`` merged over it."""
    path = getattr(settings, "INSPECTION_INDICATORS_PATH", "") or ""
    overrides = getattr(settings, "INSPECTION_OVERRIDES", None) or {}
    key = (path, repr(overrides))
    found = _INDICATORS.get(key)
    if found is None:
        found = load_indicators(Path(path) if path else None, overrides)
        _INDICATORS.clear()  # settings change in tests; keep only the current one
        _INDICATORS[key] = found
    return found


_INDICATORS: dict[tuple[str, str], Indicators] = {}


# --------------------------------------------------------------------- wording


@lru_cache(maxsize=4)
def _national(path: str) -> Dictionary:
    if path:
        try:
            return parse_dictionary(Path(path).read_text(encoding="utf-8"))
        except OSError:
            return load_default_dictionary()
    return load_default_dictionary()


def dictionary_for(organisation: Organisation) -> Dictionary:
    """The national list (or ``GONGKAI_WORDING_DICTIONARY``), then the entries of each
    ancestor down to ``organisation`` (a city's over its province's)."""
    path = getattr(settings, "WORDING_DICTIONARY_PATH", "") or ""
    ids = organisation.ancestor_ids() or [organisation.pk]
    rows = dict(
        WordingDictionary.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "entries"
        )
    )
    layers = tuple(rows[i] for i in ids if rows.get(i))
    return _merged(path, layers)


@lru_cache(maxsize=256)
def _merged(path: str, layers: tuple[str, ...]) -> Dictionary:
    """Parsed and compiled once per distinct set of entries (the matcher's regex is
    the costly part of a check)."""
    result = _national(path)
    for entries in layers:
        result = result.merged(parse_dictionary(entries))
    result.pattern()
    return result


TEXT_FIELDS = (("title", "标题"), ("summary", "内容概述"), ("body", "正文"))


@dataclass(frozen=True)
class PlacedHit:
    place: str
    hit: Hit


def publication_wording(
    publication: Publication, dictionary: Dictionary | None = None
) -> list[PlacedHit]:
    d = dictionary or dictionary_for(publication.organisation)
    out: list[PlacedHit] = []
    for name, label in TEXT_FIELDS:
        value = getattr(publication, name) or ""
        text = plain_text(value) if name == "body" else value
        out.extend(PlacedHit(label, h) for h in find_wording(text, d))
    return out


def describe(hits: list[PlacedHit], limit: int = 5) -> str:
    parts = [f"{h.place}：{h.hit.message}" for h in hits[:limit]]
    more = f"等 {len(hits)} 处" if len(hits) > limit else ""
    return "；".join(parts) + more


def require_no_serious_wording(publication: Publication) -> None:
    """Refuse (ValidationError, Chinese) while the item contains an entry of the
    serious list or a date that cannot exist. Common 错别字 never block."""
    serious = [
        h
        for h in publication_wording(publication)
        if h.hit.severity is Severity.SERIOUS
    ]
    if not serious:
        return
    doc = indicators().document
    raise ValidationError(
        f"不能发布：内容有严重表述错误——{describe(serious)}。"
        f"依照{doc}，出现严重表述错误的网站为单项否决（不合格）。请改正后再发布。",
        code="wording",
    )


# --------------------------------------------------------------------- findings


def findings_for(
    user: Any, organisation: Organisation, *, below: bool = False
) -> QuerySet[Finding]:
    qs = scope(Finding.objects.all(), user, Perm.VIEW)
    if below:
        qs = qs.filter(path_prefix_q(organisation.path, "organisation__path"))
    else:
        qs = qs.filter(organisation=organisation)
    return qs.select_related("organisation", "owner", "publication")


def open_findings(qs: QuerySet[Finding]) -> QuerySet[Finding]:
    return qs.filter(state=Finding.State.OPEN)


def statuses_below(user: Any, organisation: Organisation) -> QuerySet[BodyStatus]:
    """The latest result of every body under ``organisation`` the user may see."""
    qs = scope(BodyStatus.objects.all(), user, Perm.VIEW)
    return (
        qs.filter(path_prefix_q(organisation.path, "organisation__path"))
        .select_related("organisation")
        .order_by("organisation__path")
    )


# --------------------------------------------------------------------- quarters


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError("季度只能是第一至第四季度。")
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = (
        datetime.date(year + 1, 1, 1)
        if quarter == 4
        else datetime.date(year, 3 * quarter + 1, 1)
    ) - datetime.timedelta(days=1)
    return start, end
