#!/usr/bin/env bash
# Which JVM flags for the issuer pod? Measures, for each flag set, the startup to the first 200
# on /healthz (median of STARTUP_RUNS), RS256 mint throughput with ACCP (wrk -t1 -c4, after a
# warm-up) and the RSS after that load. Same prerequisites as issuer-bench.sh (the built jar,
# wrk); only 127.0.0.1 traffic; stops everything it starts.
#
# Knobs: STARTUP_RUNS (5), DURATION (8 s), WARMUP (4 s), ALG (RS256), FLAG_SETS (names below),
# MAX_LOAD, LOAD_WAIT_TRIES, LOAD_WAIT_SECONDS, ISSUER_JAR.
set -uo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

STARTUP_RUNS=${STARTUP_RUNS:-5}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-4}
ALG=${ALG:-RS256}
FLAG_SETS=${FLAG_SETS:-container container-c1 container-xss256k container-appcds container-appcds-c1 jvm-default}

prepare_issuer_run flags
CDS=$WORK/issuer.jsa

flags_of() {
  case $1 in
    container) echo "$CONTAINER_JVM_FLAGS" ;;
    container-c1) echo "$CONTAINER_JVM_FLAGS -XX:TieredStopAtLevel=1" ;;
    container-xss256k) echo "$CONTAINER_JVM_FLAGS -Xss256k" ;;
    container-appcds) echo "$CONTAINER_JVM_FLAGS -XX:SharedArchiveFile=$CDS" ;;
    container-appcds-c1) echo "$CONTAINER_JVM_FLAGS -XX:SharedArchiveFile=$CDS -XX:TieredStopAtLevel=1" ;;
    jvm-default) echo "" ;;  # what `java -jar` picks on this 2-core, 24 GiB host: G1, 1/4 of RAM
    *) die "unknown flag set $1" ;;
  esac
}

echo "== issuer JVM flag comparison $(date -u +%FT%TZ), $ALG, ACCP"
echo "machine: $(nproc) cores, uptime: $(uptime)"
echo "java: $(java -version 2>&1 | head -2 | tail -1)"
KEYSET=$WORK/keyset.json
make_keyset "$KEYSET" "$ALG"
ENV=(MACP_AUTH_SIGNING_ALG="$ALG" MACP_AUTH_KEYSET_FILE="$KEYSET")

if [[ $FLAG_SETS == *appcds* ]]; then
  # A dynamic AppCDS archive (JDK 13+) from one training run: start, one mint, one JWKS, stop.
  port=$(free_port)
  start_issuer "$port" "$WORK/cds-training.log" "$CONTAINER_JVM_FLAGS -XX:ArchiveClassesAtExit=$CDS" "${ENV[@]}"
  wait_healthy "$port" "$(now_ms)" >/dev/null || die "training run did not start"
  curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"sender":"agent://cds"}' "http://127.0.0.1:$port/tokens"
  curl -s -o /dev/null "http://127.0.0.1:$port/.well-known/jwks.json"
  stop_issuer
  [[ -s $CDS ]] || die "no CDS archive written (see $WORK/cds-training.log)"
  echo "AppCDS archive: $(du -h "$CDS" | cut -f1)"
fi

echo
echo "| flag set | JVM flags | startup ms, median (runs) | RS256 mint req/s (p50 / p99 ms) | RSS after load MiB | load before |"
echo "|---|---|---|---|---|---|"
for set in $FLAG_SETS; do
  flags=$(flags_of "$set")
  load=$(wait_for_quiet)
  samples=()
  for ((i = 1; i <= STARTUP_RUNS; i++)); do
    port=$(free_port); t0=$(now_ms)
    start_issuer "$port" "$WORK/$set-$i.log" "$flags" "${ENV[@]}"
    ms=$(wait_healthy "$port" "$t0") || { cat "$WORK/$set-$i.log" >&2; die "$set: no /healthz"; }
    samples+=("$ms")
    ((i < STARTUP_RUNS)) && stop_issuer
  done
  grep -q 'crypto provider for signing: ACCP' "$WORK/$set-$STARTUP_RUNS.log" || log "WARNING: $set: ACCP not in use"
  url=http://127.0.0.1:$port/tokens
  run_wrk mint "$url" "$BENCH_DIR/wrk/mint.lua" "$WARMUP" >/dev/null
  out=$(run_wrk mint "$url" "$BENCH_DIR/wrk/mint.lua" "$DURATION")
  rss=$(rss_mib "$ISSUER_PID")
  stop_issuer
  printf '| %s | `%s` | %s (%s) | %.0f (%s / %s) | %s | %s |\n' "$set" "${flags:-none}" \
    "$(median "${samples[@]}")" "${samples[*]}" "$(field rps "$out")" "$(field p50_ms "$out")" \
    "$(field p99_ms "$out")" "$rss" "$load"
done
echo "load average at the end: $(load1)"
