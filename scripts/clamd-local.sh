#!/usr/bin/env bash
# A private clamd for tests and CI, with one local signature: the EICAR test string.
#   scripts/clamd-local.sh start [DIR]   start it (DIR default var/clamav-test); prints the socket
#   scripts/clamd-local.sh stop [DIR]    stop it
# CI has no access to the signature mirrors, so freshclam cannot download the real
# databases; sigtool turns the EICAR string into a body signature (.ndb) and clamd
# loads only that (a second or less). Production: the Debian clamav-daemon service
# with freshclam (docs/deploy.md, "ClamAV").
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:-}"
dir="$(realpath -m "${2:-var/clamav-test}")"
socket="$dir/clamd.sock"

case "$action" in
start)
  command -v clamd >/dev/null && command -v sigtool >/dev/null || {
    echo "clamd/sigtool 未安装：运行 scripts/bootstrap.sh --dev（安装 clamav-daemon）" >&2
    exit 1
  }
  if [ -S "$socket" ] && [ -f "$dir/clamd.pid" ] && kill -0 "$(cat "$dir/clamd.pid")" 2>/dev/null; then
    echo "$socket"
    exit 0
  fi
  mkdir -p "$dir/db"
  # The EICAR test file (not a virus; every scanner detects it by agreement).
  printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$dir/eicar.txt"
  echo "Gongkai-Test-EICAR:0:*:$(sigtool --hex-dump <"$dir/eicar.txt" | tr -d '\n')" >"$dir/db/eicar.ndb"
  rm -f "$dir/eicar.txt" "$socket"
  cat >"$dir/clamd.conf" <<CONF
DatabaseDirectory $dir/db
LocalSocket $socket
LocalSocketMode 600
PidFile $dir/clamd.pid
LogFile $dir/clamd.log
Foreground false
StreamMaxLength 64M
CONF
  clamd -c "$dir/clamd.conf"
  for _ in $(seq 1 100); do
    [ -S "$socket" ] && { echo "$socket"; exit 0; }
    sleep 0.1
  done
  echo "clamd 未能启动，见 $dir/clamd.log" >&2
  exit 1
  ;;
stop)
  if [ -f "$dir/clamd.pid" ]; then
    kill "$(cat "$dir/clamd.pid")" 2>/dev/null || true
    rm -f "$dir/clamd.pid"
  fi
  ;;
*)
  sed -n '2,4p' "$0" | sed 's/^# //'
  exit 2
  ;;
esac
