#!/usr/bin/env bash
# The scale profile, locally: PostgreSQL + Redis on this machine, N gunicorn web
# processes, N task workers (rq), demo data. See docs/deploy.md for production.
#   scripts/run-scale.sh            (or: make run-scale)
# Knobs: GONGKAI_SCALE_DB (gongkai_scale), GONGKAI_WEB_WORKERS, GONGKAI_TASK_WORKERS,
# PGHOST/PGPORT (127.0.0.1:5432, user postgres, trust), REDIS_URL, GONGKAI_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

DB="${GONGKAI_SCALE_DB:-gongkai_scale}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
CPUS="$(nproc)"
WEB="${GONGKAI_WEB_WORKERS:-$((CPUS * 2 + 1))}"
TASKS="${GONGKAI_TASK_WORKERS:-$CPUS}"
export GONGKAI_HOST="${GONGKAI_HOST:-127.0.0.1}"
export GONGKAI_PORT="${GONGKAI_PORT:-8000}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@$PGHOST:$PGPORT/$DB}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export GONGKAI_TASKS_BACKEND=rq
export GONGKAI_DB_CONN_MAX_AGE="${GONGKAI_DB_CONN_MAX_AGE:-60}"
export GONGKAI_WEB_WORKERS="$WEB"
PY=.venv/bin/python

if ! pg_isready -h "$PGHOST" -p "$PGPORT" -q; then
  echo "PostgreSQL（$PGHOST:$PGPORT）未运行，请先启动数据库。" >&2
  exit 1
fi
if ! $PY -c "import redis,os; redis.Redis.from_url(os.environ['REDIS_URL']).ping()" 2>/dev/null; then
  echo "Redis（$REDIS_URL）无法连接，请先启动 Redis。" >&2
  exit 1
fi
if ! psql -h "$PGHOST" -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
  echo "==> 创建数据库 $DB"
  psql -h "$PGHOST" -p "$PGPORT" -U postgres -qc "CREATE DATABASE \"$DB\""
fi

echo "==> 迁移数据库并载入演示数据"
$PY manage.py migrate --noinput -v0
$PY manage.py load_demo

mkdir -p var
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
for i in $(seq 1 "$TASKS"); do
  # rq worker + the scheduler of periodic jobs (one claim per due run across workers)
  $PY manage.py worker >"var/rqworker-$i.log" 2>&1 &
  pids+=($!)
done

echo ""
echo "Gongkai（规模部署：PostgreSQL $DB，Redis，$WEB 个网页进程，$TASKS 个任务进程）已启动："
echo "  http://$GONGKAI_HOST:$GONGKAI_PORT/   （工作人员登录：http://$GONGKAI_HOST:$GONGKAI_PORT/login/）"
echo "  任务进程日志：var/rqworker-*.log    按 Ctrl+C 停止"
.venv/bin/gunicorn -c gongkai/config/gunicorn.py &
pids+=($!)
wait "${pids[-1]}"
