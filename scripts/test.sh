#!/usr/bin/env bash
# npm test: installs what is missing, type-checks, builds, and runs every test tier with the real
# Kafka broker and PostgreSQL (the jest global setup starts the local broker when none is given).
# Extra arguments go to jest, e.g. `npm test -- --selectProjects unit` or `npm test -- apps/settlement`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "[test] type-checking…"
npx tsc -p tsconfig.json --noEmit

echo "[test] building dist/ (apps run as separate processes in some tests)…"
node scripts/build.mjs

echo "[test] running jest…"
exec npx jest --maxWorkers="${JEST_WORKERS:-2}" "$@"
