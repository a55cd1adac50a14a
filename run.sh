#!/usr/bin/env bash
# Builds twophase and runs the coordinator and two banks on this machine (embedded H2, state under ./data/).
# Ctrl-C stops all three. Usage: ./run.sh [--skip-build]
# JAVA_OPTS: the services' JVM options (default -Xmx512m: each one's live heap stays well under it, see
# src-docs/benchmarks.md; without a bound a JVM may take a quarter of the machine's memory).
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${1:-}" != "--skip-build" ]]; then
  ./mvnw -q -B package -DskipTests
fi

mkdir -p data/logs data/secrets

# No default secrets anywhere: on the first run every secret is generated here, kept under data/secrets/ (readable by
# you only) and shown once; each service reads its own file. Production configures them instead (README, "Secrets").
secret() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
if [[ ! -f data/secrets/coordinator.properties ]]; then
  (
    umask 077
    api_key=$(secret); bank_a=$(secret); bank_b=$(secret); operator=$(secret); viewer=$(secret); bank_ops=$(secret)
    cat > data/secrets/coordinator.properties <<EOF
twophase.security.api-keys.local=$api_key
twophase.security.protocol-secrets.bank-a=$bank_a
twophase.security.protocol-secrets.bank-b=$bank_b
twophase.security.operators.operator.password=$operator
twophase.security.operators.operator.role=OPERATOR
twophase.security.operators.viewer.password=$viewer
twophase.security.operators.viewer.role=VIEWER
EOF
    printf 'twophase.security.protocol-secret=%s\ntwophase.security.operators.operator=%s\n' "$bank_a" "$bank_ops" \
      > data/secrets/bank-a.properties
    printf 'twophase.security.protocol-secret=%s\ntwophase.security.operators.operator=%s\n' "$bank_b" "$bank_ops" \
      > data/secrets/bank-b.properties
    cat <<MSG
Secrets generated for this machine (shown once; kept in data/secrets/):
  API key (client "local"):        $api_key     -> curl -H 'Authorization: Bearer $api_key' ...
  dashboard login "operator":      $operator
  dashboard login "viewer":        $viewer
  banks' operator login "operator": $bank_ops
MSG
  )
fi

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
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  java ${JAVA_OPTS:--Xmx512m} -jar "$@" > "data/logs/$name.log" 2>&1 &
  pids+=($!)
}

start bank-a participant-bank/target/participant-bank.jar \
  --server.port=8081 --twophase.bank-id=bank-a --twophase.data-dir=data/bank-a \
  --spring.config.import=file:data/secrets/bank-a.properties \
  --twophase.coordinator-url=http://localhost:8080
start bank-b participant-bank/target/participant-bank.jar \
  --server.port=8082 --twophase.bank-id=bank-b --twophase.data-dir=data/bank-b \
  --spring.config.import=file:data/secrets/bank-b.properties \
  --twophase.coordinator-url=http://localhost:8080
start coordinator coordinator/target/coordinator.jar \
  --server.port=8080 --twophase.data-dir=data/coordinator \
  --spring.config.import=file:data/secrets/coordinator.properties \
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
  coordinator  http://localhost:8080   (POST /api/transfers; dashboard: http://localhost:8080/dashboard)
  bank-a       http://localhost:8081   (POST /api/accounts)
  bank-b       http://localhost:8082
The API key and logins were shown on the first run; they are in data/secrets/coordinator.properties.
Press Ctrl-C to stop all three.
MSG
wait
