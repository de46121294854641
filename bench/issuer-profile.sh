#!/usr/bin/env bash
# Where does the issuer's CPU go under load? Starts the jar with Java Flight Recorder (built into
# the JDK, profile settings), loads one endpoint with wrk -t1 -c4 (after a warm-up), and prints
# the hottest methods from the JFR samples: self time (top frame) and inclusive time (anywhere on
# the stack), for Java code (jdk.ExecutionSample) and for threads inside native code such as ACCP
# (jdk.NativeMethodSample).
#
#   bench/issuer-profile.sh [mint|jwks|healthz]     (default mint)
#
# Knobs: ALG (RS256), NATIVE_CRYPTO (true), DURATION (15 s), WARMUP (5 s), TOP (25), JVM_FLAGS,
# KEEP_JFR (a path to copy the recording to). Same prerequisites as issuer-bench.sh.
set -uo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

ENDPOINT=${1:-mint}
ALG=${ALG:-RS256}
NATIVE_CRYPTO=${NATIVE_CRYPTO:-true}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
TOP=${TOP:-25}
JVM_FLAGS=${JVM_FLAGS:-$CONTAINER_JVM_FLAGS}

prepare_issuer_run profile
make_keyset "$WORK/keyset.json" "$ALG"

case $ENDPOINT in
  mint) path=/tokens; lua=$BENCH_DIR/wrk/mint.lua ;;
  jwks) path=/.well-known/jwks.json; lua=$BENCH_DIR/wrk/get.lua ;;
  healthz) path=/healthz; lua=$BENCH_DIR/wrk/get.lua ;;
  *) die "endpoint must be mint, jwks or healthz" ;;
esac

port=$(free_port)
echo "== profile of $ENDPOINT, $ALG, native crypto $NATIVE_CRYPTO, $(wait_for_quiet), $(date -u +%FT%TZ)"
start_issuer "$port" "$WORK/issuer.log" "$JVM_FLAGS" MACP_AUTH_SIGNING_ALG="$ALG" \
  MACP_AUTH_KEYSET_FILE="$WORK/keyset.json" MACP_AUTH_NATIVE_CRYPTO="$NATIVE_CRYPTO"
wait_healthy "$port" "$(now_ms)" >/dev/null || { cat "$WORK/issuer.log" >&2; die "no /healthz"; }
run_wrk "$ENDPOINT" "http://127.0.0.1:$port$path" "$lua" "$WARMUP" >/dev/null
# The JDK's "profile" settings, sampling every 1 ms instead of 10/20 ms.
JAVA_HOME_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
sed -e 's/>10 ms</>1 ms</; s/>20 ms</>1 ms</' "$JAVA_HOME_DIR/lib/jfr/profile.jfc" >"$WORK/fast.jfc"
jcmd "$ISSUER_PID" JFR.start name=bench settings="$WORK/fast.jfc" filename="$WORK/rec.jfr" >/dev/null
out=$(run_wrk "$ENDPOINT" "http://127.0.0.1:$port$path" "$lua" "$DURATION")
jcmd "$ISSUER_PID" JFR.stop name=bench >/dev/null
echo "under JFR: $out"
echo "wrk's own share is not in this profile; GC: $(jcmd "$ISSUER_PID" GC.heap_info | head -1 | sed 's/^ *//')"
stop_issuer
[[ -n ${KEEP_JFR:-} ]] && cp "$WORK/rec.jfr" "$KEEP_JFR"

# Prints self and inclusive counts of the frames of one JFR sample event. Samples of threads that
# wait (accept, epoll, park) are idle, not CPU: counted apart and left out of the percentages.
top_frames() {
  jfr print --stack-depth 128 --events "$1" "$WORK/rec.jfr" | awk -v top="$TOP" -v title="$1" '
    /stackTrace = \[/ { in_stack = 1; first = 1; idle = 0; delete seen; samples++; next }
    in_stack && /^[[:space:]]*\]/ { in_stack = 0; next }
    in_stack && idle { next }
    in_stack {
      f = $0; sub(/^[[:space:]]+/, "", f); sub(/[[:space:]]+line:.*$/, "", f)
      if (f == "...") next
      if (first && f ~ /^(sun\.nio\.ch\.Net\.accept|sun\.nio\.ch\.EPoll\.wait|jdk\.internal\.misc\.Unsafe\.park)/) {
        idle = 1; idles++; samples--; next
      }
      if (first) { self[f]++; first = 0 }
      if (!(f in seen)) { incl[f]++; seen[f] = 1 }
    }
    END {
      if (!samples) { print "no " title " samples"; exit }
      printf "\n-- %s: %d busy samples (%d idle waits left out); top %d by self\n", title, samples, idles, top
      n = 0; for (f in self) line[n++] = sprintf("%6.1f%%  %s", 100 * self[f] / samples, f)
      sort_print(line, n, top)
      printf "-- %s: top %d by inclusive\n", title, top
      delete line; n = 0
      for (f in incl) line[n++] = sprintf("%6.1f%%  %s", 100 * incl[f] / samples, f)
      sort_print(line, n, top)
    }
    function sort_print(a, n, k,   i, j, t) {
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] + 0 > a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      for (i = 0; i < n && i < k; i++) print a[i]
    }'
}
top_frames jdk.ExecutionSample
top_frames jdk.NativeMethodSample
