#!/usr/bin/env bash
# Installs everything Gongkai needs on a fresh Debian machine, idempotently:
# Debian packages (missing ones only), the virtual environment and the pinned
# Python packages (re-installed only when the pins change).
#   scripts/bootstrap.sh          runtime (make run)
#   scripts/bootstrap.sh --dev    runtime + test tools + Chromium (make test, CI)
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[ "${1:-}" = "--dev" ] && DEV=1

# pango/fonts: PDF output (WeasyPrint) with Chinese glyphs; poppler-utils: PDF checks.
# libgl1/libglib2.0-0: OpenCV (opencv-python, pulled in by rapidocr-onnxruntime) for the
# OCR of scanned annual reports (issue 20).
DEBS=(libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils libgl1 libglib2.0-0)
# chromium: the real-browser tests (Playwright drives Debian's /usr/bin/chromium).
[ "$DEV" = 1 ] && DEBS+=(chromium)
# clamav-daemon + clamav (sigtool): the ClamAV upload test runs against a real clamd
# with a local EICAR signature (scripts/clamd-local.sh); production: docs/deploy.md.
[ "$DEV" = 1 ] && DEBS+=(clamav-daemon clamav)
# nginx: the generated site is checked with `nginx -t` and run in front of a test
# upstream (gongkai/ops/tests/test_nginx.py); production: docs/deploy.md.
[ "$DEV" = 1 ] && DEBS+=(nginx)

missing=()
for pkg in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> 安装系统软件包：${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> 创建虚拟环境 .venv"
  "$PY" -m venv .venv
fi

req=requirements.txt
[ "$DEV" = 1 ] && req=requirements-dev.txt
stamp=".venv/.installed-$(cat "$req" requirements.txt constraints.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> 安装 Python 依赖（$req）"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req" -c constraints.txt 2>&1 \
    | { grep -v "^WARNING: Location" || true; }
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
    || .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  touch "$stamp"
fi
