#!/usr/bin/env bash
# Starts (or stops) a local Fleetcast cluster on this machine, every process on 127.0.0.1:
#   Postgres (embedded, unless FLEETCAST_PG_URL is set), 1 gateway and N nodes.
#
#   ops/bin/local-cluster.sh start [N]   # default N=3 nodes
#   ops/bin/local-cluster.sh status
#   ops/bin/local-cluster.sh stop
#
# Ports: gateway API 8080; nodes 8081, 8082, ...; Hazelcast 5701-5720. State in ./fleetcast-local/.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
run=${FLEETCAST_LOCAL_DIR:-$root/fleetcast-local}
jar=$root/gateway/target/fleetcast.jar
java_opts=${JAVA_OPTS:--Xmx512m}

start_proc() { # name, role, extra env...
  local name=$1 role=$2; shift 2
  env "$@" FLEETCAST_DATA_DIR="$run/$name" nohup java $java_opts -jar "$jar" "$role" >"$run/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
}

wait_ready() { # url, name
  for _ in $(seq 1 120); do
    if curl -fs "$1/health/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat "$run/$2.pid")" 2>/dev/null; then echo "$2 died; see $run/$2.log" >&2; tail -5 "$run/$2.log" >&2; return 1; fi
    sleep 0.5
  done
  echo "$2 not ready after 60 s; see $run/$2.log" >&2
  return 1
}

case "${1:-}" in
  start)
    nodes=${2:-3}
    [ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests package -pl gateway -am)
    # private: the logs carry the Postgres URL with its password, the directory the shared key and token
    umask 077
    mkdir -p "$run" && chmod 700 "$run"
    common=(FLEETCAST_DEV=true FLEETCAST_CLUSTER_HOST=127.0.0.1 FLEETCAST_CLUSTER_EVENT_BUS_HOST=127.0.0.1
      FLEETCAST_CLUSTER_MEMBERS=127.0.0.1:5701-5720 FLEETCAST_API_HOST=127.0.0.1 FLEETCAST_AGENT_HOST=127.0.0.1
      FLEETCAST_CLUSTER_EXPECTED_MEMBERS=$((nodes + 1)))
    if [ -z "${FLEETCAST_PG_URL:-}" ]; then
      start_proc postgres postgres FLEETCAST_PG_EMBEDDED_PORT=${FLEETCAST_PG_EMBEDDED_PORT:-15432}
      for _ in $(seq 1 120); do grep -q '^FLEETCAST_PG_URL=' "$run/postgres.log" 2>/dev/null && break; sleep 0.5; done
      FLEETCAST_PG_URL=$(grep -m1 '^FLEETCAST_PG_URL=' "$run/postgres.log" | cut -d= -f2-)
      [ -n "$FLEETCAST_PG_URL" ] || { echo "embedded Postgres did not start; see $run/postgres.log" >&2; exit 1; }
    fi
    # gateways and nodes must share the task-signing key and the admin token
    token_file=$run/admin-token
    [ -f "$token_file" ] || (umask 077; echo "fct_local_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" >"$token_file")
    common+=(FLEETCAST_PG_URL="$FLEETCAST_PG_URL" FLEETCAST_ADMIN_TOKEN="$(cat "$token_file")"
      FLEETCAST_SIGNING_KEY_FILE="$run/signing-ed25519.pem")
    if [ ! -f "$run/signing-ed25519.pem" ]; then
      (umask 077; openssl genpkey -algorithm ed25519 -out "$run/signing-ed25519.pem" 2>/dev/null) \
        || { echo "openssl is needed to create the shared signing key" >&2; exit 1; }
    fi
    start_proc gateway gateway "${common[@]}" FLEETCAST_API_PORT=8080 FLEETCAST_AGENT_PORT=18080
    for i in $(seq 1 "$nodes"); do
      start_proc "node-$i" node "${common[@]}" FLEETCAST_NODE_ID="node-$i" FLEETCAST_AGENT_PORT=$((8080 + i)) \
        FLEETCAST_API_PORT=$((18080 + i))
    done
    wait_ready http://127.0.0.1:8080 gateway
    for i in $(seq 1 "$nodes"); do wait_ready "http://127.0.0.1:$((8080 + i))" "node-$i"; done
    echo "Fleetcast local cluster: 1 gateway + $nodes nodes"
    echo "  API:         http://127.0.0.1:8080/api/v1   (admin token in $token_file)"
    for i in $(seq 1 "$nodes"); do echo "  node-$i:      ws://127.0.0.1:$((8080 + i))/agent/v1"; done
    echo "  Postgres:    $FLEETCAST_PG_URL"
    echo "  Logs:        $run/*.log      Stop: $0 stop"
    ;;
  status)
    for f in "$run"/*.pid; do
      [ -e "$f" ] || { echo "not running"; exit 0; }
      n=$(basename "$f" .pid)
      if kill -0 "$(cat "$f")" 2>/dev/null; then echo "$n: running (pid $(cat "$f"))"; else echo "$n: stopped"; fi
    done
    ;;
  stop)
    # nodes first (they flush queued results), then the gateway, Postgres last
    for f in "$run"/node-*.pid "$run"/gateway.pid "$run"/postgres.pid; do
      [ -e "$f" ] || continue
      pid=$(cat "$f")
      if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      fi
      rm -f "$f"
    done
    echo "stopped"
    ;;
  *)
    sed -n '2,9p' "$0"
    exit 2
    ;;
esac
