# Functions shared by the benchmark scripts (run, drain, cluster): logging, clean-up of the processes they start, the
# tools they need, HTTP polls without a process per poll, and wrk's scripts and figures. Sourced; it expects
# SIGNING_KEY and keep_work to be set by the script.

log() { printf '[bench] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------------
# Clean-up: every process started here is in `pids`; all are stopped on any exit.

pids=()
work=""

stop_pid() {
    local pid="$1" i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    # Up to 30 s: the service's first stop writes its start-up cache.
    for ((i = 0; i < 600; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

forget_pid() {
    local pid="$1" kept=() p
    for p in ${pids[@]+"${pids[@]}"}; do
        [[ "$p" == "$pid" ]] || kept+=("$p")
    done
    pids=(${kept[@]+"${kept[@]}"})
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pid
    for pid in ${pids[@]+"${pids[@]}"}; do
        stop_pid "$pid"
    done
    if [[ -n "$work" && -d "$work" ]]; then
        if ((status != 0)) || $keep_work; then
            log "logs kept in $work"
        else
            rm -rf "$work"
        fi
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------------------
# Tools.

as_root() {
    if ((EUID == 0)); then "$@"; else sudo "$@"; fi
}

ensure_packages() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
    command -v openssl >/dev/null || missing+=(openssl)
    command -v curl >/dev/null || missing+=(curl)
    ((${#missing[@]} == 0)) && return
    log "installing ${missing[*]} from Debian's packages"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Prints a Java 21+ executable: JAVA_HOME's, the newest under /usr/lib/jvm, or java on PATH.
find_java() {
    local candidate version best="" best_major=0 major
    for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
        [[ -n "$candidate" && -x "$candidate" ]] || continue
        version="$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
        major="${version%%.*}"
        [[ "$major" =~ ^[0-9]+$ ]] || continue
        if ((major >= 21 && major > best_major)); then
            best="$candidate"
            best_major="$major"
        fi
    done
    [[ -n "$best" ]] || fail "no Java 21+ found (set JAVA_HOME)"
    printf '%s' "$best"
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A file descriptor that never has data: `read -t` on it sleeps without starting a process.
exec {nap}<> <(:)

# Succeeds if GET $2 on 127.0.0.1:$1 answers 200. Bash's /dev/tcp costs no process: the start-up figure is taken
# while polling, and curl every 10 ms used 25 ms of CPU per call here, most of a core that the starting JVM needs
# (it made starts look 0.4 to 0.6 s slower on two cores).
http_ok() {
    local line="" conn
    { exec {conn}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&"$conn" || true
    IFS= read -r -t 1 -u "$conn" line || true
    exec {conn}<&-
    [[ "$line" =~ ^HTTP/1\.[01]\ 200 ]]
}

# Waits until GET $2 on port $1 answers 200, for at most $3 seconds, while process $4 lives.
await_ok() {
    local port="$1" path="$2" limit="$3" pid="$4"
    local start="$SECONDS"
    until http_ok "$port" "$path"; do
        kill -0 "$pid" 2>/dev/null || return 1
        ((SECONDS - start < limit)) || return 1
        read -r -t 0.01 -u "$nap" || true
    done
}

now_ms() { local now="${EPOCHREALTIME/[^0-9]/}"; echo $((10#$now / 1000)); }

rss_mb() {
    awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status"
}

median() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# An event for $1 integrations of key $3 (default slack) with settings {"url": $2}; from the second on, the URL ends
# in the integration's number, since a real fan-out goes to distinct channels.
event_body() {
    local count="$1" url="$2" key="${3:-slack}" integrations="" i
    for ((i = 0; i < count; i++)); do
        integrations+="${integrations:+,}{\"key\":\"$key\",\"settings\":{\"url\":\"$url${i#0}\"}}"
    done
    printf '%s' '{"event_type":"run_completion","integrations":['"$integrations"'],"payload":{"frontend_url":"https://app.rainforestqa.com/runs/1","run":{"id":1,"environment":{"name":"QA"},"result":"passed","description":"Smoke","time_taken":65,"total_tests":3,"total_passed_tests":3,"total_failed_tests":0,"total_no_result_tests":0}}}'
}

# ---------------------------------------------------------------------------------------------------------------
# wrk: a Lua script per body, and the figures of its report.

# Writes a wrk script that POSTs body $2 signed with the service's key to file $1.
wrk_script() {
    local file="$1" body="$2" signature
    signature="$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$SIGNING_KEY" | sed 's/^.* //')"
    cat > "$file" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Signature"] = "$signature"
wrk.body = [==[$body]==]
EOF
}

# Runs wrk: report file, url, script, connections, seconds.
load() {
    local report="$1" url="$2" script="$3" connections="$4" seconds="$5"
    wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s "$script" "$url" > "$report" 2>&1 \
        || fail "wrk against $url: $(tail -3 "$report")"
}

# Prints a wrk figure of report $1: rps, p50, p99 (milliseconds) or errors.
figure() {
    local report="$1" what="$2"
    case "$what" in
        rps) awk '/^Requests\/sec:/ { printf "%d", $2 }' "$report" ;;
        p50|p99)
            awk -v p="${what#p}%" '$1 == p {
                v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
                if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
                printf "%.2f", v }' "$report" ;;
        errors)
            awk '/^ *Non-2xx or 3xx responses:/ { n += $NF }
                 /^ *Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
                 END { printf "%d", n }' "$report" ;;
    esac
}

# Reads GET $2 on port $1 into http_text (status line, headers, body) through bash's /dev/tcp, as http_ok does: the
# queue is polled every 100 ms during the drain, and a process per poll would take CPU from the service. The body is
# read to its Content-Length, not to the end of the connection, which a server may hold open after its answer.
http_get() {
    local conn line length=0 body=""
    http_text=""
    { exec {conn}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&"$conn" || true
    while IFS= read -r -t 5 -u "$conn" line; do
        line="${line%$'\r'}"
        [[ -n "$line" ]] || break
        http_text+="$line"$'\n'
        [[ "${line,,}" =~ ^content-length:\ *([0-9]+) ]] && length="${BASH_REMATCH[1]}"
    done
    ((length == 0)) || LC_ALL=C IFS= read -r -d '' -N "$length" -t 5 -u "$conn" body || true
    http_text+=$'\n'"$body"
    exec {conn}<&-
    [[ "$http_text" =~ ^HTTP/1\.[01]\ 200 ]]
}

# Sets metric to the sum of the samples of Prometheus metric $1 in http_text whose labels contain $2 (all without $2).
# Values are written as Java writes doubles ("10000.0"): their whole part is taken, which is exact for the counts
# read here, all below 10^7, where Java would switch to "1.0E7".
metric_sum() {
    local name="$1" filter="${2:-}" line pattern
    pattern="^${name}(\\{([^}]*)\\})? ([0-9]+)(\\.[0-9]+)?$"
    metric=0
    while IFS= read -r line; do
        [[ "$line" =~ $pattern ]] || continue
        [[ -z "$filter" || "${BASH_REMATCH[2]}" == *"$filter"* ]] || continue
        metric=$((metric + BASH_REMATCH[3]))
    done <<< "$http_text"
}

# The drain target: its own nginx, logging the status and webhook-id of every request, so that what arrived can be
# counted. It answers 503 "down" until drain_target_up, and 200 "ok" from then on, on every connection at once: a
# reload would leave the service's kept-alive connections with the old workers, which go on answering 503 for
# seconds. Its worker runs as this user, who can see the flag file in the work directory.
drain_target_config() {
    rm -f "$work/drain/up"
    cat > "$work/drain/nginx.conf" <<EOF
user $(id -un);
worker_processes 1;
daemon off;
pid $work/drain/nginx.pid;
error_log $work/drain/error.log warn;
events { worker_connections 1024; }
http {
    log_format drain '\$status \$http_webhook_id';
    access_log $work/drain/access.log drain;
    client_body_temp_path $work/drain;
    client_body_buffer_size 64k;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    server {
        listen 127.0.0.1:$drain_port;
        default_type text/plain;
        location / {
            if (-f $work/drain/up) { return 200 "ok"; }
            return 503 "down";
        }
    }
}
EOF
}

drain_target_up() {
    touch "$work/drain/up"
}

# Writes to file $1 a curl configuration that POSTs DRAIN_EVENTS events with the body in file $2, signed, to port $3
# (the service's), their ids starting with $4; each has its
# own event id in the Idempotency-Key header (the service takes it when the body names none), so that one body and
# one signature serve all. curl rather than wrk: it sends exactly that many and writes each answer's status, where
# wrk spends a request() on checking the script and its Lua counts of answers came out one short.
drain_requests() {
    local file="$1" body="$2" port="${3:-$service_port}" prefix="${4:-bench-drain-$$-}" signature
    signature="$(openssl dgst -sha256 -hmac "$SIGNING_KEY" < "$body" | sed 's/^.* //')"
    awk -v n="$DRAIN_EVENTS" -v url="http://127.0.0.1:$port/events" -v signature="$signature" \
        -v body="$body" -v prefix="$prefix" 'BEGIN {
        for (i = 1; i <= n; i++) {
            if (i > 1) print "next"
            print "url = \"" url "\""
            print "header = \"Content-Type: application/json\""
            print "header = \"X-Signature: " signature "\""
            print "header = \"Idempotency-Key: " prefix i "\""
            print "data-binary = \"@" body "\""
            print "output = \"/dev/null\""
            print "write-out = \"%{http_code}\\n\""
        }
    }' > "$file"
}
