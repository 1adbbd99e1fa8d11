"""The shared upload check: size, type by content (not by name), optional ClamAV.

Call :func:`validate_upload` in the service before storing a file; store it under
``MEDIA_ROOT`` (``GONGKAI_VAR_DIR/media``, outside the static web root, never
served by URL) with a random name; serve it with :func:`private_file_response`
after the permission check. Every refusal is a ``ValidationError`` in Chinese.

Beyond the type, PDFs are parsed with pikepdf (qpdf) and refused with JavaScript,
launch actions or embedded files, or when they are also a web page (polyglot);
zip containers (docx, xlsx, ofd, zip) are refused when their central directory
promises too large an expansion (zip bombs). Why pikepdf rather than a byte
search: names may be escaped (``/J#61vaScript``) and objects compressed in object
streams, which only a parser sees.

ClamAV: set ``GONGKAI_CLAMD_SOCKET`` to clamd's Unix socket (or ``host:port``);
each upload is streamed with the INSTREAM command. While clamd is unreachable
uploads are accepted with a warning in the log, or refused when
``GONGKAI_CLAMD_REQUIRED=true``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import socket
import struct
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse

from gongkai.audit.services import audit_record

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    ext: str
    mime: str
    label: str


KINDS: dict[str, Kind] = {
    k.ext: k
    for k in (
        Kind("pdf", "application/pdf", "PDF"),
        Kind("ofd", "application/ofd", "OFD 版式文件"),
        Kind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word（docx）",
        ),
        Kind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel（xlsx）",
        ),
        Kind("doc", "application/msword", "Word（doc）"),
        Kind("xls", "application/vnd.ms-excel", "Excel（xls）"),
        Kind("png", "image/png", "PNG 图片"),
        Kind("jpg", "image/jpeg", "JPEG 图片"),
        Kind("txt", "text/plain; charset=utf-8", "文本"),
        Kind("csv", "text/csv; charset=utf-8", "CSV 表格"),
        Kind("zip", "application/zip", "ZIP 压缩包"),
    )
}
DEFAULT_KINDS = frozenset({"pdf", "ofd", "docx", "xlsx", "doc", "xls", "png", "jpg"})
_ALIASES = {"jpeg": "jpg"}

_DANGEROUS_HEADS = (
    (b"MZ", "Windows 可执行文件"),
    (b"\x7fELF", "Linux 可执行文件"),
    (b"#!", "脚本"),
    (b"<?php", "PHP 脚本"),
)


def sniff(head: bytes, data: IO[bytes] | None = None) -> str | None:
    """The kind the content really is (by its bytes), or None if unknown."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # doc or xls: the OLE container does not say which
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            names = set(zipfile.ZipFile(data).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            data.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
        return "zip"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return None
        lowered = head.lstrip().lower()
        if lowered.startswith(
            (b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<script")
        ):
            return "markup"
        return "text"
    return None


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    mime: str
    size: int
    sha256: str


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="upload")


def validate_upload(
    upload: Any,
    *,
    kinds: frozenset[str] | set[str] = DEFAULT_KINDS,
    max_bytes: int | None = None,
    name: str | None = None,
) -> CheckedUpload:
    """Check an uploaded file (Django ``UploadedFile`` or any binary file object)."""
    name = (name or getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    limit = max_bytes or settings.UPLOAD_MAX_MB * 1024 * 1024
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    upload.seek(0)
    if size == 0:
        raise _refuse("上传的文件是空的。")
    if size > limit:
        raise _refuse(
            f"文件过大：{size / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB。"
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    ext = _ALIASES.get(ext, ext)
    allowed = ", ".join(sorted(KINDS[k].label for k in kinds if k in KINDS))
    if ext not in kinds:
        raise _refuse(f"不支持该文件类型“.{ext or '无扩展名'}”，可上传：{allowed}。")
    head = upload.read(4096)
    upload.seek(0)
    for magic, what in _DANGEROUS_HEADS:
        if head.startswith(magic):
            raise _refuse(f"文件内容是{what}，不允许上传。")
    found = sniff(head, upload)
    matches = (
        found == ext
        or (found == "ole" and ext in ("doc", "xls"))
        or (found == "text" and ext in ("txt", "csv"))
    )
    if not matches:
        raise _refuse(
            f"文件内容与扩展名“.{ext}”不符（可能被改过扩展名或已损坏），请上传真实的 {KINDS[ext].label} 文件。"
        )
    if found in ZIP_KINDS:
        check_zip_expansion(upload)
    if found == "pdf":
        check_pdf(upload)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    virus = clamd_scan(upload)
    upload.seek(0)
    if virus:
        audit_record(
            action="security.upload_virus",
            result="denied",
            details={
                "name": name[:200],
                "signature": virus,
                "sha256": digest.hexdigest(),
            },
        )
        raise _refuse(f"文件未通过病毒检查（{virus}），已拒绝。")
    return CheckedUpload(
        kind=ext, mime=KINDS[ext].mime, size=size, sha256=digest.hexdigest()
    )


# ------------------------------------------------------------ active content

ZIP_KINDS = frozenset({"docx", "xlsx", "ofd", "zip"})
MAX_ZIP_RATIO = 100  # a Word or Excel file compresses ~3–20×; a zip bomb ~1000×
MAX_ZIP_MEMBERS = 10000


def check_zip_expansion(upload: IO[bytes]) -> None:
    """Refuse a zip container (docx, xlsx, ofd, zip) that would expand to too much.

    Reads only the central directory (stdlib ``zipfile``, nothing is extracted):
    the total uncompressed size against ``GONGKAI_UPLOAD_MAX_EXPANDED_MB`` and the
    expansion ratio of the whole and of each large member against 100×.
    """
    limit = settings.UPLOAD_MAX_EXPANDED_MB * 1024 * 1024
    try:
        members = zipfile.ZipFile(upload).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse("压缩格式的文件已损坏，无法检查，请重新保存后上传。") from None
    finally:
        upload.seek(0)
    if len(members) > MAX_ZIP_MEMBERS:
        raise _refuse(
            f"文件内含 {len(members)} 个部件，超过上限 {MAX_ZIP_MEMBERS}，不允许上传。"
        )
    expanded = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if expanded > limit:
        raise _refuse(
            f"文件解压后约 {expanded / 1048576:.0f} MB，超过上限 "
            f"{settings.UPLOAD_MAX_EXPANDED_MB} MB（可能是“压缩炸弹”），不允许上传。"
        )
    worst = max(
        (
            m.file_size / max(m.compress_size, 1)
            for m in members
            if m.file_size > 1024 * 1024
        ),
        default=expanded / max(packed, 1) if expanded > 1024 * 1024 else 0,
    )
    if worst > MAX_ZIP_RATIO:
        raise _refuse(
            f"文件的压缩比异常（约 {worst:.0f} 倍，上限 {MAX_ZIP_RATIO} 倍），"
            "可能是“压缩炸弹”，不允许上传。"
        )


# Markup that makes a PDF also a web page (a PDF/HTML polyglot): a browser or a
# mail client that sniffs the content would run it. Only tags of five letters or
# more, so that compressed image data (random bytes) matches about once in 10^5
# scans of 5 MB.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|body|script|iframe)[\s>/]",
    re.IGNORECASE,
)
# Names of active content, in a PDF that no parser can read (searched in the raw
# bytes after undoing #xx escapes in names).
_PDF_ACTIVE_NAMES = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles|EmbeddedFile|FileAttachment)"
    rb"(?=[\s()<>\[\]{}/%]|$)"
)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_REFUSALS = {
    "js": "PDF 文件含有 JavaScript 脚本（如打开即运行的动作），不允许上传。请用“打印为 PDF”或扫描件重新生成后上传。",
    "launch": "PDF 文件含有启动外部程序的动作（Launch），不允许上传。",
    "embedded": "PDF 文件内嵌了其他文件（附件），不允许上传。请把材料分别上传。",
}


def _pdf_object_findings(obj: Any, found: set[str], depth: int = 0) -> None:
    """Active content in one PDF object and its direct (not indirect) children."""
    if depth > 40:
        return
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        keys = set(obj.keys())
        if keys & {"/JS", "/JavaScript"} or obj.get("/S") == pikepdf.Name.JavaScript:
            found.add("js")
        if obj.get("/S") == pikepdf.Name.Launch:
            found.add("launch")
        if (
            "/EmbeddedFiles" in keys
            or obj.get("/Type") == pikepdf.Name.EmbeddedFile
            or obj.get("/Subtype") == pikepdf.Name.FileAttachment
        ):
            found.add("embedded")
        children: Any = (obj.get(k) for k in keys)
    elif isinstance(obj, pikepdf.Array):
        children = iter(obj)
    else:
        return
    for child in children:
        if isinstance(child, pikepdf.Object) and not child.is_indirect:
            _pdf_object_findings(child, found, depth + 1)


def check_pdf(upload: IO[bytes]) -> None:
    """Refuse a PDF with JavaScript, a launch action or embedded files (parsed with
    pikepdf/qpdf, every object), or one that is also a web page (polyglot).

    A file qpdf cannot read at all is searched byte by byte for the same names, so
    hiding them behind a broken cross-reference table does not help.
    """
    data = upload.read()
    upload.seek(0)
    if _MARKUP.search(data):
        raise _refuse(
            "文件同时含有 PDF 和网页（HTML）内容，可能被浏览器当作网页运行，不允许上传。"
        )
    found: set[str] = set()
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for obj in pdf.objects:
                _pdf_object_findings(obj, found)
            _pdf_object_findings(pdf.trailer, found)
    except pikepdf.PasswordError:
        raise _refuse(
            "PDF 文件已加密（设有打开密码），无法检查，请上传未加密的文件。"
        ) from None
    except pikepdf.PdfError:
        plain = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
        for match in _PDF_ACTIVE_NAMES.finditer(plain):
            name = match.group(1)
            found.add(
                "js"
                if name in (b"JavaScript", b"JS")
                else "launch"
                if name == b"Launch"
                else "embedded"
            )
    for kind in ("js", "launch", "embedded"):
        if kind in found:
            raise _refuse(_PDF_REFUSALS[kind])


# ----------------------------------------------------------------------- ClamAV


class ClamdUnavailable(OSError):
    pass


def _clamd_connect() -> socket.socket:
    target = settings.CLAMD_SOCKET
    if target.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(30)
        sock.connect(target)
        return sock
    host, _, port = target.rpartition(":")
    return socket.create_connection((host or "127.0.0.1", int(port)), timeout=30)


def clamd_scan(data: IO[bytes]) -> str | None:
    """Stream ``data`` to clamd; return the signature name if infected, else None."""
    if not settings.CLAMD_SOCKET:
        return None
    try:
        with _clamd_connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in iter(lambda: data.read(65536), b""):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except (OSError, ValueError) as exc:
        if settings.CLAMD_REQUIRED:
            raise _refuse("病毒检查服务暂时不可用，请稍后再上传。") from exc
        log.warning("clamd unreachable at %s: %s", settings.CLAMD_SOCKET, exc)
        return None
    text = reply.rstrip(b"\0").decode("utf-8", "replace")
    if text.endswith("FOUND"):
        return text.split(":", 1)[-1].removesuffix("FOUND").strip()
    if text.endswith("OK"):
        return None
    if settings.CLAMD_REQUIRED:
        raise _refuse(f"病毒检查失败：{text}")
    log.warning("clamd answered %r", text)
    return None


def private_file_response(
    fileobj: IO[bytes], *, filename: str, kind: str
) -> FileResponse:
    """Serve a stored upload after the caller's permission check: always a download,
    with the sniffed type, no content sniffing and a sandbox CSP."""
    response = FileResponse(
        fileobj,
        as_attachment=True,
        filename=filename,
        content_type=KINDS[kind].mime if kind in KINDS else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
