#!/usr/bin/env bash
# Verifier-observation benchmark (issue 13): GET /.well-known/jwks.json throughput with the
# issuer's observation of JWKS fetches off and on, side by side in ONE JVM and ONE run (rounds
# interleaved), plus the worst case (every request a new client, so each one evicts at the cap),
# and the heap the client table holds at its cap. Target: "on" within 10% of "off".
# See issuer/src/test/java/io/macp/issuer/bench/VerifierObservationBench.java.
#
# Uses the built jar (it builds nothing): issuer/target/macp-issuer.jar, made by
#   ./mvnw -q -pl issuer -am -DskipTests package
# and compiles the bench class against it into a temp dir (javac; nothing is written to the
# tree). Only 127.0.0.1 traffic; everything it starts stops with it.
#
# Knobs (environment): CONNECTIONS (4), ROUNDS (5), ROUND_SECONDS (4), WARMUP_SECONDS (5),
# CAPS ("4096,65536"), JVM_FLAGS (the issuer pod's flags, see lib/common.sh, with a larger heap
# so the 65536-client table fits next to three issuers), MAX_LOAD, LOAD_WAIT_TRIES,
# LOAD_WAIT_SECONDS, ISSUER_JAR.
set -uo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
CONNECTIONS=${CONNECTIONS:-4}
ROUNDS=${ROUNDS:-5}
ROUND_SECONDS=${ROUND_SECONDS:-4}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
CAPS=${CAPS:-4096,65536}
JVM_FLAGS=${JVM_FLAGS:--XX:MaxRAM=512m -XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError}

require_jar
WORK=$(mktemp -d /tmp/macp-verifier-observation.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp "$ISSUER_JAR" "$WORK/macp-issuer.jar"
mkdir -p "$WORK/classes"
# The issuers' own log lines would mix with the results: only warnings, to stderr.
cat >"$WORK/logback.xml" <<'XML'
<configuration>
  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d %-5level %logger{20} - %msg%n</pattern></encoder>
  </appender>
  <root level="ERROR"><appender-ref ref="ERR"/></root>
</configuration>
XML
javac -nowarn -d "$WORK/classes" -cp "$WORK/macp-issuer.jar" \
  "$REPO_DIR"/issuer/src/test/java/io/macp/issuer/bench/VerifierObservationBench.java \
  || die "bench class does not compile"

echo "== MACP verifier-observation benchmark $(date -u +%FT%TZ)"
echo "machine: $(nproc) cores, uptime: $(uptime)"
echo "java: $(java -version 2>&1 | head -2 | tail -1)"
echo "jar: $ISSUER_JAR ($(stat -c '%y' "$ISSUER_JAR" | cut -d. -f1))"
echo "JVM flags: $JVM_FLAGS; $CONNECTIONS keep-alive connections, $ROUNDS rounds of ${ROUND_SECONDS}s per variant, warm-up ${WARMUP_SECONDS}s"
echo "before: $(wait_for_quiet)"
# shellcheck disable=SC2086 # the flags are a word list on purpose
java $JVM_FLAGS -cp "$WORK/classes:$WORK/macp-issuer.jar" -Dlogback.configurationFile="$WORK/logback.xml" \
  -Dbench.connections="$CONNECTIONS" -Dbench.rounds="$ROUNDS" \
  -Dbench.roundSeconds="$ROUND_SECONDS" -Dbench.warmupSeconds="$WARMUP_SECONDS" \
  -Dbench.caps="$CAPS" io.macp.issuer.bench.VerifierObservationBench 2>"$WORK/bench.log" \
  | tee "$WORK/result.txt"
rc=${PIPESTATUS[0]}
grep '^bench: ' "$WORK/bench.log" >&2
[[ $rc -eq 0 ]] || { tail -30 "$WORK/bench.log" >&2; die "bench failed (exit $rc)"; }
echo "after: load $(load1)"
awk -F= '/^RESULT paired_ratio_on_over_off=/ { r = $2 + 0;
  printf "target: on within 10%% of off -> paired ratio %.3f %s\n", r, (r >= 0.90 ? "MET" : "MISSED") }' "$WORK/result.txt"
