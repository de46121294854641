# Shared by the bench/ scripts (sourced, not run).
# Starts the issuer jar on 127.0.0.1, times startup, drives wrk, reads RSS, stops what it started.

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
ISSUER_JAR=${ISSUER_JAR:-$REPO_DIR/issuer/target/macp-issuer.jar}
# Container defaults of an issuer pod (IssuerDeploymentBuilder.JAVA_TOOL_OPTIONS, 256Mi memory
# limit): MaxRAM makes the JVM size itself as it would inside that limit.
CONTAINER_JVM_FLAGS="-XX:MaxRAM=256m -XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
MAX_LOAD=${MAX_LOAD:-1.5}        # measure when the 1-minute load average is below this (or see MAX_BUSY)
LOAD_WAIT_TRIES=${LOAD_WAIT_TRIES:-6}
LOAD_WAIT_SECONDS=${LOAD_WAIT_SECONDS:-20}

die() { echo "error: $*" >&2; exit 2; }
log() { echo "# $*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# require_jar [JAR [HINT]]: the built jar (default the issuer's) is there; HINT follows the build line.
require_jar() {
  local jar=${1:-$ISSUER_JAR} hint=${2-"   # or: ./mvnw -q -pl issuer -am -DskipTests package"}
  [[ -f $jar ]] || die "no $jar: build it first with
    (cd $REPO_DIR && ./mvnw -q -DskipTests package)$hint"
}

# wrk comes from Debian (apt-get reaches the Debian mirrors from this machine).
require_wrk() {
  command -v wrk >/dev/null && return
  log "wrk is missing: installing it from the Debian packages with 'apt-get install -y wrk'"
  local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get install -y wrk >/dev/null 2>&1 \
    || { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y wrk >/dev/null 2>&1; } \
    || die "could not install wrk (apt-get install -y wrk)"
}

# prepare_issuer_run NAME: the jar and wrk are there; makes $WORK (removed on exit, after the issuer
# is stopped) and $RUN_JAR, a private copy: a rebuild of issuer/ during the run must not change
# what is measured.
prepare_issuer_run() {
  require_jar
  require_wrk
  WORK=$(mktemp -d "/tmp/macp-issuer-$1.XXXXXX")
  trap 'stop_issuer; rm -rf "$WORK"' EXIT
  trap 'exit 130' INT TERM
  RUN_JAR=$WORK/macp-issuer.jar
  cp "$ISSUER_JAR" "$RUN_JAR"
}

# CPUs kept busy by everything on the machine over the next SECONDS (default 3), from /proc/stat.
# Called between runs, when nothing of ours is running, it measures the other tenants. The load
# average alone lags: it still counts our own previous run for minutes.
busy_cpus() {
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  sleep "${1:-3}"
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  awk -v a="$a" -v b="$b" -v n="$(nproc)" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%.2f", (y[2] > x[2]) ? n * (y[1] - x[1]) / (y[2] - x[2]) : 0 }'
}

# Waits (a bounded number of times) until the machine is quiet: 1-minute load average below
# MAX_LOAD, or other processes using less than MAX_BUSY CPUs right now. Always returns; prints
# "load <1-min load average>, busy <CPUs busy>" for the record.
MAX_BUSY=${MAX_BUSY:-0.3}
wait_for_quiet() {
  local i busy
  for ((i = 0; i < LOAD_WAIT_TRIES; i++)); do
    busy=$(busy_cpus 3)
    awk -v l="$(load1)" -v m="$MAX_LOAD" -v b="$busy" -v mb="$MAX_BUSY" \
      'BEGIN { exit !(l < m || b < mb) }' && break
    log "load average $(load1) >= $MAX_LOAD and $busy CPUs busy >= $MAX_BUSY: waiting ${LOAD_WAIT_SECONDS}s ($((i + 1))/$LOAD_WAIT_TRIES)"
    sleep "$LOAD_WAIT_SECONDS"
  done
  echo "load $(load1), busy ${busy:-?}"
}

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

ISSUER_PID=""
# start_issuer PORT LOGFILE JVM_FLAGS [ENV=VALUE...]: starts the jar in the background.
start_issuer() {
  local port=$1 logfile=$2 flags=$3; shift 3
  # shellcheck disable=SC2086 # the flags are a word list on purpose
  env PORT="$port" MACP_AUTH_BIND_ADDRESS=127.0.0.1 "$@" java $flags -jar "$RUN_JAR" >"$logfile" 2>&1 &
  ISSUER_PID=$!
}

# Milliseconds until the first 200 on /healthz (polled every ~10 ms), or fails after 30 s.
wait_healthy() {
  local port=$1 start=$2 deadline=$(($2 + 30000))
  while (($(now_ms) < deadline)); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz") == 200 ]]; then
      echo $(($(now_ms) - start)); return 0
    fi
    kill -0 "$ISSUER_PID" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

stop_issuer() {
  [[ -n $ISSUER_PID ]] || return 0
  kill "$ISSUER_PID" 2>/dev/null
  local i; for ((i = 0; i < 100; i++)); do kill -0 "$ISSUER_PID" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$ISSUER_PID" 2>/dev/null
  wait "$ISSUER_PID" 2>/dev/null
  ISSUER_PID=""
}

rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# median of the numbers given as arguments
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# run_wrk NAME URL LUA SECONDS: prints the WRK summary line (see wrk/report.lua).
run_wrk() {
  local url=$2 lua=$3 secs=$4
  wrk -t"${WRK_THREADS:-1}" -c"${WRK_CONNECTIONS:-4}" -d"${secs}s" --timeout 5s -s "$lua" "$url" | grep '^WRK '
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }

# make_keyset FILE ALG: a key set as the operator would mount it, made by the issuer itself
# (self-managed mode creates the file on first start); the timed runs then only read it.
make_keyset() {
  local file=$1 alg=$2 port; port=$(free_port)
  start_issuer "$port" "$file.log" "$CONTAINER_JVM_FLAGS" MACP_AUTH_SIGNING_ALG="$alg" \
    MACP_AUTH_KEYSET_FILE="$file" MACP_AUTH_KEYSET_SELF_MANAGED=true
  wait_healthy "$port" "$(now_ms)" >/dev/null || { cat "$file.log" >&2; die "issuer did not start to create $file"; }
  stop_issuer
  [[ -s $file ]] || die "issuer did not write $file"
}
