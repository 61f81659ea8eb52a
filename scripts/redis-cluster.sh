#!/usr/bin/env bash
# A throwaway 3-node Redis Cluster for tests, on 127.0.0.1 only, no persistence, no replicas.
#
#   scripts/redis-cluster.sh              start three nodes on free ports; prints the three ports
#   scripts/redis-cluster.sh stop P1 P2 P3  stop them and remove their cluster state
#
# Installs Debian's redis-server first when it is not on PATH (through scripts/redis-server.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
statedir() { echo "${TMPDIR:-/tmp}/grantkit-redis-cluster-$1"; }

stop() {
  local port
  for port in "$@"; do
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
    "$here/redis-server.sh" stop "$port" >/dev/null 2>&1 || true
    rm -rf "$(statedir "$port")"
  done
}

start_node() {
  local port="$1" dir
  dir="$(statedir "$port")"
  mkdir -p "$dir"
  redis-server --daemonize yes --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 2000 \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile /dev/null >/dev/null
}

free_ports() {
  # Three ports whose cluster bus ports (port + 10000) are below 65536 and free as well.
  node -e "
    const net = require('node:net');
    const probe = (port) => new Promise((ok) => { const s = net.createServer(); s.once('error', () => ok(false));
      s.listen(port, '127.0.0.1', () => s.close(() => ok(true))); });
    (async () => { const found = [];
      while (found.length < 3) { const port = 20000 + Math.floor(Math.random() * 35000);
        if (!found.includes(port) && await probe(port) && await probe(port + 10000)) found.push(port); }
      console.log(found.join(' ')); })();"
}

start() {
  local ports=("$@") port i
  for port in "${ports[@]}"; do start_node "$port"; done
  for port in "${ports[@]}"; do
    for i in $(seq 1 50); do
      [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] && break
      sleep 0.1
    done
  done
  redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 0 --cluster-yes \
    >/dev/null 2>&1 || return 1
  # Created is not ready: wait until every node reports the cluster ok.
  for port in "${ports[@]}"; do
    for i in $(seq 1 100); do
      redis-cli -h 127.0.0.1 -p "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && break
      [ "$i" = 100 ] && return 1
      sleep 0.1
    done
  done
  echo "${ports[*]}"
}

case "${1:-start}" in
  stop) shift; stop "$@" ;;
  start)
    "$here/redis-server.sh" install
    for attempt in 1 2 3; do
      # shellcheck disable=SC2046
      set -- $(free_ports)
      start "$@" && exit 0
      stop "$@"
    done
    echo "redis cluster did not start" >&2
    exit 1
    ;;
  *) echo "usage: redis-cluster.sh [start | stop P1 P2 P3]" >&2; exit 2 ;;
esac
