"""The shared upload check: size, type by content (not by name), optional ClamAV.

Call :func:`validate_upload` in the service before storing a file; store it under
``MEDIA_ROOT`` (``GONGKAI_VAR_DIR/media``, outside the static web root, never
served by URL) with a random name; serve it with :func:`private_file_response`
after the permission check. Every refusal is a ``ValidationError`` in Chinese.

ClamAV: set ``GONGKAI_CLAMD_SOCKET`` to clamd's Unix socket (or ``host:port``);
each upload is streamed with the INSTREAM command. While clamd is unreachable
uploads are accepted with a warning in the log, or refused when
``GONGKAI_CLAMD_REQUIRED=true``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import socket
import struct
import zipfile
from dataclasses import dataclass
from typing import IO, Any

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
