#!/usr/bin/env bash
# Runs the transfer benchmark: builds the jars, starts the coordinator and two banks as real processes on this
# machine, drives random cross-bank transfers and prints throughput, latency percentiles (HdrHistogram) and, per
# service, log writes, store commits, fsyncs and CPU per committed transfer. Results: src-docs/benchmarks.md.
#
#   ./bench.sh                      closed loop, 64 clients, log forced to disk on every group commit (default)
#   ./bench.sh open 500             open loop at 500 transfers/s offered (latency without coordinated omission)
#   FORCE=false ./bench.sh          the kill -9-durable mode (log written to the file, never fsynced)
#   STORE=postgres ./bench.sh       every service on a fresh PostgreSQL database of its own, on this machine's server
#                                   (.ci/postgres starts it and creates the role; the databases are dropped after)
#   STORE=postgres NODES=2 ./bench.sh   a coordinator cluster: two coordinator nodes on one database, each transfer
#                                   sent to one of them at random
#   ./bench.sh takeover 20          a coordinator cluster on PostgreSQL under load, one node killed (kill -9) 20 times
#                                   in turn: the time from each kill to the survivor finishing its transactions
#   JVM_CACHE=true ./bench.sh       the services run with the JVM caches of ./jvm-cache.sh (made first, with JAVA and
#                                   JVM_FLAGS, into system-tests/target/jvm-cache): an AOT cache on Java 25, CDS on 17
#   SERVICE_ARGS="--twophase.batching.max-in-flight=2"   more settings for every service
#   LOADGEN_FLAGS="-Xmx1g"          JVM flags of the load generator (the test JVM; by default it logs its GC pauses)
#   LOADGEN_WARMUP=20               seconds the load generator warms its own JIT against a stand-in in its own JVM before
#                                   the services start, so that the warm-up curve is theirs (0: none)
#   Other settings: CLIENTS=64 WARMUP=180 MEASURE=60 (seconds; the JIT needs minutes on two shared cores) JAVA=/path/to/java
#   JVM_FLAGS: the services' JVM options (default -Xms512m and tools/jvm-options.sh's for JAVA, as run.sh uses them)
# The whole Maven output goes to system-tests/target/bench.log.
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-closed}
case "${STORE:-h2}" in
  h2 | H2) store=H2 ;;
  postgres | postgresql | POSTGRESQL) store=POSTGRESQL ;;
  *) echo "STORE must be h2 or postgres" >&2; exit 2 ;;
esac
rate=${2:-500}
benchmark=TransferBenchmark
if [[ $mode == takeover ]]; then
  benchmark=TakeoverBenchmark
  store=POSTGRESQL
fi
./mvnw -q -B package -DskipTests
jvm_flags=${JVM_FLAGS:-"-Xms512m $(tools/jvm-options.sh "${JAVA:-java}")"}
jvm_cache=
if [[ ${JVM_CACHE:-false} == true ]]; then
  jvm_cache=$PWD/system-tests/target/jvm-cache
  JAVA=${JAVA:-java} JAVA_OPTS="$jvm_flags" ./jvm-cache.sh "$jvm_cache"
fi
# GC logs of every JVM in the run, read back to say which pauses overlapped the slowest moments.
rm -rf system-tests/target/bench-gc
mkdir -p system-tests/target/bench-gc
# -am: a clean clone has no shared-model in ~/.m2 for system-tests to resolve on its own; -Dtest=none and -Dit.test
# run only the benchmark.
./mvnw -B verify -pl system-tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$benchmark" -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.mode="$mode" -Dbench.rate="$rate" -Dbench.takeovers="${2:-20}" -Dbench.nodes="${NODES:-1}" \
  -Dbench.clients="${CLIENTS:-$([[ $mode == takeover ]] && echo 8 || echo 64)}" -Dbench.force="${FORCE:-true}" -Dbench.store="$store" \
  -Dbench.warmup="${WARMUP:-180}" -Dbench.loadgen-warmup="${LOADGEN_WARMUP:-20}" -Dbench.seconds="${MEASURE:-60}" \
  -Dbench.sample="${SAMPLE:-60}" -Dbench.java="${JAVA:-}" -Dtwophase.jvm-cache="$jvm_cache" -Dbench.service-args="${SERVICE_ARGS:-}" -Dbench.jvm-flags="$jvm_flags" \
  -DargLine="${LOADGEN_FLAGS:--Xlog:gc:file=target/bench-gc/loadgen.gc.log:time}" \
  > system-tests/target/bench.log 2>&1 || { tail -40 system-tests/target/bench.log; exit 1; }
grep -E '^(benchmark:|load generator|warm-up|first 30 s|start to UP|latency|slowest|per committed|GC pauses|memory and|takeover|transactions taken|books|  )' system-tests/target/bench.log
