#!/usr/bin/env bash
# Runs the whole suite (SQLite by default; set DATABASE_URL for PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --dev
rc=0
.venv/bin/pytest "$@" || rc=$?
# pytest exits 5 when nothing was collected (e.g. a -k that matches nothing).
[ "$rc" -eq 5 ] && { echo "没有收集到测试。"; rc=0; }
exit "$rc"
