"""What the public may see: active organisations and their live, proactively
disclosed publications. Nothing here depends on who is signed in."""

from __future__ import annotations

import functools
from array import array
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Field, QuerySet, Value
from django.db.models.expressions import Col, Combinable
from django.db.models.functions import Replace
from django.http import Http404
from django.utils import timezone

from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.core.search import DOC_NUMBER_FOLDS, fold_doc_number
from gongkai.feedback.models import Feedback
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.portal.prepared import prepared_cursor
from gongkai.publishing.catalogue_template import RULES_L1
from gongkai.publishing.models import Attachment, Publication, published_in_year_q


def portal_organisation(org_id: int) -> Organisation:
    org = Organisation.objects.filter(pk=org_id, is_active=True).first()
    if org is None:
        raise Http404("未找到该机构。")
    return org


def portal_publications(
    org: Organisation, *, include_descendants: bool = False
) -> QuerySet[Publication]:
    qs = Publication.objects.filter(
        status__in=list(LIVE_STATUSES), attribute=Publication.Attribute.PROACTIVE
    )
    if include_descendants:
        qs = qs.filter(path_prefix_q(org.path, "organisation__path"))
    else:
        qs = qs.filter(organisation=org)
    return qs.select_related("organisation").order_by("-published_at", "-id")


def portal_publication_titles(
    org: Organisation, *, include_descendants: bool = False
) -> QuerySet[Publication]:
    """``portal_publications`` with only what a list shows (no bodies, no join)."""
    return (
        portal_publications(org, include_descendants=include_descendants)
        .select_related(None)
        .only("id", "title", "published_at", "issuing_body", "organisation_id")
    )


def publications_with_number(
    qs: QuerySet[Publication], number: str
) -> QuerySet[Publication]:
    """The publications whose 文号 holds ``number``, both read in one form
    (``core.search.fold_doc_number``): 洛街[2026]21号 and 洛街〔２０２６〕２１号 find
    洛街〔2026〕21号, and a 文号 stored with full-width digits or [] is found too
    (the stored value is folded in the query, not rewritten)."""
    folded: Combinable = F("document_number")
    for variant, form in DOC_NUMBER_FOLDS:
        folded = Replace(folded, Value(variant), Value(form))
    return qs.alias(folded_number=folded).filter(
        folded_number__icontains=fold_doc_number(number)
    )


def portal_rules(org: Organisation) -> QuerySet[Publication]:
    """The live items of the organisation's 政府信息公开制度 catalogue items."""
    return portal_publications(org).filter(catalogue_item__item_l1=RULES_L1)


def portal_publication(org: Organisation, pk: int) -> Publication:
    found = portal_publications(org, include_descendants=True).filter(pk=pk).first()
    if found is None:
        raise Http404("未找到该信息，或该信息未公开。")
    return found


# The two reads of a page missing from the cache (issue 24, requirement 2) are
# written as SQL: building and compiling the same query with the ORM costs ten
# times its execution, and as much as the whole rest of the page. Both say the same
# as the querysets above (``portal_publications``), which the tests check against.
_LIVE = sorted(str(s) for s in LIVE_STATUSES)
_WHERE_PUBLIC = (
    f"p.status IN ({', '.join(['%s'] * len(_LIVE))}) AND p.attribute = %s"
    " AND o.path >= %s AND o.path < %s"
)
_FROM = (
    f"FROM {Publication._meta.db_table} p"
    f" JOIN {Organisation._meta.db_table} o ON o.id = p.organisation_id"
)
_PAGE_FIELDS = (
    "id",
    "organisation_id",
    "index_no",
    "title",
    "body",
    "issuing_body",
    "formed_on",
    "document_number",
    "topic",
    "genre",
    "validity",
    "interprets_id",
    "interpretation_form",
    "media_url",
    # 更新日期 in the page's table: when a change of the information (条例第二十六条
    # "变更") reached the public (Publication.disclosed_at). In the model's order, as
    # Model.from_db reads the values of the fields it is given.
    "changed_on",
    "published_at",
    "last_changed_at",
)
# Table and column names come from the models; every value is a parameter.
_PAGE_SQL = (
    f"SELECT {', '.join(f'p.{f}' for f in _PAGE_FIELDS)},"  # noqa: S608
    f" EXISTS (SELECT 1 FROM {Attachment._meta.db_table} a"
    "  WHERE a.publication_id = p.id AND a.withheld = %s) AS has_attachments,"
    f" EXISTS (SELECT 1 FROM {Feedback._meta.db_table} f"
    "  WHERE f.publication_id = p.id AND f.state = %s) AS has_comments"
    f" FROM {Publication._meta.db_table} p WHERE p.id = %s"
    f" AND p.status IN ({', '.join(['%s'] * len(_LIVE))}) AND p.attribute = %s"
)
# ``{day}``: the day of publication (``_title_day``).
_TITLES_SQL = (
    f"SELECT p.id, p.title, p.issuing_body, {{day}} {_FROM}"
    " WHERE {where} ORDER BY p.published_at DESC, p.id DESC LIMIT %s OFFSET %s"
)
_ORDER_SQL = (
    f"SELECT p.id {_FROM}"
    " WHERE {where} ORDER BY p.published_at DESC, p.id DESC LIMIT %s"
)
_BY_ID_SQL = (
    "SELECT p.id, p.title, p.issuing_body, {day}"  # noqa: S608
    f" FROM {Publication._meta.db_table} p WHERE p.id IN ({{ids}})"
    f" AND p.status IN ({', '.join(['%s'] * len(_LIVE))}) AND p.attribute = %s"
)


def _public_params(org: Organisation) -> list[Any]:
    return [*_LIVE, Publication.Attribute.PROACTIVE.value, org.path, org.path + "~"]


def portal_publication_page(
    org: Organisation, pk: int, *, subtree: Collection[int]
) -> Publication:
    """``portal_publication`` for its page (the fields the page shows), in one query
    that also says which of the page's other parts exist (``has_attachments``,
    ``has_comments``): most items have none, and the page reads only what is there.
    Whether it has 解读 is ``portal_interpreted_ids``' question.

    ``subtree`` is ``portal_subtree_ids(org)``, which the page keeps: the item is
    read by its id alone, without the join to its organisation's path, whose
    planning cost PostgreSQL more than the rest of the read (issue 24)."""
    params = [
        False,
        Feedback.State.APPROVED.value,
        pk,
        *_LIVE,
        Publication.Attribute.PROACTIVE.value,
    ]
    alias, rows = _read(_PAGE_SQL, params, _PAGE_FIELDS, prepare=True)
    n = len(_PAGE_FIELDS)
    if not rows or rows[0][_PAGE_FIELDS.index("organisation_id")] not in subtree:
        raise Http404("未找到该信息，或该信息未公开。")
    row = rows[0]
    found = Publication.from_db(alias, _PAGE_FIELDS, row[:n])
    found.has_attachments, found.has_comments = (  # type: ignore[attr-defined]
        bool(flag) for flag in row[n:]
    )
    return found


def portal_subtree_ids(org: Organisation) -> frozenset[int]:
    """``org`` and the organisations under it: whose items its column shows."""
    return frozenset(
        Organisation.objects.filter(path_prefix_q(org.path)).values_list(
            "pk", flat=True
        )
    )


def portal_interpreted_ids(org: Organisation) -> frozenset[int]:
    """The items that ``org`` has published a live 解读 of (政策解读, issue 21): read
    once for a body (the page keeps it, ``cache.body_part``) rather than asked on
    each page — SQLite's planner, told by ANALYZE that ``interprets_id`` is nearly
    always empty, answers "has this item a 解读" by reading all of the body's items."""
    return frozenset(
        portal_publications(org)
        .filter(interprets__isnull=False)
        .order_by()
        .values_list("interprets_id", flat=True)
    )


def _read(
    sql: str, params: list[Any], fields: tuple[str, ...], *, prepare: bool = False
) -> tuple[str, list[list[Any]]]:
    """Rows of ``sql`` on the database the router reads publications from, their
    first ``len(fields)`` columns converted as the ORM converts those fields (a
    SQLite timestamp is text until then). ``prepare``: see ``_cursor``."""
    alias = router.db_for_read(Publication)
    conn = connections[alias]
    with _cursor(conn, prepare) as cursor:
        cursor.execute(sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    if rows:
        for i, col in _converted_columns(alias, fields):
            for converter in conn.ops.get_db_converters(col) + col.get_db_converters(
                conn
            ):
                for row in rows:
                    row[i] = converter(row[i], col, conn)
    return alias, rows


def _cursor(conn: BaseDatabaseWrapper, prepare: bool) -> Any:
    """A cursor of ``conn``; with ``prepare``, one whose statements PostgreSQL
    plans once per connection (``prepared.py``). Only for the reads by id, whose
    plan is the same whatever the values: a subtree's read is planned for its
    bounds (a district's few items, or all of them under the root)."""
    return prepared_cursor(conn) if prepare else conn.cursor()


@functools.cache
def _converted_columns(alias: str, fields: tuple[str, ...]) -> list[tuple[int, Col]]:
    """The columns among ``fields`` whose values the database backend converts."""
    conn = connections[alias]
    found = []
    for i, name in enumerate(fields):
        field = Publication._meta.get_field(name)
        assert isinstance(field, Field)
        col = field.get_col(Publication._meta.db_table)
        if conn.ops.get_db_converters(col) + col.get_db_converters(conn):
            found.append((i, col))
    return found


def _title_where(
    org: Organisation, year: int | None, topic: str
) -> tuple[str, list[Any]]:
    where, params = [_WHERE_PUBLIC], _public_params(org)
    if year is not None:
        # The same bounds as the list's queryset (a range of local dates).
        bounds: dict[str, Any] = dict(published_in_year_q(year).children)  # type: ignore[arg-type]
        start, end = bounds["published_at__gte"], bounds["published_at__lt"]
        ops = connections[router.db_for_read(Publication)].ops
        where.append("p.published_at >= %s AND p.published_at < %s")
        params += [
            ops.adapt_datetimefield_value(start),
            ops.adapt_datetimefield_value(end),
        ]
    if topic:
        where.append("p.topic = %s")
        params.append(topic)
    return " AND ".join(where), params


def portal_title_rows(
    org: Organisation,
    *,
    year: int | None = None,
    topic: str = "",
    offset: int = 0,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """One page of ``portal_publication_titles(org, include_descendants=True)``
    (filtered by year of publication and 主题分类), newest first: id, title, issuing
    body and the day of publication (``published_on``, "2026-12-07" in the local
    time zone, as the ``date`` filter writes it)."""
    where, params = _title_where(org, year, topic)
    return _title_rows_of(_TITLES_SQL, where, [*params, limit, offset])


# A list's order is kept for its first pages (cache.body_part): 100 pages of 20.
LIST_ORDER_KEPT = 2000


def portal_title_order(
    org: Organisation,
    *,
    year: int | None = None,
    topic: str = "",
    limit: int = LIST_ORDER_KEPT,
) -> array[int]:
    """The ids of the first ``limit`` items of ``portal_title_rows``' list, in its
    order: what every page of the list shares (a subtree's items sorted by date
    is most of the cost of a page of it)."""
    where, params = _title_where(org, year, topic)
    sql = _ORDER_SQL.format(where=where)
    _alias, rows = _read(sql, [*params, limit], ("id",))
    return array("q", (row[0] for row in rows))


def portal_titles_by_id(ids: Sequence[int]) -> list[dict[str, Any]]:
    """``portal_title_rows`` of the items ``ids`` (from ``portal_title_order``), in
    that order; an item no longer public is left out."""
    if not ids:
        return []
    params = [*ids, *_LIVE, Publication.Attribute.PROACTIVE.value]
    rows = _title_rows_of(
        _BY_ID_SQL, ", ".join(["%s"] * len(ids)), params, prepare=True
    )
    found = {row["pk"]: row for row in rows}
    return [found[pk] for pk in ids if pk in found]


def _title_rows_of(
    sql: str, part: str, params: list[Any], *, prepare: bool = False
) -> list[dict[str, Any]]:
    """The rows of a title read (id, title, issuing body, day of publication) as
    ``_title_row`` writes them. ``sql`` has the holes ``{day}`` and ``{where}``
    or ``{ids}`` (``part``)."""
    alias = router.db_for_read(Publication)
    conn = connections[alias]
    day, day_params, in_sql = _title_day(conn)
    sql = sql.format(day=day, where=part, ids=part)
    with _cursor(conn, prepare) as cursor:
        cursor.execute(sql, [*day_params, *params])
        rows = cursor.fetchall()
    if in_sql:
        return [
            {"pk": pk, "title": title, "issuing_body": body, "published_on": on or ""}
            for pk, title, body, on in rows
        ]
    stored_in, local = conn.timezone, timezone.get_current_timezone()
    return [
        {
            "pk": pk,
            "title": title,
            "issuing_body": issuing_body,
            "published_on": _local_day(published_at, stored_in, local),
        }
        for pk, title, issuing_body, published_at in rows
    ]


def _title_day(conn: BaseDatabaseWrapper) -> tuple[str, list[Any], bool]:
    """The column of a title read that gives the day of publication, its
    parameters, and whether it is the day already written out ("2026-12-07").

    PostgreSQL writes the local day itself: parsing the 20 timestamps of a list
    page, then writing them out in Python, was half the page's read (issue 24).
    On SQLite, or in a time zone without an IANA name (a fixed offset), the
    timestamp is read and ``_local_day`` writes it."""
    zone = getattr(timezone.get_current_timezone(), "key", None)
    if conn.vendor == "postgresql" and zone:
        # (COALESCE in Python: an item never published has no day, "".)
        return "to_char(p.published_at AT TIME ZONE %s, 'YYYY-MM-DD')", [zone], True
    return "p.published_at", [], False


def _local_day(
    value: datetime | str | None, stored_in: tzinfo | None, local: tzinfo
) -> str:
    """The local day of a stored timestamp ("2026-12-07"), as ``_title_row`` writes
    it. SQLite gives timestamps naive (or as text) in the connection's time zone,
    as its converter reads them; PostgreSQL gives them aware."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None and stored_in is not None:
        value = value.replace(tzinfo=stored_in)
    return value.astimezone(local).strftime("%Y-%m-%d")


def title_rows(publications: Iterable[Publication]) -> list[dict[str, Any]]:
    """What a list shows of each item, its day of publication written out."""
    return [
        _title_row(p.pk, p.title, p.issuing_body, p.published_at) for p in publications
    ]


def _title_row(
    pk: int, title: str, issuing_body: str, published_at: datetime | None
) -> dict[str, Any]:
    return {
        "pk": pk,
        "title": title,
        "issuing_body": issuing_body,
        "published_on": (
            timezone.localtime(published_at).strftime("%Y-%m-%d")
            if published_at
            else ""
        ),
    }


def portal_attachments(publication: Publication) -> QuerySet[Attachment]:
    """The files published with a public item: never the unmasked original of a
    masked copy (``withheld``, issue 25), which stays in the back office."""
    return publication.attachments.filter(withheld=False).order_by("pk")


def portal_attachment(org: Organisation, pk: int, attachment_pk: int) -> Attachment:
    publication = portal_publication(org, pk)
    found = portal_attachments(publication).filter(pk=attachment_pk).first()
    if found is None:
        raise Http404("未找到该附件，或该附件未公开。")
    return found
