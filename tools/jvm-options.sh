#!/usr/bin/env bash
# Prints the services' default JVM options for the JDK at $1 (default: java on the PATH). run.sh, bench.sh and
# jvm-cache.sh start the services with these unless JAVA_OPTS (JVM_FLAGS in bench.sh) says otherwise.
#   -Xmx512m                          each service's live heap stays well under it (src-docs/benchmarks.md); without a
#                                     bound a JVM may take a quarter of the machine's memory
#   -XX:+UseCompactObjectHeaders      Java 25 and later (JEP 519): 8-byte object headers instead of 12; each transfer
#                                     allocates ~10 % fewer bytes (coordinator 154-157 KB against 174-175 KB); what
#                                     that does to throughput was within the benchmark VM's spread (src-docs/startup.md)
set -euo pipefail
java=${1:-java}
feature=$("$(dirname "$0")/java-feature.sh" "$java")
options=(-Xmx512m)
if [[ -n $feature ]] && ((feature >= 25)); then
  options+=(-XX:+UseCompactObjectHeaders)
fi
echo "${options[*]}"
