#!/usr/bin/env bash
# Runs a real single-node Apache Kafka 4.x (KRaft, broker+controller) from its jars on Maven Central,
# for machines without Docker. `up` reuses a broker that already answers; `down` stops the one it started.
#
#   bash infra/kafka/kafka.sh up | down | status
#
# Settings (env): KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#   KAFKA_STATE_DIR (~/.cache/open-one-poweroffice/kafka: jars, data and logs, outside git),
#   KAFKA_HEAP (512m), KAFKA_START_TIMEOUT seconds (90).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${KAFKA_PORT:-9092}"
cport="${KAFKA_CONTROLLER_PORT:-9093}"
state="${KAFKA_STATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/open-one-poweroffice/kafka}"
libs="$state/libs"
data="$state/data-$port"
logfile="$state/broker-$port.log"
pidfile="$state/broker-$port.pid"
props="$state/server-$port.properties"
timeout="${KAFKA_START_TIMEOUT:-90}"

say() { printf '[kafka] %s\n' "$*" >&2; }
die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A broker that accepts a TCP connection is asked for its metadata with kafkajs (when installed),
# so that some other program on the port is not mistaken for Kafka.
broker_answers() {
  port_open "$port" || return 1
  if [ -f "$here/../../node_modules/kafkajs/package.json" ]; then
    node "$here/probe.js" "127.0.0.1:$port" >/dev/null 2>&1
  else
    return 0
  fi
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid; pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

fetch_jars() {
  if [ -f "$libs/.complete" ] && cmp -s "$here/pom.xml" "$libs/.pom.xml"; then return 0; fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is not installed. Install it (apt-get install maven) or point KAFKA_BROKERS at a running broker."
  say "resolving Apache Kafka and its dependencies from Maven Central (first run only)…"
  rm -rf "$libs"; mkdir -p "$libs"
  if ! mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$libs" >"$state/mvn.log" 2>&1; then
    tail -n 20 "$state/mvn.log" >&2
    die "Maven could not resolve Kafka (log: $state/mvn.log). Check access to Maven Central."
  fi
  cp "$here/pom.xml" "$libs/.pom.xml"
  touch "$libs/.complete"
  say "$(ls "$libs"/*.jar | wc -l) jars in $libs"
}

write_props() {
  cat >"$props" <<EOF
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.voters=1@127.0.0.1:$cport
log.dirs=$data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
message.max.bytes=2097152
log.retention.hours=168
log.segment.bytes=67108864
EOF
}

up() {
  mkdir -p "$state"
  if broker_answers; then
    say "reusing the broker that already answers on 127.0.0.1:$port"
    echo "KAFKA_BROKERS=127.0.0.1:$port"
    return 0
  fi
  if port_open "$port"; then
    die "something on 127.0.0.1:$port accepts connections but does not answer as Kafka. Stop it, or set KAFKA_PORT to a free port."
  fi
  command -v java >/dev/null 2>&1 || die "Java is not installed (Kafka 4 needs Java 17+). Install it (apt-get install openjdk-17-jre-headless) or point KAFKA_BROKERS at a running broker."
  local jv; jv="$(java -version 2>&1 | awk -F'"' '/version/ {print $2}' | cut -d. -f1)"
  [ "${jv:-0}" -ge 17 ] 2>/dev/null || die "Java $jv found; Kafka 4 needs Java 17 or newer."
  fetch_jars
  write_props
  if [ ! -f "$data/meta.properties" ]; then
    say "formatting KRaft storage in $data"
    mkdir -p "$data"
    local cid; cid="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    java -cp "$libs/*" -Dlog4j2.configurationFile="$here/log4j2.xml" -Dkafka.logfile="$logfile" \
      kafka.tools.StorageTool format -t "$cid" -c "$props" >>"$logfile" 2>&1 \
      || die "formatting storage failed; see $logfile"
  fi
  say "starting the broker on 127.0.0.1:$port (log: $logfile)"
  nohup setsid java "-Xmx${KAFKA_HEAP:-512m}" "-Xms${KAFKA_HEAP:-512m}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.xml" -Dkafka.logfile="$logfile" \
    -cp "$libs/*" kafka.Kafka "$props" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local waited=0
  until broker_answers; do
    if ! running_pid >/dev/null; then
      tail -n 30 "$logfile" >&2 || true
      die "the broker exited during start-up; see $logfile"
    fi
    if [ "$waited" -ge "$timeout" ]; then
      die "the broker did not accept clients within ${timeout}s; see $logfile"
    fi
    sleep 1; waited=$((waited + 1))
    [ $((waited % 5)) -eq 0 ] && say "waiting for the broker… ${waited}s"
  done
  say "broker ready after ${waited}s (pid $(cat "$pidfile"))"
  echo "KAFKA_BROKERS=127.0.0.1:$port"
}

down() {
  local pid
  if pid="$(running_pid)"; then
    say "stopping the broker (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && { say "still running after 30s; killing it"; kill -9 "$pid" 2>/dev/null || true; }
    rm -f "$pidfile"
    say "stopped"
  else
    rm -f "$pidfile"
    if port_open "$port"; then
      say "a broker on 127.0.0.1:$port was not started by this script; leaving it alone"
    else
      say "no broker running"
    fi
  fi
}

status() {
  if broker_answers; then echo "KAFKA_BROKERS=127.0.0.1:$port (answering)"; else echo "no broker on 127.0.0.1:$port"; return 1; fi
}

check_postgres() {
  if command -v pg_isready >/dev/null 2>&1; then
    if pg_isready -h 127.0.0.1 -p 5432 -q; then
      say "PostgreSQL answers on 127.0.0.1:5432"
    elif command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      say "PostgreSQL is down; starting the local cluster"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || say "could not start PostgreSQL; set DATABASE_URL to a running server"
    else
      say "PostgreSQL does not answer on 127.0.0.1:5432; set DATABASE_URL to a running server"
    fi
  fi
}

case "${1:-up}" in
  up) up; check_postgres ;;
  down) down ;;
  status) status ;;
  *) die "usage: kafka.sh up|down|status" ;;
esac
