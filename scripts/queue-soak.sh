#!/usr/bin/env bash
# Runs the queue kill tests (a worker SIGKILLed mid-cell; the coordinator killed, Redis restarted,
# --resume) N times in a row (default 10); stops at the first failure. Each run must neither lose
# nor duplicate a cell nor hang (vitest's timeouts catch a hang).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if ! npx vitest run test/queue/queue.test.ts >"/tmp/queue-soak-$i.log" 2>&1; then
    echo "run $i/$runs FAILED (log: /tmp/queue-soak-$i.log)"
    tail -40 "/tmp/queue-soak-$i.log"
    exit 1
  fi
  echo "run $i/$runs passed in $(( $(date +%s) - start )) s"
done
echo "all $runs runs passed: no cell lost, none duplicated, none hung"
