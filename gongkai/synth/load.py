"""Fill a database with a synthetic province: organisations, applications,
publications (indexed for search), appeals and registers.

Deterministic: the same ``seed`` and sizes give the same rows (primary keys are
offset by what the database already holds). Rows are written with explicit primary
keys in batches (``bulk_create``; ``COPY`` for the search index on PostgreSQL), so
10^4 organisations and 10^6 applications load in minutes, not hours. Nothing here
goes through the services: no audit rows, no signals. It is for benchmarks only.

The tree of bodies is :mod:`gongkai.synth.tree`, the weights and mixes are
:mod:`gongkai.synth.weights`, the fast row writers :mod:`gongkai.synth.writers`.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Model

from gongkai.appeals.models import Appeal
from gongkai.calendars.selectors import work_calendar
from gongkai.core.crypto import encrypt
from gongkai.core.inforequest_flow import IntakeChannel, Status
from gongkai.core.workdays import Event, compute_ledger, event_to_json
from gongkai.inforequests.models import CaseEvent, InfoRequest
from gongkai.inforequests.tallies import rebuild as request_tallies_rebuild
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import (
    EnforcementDecision,
    FeeRecord,
    NormativeDocument,
    Publication,
)
from gongkai.search.models import SearchDocument
from gongkai.security.keys import key_ring
from gongkai.synth import words as w
from gongkai.synth.tree import ROOT_NAME, K, _Org, _segment, _tree
from gongkai.synth.weights import (
    _APPLICANTS,
    _CHANNELS,
    _GENRES,
    _OPEN_STATUSES,
    _OUTCOMES,
    _PUBLICATION_WEIGHT,
    _REQUEST_WEIGHT,
)
from gongkai.synth.writers import (
    _aware,
    _batched,
    _reset_sequences,
    _Table,
    bulk_index,
    gin_built_after,
)


@dataclass(frozen=True)
class SynthSize:
    orgs: int
    applications: int
    publications: int
    seed: int = 20261125
    first_year: int = 2021
    last_day: date = date(2026, 11, 20)
    appeal_rate: float = 0.015
    paragraphs: int = 2
    # Share of applications kept open whatever their age (deadline benchmarks).
    open_share: float = 0.0


@dataclass
class SynthResult:
    root_id: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _next_pk(model: type[Model]) -> int:
    return int(model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


def _next_search_pk() -> int:
    """Past every document and, on SQLite, every row of the FTS5 index, which a
    plain table flush (Django's ``flush``) leaves behind."""
    pk = _next_pk(SearchDocument)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT MAX(rowid) FROM search_fts")
            pk = max(pk, int(cursor.fetchone()[0] or 0) + 1)
    return pk


def _cum(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in table], [v for _, v in table])[0]


class _Picker:
    """Weighted choice from a fixed table, fast (one bisect per pick)."""

    def __init__(self, table: tuple[tuple[str, float], ...]) -> None:
        self.keys = [k for k, _ in table]
        self.cum = _cum([v for _, v in table])
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> str:
        return self.keys[bisect.bisect(self.cum, rng.random() * self.total)]


class _Loader:
    def __init__(self, size: SynthSize, batch: int, log: Callable[[str], None]) -> None:
        self.size = size
        self.batch = batch
        self.log = log
        self.rng = random.Random(size.seed)
        self.result = SynthResult(root_id=0)
        self.user_id = 0
        self.first_day = date(size.first_year, 1, 1)
        self.span = (size.last_day - self.first_day).days
        ring = key_ring()
        # A pool of encrypted tokens: encryption is the slow part of a row and the
        # benchmarks never decrypt, so 64 distinct ciphertexts per field do.
        self.id_tokens = [
            encrypt(ring, f"11010119{i:02d}0101{i:04d}") for i in range(64)
        ]
        self.phone_tokens = [encrypt(ring, f"1390000{i:04d}") for i in range(64)]
        self.address_tokens = [
            encrypt(ring, f"{w.PROVINCE}某市某路{i}号") for i in range(64)
        ]

    def timed(self, label: str, func: Callable[[], int]) -> None:
        start = time.perf_counter()
        count = func()
        self.result.seconds[label] = round(time.perf_counter() - start, 2)
        self.result.counts[label] = count
        self.log(f"  {label}: {count:,} 行，{self.result.seconds[label]:.1f} 秒")

    # ---------------------------------------------------------------- orgs
    def orgs(self) -> int:
        tree = _tree(self.size.seed, self.size.orgs)
        pk = _next_pk(Organisation)
        for org in tree:
            org.pk = pk
            pk += 1
            org.path = (org.parent.path if org.parent else "") + _segment(org.pk)
        self.tree = tree
        self.result.root_id = tree[0].pk
        rows = (
            Organisation(
                pk=o.pk,
                name=o.name,
                short_name=o.short_name[:30],
                kind=o.kind,
                parent_id=o.parent.pk if o.parent else None,
                path=o.path,
                depth=o.depth,
                office_name=f"{o.name}政务公开办公室"[:100],
                office_phone=f"0{300 + o.pk % 600}-{6000000 + o.pk % 999999}",
            )
            for o in tree
        )
        for chunk in _batched(rows, self.batch):
            Organisation.objects.bulk_create(chunk)
        return len(tree)

    def _org_picker(
        self, weights: Mapping[tuple[str, int], float]
    ) -> Callable[[], _Org]:
        cum = _cum([weights.get((o.kind, o.depth), 1.0) for o in self.tree])
        total = cum[-1]
        tree, rng = self.tree, self.rng
        return lambda: tree[bisect.bisect(cum, rng.random() * total)]

    # ---------------------------------------------------------------- applications
    def applications(self) -> int:
        rng, size = self.rng, self.size
        pick_org = self._org_picker(_REQUEST_WEIGHT)
        applicant, channel = _Picker(_APPLICANTS), _Picker(_CHANNELS)
        outcome, open_status = _Picker(_OUTCOMES), _Picker(_OPEN_STATUSES)
        calendar = work_calendar()
        serials: dict[tuple[int, int], int] = {}
        self.appeal_candidates: list[tuple[int, int, date]] = []
        self.open_count = 0
        requests_table, events_table = _Table(InfoRequest), _Table(CaseEvent)
        pk = _next_pk(InfoRequest)
        event_pk = _next_pk(CaseEvent)
        now = datetime.now(UTC)
        total = 0
        for chunk_start in range(0, size.applications, self.batch):
            rows: list[dict[str, Any]] = []
            events: list[dict[str, Any]] = []
            for _ in range(min(self.batch, size.applications - chunk_start)):
                org = pick_org()
                # Slight growth over the years: later days are likelier.
                received = self.first_day + timedelta(
                    days=int(self.span * (rng.random() ** 0.8))
                )
                key = (org.pk, received.year)
                serial = serials[key] = serials.get(key, 0) + 1
                kind = applicant(rng)
                chan = channel(rng)
                natural = kind == "natural"
                age = (size.last_day - received).days
                r = rng.random()
                duration = (
                    rng.randint(2, 20)
                    if r < 0.7
                    else rng.randint(20, 28)
                    if r < 0.95
                    else rng.randint(29, 60)
                )
                concluded = received + timedelta(days=duration)
                stuck = rng.random() < 0.002
                topic = rng.choice(w.TOPICS)
                row: dict[str, Any] = {
                    "id": pk,
                    "organisation_id": org.pk,
                    "year": received.year,
                    "serial": serial,
                    "tracking_number": f"GK{org.pk}-{received.year}-{serial:05d}",
                    "channel": chan,
                    "submitted_on": received,
                    "received_on": received,
                    "applicant_type": kind,
                    "applicant_name": w.person_name(rng)
                    if natural
                    else w.company_name(rng, org.area[:2]),
                    "id_type": "resident_id" if natural else "credit_code",
                    "id_number": self.id_tokens[pk % 64],
                    "phone": self.phone_tokens[pk % 64],
                    "address": self.address_tokens[pk % 64] if chan != "online" else "",
                    "description": w.request_description(
                        rng, org.area, topic, received.year
                    ),
                    "form": "electronic" if chan in ("online", "email") else "paper",
                    "delivery": "online" if chan in ("online", "email") else "post",
                    "created_at": now,
                    "updated_at": now,
                }
                keep_open = size.open_share > 0 and rng.random() < size.open_share
                if concluded <= size.last_day and not stuck and not keep_open:
                    row["outcome"] = outcome(rng)
                    row["status"] = (
                        Status.CLOSED.value
                        if row["outcome"].startswith("other.")
                        else Status.REPLIED.value
                    )
                    row["concluded_on"] = concluded
                    row["extended_days"] = 20 if duration > 28 else 0
                    if (
                        row["outcome"] != "granted"
                        and rng.random() < size.appeal_rate * 2
                    ) or rng.random() < size.appeal_rate / 4:
                        self.appeal_candidates.append((pk, org.pk, concluded))
                else:
                    row["status"] = (
                        open_status(rng) if age < 60 else Status.IN_PROGRESS.value
                    )
                    ledger_channel = IntakeChannel(chan).ledger_channel
                    ev = Event("received", received, channel=ledger_channel)
                    if ledger_channel == "registered_post":
                        ev = Event(
                            "received",
                            received,
                            channel=ledger_channel,
                            confirmed_on=received,
                        )
                    try:
                        ledger = compute_ledger(
                            [ev], calendar, size.last_day, with_days=False
                        )
                        row["due_on"] = ledger.due_date
                        row["due_provisional"] = ledger.provisional
                    except Exception:
                        row["due_on"] = received + timedelta(days=28)
                    events.append(
                        {
                            "id": event_pk,
                            "request_id": pk,
                            "at": now,
                            "on": received,
                            "action": "register",
                            "to_status": row["status"],
                            "data": {"ledger": event_to_json(ev)},
                        }
                    )
                    event_pk += 1
                    self.open_count += 1
                rows.append(row)
                pk += 1
            with transaction.atomic():
                requests_table.write(rows)
                events_table.write(events)
            total += len(rows)
            if total % (self.batch * 20) == 0:
                self.log(f"    申请 {total:,}/{size.applications:,}")
        return total

    # ---------------------------------------------------------------- publications
    def publications(self, index: bool) -> int:
        rng, size = self.rng, self.size
        pick_org = self._org_picker(_PUBLICATION_WEIGHT)
        genre = _Picker(_GENRES)
        serials: dict[tuple[int, int], int] = {}
        publications_table = _Table(Publication)
        pk = _next_pk(Publication)
        doc_pk = _next_search_pk()
        user_id = self.user_id
        now = datetime.now(UTC)
        total = 0
        for chunk_start in range(0, size.publications, self.batch):
            rows: list[dict[str, Any]] = []
            docs: list[tuple[Any, ...]] = []
            for _ in range(min(self.batch, size.publications - chunk_start)):
                org = pick_org()
                day = self.first_day + timedelta(
                    days=int(self.span * (rng.random() ** 0.7))
                )
                key = (org.pk, day.year)
                serial = serials[key] = serials.get(key, 0) + 1
                topic = rng.choice(w.TOPICS)
                title = w.publication_title(rng, org.area, topic, day.year, day.month)[
                    :200
                ]
                body = w.publication_body(
                    rng,
                    area=org.area,
                    dept=org.short_name,
                    topic=topic,
                    year=day.year,
                    month=day.month,
                    paragraphs=size.paragraphs,
                )
                text = (
                    body.replace("<p>", "").replace("</p>", "\n").strip()
                )  # plain <p> only
                g = genre(rng)
                category = rng.choice(w.TOPIC_CATEGORIES)
                rows.append(
                    {
                        "id": pk,
                        "organisation_id": org.pk,
                        "index_no": f"GK{org.pk:06d}/{day.year}-{serial:05d}",
                        "year": day.year,
                        "serial": serial,
                        "title": title,
                        "summary": text[:120],
                        "body": body,
                        "issuing_body": org.name[:100],
                        "formed_on": day - timedelta(days=rng.randint(0, 5)),
                        "document_number": (
                            f"{org.short_name[:2]}政发〔{day.year}〕{serial}号"
                            if g in ("normative", "notice")
                            else ""
                        ),
                        "topic": category,
                        "genre": g,
                        "status": "published",
                        "published_at": _aware(day),
                        "last_changed_at": _aware(day),
                        "secrecy_checked": True,
                        "channels": ["portal"],
                        "created_by_id": user_id,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if index:
                    docs.append(
                        (
                            doc_pk,
                            "publication",
                            str(pk),
                            org.pk,
                            title[:300],
                            text,
                            f"/gk/{org.pk}/publications/{pk}/",
                            day,
                            category,
                            f"{title}\n{text}",
                        )
                    )
                    doc_pk += 1
                pk += 1
            with transaction.atomic():
                publications_table.write(rows)
                if docs:
                    bulk_index(docs)
            total += len(rows)
            if total % (self.batch * 20) == 0:
                self.log(f"    主动公开 {total:,}/{size.publications:,}")
        return total

    # ---------------------------------------------------------------- appeals
    def appeals(self) -> int:
        rng, size = self.rng, self.size
        pk = _next_pk(Appeal)
        rows = []
        serial = 0
        kinds = (("review", 70.0), ("suit_direct", 20.0), ("suit_after_review", 10.0))
        results = (("upheld", 70.0), ("corrected", 18.0), ("other", 12.0))
        for request_id, org_id, concluded in self.appeal_candidates:
            filed = concluded + timedelta(days=rng.randint(5, 60))
            if filed > size.last_day:
                continue
            kind = _pick(rng, kinds)
            decided: date | None = filed + timedelta(days=rng.randint(30, 120))
            result = _pick(rng, results)
            if decided is not None and decided > size.last_day:
                decided, result = None, ""
            serial += 1
            word = "复" if kind == "review" else "行初"
            rows.append(
                Appeal(
                    pk=pk,
                    organisation_id=org_id,
                    request_id=request_id,
                    kind=kind,
                    case_number=f"江{word}〔{filed.year}〕{serial}号",
                    filed_on=filed,
                    decided_on=decided,
                    result=result,
                )
            )
            pk += 1
        for chunk in _batched(iter(rows), self.batch):
            Appeal.objects.bulk_create(chunk)
        return len(rows)

    # ---------------------------------------------------------------- registers
    def registers(self) -> int:
        rng, size = self.rng, self.size
        docs, decisions, fees = [], [], []
        years = range(size.first_year, size.last_day.year + 1)
        decision_serial = 0
        for org in self.tree:
            government = org.kind in (K.PROVINCE, K.CITY, K.DISTRICT)
            department = org.kind == K.DEPARTMENT
            if not (government or department):
                continue
            for year in years:
                for _ in range(rng.randint(0, 4 if government else 2)):
                    issued = date(year, rng.randint(1, 12), rng.randint(1, 28))
                    if issued > size.last_day:
                        continue
                    repealed = None
                    if rng.random() < 0.15:
                        repealed = issued + timedelta(days=rng.randint(200, 1500))
                        repealed = repealed if repealed <= size.last_day else None
                    docs.append(
                        NormativeDocument(
                            organisation_id=org.pk,
                            kind="regulation"
                            if org.depth <= 1 and rng.random() < 0.2
                            else "normative",
                            title=f"{org.area}{rng.choice(w.TOPICS)}管理办法",
                            document_number=f"{org.short_name[:2]}规〔{year}〕{rng.randint(1, 30)}号",
                            issued_on=issued,
                            repealed_on=repealed,
                        )
                    )
                if department:
                    for _ in range(rng.randint(0, 6)):
                        decision_serial += 1
                        decided = date(year, rng.randint(1, 12), rng.randint(1, 28))
                        if decided > size.last_day:
                            continue
                        kind = _pick(
                            rng,
                            (("license", 60.0), ("penalty", 30.0), ("coercion", 10.0)),
                        )
                        decisions.append(
                            EnforcementDecision(
                                organisation_id=org.pk,
                                kind=kind,
                                decided_on=decided,
                                document_number=f"{org.short_name[:2]}{kind[:1].upper()}〔{year}〕{decision_serial}号",
                                party=w.company_name(rng, org.area[:2]),
                                summary=rng.choice(w.TOPICS),
                            )
                        )
                    for _ in range(rng.randint(0, 2)):
                        collected = date(year, rng.randint(1, 12), rng.randint(1, 28))
                        if collected > size.last_day:
                            continue
                        fees.append(
                            FeeRecord(
                                organisation_id=org.pk,
                                item=rng.choice(
                                    (
                                        "不动产登记费",
                                        "排污费",
                                        "证照工本费",
                                        "考试考务费",
                                    )
                                ),
                                collected_on=collected,
                                amount_wan=Decimal(rng.randint(1, 5_000_000))
                                / Decimal(10000),
                            )
                        )
        for model, rows in (
            (NormativeDocument, docs),
            (EnforcementDecision, decisions),
            (FeeRecord, fees),
        ):
            for chunk in _batched(iter(rows), self.batch):
                model._default_manager.bulk_create(chunk)
        return len(docs) + len(decisions) + len(fees)


def synth_load(
    size: SynthSize,
    *,
    batch: int = 2000,
    index: bool = True,
    log: Callable[[str], None] = lambda _m: None,
) -> SynthResult:
    """Load one synthetic province; returns the root organisation id, counts and timings."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="synth_loader", defaults={"full_name": "合成数据", "is_active": False}
    )
    loader = _Loader(size, batch, log)
    loader.user_id = user.pk
    # Bulk load: skip the fsync per commit (not inside a transaction: tests).
    relax = not connection.in_atomic_block
    if relax:
        with connection.cursor() as cursor:
            cursor.execute(
                "PRAGMA synchronous=OFF"
                if connection.vendor == "sqlite"
                else "SET synchronous_commit = off"  # this session only
            )
    loader.timed("organisations", loader.orgs)
    loader.timed("applications", loader.applications)
    loader.result.counts["open_applications"] = loader.open_count
    # The bulk load bypasses InfoRequest.save, so the dashboard's tallies are counted once.
    loader.timed("request tallies", request_tallies_rebuild)
    with gin_built_after():
        loader.timed("publications", lambda: loader.publications(index))
    loader.timed("appeals", loader.appeals)
    loader.timed("registers", loader.registers)
    _reset_sequences()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if relax:
            cursor.execute(
                "PRAGMA synchronous=NORMAL"
                if connection.vendor == "sqlite"
                else "RESET synchronous_commit"
            )
    return loader.result


def synth_root() -> Organisation | None:
    """The most recently loaded synthetic province (benchmarks look it up)."""
    return Organisation.objects.filter(name=ROOT_NAME, depth=0).order_by("-pk").first()
