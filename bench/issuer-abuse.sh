#!/usr/bin/env bash
# Issuer abuse benchmark (the input-hardening issue): a rerunnable measurement, not a test.
#
# Uses the built jar (it builds nothing): issuer/target/macp-issuer.jar, made by
#   ./mvnw -q -pl issuer -am -DskipTests package
# and the JDK's source launcher for the client (bench/abuse/AbuseClient.java, no dependencies).
#
# Starts ONE issuer on 127.0.0.1 the way a pod runs it (the pod's JVM flags, a mounted-style key
# set, mode SharedSecret with one token, a separate public port), then runs phase by phase:
#   baseline         no attack
#   slow-body        CONNECTIONS connections (default 500) sending a mint's headers without
#                    credentials, then one body byte every 5 s, reconnecting when closed
#   amplification    64 KiB bodies whose scopes are "kN":1e9999, no credentials, FLOOD_THREADS
#                    closed-loop connections (default 16)
#   unauthenticated  small valid mint bodies without credentials, FLOOD_THREADS connections
# Attackers connect from 127.0.0.2..127.0.0.11. During each phase a legitimate client mints
# with the valid token (20/s) and a verifier fetches the JWKS from the public port (20/s), both
# from 127.0.0.1. Prints, per phase: their success rate and p99, the issuer's peak RSS, and the
# audit volume per unauthenticated request; then the targets, met or missed. The client shares
# the machine's cores with the issuer: an attack here also costs the issuer CPU it would not
# lose to a remote attacker.
# Only 127.0.0.1 traffic; every process it starts is stopped on exit.
#
# Knobs (environment): PHASE_SECONDS (20), CONNECTIONS (500), FLOOD_THREADS (16),
# PHASES ("baseline,slow-body,amplification,unauthenticated"), JVM_FLAGS (the pod's, see
# lib/common.sh), ISSUER_JAR.
set -uo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

PHASE_SECONDS=${PHASE_SECONDS:-20}
CONNECTIONS=${CONNECTIONS:-500}
FLOOD_THREADS=${FLOOD_THREADS:-16}
PHASES=${PHASES:-baseline,slow-body,amplification,unauthenticated}
JVM_FLAGS=${JVM_FLAGS:-$CONTAINER_JVM_FLAGS}

require_jar
WORK=$(mktemp -d /tmp/macp-issuer-abuse.XXXXXX)
trap 'stop_issuer; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
RUN_JAR=$WORK/macp-issuer.jar
cp "$ISSUER_JAR" "$RUN_JAR"

echo "== MACP issuer abuse benchmark $(date -u +%FT%TZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f MiB", $2 / 1024 }' /proc/meminfo), $(wait_for_quiet)"
echo "java: $(java -version 2>&1 | head -2 | tail -1)"
echo "jar: $ISSUER_JAR ($(stat -c '%y' "$ISSUER_JAR" | cut -d. -f1))"
echo "JVM flags: $JVM_FLAGS"
echo "phases: $PHASES, ${PHASE_SECONDS}s each; slow-body connections: $CONNECTIONS; flood connections: $FLOOD_THREADS"
echo

make_keyset "$WORK/keyset.json" ES256
TOKEN=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
mkdir -p "$WORK/tokens"
printf '%s' "$TOKEN" >"$WORK/tokens/bench"
cat >"$WORK/policy.json" <<JSON
{"authentication": "SharedSecret", "sharedSecret": {"tokensDir": "tokens"},
 "clients": [{"sharedSecret": "bench", "senders": ["agent://bench/*"]}]}
JSON

PORT=$(free_port)
PUBLIC_PORT=$(free_port)
[[ $PORT != "$PUBLIC_PORT" ]] || PUBLIC_PORT=$((PORT + 1))
t0=$(now_ms)
start_issuer "$PORT" "$WORK/issuer.log" "$JVM_FLAGS" MACP_AUTH_SIGNING_ALG=ES256 \
  MACP_AUTH_KEYSET_FILE="$WORK/keyset.json" MACP_AUTH_MINT_POLICY_FILE="$WORK/policy.json" \
  MACP_AUTH_PUBLIC_PORT="$PUBLIC_PORT"
wait_healthy "$PORT" "$t0" >/dev/null || { cat "$WORK/issuer.log" >&2; die "issuer did not answer /healthz"; }
log "issuer pid $ISSUER_PID on 127.0.0.1:$PORT (public $PUBLIC_PORT), RSS $(rss_mib "$ISSUER_PID") MiB"

java -Xss256k -Xmx512m "$BENCH_DIR/abuse/AbuseClient.java" "$PORT" "$PUBLIC_PORT" "$TOKEN" \
  "$ISSUER_PID" "$WORK/issuer.log" "$PHASE_SECONDS" "$CONNECTIONS" "$FLOOD_THREADS" "$PHASES" \
  >"$WORK/phases.txt" || die "the abuse client failed"

alive=yes
kill -0 "$ISSUER_PID" 2>/dev/null || alive="NO (it exited: see the log above)"
dropped=$(curl -s "http://127.0.0.1:$PUBLIC_PORT/metrics" | sed -n 's/^macp_issuer_audit_dropped_total \(.*\)/\1/p')
refused=$(curl -s "http://127.0.0.1:$PUBLIC_PORT/metrics" | sed -n 's/^macp_issuer_mints_total{outcome="unauthenticated"} \(.*\)/\1/p')

pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", 100 * a / b }'; }
echo "== Results (legitimate mint and JWKS fetch: 20/s each during the attack)"
echo "| phase | attack requests | legit mints ok % (n) | mint p50 / p99 ms | JWKS ok % (n) | JWKS p99 ms | issuer RSS max MiB | audit lines (unauthenticated) | audit bytes per unauthenticated request |"
echo "|---|---|---|---|---|---|---|---|---|"
met=yes
while read -r line; do
  [[ $line == PHASE* ]] || continue
  name=$(field name "$line")
  mok=$(field mint_ok "$line"); mtot=$(field mint_total "$line")
  jok=$(field jwks_ok "$line"); jtot=$(field jwks_total "$line")
  mp99=$(field mint_p99_ms "$line"); jp99=$(field jwks_p99_ms "$line")
  rss=$(field rss_max_mib "$line"); per=$(field audit_bytes_per_unauth "$line")
  echo "| $name | $(field attack_requests "$line") | $(pct "$mok" "$mtot") ($mtot) | $(field mint_p50_ms "$line") / $mp99 | $(pct "$jok" "$jtot") ($jtot) | $jp99 | $rss | $(field audit_lines "$line") ($(field unauth_lines "$line")) | $per |"
  awk -v mo="$mok" -v mt="$mtot" -v jo="$jok" -v jt="$jtot" -v mp="$mp99" -v jp="$jp99" -v r="$rss" -v a="$per" \
    'BEGIN { exit !(mt > 0 && jt > 0 && mo / mt >= 0.99 && jo / jt >= 0.99 && mp < 100 && jp < 100 && r < 256 && a <= 1024) }' \
    || { met=no; echo "  ^ $name misses a target"; }
done <"$WORK/phases.txt"
echo
echo "issuer alive at the end: $alive; unauthenticated mints refused: ${refused:-?}; audit lines dropped (macp_issuer_audit_dropped_total): ${dropped:-?}"
echo "targets (each phase): legit mints and JWKS fetches >= 99% ok with p99 < 100 ms, RSS < 256 MiB, audit <= 1024 bytes per unauthenticated request: $([[ $met == yes ]] && echo met || echo MISSED)"
