#!/usr/bin/env bash
# Issuer HTTP benchmark (issue 2, "Performance"): a rerunnable measurement, not a test.
#
# Uses the built jar (it builds nothing): issuer/target/macp-issuer.jar, made by
#   ./mvnw -q -DskipTests package
# Needs wrk: when it is missing the script runs `apt-get install -y wrk` (Debian packages are
# reachable from this machine; run as root or with sudo).
#
# For each crypto provider (ACCP = Amazon Corretto Crypto Provider, then the JDK's own, with
# MACP_AUTH_NATIVE_CRYPTO=false) and each algorithm (RS256, ES256), in ONE run so the ratios are
# side by side: starts the jar on 127.0.0.1 with a mounted-style key-set file, times start to the
# first 200 on /healthz, then loads POST /tokens (and with ACCP also GET /.well-known/jwks.json
# and GET /healthz) with `wrk -t1 -c4` over HTTP/1.1 keep-alive: a warm-up, then the measured
# run. Prints requests/s, p50 and p99, the RSS after load, the ACCP/JDK ratios and the targets.
# Only 127.0.0.1 traffic; every process it starts is stopped on exit.
#
# Knobs (environment): DURATION (10 s per endpoint), WARMUP (5 s), STARTUP_RUNS (3; the median
# is reported), JVM_FLAGS (the issuer pod's flags, see lib/common.sh), PROVIDERS
# ("accp jdk"), ALGS ("RS256 ES256"), ALL_ENDPOINTS_FOR_JDK (0: the JDK runs only load the mint
# endpoint, the one the provider changes), MAX_LOAD (1.5), LOAD_WAIT_TRIES, LOAD_WAIT_SECONDS,
# WRK_CONNECTIONS (4), WRK_THREADS (1), ISSUER_JAR.
set -uo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
STARTUP_RUNS=${STARTUP_RUNS:-3}
JVM_FLAGS=${JVM_FLAGS:-$CONTAINER_JVM_FLAGS}
PROVIDERS=${PROVIDERS:-accp jdk}
ALGS=${ALGS:-RS256 ES256}
ALL_ENDPOINTS_FOR_JDK=${ALL_ENDPOINTS_FOR_JDK:-0}

prepare_issuer_run bench

echo "== MACP issuer benchmark $(date -u +%FT%TZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f MiB", $2 / 1024 }' /proc/meminfo), uptime: $(uptime)"
echo "java: $(java -version 2>&1 | head -2 | tail -1)"
echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), -t${WRK_THREADS:-1} -c${WRK_CONNECTIONS:-4}, warm-up ${WARMUP}s, measured ${DURATION}s per endpoint"
echo "jar: $ISSUER_JAR ($(stat -c '%y' "$ISSUER_JAR" | cut -d. -f1))"
echo "JVM flags: $JVM_FLAGS"
echo

declare -A KEYSET
for alg in $ALGS; do
  KEYSET[$alg]=$WORK/keyset-$alg.json
  make_keyset "${KEYSET[$alg]}" "$alg"
done

declare -A RES   # RES[provider/alg/metric]
ENDPOINTS=(mint jwks healthz)

bench_one() {
  local provider=$1 alg=$2 port logfile i ms samples=() ready_logs=()
  local -a env=(MACP_AUTH_SIGNING_ALG="$alg" MACP_AUTH_KEYSET_FILE="${KEYSET[$alg]}")
  [[ $provider == jdk ]] && env+=(MACP_AUTH_NATIVE_CRYPTO=false)
  log "$provider $alg: startup x$STARTUP_RUNS ($(wait_for_quiet))"
  for ((i = 1; i <= STARTUP_RUNS; i++)); do
    port=$(free_port); logfile=$WORK/$provider-$alg-$i.log
    local t0; t0=$(now_ms)
    start_issuer "$port" "$logfile" "$JVM_FLAGS" "${env[@]}"
    ms=$(wait_healthy "$port" "$t0") || { cat "$logfile" >&2; die "$provider $alg: issuer did not answer /healthz"; }
    samples+=("$ms")
    ready_logs+=("$(sed -n 's/.*ready \([0-9]*\) ms after process start.*/\1/p' "$logfile")")
    ((i < STARTUP_RUNS)) && stop_issuer
  done
  RES[$provider/$alg/startup]=$(median "${samples[@]}")
  RES[$provider/$alg/startup_all]="${samples[*]}"
  RES[$provider/$alg/startup_log]="${ready_logs[*]}"
  # Which provider signs, from the issuer's own startup line.
  local line; line=$(grep -o 'crypto provider for signing: .*' "$logfile" | head -1)
  RES[$provider/$alg/provider]=${line#crypto provider for signing: }
  [[ -z $line ]] && RES[$provider/$alg/provider]="JDK (MACP_AUTH_NATIVE_CRYPTO=false)"
  if [[ $provider == accp && $line != *"ACCP "* ]]; then
    log "WARNING: ACCP requested but the issuer says: ${line:-nothing}"
  fi

  local endpoints=("${ENDPOINTS[@]}")
  [[ $provider == jdk && $ALL_ENDPOINTS_FOR_JDK != 1 ]] && endpoints=(mint)
  for ep in "${endpoints[@]}"; do
    local url lua
    case $ep in
      mint) url=http://127.0.0.1:$port/tokens; lua=$BENCH_DIR/wrk/mint.lua ;;
      jwks) url=http://127.0.0.1:$port/.well-known/jwks.json; lua=$BENCH_DIR/wrk/get.lua ;;
      healthz) url=http://127.0.0.1:$port/healthz; lua=$BENCH_DIR/wrk/get.lua ;;
    esac
    RES[$provider/$alg/$ep/load]=$(wait_for_quiet)
    ((WARMUP > 0)) && run_wrk "$ep" "$url" "$lua" "$WARMUP" >/dev/null
    local out; out=$(run_wrk "$ep" "$url" "$lua" "$DURATION")
    [[ -n $out ]] || die "$provider $alg $ep: wrk printed no summary"
    RES[$provider/$alg/$ep]=$out
    log "$provider $alg $ep: $(field rps "$out") req/s, p50 $(field p50_ms "$out") ms, p99 $(field p99_ms "$out") ms (before: ${RES[$provider/$alg/$ep/load]})"
    if [[ $(field status_errors "$out") != 0 || $(field socket_errors "$out") != 0 ]]; then
      log "WARNING: $provider $alg $ep had errors: $out"
    fi
  done
  RES[$provider/$alg/rss]=$(rss_mib "$ISSUER_PID")
  stop_issuer
}

for provider in $PROVIDERS; do
  for alg in $ALGS; do
    bench_one "$provider" "$alg"
  done
done

num() { [[ -n ${1:-} ]] && echo "$1" || echo "-"; }
cell() { # provider alg endpoint -> "rps (p50 / p99 ms)"
  local out=${RES[$1/$2/$3]:-}
  [[ -z $out ]] && { echo "-"; return; }
  local mark=""
  [[ $(field status_errors "$out") != 0 || $(field socket_errors "$out") != 0 ]] && mark=" ERRORS"
  printf '%.0f (%s / %s)%s' "$(field rps "$out")" "$(field p50_ms "$out")" "$(field p99_ms "$out")" "$mark"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || a == "-" || b == "" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
rps() { field rps "${RES[$1/$2/$3]:-}"; }

echo
echo "== Results: req/s (p50 / p99 ms); startup = median ms to the first 200 on /healthz"
echo "| provider | alg | startup ms (runs) | POST /tokens | GET jwks.json | GET /healthz | RSS after load MiB | signing provider (from the issuer's log) |"
echo "|---|---|---|---|---|---|---|---|"
for provider in $PROVIDERS; do
  for alg in $ALGS; do
    echo "| $provider | $alg | ${RES[$provider/$alg/startup]} (${RES[$provider/$alg/startup_all]}) | $(cell "$provider" "$alg" mint) | $(cell "$provider" "$alg" jwks) | $(cell "$provider" "$alg" healthz) | ${RES[$provider/$alg/rss]} | ${RES[$provider/$alg/provider]} |"
  done
done
echo "(the issuer's own 'ready N ms after process start' log, per run: $(for p in $PROVIDERS; do for a in $ALGS; do printf '%s/%s: %s; ' "$p" "$a" "${RES[$p/$a/startup_log]}"; done; done))"

if [[ $PROVIDERS == *accp* && $PROVIDERS == *jdk* ]]; then
  echo
  echo "== ACCP vs JDK, mint throughput measured side by side in this run"
  for alg in $ALGS; do
    echo "$alg mint: ACCP $(rps accp "$alg" mint) / JDK $(rps jdk "$alg" mint) req/s = $(ratio "$(rps accp "$alg" mint)" "$(rps jdk "$alg" mint)")x"
  done
fi

best=${PROVIDERS%% *}
echo
echo "== Against the issue's targets (provider: $best)"
echo "| metric | reference | target | ours | ours / target |"
echo "|---|---|---|---|---|"
row() { echo "| $1 | $2 | $3 | $4 | $(ratio "$4" "$5") |"; }
row "RS256 mint req/s" 1765 ">= 2700" "$(num "$(rps "$best" RS256 mint)")" 2700
row "ES256 mint req/s" 3901 ">= 12000" "$(num "$(rps "$best" ES256 mint)")" 12000
row "JWKS req/s (RS256 key set)" 6439 ">= 25000" "$(num "$(rps "$best" RS256 jwks)")" 25000
row "healthz req/s" 6686 "-" "$(num "$(rps "$best" RS256 healthz)")" 6686
startup_max=$(for a in $ALGS; do echo "${RES[$best/$a/startup]}"; done | sort -n | tail -1)
rss_max=$(for p in $PROVIDERS; do for a in $ALGS; do echo "${RES[$p/$a/rss]}"; done; done | sort -n | tail -1)
echo "| startup to first /healthz 200, ms (worst median) | 190 | < 1000 | $startup_max | $(ratio "$startup_max" 1000) (lower is better) |"
echo "| RSS after load, MiB (worst) | 115 MB | < 160 | $rss_max | $(ratio "$rss_max" 160) (lower is better) |"
echo "(healthz has no target; its ratio is to the reference.) Load average at the end: $(load1)"
