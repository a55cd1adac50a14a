#!/usr/bin/env bash
# Builds twophase and runs the coordinator and two banks on this machine (embedded H2, state under ./data/).
# Ctrl-C stops all three. Usage: ./run.sh [--skip-build] [--postgres] [--cluster]
# --postgres: each service keeps its state in a PostgreSQL database of its own on this machine's server instead
# (127.0.0.1:5432, databases twophase_coordinator, twophase_bank_a, twophase_bank_b, created when missing), connecting
# as PGUSER / PGPASSWORD (default: the role twophase / twophase that .ci/postgres creates on a development machine).
# --cluster: --postgres, plus a second coordinator (node coordinator-2 on port 8083) on the same database: a
# coordinator cluster (src-docs/cluster.md). The banks know both; kill either and the other finishes its work.
# JAVA_OPTS: the services' JVM options (default: tools/jvm-options.sh's for the JDK: -Xmx512m, and compact object
# headers on Java 25 and later). JAVA: the java binary
# (default: the newest JDK found on the PATH, in JAVA_HOME or under /usr/lib/jvm; a JDK 25 is fastest).
# JVM caches: the services run from their extracted jars with a JVM cache made by ./jvm-cache.sh on the first start
# after a change of the code, the JDK or JAVA_OPTS (a training run of about a minute, into data/jvm/; a build of
# unchanged sources keeps the caches: tools/JarKey.java): they start in about half the time and, on JDK 25, reach full
# speed sooner. JVM_CACHE=false runs the plain jars instead.
set -euo pipefail
cd "$(dirname "$0")"

build=true
postgres=false
cluster=false
for arg in "$@"; do
  case "$arg" in
    --skip-build) build=false ;;
    --postgres) postgres=true ;;
    --cluster) postgres=true; cluster=true ;;
    *) echo "usage: ./run.sh [--skip-build] [--postgres] [--cluster]" >&2; exit 2 ;;
  esac
done
coordinators=http://localhost:8080
if $cluster; then
  coordinators=http://localhost:8080,http://localhost:8083
fi
if $build; then
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

# Where each service keeps its state: H2 under data/<service> (default), or its own PostgreSQL database.
store_args() { # service name -> its arguments
  if $postgres; then
    local db="twophase_${1//-/_}"
    printf '%s\n' "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/$db" "--spring.datasource.username=$PGUSER"
  fi
}
if $postgres; then
  export PGUSER=${PGUSER:-twophase} PGPASSWORD=${PGPASSWORD:-twophase}
  # The password reaches the services from the environment, not their command lines (which ps shows).
  export SPRING_DATASOURCE_PASSWORD=$PGPASSWORD
  for db in twophase_coordinator twophase_bank_a twophase_bank_b; do
    if ! psql -h 127.0.0.1 -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      psql -h 127.0.0.1 -d postgres -qc "CREATE DATABASE $db" || {
        echo "cannot create $db as $PGUSER on 127.0.0.1:5432 (a fresh machine: sudo .ci/postgres)" >&2; exit 1; }
    fi
  done
fi

# The database password of the docker-compose.yml deployment (its PostgreSQL server's, and the services'); not used here.
if [[ ! -f data/secrets/postgres-password ]]; then
  (
    umask 077
    db_password=$(secret)
    printf '%s' "$db_password" > data/secrets/postgres-password
    printf 'spring.datasource.password=%s\n' "$db_password" > data/secrets/datasource.properties
  )
fi

# The JDK: JAVA if set; otherwise the newest of java on the PATH, $JAVA_HOME's and the JDKs under /usr/lib/jvm
# (Debian's place for them). On Java 17 the services did 16-57 % fewer transfers/s than on Java 25 on the 2-core
# benchmark machine (virtual threads from 21; a newer JIT; from 25 the AOT cache, which also brings the JIT's profiles
# from the training run: src-docs/startup.md), so a newer JDK installed beside an older default is the one used.
if [[ -n ${JAVA:-} ]]; then
  java=$JAVA
else
  java=java version=$(tools/java-feature.sh java 2>/dev/null || true)
  for candidate in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/*/bin/java; do
    [[ -x $candidate ]] || continue
    candidate_version=$(tools/java-feature.sh "$candidate" || true)
    if [[ -n $candidate_version ]] && ((candidate_version > ${version:-0})); then
      java=$candidate version=$candidate_version
    fi
  done
  [[ -n ${version:-} ]] && ((version >= 17)) || { echo "no JDK 17 or newer found: put one on the PATH or set JAVA" >&2; exit 1; }
  echo "running on Java $version ($java; JAVA=/path/to/java picks another)"
  if ((version < 21)); then
    echo "note: on Java $version the services run slower than on Java 25 (16-57 % fewer transfers/s: src-docs/startup.md)" >&2
  fi
fi
java_opts=${JAVA_OPTS:-$(tools/jvm-options.sh "$java")}
jvm_cache=${JVM_CACHE:-true}
if [[ $jvm_cache == true ]] && ! JAVA=$java JAVA_OPTS=$java_opts ./jvm-cache.sh --fresh data/jvm; then
  echo "making the JVM caches for this build and JDK (once, about a minute; JVM_CACHE=false skips it)..."
  if ! JAVA=$java JAVA_OPTS=$java_opts ./jvm-cache.sh data/jvm; then
    echo "the JVM caches could not be made; running the plain jars" >&2
    jvm_cache=false
  fi
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

start() { # name, module (coordinator or participant-bank), arguments...
  local name=$1 module=$2; shift 2
  local jar=$module/target/$module.jar cache=()
  if [[ $jvm_cache == true ]]; then
    jar=data/jvm/$module/$module.jar
    read -ra cache < <(JAVA=$java ./jvm-cache.sh --flags data/jvm "$module") || true # no cache file: none
  fi
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  "$java" $java_opts "${cache[@]}" -jar "$jar" "$@" > "data/logs/$name.log" 2>&1 &
  pids+=($!)
}

mapfile -t bank_a_store < <(store_args bank-a)
mapfile -t bank_b_store < <(store_args bank-b)
mapfile -t coordinator_store < <(store_args coordinator)
start bank-a participant-bank "${bank_a_store[@]}" \
  --server.port=8081 --twophase.bank-id=bank-a --twophase.data-dir=data/bank-a \
  --spring.config.import=file:data/secrets/bank-a.properties \
  --twophase.coordinator-url=$coordinators
start bank-b participant-bank "${bank_b_store[@]}" \
  --server.port=8082 --twophase.bank-id=bank-b --twophase.data-dir=data/bank-b \
  --spring.config.import=file:data/secrets/bank-b.properties \
  --twophase.coordinator-url=$coordinators
start coordinator coordinator "${coordinator_store[@]}" \
  --server.port=8080 --twophase.data-dir=data/coordinator --twophase.node-id=coordinator-1 \
  --spring.config.import=file:data/secrets/coordinator.properties \
  --twophase.participants.bank-a=http://localhost:8081 --twophase.participants.bank-b=http://localhost:8082
ports="8080 8081 8082"
if $cluster; then
  # The same database, secrets and banks as coordinator-1; its own node id, port and data directory.
  start coordinator-2 coordinator "${coordinator_store[@]}" \
    --server.port=8083 --twophase.data-dir=data/coordinator-2 --twophase.node-id=coordinator-2 \
    --spring.config.import=file:data/secrets/coordinator.properties \
    --twophase.participants.bank-a=http://localhost:8081 --twophase.participants.bank-b=http://localhost:8082
  ports="8080 8083 8081 8082"
fi

echo "waiting for the services to report UP (logs in data/logs/)..."
for port in $ports; do
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
  coordinator  http://localhost:8080   (POST /api/transfers; dashboard: http://localhost:8080/dashboard)$(if $cluster; then printf '\n  coordinator  http://localhost:8083   (node coordinator-2 of the same cluster)'; fi)
  bank-a       http://localhost:8081   (POST /api/accounts)
  bank-b       http://localhost:8082
The API key and logins were shown on the first run; they are in data/secrets/coordinator.properties.
State: $(if $postgres; then echo "PostgreSQL databases twophase_coordinator, twophase_bank_a, twophase_bank_b"; else echo "embedded H2 under data/"; fi).
Press Ctrl-C to stop them all.
MSG
wait
