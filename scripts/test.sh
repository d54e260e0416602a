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

# The console's browser test drives Debian's Chromium through playwright-core.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "[test] installing Debian's chromium for the browser test (apt-get)…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "[test] could not install chromium; the browser test will fail and say so"
  else
    echo "[test] /usr/bin/chromium is missing: install Debian's chromium package (the browser test needs it)"
  fi
fi

echo "[test] type-checking…"
npx tsc -p tsconfig.json --noEmit

echo "[test] building dist/ (apps run as separate processes in some tests)…"
node scripts/build.mjs

# The fault suite restarts a broker and a PostgreSQL, so it runs alone, after the other tiers. By
# default it starts its own to restart (FAULTS_INFRA=own); FAULTS_INFRA=shared restarts the tests' ones.
# With arguments, jest runs exactly what they select.
results="$(mktemp -t jest-results.XXXXXX.json)"
faults="$(mktemp -t jest-faults.XXXXXX.json)"
status=0
if [ "$#" -gt 0 ]; then
  echo "[test] running jest $*…"
  npx jest --maxWorkers="${JEST_WORKERS:-2}" --json --outputFile="$results" "$@" || status=$?
  echo '{"numPassedTests":0,"numFailedTests":0,"numPendingTests":0}' >"$faults"
else
  echo "[test] running jest: unit and integration tiers…"
  npx jest --maxWorkers="${JEST_WORKERS:-2}" --selectProjects unit integration --json --outputFile="$results" || status=$?
  echo "[test] running jest: the fault-injection tier…"
  FAULTS_INFRA="${FAULTS_INFRA:-own}" npx jest --runInBand --selectProjects faults --json --outputFile="$faults" || status=$?
fi
node -e '
  const fs = require("fs");
  const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return {}; } };
  const rs = process.argv.slice(1).map(read);
  const sum = (k) => rs.reduce((n, r) => n + (r[k] || 0), 0);
  const skipped = sum("numPendingTests");
  console.log(`\n${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" "$faults" || true
rm -f "$results" "$faults"
exit "$status"
