#!/usr/bin/env bash
# npm run bench [-- <benchmark>…] [--quick] [options]: installs what is missing, starts the local Kafka
# (unless KAFKA_BROKERS names a broker), builds, and runs the benchmark suite (bench/run.ts).
# `npm run bench -- --help` lists the benchmarks and options; docs/benchmarks.md explains the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[bench] installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ -z "${KAFKA_BROKERS:-}" ]; then
  echo "[bench] starting Kafka (infra/kafka/kafka.sh up)…"
  export "$(bash infra/kafka/kafka.sh up | grep '^KAFKA_BROKERS=')"
fi
echo "[bench] building…"
node scripts/build.mjs
exec node dist/bench/run.js "$@"
