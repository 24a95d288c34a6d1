#!/usr/bin/env bash
# Fleetcast load tests: builds the server and the load generator, then runs a scenario.
#
#   load-tests/run.sh <scenario> [options]      one scenario, e.g.  load-tests/run.sh fanout --agents 10000
#   load-tests/run.sh all                       the runs behind docs/performance.md, one after the other
#   load-tests/run.sh --no-build <scenario> ... skip the Maven build
#   load-tests/run.sh ingest --rate 10000 ...   ingest open loop: 10,000 results/s offered, acked or not
#
# Scenarios: connect, fanout, ingest, reconnect, idle (each has --help). Every process a run
# starts (gateway, nodes, generators, floor servers, embedded Postgres) is stopped at its end,
# and dies on its own after --max-minutes (default 30) even if this script is killed.
# Reports: load-tests/results/<scenario>-<timestamp>.json (git-ignored) and a table on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
cd "$top"

build=1
if [ "${1:-}" = "--no-build" ]; then
  build=0
  shift
fi
if [ $# -eq 0 ]; then
  sed -n '2,13p' "$0"
  exit 2
fi
if [ $build -eq 1 ]; then
  # one reactor build, nothing installed: works from a clean clone with an empty local repository
  # (-DskipTests still builds the test jars the modules depend on; the server and agent jars are used by the runs)
  mvn -B -q package -DskipTests -pl load-tests,gateway,agent-lite -am
fi

load() {
  java -Xms256m -Xmx1g -jar load-tests/target/fleetcast-load.jar "$@"
}

if [ "$1" = "all" ]; then
  # the table of docs/performance.md; about 30 minutes on 2 cores
  load connect   --agents 10000 --nodes 1
  load connect   --agents 60000 --nodes 4
  load fanout    --agents 10000 --nodes 1 --repeat 5
  load fanout    --agents 60000 --nodes 4 --repeat 3
  load ingest    --agents 10000 --nodes 1 --chains 4 --seconds 30
  load reconnect --agents 30000 --nodes 3
  load idle      --agents 10000 --nodes 1 --seconds 60 --node-env FLEETCAST_AGENT_HEARTBEAT_SECONDS=20
  exit 0
fi
load "$@"
