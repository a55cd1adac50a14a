#!/usr/bin/env bash
# Prints the feature version (17, 21, 25 ...) of the JDK whose java binary is $1 (default: java on the PATH), or
# nothing for one older than 9 or for something that is not a JDK at all. run.sh (choosing a JDK), jvm-cache.sh (an AOT
# cache or a CDS archive) and tools/jvm-options.sh (the options a JDK takes) ask it.
java=${1:-java}
"$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9][0-9]*\)$/\1/p'
