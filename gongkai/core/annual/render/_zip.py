"""Byte-stable ZIP packages (DOCX, XLSX): the same report gives the same bytes.

python-docx and openpyxl stamp each ZIP member with the current time; the
members are rewritten here with one fixed timestamp, in their original order.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping

# The earliest time a ZIP header can hold; any fixed value would do.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def normalize_zip(
    data: bytes, rewrite: Mapping[str, Callable[[str], str]] | None = None
) -> bytes:
    """Fixed member timestamps; ``rewrite`` maps a member name to a text transform."""
    rewrite = rewrite or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if info.filename in rewrite:
                content = rewrite[info.filename](content.decode("utf-8")).encode(
                    "utf-8"
                )
            target.writestr(member, content)
    return out.getvalue()
