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

echo "[test] running jest…"
results="$(mktemp -t jest-results.XXXXXX.json)"
status=0
npx jest --maxWorkers="${JEST_WORKERS:-2}" --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" 2>/dev/null || true
rm -f "$results"
exit "$status"
