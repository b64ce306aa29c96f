#!/bin/sh
# Runs GradesAndRosterBench against a running LTI Publisher (default http://localhost:8080).
set -e
cd "$(dirname "$0")/.."
./mvnw -B -q -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    org.ltipublisher.bench.GradesAndRosterBench "$@"
