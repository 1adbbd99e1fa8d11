"""The shared upload check: size, type by content, ClamAV (EICAR refused)."""

from __future__ import annotations

import io
import os
import shutil
import socket
import struct
import subprocess
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.security.uploads import private_file_response, validate_upload

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _docx() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def test_a_real_pdf_and_a_real_docx_pass():
    checked = validate_upload(_file("通知.pdf", PDF))
    assert (
        checked.kind == "pdf" and checked.size == len(PDF) and len(checked.sha256) == 64
    )
    assert validate_upload(_file("a.DOCX", _docx())).kind == "docx"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"MZ\x90\x00" + b"\x00" * 60, "可执行文件"),
        ("a.pdf", b"<html><script>alert(1)</script></html>", "不符"),
        ("a.docx", PDF, "不符"),
        ("a.exe", PDF, "不支持该文件类型"),
        ("a.svg", b"<svg onload=alert(1)>", "不支持该文件类型"),
        ("noext", PDF, "不支持该文件类型"),
        ("a.pdf", b"", "空的"),
        ("a.png", b"#!/bin/sh\nrm -rf /\n", "脚本"),
    ],
)
def test_bad_uploads_are_refused_in_chinese(name, data, message):
    with pytest.raises(ValidationError) as info:
        validate_upload(_file(name, data))
    assert message in info.value.messages[0], info.value.messages


def test_the_size_limit_applies(settings):
    settings.UPLOAD_MAX_MB = 1
    with pytest.raises(ValidationError) as info:
        validate_upload(_file("big.pdf", PDF + b"0" * (1024 * 1024)))
    assert "文件过大" in info.value.messages[0]


def test_text_kinds_are_opt_in():
    with pytest.raises(ValidationError):
        validate_upload(_file("a.csv", "名称,数量\n".encode()))
    assert (
        validate_upload(_file("a.csv", "名称,数量\n".encode()), kinds={"csv"}).kind
        == "csv"
    )


class FakeClamd:
    """A tiny clamd speaking INSTREAM on a Unix socket, flagging the EICAR string."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(4)
        self.scanned: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    (length,) = struct.unpack("!L", self._exact(conn, 4))
                    if length == 0:
                        break
                    data += self._exact(conn, length)
                self.scanned.append(data)
                verdict = b"Eicar-Test-Signature FOUND" if EICAR in data else b"OK"
                conn.sendall(b"stream: " + verdict + b"\0")

    @staticmethod
    def _exact(conn: socket.socket, n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += conn.recv(n - len(out))
        return out

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(tmp_path, settings):
    server = FakeClamd(tmp_path / "clamd.sock")
    settings.CLAMD_SOCKET = server.path
    yield server
    server.close()


@pytest.mark.django_db
def test_eicar_is_refused_when_clamd_is_configured(clamd):
    from gongkai.audit.models import AuditEvent

    with pytest.raises(ValidationError) as info:
        validate_upload(_file("a.txt", EICAR), kinds={"txt"})
    assert "病毒检查" in info.value.messages[0] and "Eicar" in info.value.messages[0]
    assert AuditEvent.objects.filter(action="security.upload_virus").exists()
    assert validate_upload(_file("a.pdf", PDF)).kind == "pdf"
    assert clamd.scanned[-1] == PDF


def test_an_unreachable_clamd_warns_or_refuses_as_configured(tmp_path, settings):
    settings.CLAMD_SOCKET = str(tmp_path / "missing.sock")
    assert validate_upload(_file("a.pdf", PDF)).kind == "pdf"
    settings.CLAMD_REQUIRED = True
    with pytest.raises(ValidationError) as info:
        validate_upload(_file("a.pdf", PDF))
    assert "暂时不可用" in info.value.messages[0]


ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def real_clamd(tmp_path_factory):
    """The socket of a real clamd: the one CI started (``.ci/run`` exports
    GONGKAI_TEST_CLAMD_SOCKET), a system clamd, or one started here with the local
    EICAR signature (``scripts/clamd-local.sh``). Skipped only where clamd is not
    installed (``scripts/bootstrap.sh --dev`` installs it)."""
    for candidate in (
        os.environ.get("GONGKAI_TEST_CLAMD_SOCKET", ""),
        "/run/clamav/clamd.ctl",
        "/var/run/clamav/clamd.ctl",
    ):
        if candidate and Path(candidate).is_socket():
            yield candidate
            return
    if not (shutil.which("clamd") and shutil.which("sigtool")):
        pytest.skip("clamd 未安装（scripts/bootstrap.sh --dev 会安装 clamav-daemon）")
    folder = tmp_path_factory.mktemp("clamd")
    script = str(ROOT / "scripts" / "clamd-local.sh")
    started = subprocess.run(
        [script, "start", str(folder)], capture_output=True, text=True, timeout=120
    )
    assert started.returncode == 0, started.stderr
    yield started.stdout.strip()
    subprocess.run([script, "stop", str(folder)], timeout=60, check=False)


@pytest.mark.django_db
def test_eicar_is_refused_by_a_real_clamd(settings, real_clamd):
    from gongkai.audit.models import AuditEvent

    settings.CLAMD_SOCKET = real_clamd
    settings.CLAMD_REQUIRED = True  # an unreachable clamd would be refused, not skipped
    for data in (EICAR, b"Scanned ID card:\n" + EICAR + b"\nend\n"):
        with pytest.raises(ValidationError) as info:
            validate_upload(_file("a.txt", data), kinds={"txt"})
        assert "未通过病毒检查" in info.value.messages[0]
        assert "EICAR" in info.value.messages[0].upper()
    assert AuditEvent.objects.filter(action="security.upload_virus").count() == 2
    assert validate_upload(_file("a.pdf", PDF)).kind == "pdf"  # clean: accepted


def test_downloads_are_forced_attachments_with_a_sandbox():
    response = private_file_response(io.BytesIO(PDF), filename="通知.pdf", kind="pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_stored_files_are_outside_the_web_root_and_not_served_by_url(client, settings):
    media = Path(settings.MEDIA_ROOT).resolve()
    static_root = Path(settings.STATIC_ROOT).resolve()
    assert static_root not in media.parents and media != static_root
    for source in settings.STATICFILES_DIRS:
        assert Path(source).resolve() not in media.parents
    media.mkdir(parents=True, exist_ok=True)
    probe = media / "probe-secret.txt"
    probe.write_text("secret")
    try:
        for url in ("/media/probe-secret.txt", "/static/../media/probe-secret.txt"):
            response = client.get(url)
            assert response.status_code == 404 or b"secret" not in response.content
    finally:
        probe.unlink()
