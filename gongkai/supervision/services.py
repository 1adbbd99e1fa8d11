"""Supervisors' writes: evaluation weights, scores, 督办 notices, bulk report import."""

from __future__ import annotations

import io
import logging
import os
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.annual.parse import parse_bytes
from gongkai.core.assessment import (
    METRICS,
    Indicator,
    IndicatorSetError,
    parse_indicator_set,
)
from gongkai.orgs.models import Membership, Organisation
from gongkai.orgs.permissions import Perm, can, require
from gongkai.reports.services import report_import
from gongkai.supervision.metrics import COMPUTE, MetricResult
from gongkai.supervision.models import (
    DEFAULT_WEIGHTS,
    INDICATOR_LABELS,
    AssessmentRulepack,
    EvaluationScheme,
    ImportBatch,
    ImportItem,
    NoticeRecipient,
    SupervisionNotice,
)
from gongkai.supervision.selectors import subtree

MAX_IMPORT_FILES = 200
MAX_IMPORT_BYTES = 30 * 1024 * 1024
REPORT_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- 绩效考评


def scheme_weights(org: Organisation, year: int) -> dict[str, int]:
    scheme = EvaluationScheme.objects.filter(organisation=org, year=year).first()
    return dict(scheme.weights) if scheme else dict(DEFAULT_WEIGHTS)


@transaction.atomic
def scheme_save(
    *, actor: Actor, organisation: Organisation, year: int, weights: dict[str, str]
) -> EvaluationScheme:
    """Store the indicator weights; they must be whole percentages adding up to 100."""
    require(actor, Perm.VIEW, organisation)
    if not scheme_may_edit(actor, organisation):
        raise PermissionDenied("只有督查员或负责人可以设置考评权重。")
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for key, label in INDICATOR_LABELS.items():
        raw = str(weights.get(key, "")).strip()
        if not (raw.isascii() and raw.isdigit()):
            errors[key] = f"“{label}”的权重应为 0–100 的整数。"
            continue
        clean[key] = int(raw)
    if not errors and sum(clean.values()) != 100:
        errors["__all__"] = f"各项权重之和应为 100，现在是 {sum(clean.values())}。"
    if errors:
        raise ValidationError(errors)
    scheme, _ = EvaluationScheme.objects.update_or_create(
        organisation=organisation,
        year=year,
        # Saving the four weights scores by them again (not by a loaded set).
        defaults={"weights": clean, "updated_by": stored_user(actor), "rulepack": None},
    )
    audit_record(
        action="supervision.scheme_save",
        actor=actor,
        organisation=organisation,
        obj=scheme,
        details={"year": year, "weights": clean},
    )
    return scheme


def scheme_may_edit(actor: Actor, organisation: Organisation) -> bool:
    """Who sets the evaluation weights of ``organisation``: a supervisor above it or
    someone who may approve there (the screen offers the form only to them)."""
    return can(actor, Perm.APPROVE, organisation) or _is_supervisor(actor, organisation)


def _is_supervisor(actor: Actor, organisation: Organisation) -> bool:
    return Membership.objects.filter(
        user=stored_user(actor),
        role="supervisor",
        organisation__in=organisation.ancestor_ids(),
    ).exists()


# The four indicators of the weights form, as metrics of ``core.assessment`` (the
# shipped ``default.toml`` set says the same).
LEGACY_METRICS = {
    "timeliness": "request_on_time",
    "report_quality": "annual_report_on_time",
    "proactive": "proactive_on_time",
    "catalogue": "catalogue_current",
}


@dataclass(frozen=True)
class Score:
    unit: Organisation
    indicators: dict[str, float]  # 0–100 each, by indicator key
    total: float


def scheme_indicators(
    org: Organisation, year: int
) -> tuple[list[Indicator], AssessmentRulepack | None]:
    """The indicators ``org`` scores its units by in ``year``: the loaded indicator
    set it chose, else the four indicators with its weights."""
    scheme = (
        EvaluationScheme.objects.filter(organisation=org, year=year)
        .select_related("rulepack")
        .first()
    )
    if scheme is not None and scheme.rulepack is not None:
        return [
            Indicator(**raw) for raw in scheme.rulepack.spec["indicators"]
        ], scheme.rulepack
    weights = dict(scheme.weights) if scheme else dict(DEFAULT_WEIGHTS)
    return [
        Indicator(
            key=key,
            name=label,
            metric=LEGACY_METRICS[key],
            weight=int(weights.get(key, 0)),
            evidence=METRICS[LEGACY_METRICS[key]].how,
        )
        for key, label in INDICATOR_LABELS.items()
    ], None


def unit_metric(
    unit: Organisation, year: int, metric: str, today: date
) -> MetricResult:
    return COMPUTE[metric](unit, year, today)


def unit_indicators(unit: Organisation, year: int, today: date) -> dict[str, float]:
    """The four indicators of the weights form for one unit (0–100 each)."""
    return {
        key: unit_metric(unit, year, metric, today).value
        for key, metric in LEGACY_METRICS.items()
    }


def scores_for(root: Organisation, year: int, today: date | None = None) -> list[Score]:
    today = today or timezone.localdate()
    indicators, _ = scheme_indicators(root, year)
    scores = []
    for unit in subtree(root):
        if unit.pk == root.pk:
            continue
        values: dict[str, float] = {}
        cache: dict[str, float] = {}
        for ind in indicators:
            if ind.metric not in cache:
                cache[ind.metric] = unit_metric(unit, year, ind.metric, today).value
            values[ind.key] = cache[ind.metric]
        total = round(sum(values[i.key] * i.weight / 100 for i in indicators), 1)
        scores.append(Score(unit=unit, indicators=values, total=total))
    return sorted(scores, key=lambda s: (-s.total, s.unit.path))


def scores_xlsx(root: Organisation, year: int, scores: list[Score]) -> bytes:
    from openpyxl import Workbook

    indicators, _ = scheme_indicators(root, year)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年绩效考评"
    sheet.append(
        ["单位", *[f"{i.name}（权重{i.weight}%）" for i in indicators], "总分"]
    )
    for score in scores:
        sheet.append(
            [
                score.unit.name,
                *[score.indicators[i.key] for i in indicators],
                score.total,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def rulepack_load(
    *, actor: Actor, organisation: Organisation | None, text: str
) -> AssessmentRulepack:
    """Check and store an indicator file as ``organisation``'s set, replacing its own
    set with the same code (never another body's: the code is unique per owner).
    Anything wrong: ValidationError listing every problem in Chinese, nothing stored.
    ``organisation``: the owner, where the loader supervises — only its 负责人/领导 or
    a supervisor above it (``scheme_may_edit``, which reaches down from an ancestor)
    may load or replace its sets. None: a shipped set, only from the management
    command (no actor)."""
    if actor is not None and (
        organisation is None or not scheme_may_edit(actor, organisation)
    ):
        raise PermissionDenied("只有督查员或负责人可以载入考评指标体系。")
    try:
        parsed = parse_indicator_set(text)
    except IndicatorSetError as exc:
        raise ValidationError(exc.messages) from exc
    pack, created = AssessmentRulepack.objects.update_or_create(
        organisation=organisation,
        code=parsed.code,
        defaults={
            "name": parsed.name,
            "source": parsed.source,
            "text": text,
            "spec": parsed.as_dict(),
            "loaded_by": stored_user(actor),
        },
    )
    audit_record(
        action="supervision.rulepack_load",
        actor=actor,
        organisation=organisation,
        obj=pack,
        details={
            "code": parsed.code,
            "owner": organisation.pk if organisation else None,
            "replaced": not created,
            "weights": {i.key: i.weight for i in parsed.indicators},
        },
    )
    return pack


@transaction.atomic
def rulepack_use(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int,
    rulepack: AssessmentRulepack | None,
) -> EvaluationScheme:
    """Score ``organisation``'s units in ``year`` by ``rulepack`` (None: the four
    weights again)."""
    require(actor, Perm.VIEW, organisation)
    if not scheme_may_edit(actor, organisation):
        raise PermissionDenied("只有督查员或负责人可以选择考评指标体系。")
    if rulepack is not None and not rulepack_may_use(actor, rulepack):
        raise PermissionDenied("该考评指标体系属于您无权查看的机构，不能选用。")
    scheme, _ = EvaluationScheme.objects.update_or_create(
        organisation=organisation,
        year=year,
        defaults={"rulepack": rulepack, "updated_by": stored_user(actor)},
    )
    if not scheme.weights:
        scheme.weights = dict(DEFAULT_WEIGHTS)
        scheme.save(update_fields=["weights"])
    audit_record(
        action="supervision.rulepack_use",
        actor=actor,
        organisation=organisation,
        obj=scheme,
        details={"year": year, "rulepack": rulepack.code if rulepack else None},
    )
    return scheme


def rulepack_may_use(actor: Actor, rulepack: AssessmentRulepack) -> bool:
    """A shipped set, or one of a body ``actor`` may view (as ``rulepacks_for``)."""
    return rulepack.organisation is None or can(actor, Perm.VIEW, rulepack.organisation)


# --------------------------------------------------------------------------- 督办


@transaction.atomic
def notice_send(
    *,
    actor: Actor,
    sender: Organisation,
    recipients: list[Organisation],
    subject: str,
    body: str,
    due_on: date | None = None,
) -> SupervisionNotice:
    require(actor, Perm.VIEW, sender)
    if not recipients:
        raise ValidationError({"recipients": "请选择督办对象。"})
    if not subject.strip() or not body.strip():
        raise ValidationError({"subject": "请填写督办事由和内容。"})
    limit = SupervisionNotice._meta.get_field("subject").max_length or 200
    if len(subject.strip()) > limit:
        raise ValidationError({"subject": f"督办事由不能超过{limit}个字。"})
    for org in recipients:
        if not org.path.startswith(sender.path) or org.pk == sender.pk:
            raise ValidationError({"recipients": f"“{org.name}”不是本机构的下级单位。"})
    notice = SupervisionNotice.objects.create(
        sender=sender,
        subject=subject.strip(),
        body=body.strip(),
        due_on=due_on,
        created_by=stored_user(actor),
    )
    NoticeRecipient.objects.bulk_create(
        [NoticeRecipient(notice=notice, organisation=o) for o in recipients]
    )
    audit_record(
        action="supervision.notice_send",
        actor=actor,
        organisation=sender,
        obj=notice,
        details={"recipients": [o.pk for o in recipients]},
    )
    return notice


@transaction.atomic
def notice_acknowledge(
    *, actor: Actor, recipient: NoticeRecipient, response: str = ""
) -> NoticeRecipient:
    recipient = (
        NoticeRecipient.objects.select_for_update()
        .select_related("organisation")
        .get(pk=recipient.pk)
    )
    require(actor, Perm.EDIT, recipient.organisation)
    if recipient.acknowledged_at is not None:
        raise ValidationError("该督办通知已签收。")
    recipient.acknowledged_at, recipient.acknowledged_by = (
        timezone.now(),
        stored_user(actor),
    )
    recipient.response = response.strip()
    recipient.save(update_fields=["acknowledged_at", "acknowledged_by", "response"])
    audit_record(
        action="supervision.notice_ack",
        actor=actor,
        organisation=recipient.organisation,
        obj=recipient.notice,
    )
    return recipient


# --------------------------------------------------------------------------- bulk import


def _import_name(batch: ImportBatch, index: int) -> str:
    # A name in the default storage (the media disk or the S3 bucket), so a task
    # worker on another host reads it and backups include it (docs/deploy.md).
    return f"imports/{batch.pk}/{index:04d}.bin"


def _import_bytes(item: ImportItem) -> bytes:
    """The uploaded bytes of ``item``, read back through the default storage (an
    absolute path: an item stored on this disk before imports went to the storage)."""
    if os.path.isabs(item.path):
        return Path(item.path).read_bytes()
    with default_storage.open(item.path, "rb") as stored:
        return bytes(stored.read())


def _expand(name: str, data: bytes) -> list[tuple[str, bytes]]:
    if not name.lower().endswith(".zip"):
        return [(name, data)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"“{name}”不是有效的 ZIP 文件。") from exc
    files = []
    total = 0
    for info in archive.infolist():
        if info.is_dir() or info.filename.startswith("__MACOSX"):
            continue
        total += info.file_size
        if total > MAX_IMPORT_BYTES * 4:
            raise ValidationError(f"“{name}”解压后过大。")
        inner = (
            info.filename.encode("cp437").decode("gbk", "replace")
            if not info.flag_bits & 0x800
            else info.filename
        )
        files.append((Path(inner).name, archive.read(info)))
    return files


@transaction.atomic
def import_batch_create(
    *, actor: Actor, organisation: Organisation, uploads: list[tuple[str, bytes]]
) -> ImportBatch:
    """Store the uploaded files (ZIPs expanded) as one batch waiting to be parsed."""
    require(actor, Perm.VIEW, organisation)
    files = [f for name, data in uploads for f in _expand(name, data)]
    if not files:
        raise ValidationError("请选择要导入的年报文件或 ZIP 压缩包。")
    if len(files) > MAX_IMPORT_FILES:
        raise ValidationError(f"一次最多导入 {MAX_IMPORT_FILES} 个文件。")
    batch = ImportBatch.objects.create(
        organisation=organisation, created_by=stored_user(actor)
    )
    for i, (name, data) in enumerate(files):
        stored = default_storage.save(_import_name(batch, i), ContentFile(data))
        ImportItem.objects.create(batch=batch, filename=name[:255], path=stored)
    audit_record(
        action="supervision.import_batch",
        actor=actor,
        organisation=organisation,
        obj=batch,
        details={"files": len(files)},
    )
    return batch


def _match_unit(
    root: Organisation, agency: str | None, filename: str
) -> Organisation | None:
    """The descendant the report belongs to: its name in the report, else in the file name."""
    units = [u for u in subtree(root) if u.pk != root.pk]
    for text in (agency or "", filename):
        hits = [u for u in units if u.name in text] or [
            u for u in units if u.short_name and u.short_name in text
        ]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            longest = max(hits, key=lambda u: len(u.name))
            if sum(1 for u in hits if len(u.name) == len(longest.name)) == 1:
                return longest
    return None


def import_item_process(item: ImportItem, actor: Actor) -> ImportItem:
    """Parse one file and attach it to the right unit and year; the rest go on regardless."""
    batch = item.batch
    data = _import_bytes(item)
    if not item.filename.lower().endswith(REPORT_SUFFIXES):
        return _item_fail(item, "不是年报文件（支持 TXT、HTML、DOCX、PDF）。")
    parsed = parse_bytes(data, item.filename)
    unit = _match_unit(batch.organisation, parsed.agency or parsed.title, item.filename)
    if unit is None:
        return _item_fail(
            item,
            f"无法确定属于哪个下级单位（报告中的机关名称：{parsed.agency or '未识别'}）。",
        )
    try:
        # The parse above ran outside any transaction (a scan's OCR takes seconds a
        # page); only storing the report and the item's state is one transaction.
        with transaction.atomic():
            report = report_import(
                actor=actor,
                organisation=unit,
                year=parsed.year,
                filename=item.filename,
                data=data,
                perm=Perm.VIEW,
                parsed=parsed,
            )
            item.state, item.report = ImportItem.State.IMPORTED, report
            item.errors = sum(1 for f in report.findings if f["severity"] == "error")
            item.warnings = sum(
                1 for f in report.findings if f["severity"] == "warning"
            )
            item.message = f"已导入为{unit.name}{report.year}年年度报告"
            item.save()
    except ValidationError as exc:
        return _item_fail(item, "；".join(exc.messages))
    except PermissionDenied as exc:
        return _item_fail(item, str(exc))
    return item


def _item_fail(item: ImportItem, message: str) -> ImportItem:
    item.state, item.message = ImportItem.State.FAILED, message
    item.save(update_fields=["state", "message"])
    return item


def import_batch_process(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("created_by", "organisation").get(
        pk=batch_id
    )
    for item in batch.items.filter(state=ImportItem.State.WAITING):
        try:
            import_item_process(item, batch.created_by)
        except Exception:
            # One bad file must not stop the batch; the person sees a Chinese reason,
            # the log keeps the exception.
            log.exception("bulk import item %s failed", item.pk)
            _item_fail(item, "处理失败：文件无法读取或内容异常，请检查文件后单独导入。")
    batch.finished_at = timezone.now()
    batch.save(update_fields=["finished_at"])
