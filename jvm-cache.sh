#!/usr/bin/env bash
# Makes the JVM caches that let each service start in seconds and run near full speed from its first requests
# (src-docs/startup.md). Each service's jar is extracted (a JVM caches classes only from a plain class path, not from
# the jars nested inside a Spring Boot jar), then all three run once on throwaway state under a training load of real
# transfers — the real path, votes, aborts and lookups included — and their JVMs write, when stopped:
#   Java 25 and later: an AOT cache (JEP 483, 514, 515: classes loaded and linked, and the JIT's method profiles)
#   Java 17 to 24:     a CDS archive (the classes, parsed and verified)
# A cache fits one JDK build, one set of JVM options and one content of the jars only: run.sh calls this again whenever
# one of them changes.
#
# Usage: ./jvm-cache.sh [DIR]     (default data/jvm; JAVA: the java binary, default java on the PATH;
#                                  JAVA_OPTS: the services' JVM options, which the cache is made with and is valid
#                                  for; default: tools/jvm-options.sh's for the JDK)
# Then run a service as: $JAVA $JAVA_OPTS $(./jvm-cache.sh --flags DIR MODULE) -jar DIR/MODULE/MODULE.jar ...
set -euo pipefail
cd "$(dirname "$0")"
java=${JAVA:-java}
java_opts=${JAVA_OPTS:-$(tools/jvm-options.sh "$java")}
modules=(coordinator participant-bank)

java_feature() { tools/java-feature.sh "$java"; }

# The key a cache is valid for: the JDK build, the JVM options (a JVM refuses, with a warning only, a cache made with
# another heap layout, such as compact object headers on or off) and the jars' contents (tools/JarKey.java: unchanged
# sources build the same key, so a build that changed nothing keeps the caches).
cache_key() {
  {
    "$java" -version 2>&1
    echo "JVM options: $java_opts"
    local jars=() module
    for module in "${modules[@]}"; do jars+=("$module/target/$module.jar"); done
    "$java" tools/JarKey.java "${jars[@]}"
  } | sha256sum | cut -d' ' -f1
}

cache_file() { # dir, module
  if (($(java_feature) >= 25)); then echo "$1/$2/$2.aot"; else echo "$1/$2/$2.jsa"; fi
}

# The JVM options that use a module's cache (nothing if it is missing: the JVM then simply starts without one).
if [[ ${1:-} == --flags ]]; then
  dir=$2 module=$3
  file=$(cache_file "$dir" "$module")
  if [[ -f $file ]]; then
    if (($(java_feature) >= 25)); then echo "-XX:AOTCache=$file"; else echo "-XX:SharedArchiveFile=$file"; fi
  fi
  exit 0
fi
# Whether the caches in DIR fit this JDK and these jars.
if [[ ${1:-} == --fresh ]]; then
  dir=$2
  [[ -f $dir/key && $(cat "$dir/key") == "$(cache_key)" ]]
  exit $?
fi

dir=${1:-data/jvm}
for module in "${modules[@]}"; do
  [[ -f $module/target/$module.jar ]] || { echo "no $module/target/$module.jar: build first (./mvnw package)" >&2; exit 1; }
done
rm -rf "$dir"
mkdir -p "$dir"
for module in "${modules[@]}"; do
  "$java" -Djarmode=tools -jar "$module/target/$module.jar" extract --destination "$dir/$module" > /dev/null
done

training=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$training"
}
trap cleanup EXIT

if (($(java_feature) >= 25)); then
  record() { echo "-XX:AOTCacheOutput=$(cache_file "$dir" "$1")"; }
else
  record() { echo "-XX:ArchiveClassesAtExit=$(cache_file "$dir" "$1")"; }
fi

# Throwaway secrets and state: nothing of the training reaches data/ but the caches.
secret() { head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
api_key=$(secret) bank_a=$(secret) bank_b=$(secret)
printf 'twophase.security.api-keys.training=%s\ntwophase.security.protocol-secrets.bank-a=%s\ntwophase.security.protocol-secrets.bank-b=%s\ntwophase.security.operators.operator.password=%s\ntwophase.security.operators.operator.role=OPERATOR\n' \
  "$api_key" "$bank_a" "$bank_b" "$(secret)" > "$training/coordinator.properties"
printf 'twophase.security.protocol-secret=%s\ntwophase.security.operators.operator=%s\n' "$bank_a" "$(secret)" > "$training/bank-a.properties"
printf 'twophase.security.protocol-secret=%s\ntwophase.security.operators.operator=%s\n' "$bank_b" "$(secret)" > "$training/bank-b.properties"

# Three different ports nobody listens on (taken: those chosen already), from a random place between 20000 and the
# start of the kernel's ephemeral range (32768 by default): a port in that range may be the local end of some other
# process's outgoing connection by the time a service binds it, and the service would then exit. Bash's /dev/tcp
# tells a port that answers (nothing else needed).
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
((ephemeral_low > 21000)) || ephemeral_low=32768
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % (ephemeral_low - 20000)))
    if ! (: < "/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ " ${taken:-} " != *" $port "* ]]; then
      echo "$port"
      return
    fi
  done
}
coordinator_port=$(free_port)
taken=$coordinator_port
bank_a_port=$(free_port)
taken="$taken $bank_a_port"
bank_b_port=$(free_port)

train() { # module, name, whether this one writes the module's cache (one JVM per file), args...
  local module=$1 name=$2 recording=$3; shift 3
  local options=()
  if [[ $recording == records ]]; then options+=("$(record "$module")"); fi
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  "$java" $java_opts "${options[@]}" -jar "$dir/$module/$module.jar" "$@" \
    --twophase.data-dir="$training/$name" --spring.config.import="file:$training/$name.properties" \
    > "$training/$name.log" 2>&1 &
  pids+=($!)
}
coordinator_url=http://localhost:$coordinator_port
train participant-bank bank-a records --server.port="$bank_a_port" --twophase.bank-id=bank-a --twophase.coordinator-url="$coordinator_url"
train participant-bank bank-b only-load --server.port="$bank_b_port" --twophase.bank-id=bank-b --twophase.coordinator-url="$coordinator_url"
train coordinator coordinator records --server.port="$coordinator_port" \
  --twophase.participants.bank-a=http://localhost:$bank_a_port --twophase.participants.bank-b=http://localhost:$bank_b_port

for port in $coordinator_port $bank_a_port $bank_b_port; do
  for _ in $(seq 1 240); do
    if curl -fs "http://localhost:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; then continue 2; fi
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "a training service exited; the end of each log:" >&2; tail -n 30 "$training"/*.log >&2; exit 1; }
    done
    sleep 0.5
  done
  echo "a training service did not come up" >&2; exit 1
done

# The training load: accounts at both banks, then four clients each sending batches of transfers over one keep-alive
# connection (one curl per batch), a few of them aborted (an overdraft, an unknown account), and lookups.
accounts=50
for i in $(seq 1 $accounts); do
  curl -fs -o /dev/null -XPOST "http://localhost:$bank_a_port/api/accounts" -H 'Content-Type: application/json' \
    -d "{\"id\":\"a$i\",\"initialBalance\":\"1000000.00\"}"
  curl -fs -o /dev/null -XPOST "http://localhost:$bank_b_port/api/accounts" -H 'Content-Type: application/json' \
    -d "{\"id\":\"b$i\",\"initialBalance\":\"1000000.00\"}"
done
batch() { # client number, batch number: a curl config of 200 requests
  local n
  for n in $(seq 1 200); do
    local from=$((RANDOM % accounts + 1)) to=$((RANDOM % accounts + 1)) amount="1.00" to_account
    to_account=b$to
    if ((n % 50 == 0)); then amount="9999999.00"; fi
    if ((n % 50 == 25)); then to_account=ghost; fi
    printf 'url = "%s/api/transfers"\nrequest = POST\nheader = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\nheader = "Idempotency-Key: training-%s-%s-%s"\ndata = "{\\"fromBank\\":\\"bank-a\\",\\"fromAccount\\":\\"a%s\\",\\"toBank\\":\\"bank-b\\",\\"toAccount\\":\\"%s\\",\\"amount\\":\\"%s\\"}"\noutput = /dev/null\nwrite-out = "%%{http_code}\\n"\nnext\n' \
      "$coordinator_url" "$api_key" "$1" "$2" "$n" "$from" "$to_account" "$amount"
    if ((n % 20 == 0)); then
      printf 'url = "http://localhost:%s/api/accounts/a%s"\noutput = /dev/null\nnext\n' "$bank_a_port" "$from"
    fi
  done
}
seconds=${TRAINING_SECONDS:-30}
end=$((SECONDS + seconds))
for client in 1 2 3 4; do
  (
    b=0
    while ((SECONDS < end)); do
      b=$((b + 1))
      batch "$client" "$b" | sed '$d' > "$training/load-$client.curl" # the last "next" would start an empty request
      curl -s -K "$training/load-$client.curl" >> "$training/answers" || true
    done
  ) &
done
wait_clients() { local pid; for pid in $(jobs -p); do [[ " ${pids[*]} " == *" $pid "* ]] || wait "$pid"; done; }
wait_clients
committed=$(grep -c '^201$' "$training/answers" || true)
aborted=$(grep -c '^409$' "$training/answers" || true)
if ((committed == 0)); then echo "the training load committed nothing; its logs:" >&2; tail -n 30 "$training"/*.log >&2; exit 1; fi

# A graceful stop: each JVM writes its cache as it exits (the AOT cache is then assembled by a short second JVM run).
for pid in "${pids[@]}"; do kill -TERM "$pid"; done
for pid in "${pids[@]}"; do wait "$pid" || true; done
pids=()
for module in "${modules[@]}"; do
  [[ -f $(cache_file "$dir" "$module") ]] || { echo "no cache written for $module; its training log:" >&2; tail -n 30 "$training"/*.log >&2; exit 1; }
done
cache_key > "$dir/key"
echo "JVM caches made in $dir ($(du -sh "$dir" | cut -f1)) for $("$java" -version 2>&1 | head -1), trained on $committed committed and $aborted aborted transfers"
