#!/usr/bin/env bash
# Operator scale benchmark (issue 3, "Scale"): time for N MacpIssuers (300) to become Ready
# against the fabric8 mock API server (CRUD mode) with the real operator, and the operator's used
# heap after a full GC. See devcluster/src/test/java/io/macp/devcluster/bench/OperatorScaleBench.java.
#
# Uses the built dev-cluster jar (it builds nothing): devcluster/target/macp-devcluster.jar (the
# operator plus the mock API server; the production operator jar carries no mock server), made by
#   ./mvnw -q -DskipTests package
# and compiles the bench classes against it into a temp dir (javac; nothing is written to
# the tree). The mock API server runs in a child JVM; only 127.0.0.1 traffic; all stopped on exit.
#
# Knobs (environment): ISSUERS (300), VARIANTS ("RS256 ES256"; add RS256-accp to generate keys
# with ACCP installed in the operator JVM), OPERATOR_JVM_FLAGS (the operator pod's sizing: a 512Mi
# limit with MaxRAMPercentage=75; in such a container the JVM picks SerialGC by itself, here it
# must be told), IDLE_SECONDS (10),
# TIMEOUT_SECONDS (900), MAX_LOAD (1.5), MAX_BUSY (0.3), LOAD_WAIT_TRIES, LOAD_WAIT_SECONDS,
# DEVCLUSTER_JAR.
set -uo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"   # BENCH_DIR, REPO_DIR, die, log, load1, wait_for_quiet (MAX_LOAD, MAX_BUSY, ...)
DEVCLUSTER_JAR=${DEVCLUSTER_JAR:-$REPO_DIR/devcluster/target/macp-devcluster.jar}
ISSUERS=${ISSUERS:-300}
VARIANTS=${VARIANTS:-RS256 ES256}
OPERATOR_JVM_FLAGS=${OPERATOR_JVM_FLAGS:--XX:MaxRAM=512m -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError}
IDLE_SECONDS=${IDLE_SECONDS:-10}
TIMEOUT_SECONDS=${TIMEOUT_SECONDS:-900}

require_jar "$DEVCLUSTER_JAR" ""
WORK=$(mktemp -d /tmp/macp-operator-scale.XXXXXX)
BENCH_PID=""
cleanup() {
  [[ -n $BENCH_PID ]] && kill "$BENCH_PID" 2>/dev/null && wait "$BENCH_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cp "$DEVCLUSTER_JAR" "$WORK/macp-devcluster.jar"
CP=$WORK/classes:$WORK/macp-devcluster.jar
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$WORK/macp-devcluster.jar" \
  "$REPO_DIR"/devcluster/src/test/java/io/macp/devcluster/bench/*.java || die "bench classes do not compile"

echo "== MACP operator scale benchmark $(date -u +%FT%TZ): $ISSUERS MacpIssuers, fabric8 mock API (CRUD) in a child JVM"
echo "machine: $(nproc) cores, uptime: $(uptime)"
echo "java: $(java -version 2>&1 | head -2 | tail -1)"
echo "jar: $DEVCLUSTER_JAR ($(stat -c '%y' "$DEVCLUSTER_JAR" | cut -d. -f1))"
echo "operator JVM flags: $OPERATOR_JVM_FLAGS"
echo

declare -A RES
for variant in $VARIANTS; do
  alg=${variant%%-*}
  native=false; [[ $variant == *-accp ]] && native=true
  RES[$variant/load]=$(wait_for_quiet)
  log "$variant: $ISSUERS issuers (before: ${RES[$variant/load]})"
  out=$WORK/$variant.out
  # shellcheck disable=SC2086 # the flags are a word list on purpose
  (cd "$REPO_DIR" && exec java $OPERATOR_JVM_FLAGS -cp "$CP" -Dbench.issuers="$ISSUERS" \
    -Dbench.alg="$alg" -Dbench.nativeCrypto="$native" -Dbench.idleSeconds="$IDLE_SECONDS" \
    -Dbench.timeoutSeconds="$TIMEOUT_SECONDS" io.macp.devcluster.bench.OperatorScaleBench \
    >"$out" 2>"$WORK/$variant.log") &
  BENCH_PID=$!
  shown=""
  while kill -0 "$BENCH_PID" 2>/dev/null; do
    sleep 5
    progress=$(grep '^bench: ' "$WORK/$variant.log" | tail -1)
    [[ -n $progress && $progress != "$shown" ]] && log "$variant ${progress#bench: }"
    shown=$progress
  done
  wait "$BENCH_PID"; rc=$?; BENCH_PID=""
  RES[$variant/load_end]=$(load1)
  if [[ $rc -ne 0 ]] || ! grep -q '^RESULT all_ready=true' "$out"; then
    tail -30 "$WORK/$variant.log" >&2
    log "$variant: did not finish (exit $rc)"
  fi
  while IFS='=' read -r k v; do RES[$variant/${k#RESULT }]=$v; done < <(grep '^RESULT ' "$out")
  grep -c ' ERROR ' "$WORK/$variant.log" | xargs -I{} echo "# $variant: {} ERROR lines in the operator log" >&2
done

get() { echo "${RES[$1/$2]:--}"; }
echo "| variant | all Ready, s | all KeysReady, s | issuers/s | per issuer to Ready p50 / p90 / max, s | CPU to Ready, s: operator / API | used heap after GC, MiB | RSS, MiB | idle CPU % / reconciles in ${IDLE_SECONDS}s | reconciles total | threads | key provider | load before / after |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for v in $VARIANTS; do
  s() { awk -v ms="$(get "$v" "$1")" 'BEGIN { if (ms == "-") print "-"; else printf "%.1f", ms / 1000 }'; }
  echo "| $v | $(s all_ready_ms) | $(s all_keys_ready_ms) | $(get "$v" throughput_issuers_per_s) | $(s issuer_to_ready_p50_ms) / $(s issuer_to_ready_p90_ms) / $(s issuer_to_ready_max_ms) | $(get "$v" cpu_to_ready_s) / $(get "$v" api_cpu_to_ready_s) | $(get "$v" heap_used_after_gc_mib) | $(get "$v" rss_mib) | $(get "$v" idle_cpu_percent) / $(get "$v" idle_reconciliations) | $(get "$v" reconciliations_total) | $(get "$v" threads) | $(get "$v" crypto_provider) | ${RES[$v/load]} / ${RES[$v/load_end]} |"
done
echo
for v in $VARIANTS; do
  echo "$v: ready $(get "$v" ready_count)/$(get "$v" issuers), key Secrets $(get "$v" key_secrets), creates took $(get "$v" create_all_ms) ms, operator start $(get "$v" operator_start_ms) ms, heap committed/max $(get "$v" heap_committed_mib)/$(get "$v" heap_max_mib) MiB, GC $(get "$v" gc), Deployment status writes $(get "$v" deployment_status_writes)"
done
