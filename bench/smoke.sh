#!/usr/bin/env bash
# Runs every scale benchmark at its --small size (seconds each, no timing goals
# checked), so none of them rots. PostgreSQL parts run when 127.0.0.1:5432 answers.
#   bench/smoke.sh            (tests/test_bench_smoke.py runs the same in CI)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
for b in bench_annual_tables bench_dashboard_queries bench_search bench_portal_throughput \
    bench_deadline_recompute_db; do
  echo "==> $b --small"
  $PY "bench/$b.py" --small "$@"
done
echo "==> bench_deadline_recompute --n 200"
$PY bench/bench_deadline_recompute.py --n 200
echo "==> 全部基准测试（小规模）通过"
