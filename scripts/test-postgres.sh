#!/usr/bin/env bash
# Throwaway PostgreSQL server for the test suite.
#
#   test-postgres.sh start   fresh cluster, started; prints the URL last on stdout
#   test-postgres.sh stop    stops it (harmless when nothing runs)
#   test-postgres.sh url     prints the SQLAlchemy URL
#
# Env: TRACEMARK_PG_DIR  base directory (default: $(pwd)/.tmp/pg, git-ignored)
#      TRACEMARK_PG_PORT TCP port on 127.0.0.1 (default: 55432)
#
# Progress messages go to stderr so that `url=$(test-postgres.sh start)`
# captures just the URL.
set -euo pipefail

PORT=${TRACEMARK_PG_PORT:-55432}
BASE=${TRACEMARK_PG_DIR:-$(pwd)/.tmp/pg}
DB=tracemark_test
URL="postgresql+psycopg2://postgres@127.0.0.1:${PORT}/${DB}"

# The data directory normally is $BASE/data, but may be a fallback under /tmp;
# its path is recorded here so that `stop` and the next `start` find it.
POINTER_NAME=datadir

log() { echo "test-postgres: $*" >&2; }
die() { log "error: $*"; exit 1; }

find_pg_bin() {
    # Newest major version installed (sort -V so that 9.6 < 10 < 15).
    local d best=""
    while IFS= read -r d; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
            best=$d
        fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    [[ -n "$best" ]] || die "no PostgreSQL server under /usr/lib/postgresql/*/bin; run scripts/ensure-system-packages.sh"
    echo "$best"
}

# PostgreSQL refuses to run as root, so as root the server runs as `postgres`
# (the Debian package's user) or a system user of our own.
pick_pg_user() {
    if getent passwd postgres >/dev/null; then
        echo postgres
    else
        if ! getent passwd tracemark-pg >/dev/null; then
            useradd --system --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin tracemark-pg
        fi
        echo tracemark-pg
    fi
}

# Run a command as $PG_USER (or directly when not root). cd / first: the
# caller's cwd (e.g. under /root) may be unreadable for that user.
run_pg() {
    if [[ -z "${PG_USER:-}" ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        (cd / && runuser -u "$PG_USER" -- "$@")
    else
        # shellcheck disable=SC2016  # $0/$@ are for the inner sh
        (cd / && su "$PG_USER" -s /bin/sh -c '"$0" "$@"' -- "$@")
    fi
}

abs_base() {
    mkdir -p "$BASE"
    BASE=$(cd "$BASE" && pwd)
}

current_datadir() {
    if [[ -f "$BASE/$POINTER_NAME" ]]; then
        cat "$BASE/$POINTER_NAME"
    else
        echo "$BASE/data"
    fi
}

# Stop the server in data directory $1 if its postmaster.pid names a live
# process. pg_ctl must run as the directory's owner (it refuses root).
stop_datadir() {
    local data=$1 rc=0
    [[ -f "$data/postmaster.pid" ]] || return 0
    local PG_USER=""
    if [[ $(id -u) -eq 0 ]]; then
        PG_USER=$(stat -c %U "$data")
    fi
    run_pg "$PG_BIN/pg_ctl" status -D "$data" >/dev/null 2>&1 || rc=$?
    if ((rc == 0)); then
        log "stopping server in $data"
        # Escalate to immediate mode rather than hang the test run.
        if ! run_pg "$PG_BIN/pg_ctl" stop -D "$data" -m fast -w -t 20 >/dev/null; then
            run_pg "$PG_BIN/pg_ctl" stop -D "$data" -m immediate -w -t 10 >/dev/null \
                || { log "could not stop the server in $data"; return 1; }
        fi
    else
        log "no server running in $data (stale postmaster.pid)"
    fi
}

port_in_use() {
    # bash's /dev/tcp: succeeds if anything accepts connections on the port.
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

cmd_stop() {
    [[ -d "$BASE" ]] || return 0
    abs_base
    local data
    data=$(current_datadir)
    [[ -d "$data" ]] || return 0
    PG_BIN=$(find_pg_bin)
    stop_datadir "$data"
}

cmd_start() {
    PG_BIN=$(find_pg_bin)
    abs_base

    # A server left running by an earlier `start` goes first, then its data.
    local old
    old=$(current_datadir)
    if [[ -d "$old" ]]; then
        stop_datadir "$old"
        # Only ever delete directories this script creates.
        case "$old" in
            "$BASE/data" | /tmp/tracemark-pg.*) rm -rf -- "$old" ;;
            *) die "refusing to delete unexpected data directory $old (from $BASE/$POINTER_NAME)" ;;
        esac
    fi
    rm -f -- "$BASE/$POINTER_NAME"

    if port_in_use; then
        die "port $PORT on 127.0.0.1 is taken by something this script did not start; set TRACEMARK_PG_PORT to another port"
    fi

    PG_USER=""
    if [[ $(id -u) -eq 0 ]]; then
        PG_USER=$(pick_pg_user)
    fi

    local data=$BASE/data
    # The server user must be able to reach $BASE (a repo under /root, mode
    # 700, is out of reach), and the unix socket path must fit in
    # sun_path (107 bytes). Otherwise use a fresh directory under /tmp.
    local reachable=1
    if [[ -n "$PG_USER" ]] && ! run_pg test -x "$BASE" 2>/dev/null; then
        reachable=0
    fi
    if ((reachable == 0 || ${#data} + ${#PORT} + 12 > 100)); then
        data=$(mktemp -d /tmp/tracemark-pg.XXXXXX)
        log "$BASE is not usable by ${PG_USER:-$(id -un)} (permissions or socket path length); using $data"
    else
        mkdir -p "$data"
    fi
    echo "$data" >"$BASE/$POINTER_NAME"
    if [[ -n "$PG_USER" ]]; then
        chown "$PG_USER:" "$data"
    fi
    chmod 700 "$data"

    local initlog
    initlog=$(mktemp /tmp/tracemark-initdb.XXXXXX.log)
    # --no-sync: nothing here needs to survive a crash.
    local initdb=("$PG_BIN/initdb" -D "$data" --auth=trust -U postgres --encoding=UTF8 --no-sync)
    if ! run_pg "${initdb[@]}" --locale=C.UTF-8 >"$initlog" 2>&1; then
        log "initdb with C.UTF-8 failed, retrying with --locale=C"
        # initdb leaves a partial directory behind; empty it, keep it.
        find "$data" -mindepth 1 -delete
        if ! run_pg "${initdb[@]}" --locale=C >"$initlog" 2>&1; then
            cat "$initlog" >&2
            die "initdb failed"
        fi
    fi
    rm -f -- "$initlog"

    # This is a throwaway test server: durability is traded for speed
    # (fsync, synchronous_commit and full_page_writes off), and it listens
    # only on loopback, with its unix socket in the data dir, not /var/run.
    local sockdir=${data//\'/\'\'}
    cat >>"$data/postgresql.conf" <<EOF

# --- added by scripts/test-postgres.sh (throwaway test server) ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$sockdir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 1GB
EOF

    local serverlog=$data/server.log
    run_pg "$PG_BIN/pg_ctl" start -D "$data" -l "$serverlog" -W >/dev/null

    # Wait for the server to accept TCP connections (what the tests use).
    local t0=$SECONDS
    until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 1; do
        if ((SECONDS - t0 >= 30)) || { ((SECONDS - t0 >= 3)) && [[ ! -f "$data/postmaster.pid" ]]; }; then
            log "server did not become ready; last lines of $serverlog:"
            tail -n 30 "$serverlog" >&2 || true
            die "PostgreSQL failed to start"
        fi
        sleep 0.2
    done

    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
    log "PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') running in $data on 127.0.0.1:$PORT"
    echo "$URL"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) echo "$URL" ;;
    *)
        echo "usage: $0 start|stop|url" >&2
        exit 2
        ;;
esac
