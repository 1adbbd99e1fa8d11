#!/usr/bin/env bash
# Restore drill (docs/security.md, 数据备份恢复): restore a backup into a scratch
# environment, prove it matches the manifest (row counts, per-table digests, file
# checksums), verify the audit chain, and report the time taken (measured RTO).
# The live database and files are never touched.
#
#   scripts/restore-drill.sh                 back up the configured system now, then drill
#   scripts/restore-drill.sh BACKUP_FOLDER   drill an existing backup (e.g. last night's)
#
# PostgreSQL backups are restored into a temporary database on the same server
# (DATABASE_URL's credentials need CREATEDB); SQLite ones into a temporary file.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3

folder="${1:-}"
if [ -z "$folder" ]; then
  echo "==> 备份当前系统"
  folder=$("$PY" manage.py backup | tail -n 1)
fi
[ -f "$folder/manifest.json" ] || { echo "不是完整的备份目录：$folder" >&2; exit 2; }
engine=$("$PY" -c 'import json,sys;print(json.load(open(sys.argv[1]))["engine"])' "$folder/manifest.json")

scratch=$(mktemp -d -t gongkai-drill-XXXXXX)
drill_db=""
cleanup() {
  if [ -n "$drill_db" ]; then
    "$PY" - "$admin_url" "$drill_db" <<'PYEOF' || true
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PYEOF
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

export GONGKAI_VAR_DIR="$scratch/var"
if [ "$engine" = "postgresql" ]; then
  : "${DATABASE_URL:?PostgreSQL 备份需要 DATABASE_URL 指向同一服务器}"
  base="${DATABASE_URL%/*}"
  admin_url="$base/postgres"
  drill_db="gongkai_drill_$(date +%Y%m%d%H%M%S)"
  "$PY" - "$admin_url" "$drill_db" <<'PYEOF'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PYEOF
  export DATABASE_URL="$base/$drill_db"
else
  unset DATABASE_URL
fi

echo "==> 演练恢复 $folder（$engine）到临时环境 $scratch"
start=$(date +%s)
"$PY" manage.py backup --verify "$folder"
"$PY" manage.py restore "$folder" --yes
"$PY" manage.py audit_verify
"$PY" manage.py check
end=$(date +%s)
echo "==> 演练成功：恢复并校验用时 $((end - start)) 秒（实测 RTO 的数据库与附件部分）。"
