#!/usr/bin/env bash
# Runs the whole suite (SQLite by default; set DATABASE_URL for PostgreSQL).
# With no arguments the suite runs on every core (pytest-xdist, one worker per core;
# GONGKAI_TEST_WORKERS=1 for a single process); with arguments, exactly as given.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --dev
rc=0
if [ "$#" -eq 0 ]; then
  set -- -n "${GONGKAI_TEST_WORKERS:-auto}" --dist loadfile --durations=25
fi
.venv/bin/pytest "$@" || rc=$?
# pytest exits 5 when nothing was collected (e.g. a -k that matches nothing).
[ "$rc" -eq 5 ] && { echo "没有收集到测试。"; rc=0; }
exit "$rc"
