#!/usr/bin/env bash
# npm run demo: installs what is missing, starts Kafka (or reuses a running broker), builds, and plays
# one business day through the whole integration (tools/demo.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[demo] installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ -z "${KAFKA_BROKERS:-}" ]; then
  echo "[demo] starting Kafka (infra/kafka/kafka.sh up)…"
  export "$(bash infra/kafka/kafka.sh up | grep '^KAFKA_BROKERS=')"
fi
echo "[demo] building…"
node scripts/build.mjs
exec node dist/tools/demo.js
