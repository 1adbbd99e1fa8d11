#!/usr/bin/env bash
# Runs every benchmark at its --small size (seconds each; answers checked, no timing
# goals), so none of them rots; each exits non-zero on a wrong answer. PostgreSQL parts run when 127.0.0.1:5432 answers.
#   bench/smoke.sh            (tests/test_bench_smoke.py runs the same in CI)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
for b in bench_annual_tables bench_dashboard_queries bench_search bench_portal_throughput \
    bench_deadline_recompute_db; do
  echo "==> $b --small"
  $PY "bench/$b.py" --small "$@"
done
# No database, or SQLite only; they take no --profile.
for b in bench_deadline_recompute bench_annual_render_check bench_redaction bench_pii \
    bench_notifications bench_annual_parse; do
  echo "==> $b --small"
  $PY "bench/$b.py" --small
done
echo "==> 全部基准测试（小规模）通过"
