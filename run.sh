#!/usr/bin/env bash
# Starts Fleetcast on this machine: gateway + cluster node + embedded Postgres in one JVM.
# Builds first when the server jar is missing or older than the sources. Needs only a JDK (17+) and Maven.
# Extra arguments go to the server, e.g. ./run.sh --config fleetcast.yaml
set -euo pipefail
cd "$(dirname "$0")"
jar=gateway/target/fleetcast.jar
agent=agent-lite/target/fleetcast-agent-lite.jar
if [ ! -f "$jar" ] || [ ! -f "$agent" ] || [ -n "$(find protocol common cluster-node gateway agent-lite -name '*.java' -newer "$jar" -print -quit)" ]; then
  echo "Building Fleetcast (first start takes a minute or two)..."
  mvn -B -q -DskipTests package -pl gateway,agent-lite -am
fi
exec java ${JAVA_OPTS:-} -jar "$jar" standalone "$@"
