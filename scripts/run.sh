#!/usr/bin/env bash
# The embedded profile: SQLite (WAL), one web process, one task worker, demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

HOST="${GONGKAI_HOST:-127.0.0.1}"
PORT="${GONGKAI_PORT:-8000}"
PY=.venv/bin/python

$PY manage.py migrate --noinput -v0
$PY manage.py load_demo

# The task worker also runs the periodic jobs (gongkai/ops/jobs.py).
$PY manage.py worker >var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

echo ""
echo "Gongkai 已启动：http://$HOST:$PORT/   （工作人员登录：http://$HOST:$PORT/login/）"
echo "API 文档：http://$HOST:$PORT/api/docs    任务进程日志：var/worker.log    按 Ctrl+C 停止"
echo "本机密钥：var/keys.env（首次启动时随机生成，权限 600；加密数据离不开它，请备份，勿外传）"
.venv/bin/gunicorn gongkai.config.wsgi:application --bind "$HOST:$PORT" --workers 1 --threads 8 \
  --access-logfile - --error-logfile -
