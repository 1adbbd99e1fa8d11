"""Untrusted content: rich-text bodies (sanitised with nh3) and uploads (size, type,
and a sniff of the first bytes so a renamed executable is refused)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote",
    "h2", "h3", "h4", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr",
    "th", "td", "caption", "hr", "span", "div", "pre", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def clean_html(html: str) -> str:
    """Keep document structure; drop scripts, styles, event handlers, javascript: URLs."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|tr|blockquote|pre)>|<br\s*/?>", re.I)


def plain_text(html: str) -> str:
    """The text of a body, one line per block (for feeds, posters, screens, diffs)."""
    text = nh3.clean(_BLOCK_END.sub("\n", html or ""), tags=set())
    lines = (line.strip() for line in unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


# Extension → (magic prefixes, MIME type). The first bytes must match one prefix.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
FILE_KINDS: dict[str, tuple[tuple[bytes, ...], str]] = {
    "pdf": ((b"%PDF-",), "application/pdf"),
    "ofd": (_ZIP, "application/ofd"),
    "docx": (
        _ZIP,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "doc": (_OLE, "application/msword"),
    "xls": (_OLE, "application/vnd.ms-excel"),
    "wps": (_OLE, "application/vnd.ms-works"),
    "jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
}
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


@dataclass(frozen=True)
class UploadCheck:
    kind: str
    content_type: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "GONGKAI_PUBLISHING_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def check_upload(name: str, size: int, head: bytes) -> UploadCheck:
    """Accept an upload only if its size, extension and first bytes agree."""
    limit = max_upload_bytes()
    if size <= 0:
        raise ValidationError("附件“%(name)s”是空文件。", params={"name": name})
    if size > limit:
        raise ValidationError(
            f"附件“{name}”大小为 {size / 1048576:.1f} MB，超过上限 {limit // 1048576} MB。"
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FILE_KINDS:
        allowed = "、".join(sorted(FILE_KINDS))
        raise ValidationError(
            f"不允许上传“.{ext or '无扩展名'}”文件；允许的类型：{allowed}。"
        )
    if head.startswith(_EXECUTABLE):
        raise ValidationError(f"附件“{name}”实为可执行程序，已拒绝。")
    magics, content_type = FILE_KINDS[ext]
    if not any(head.startswith(m) for m in magics):
        raise ValidationError(
            f"附件“{name}”的内容与扩展名“.{ext}”不符（文件可能被改名），已拒绝。"
        )
    return UploadCheck(kind=ext, content_type=content_type)
