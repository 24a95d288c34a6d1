#!/usr/bin/env bash
# Starts Fleetcast on this machine: gateway + cluster node + embedded Postgres in one JVM.
# Builds first when a jar (server, agent-lite, fleetctl) is missing or older than the sources.
# Needs only a JDK (17+) and Maven. The CLI then runs as ops/bin/fleetctl.
# Extra arguments go to the server, e.g. ./run.sh --config fleetcast.yaml
set -euo pipefail
cd "$(dirname "$0")"
jar=gateway/target/fleetcast.jar
agent=agent-lite/target/fleetcast-agent-lite.jar
cli=fleetctl/target/fleetctl.jar
stale() { [ ! -f "$1" ] || [ -n "$(find "${@:2}" -name '*.java' -newer "$1" -print -quit)" ]; }
if stale "$jar" protocol common cluster-node gateway || stale "$agent" protocol common agent-lite \
    || stale "$cli" fleetctl/src/main; then
  echo "Building Fleetcast (first start takes a minute or two)..."
  mvn -B -q -DskipTests package -pl gateway,agent-lite,fleetctl -am
fi
exec java ${JAVA_OPTS:-} -jar "$jar" standalone "$@"
