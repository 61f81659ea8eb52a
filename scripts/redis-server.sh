#!/usr/bin/env bash
# A throwaway redis-server for tests, on 127.0.0.1 only, with no persistence.
#
#   scripts/redis-server.sh            start on a free port; prints the port
#   scripts/redis-server.sh start P    start on port P; prints the port
#   scripts/redis-server.sh stop P     stop the server on port P
#   scripts/redis-server.sh install    only install redis-server (used by scripts/redis-cluster.sh)
#
# Installs Debian's redis-server first when it is not on PATH (CI and this machine run as root).
set -euo pipefail

pidfile() { echo "${TMPDIR:-/tmp}/grantkit-redis-$1.pid"; }

stop() {
  local port="$1" file
  file="$(pidfile "$port")"
  redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  if [ -f "$file" ]; then
    kill "$(cat "$file")" >/dev/null 2>&1 || true
    rm -f "$file"
  fi
}

install() {
  command -v redis-server >/dev/null 2>&1 && return
  local log
  log="$(mktemp)"
  export DEBIAN_FRONTEND=noninteractive
  # Quiet unless it fails.
  # One apt at a time: the demo's browser test may be installing chromium in parallel.
  if ! flock /tmp/grantkit-apt.lock sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server' >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

free_port() {
  node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local port="$1" i
  redis-server --daemonize yes --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --pidfile "$(pidfile "$port")" --logfile /dev/null >/dev/null
  # --daemonize returns before the server listens (and even when it cannot bind): wait for PONG.
  for i in $(seq 1 50); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then
      echo "$port"
      return 0
    fi
    sleep 0.1
  done
  stop "$port"
  return 1
}

case "${1:-start}" in
  install) install ;;
  stop) stop "${2:?usage: redis-server.sh stop PORT}" ;;
  start)
    install
    if [ -n "${2:-}" ]; then
      start "$2"
    else
      # A free port can be taken between the probe and the bind: try a few.
      for attempt in 1 2 3; do start "$(free_port)" && exit 0; done
      echo "redis-server did not start" >&2
      exit 1
    fi
    ;;
  *) echo "usage: redis-server.sh [start [PORT] | stop PORT | install]" >&2; exit 2 ;;
esac
