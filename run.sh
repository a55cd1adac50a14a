#!/usr/bin/env bash
# Builds twophase and runs the coordinator and two banks on this machine (embedded H2, state under ./data/).
# Ctrl-C stops all three. Usage: ./run.sh [--skip-build]
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${1:-}" != "--skip-build" ]]; then
  ./mvnw -q -B package -DskipTests
fi

mkdir -p data/logs
pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped"
}
trap stop INT TERM EXIT

start() { # name, log file, java args...
  local name=$1; shift
  java -jar "$@" > "data/logs/$name.log" 2>&1 &
  pids+=($!)
}

start bank-a participant-bank/target/participant-bank.jar \
  --server.port=8081 --twophase.bank-id=bank-a --twophase.data-dir=data/bank-a \
  --twophase.coordinator-url=http://localhost:8080
start bank-b participant-bank/target/participant-bank.jar \
  --server.port=8082 --twophase.bank-id=bank-b --twophase.data-dir=data/bank-b \
  --twophase.coordinator-url=http://localhost:8080
start coordinator coordinator/target/coordinator.jar \
  --server.port=8080 --twophase.data-dir=data/coordinator \
  --twophase.participants.bank-a=http://localhost:8081 --twophase.participants.bank-b=http://localhost:8082

echo "waiting for the services to report UP (logs in data/logs/)..."
for port in 8080 8081 8082; do
  for _ in $(seq 1 120); do
    if curl -fs "http://localhost:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "a service exited; see data/logs/" >&2; exit 1; }
    done
    sleep 0.5
  done
done

cat <<MSG
twophase is running:
  coordinator  http://localhost:8080   (POST /api/transfers)
  bank-a       http://localhost:8081   (POST /api/accounts)
  bank-b       http://localhost:8082
Press Ctrl-C to stop all three.
MSG
wait
