#!/usr/bin/env bash
# Runs Wren as a cluster on loopback, to try what docs/DEPLOY.md describes: a throwaway
# PostgreSQL and nats-server, and NODES wren-server nodes (default 2) that share them.
# Installs what is missing first. Prints one line `node ws://127.0.0.1:PORT` per node once
# every node answers /healthz with its database and NATS; Ctrl-C or SIGTERM stops
# everything and deletes the data.
# Usage: scripts/cluster.sh [NODES]
# WREN_SERVER_BIN=path uses that wren-server instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
wren_install_packages postgresql nats-server

NODES="${1:-2}"
if [ -n "${WREN_SERVER_BIN:-}" ]; then
    SERVER="$WREN_SERVER_BIN"
else
    wren_install_packages pkg-config libdbus-1-dev
    echo "==> building wren-server" >&2
    cargo build --release --locked -p wren-server >&2
    SERVER="$CARGO_TARGET_DIR/release/wren-server"
fi

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
NATS_BIN="$(command -v nats-server || echo /usr/sbin/nats-server)"
WORK="$(mktemp -d -t wren-cluster.XXXXXX)"
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    chown postgres "$WORK"
    AS_PG=(runuser -u postgres --)
fi
PIDS=()

stop_all() {
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -f "$WORK/pg/postmaster.pid" ]; then
        "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    echo "==> cluster stopped" >&2
}
trap stop_all EXIT
trap 'exit 0' INT TERM

# A free loopback port, from a random start.
free_port() {
    local port=$((20000 + RANDOM % 20000))
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "$port"
}

# Waits until something accepts connections on a loopback port.
wait_port() {
    for _ in $(seq 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2
    return 1
}

# The /healthz answer of a node.
health() {
    local answer
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET /healthz HTTP/1.0\r\nHost: wren\r\n\r\n' >&3
    answer="$(cat <&3)"
    exec 3>&-
    echo "$answer"
}

echo "==> PostgreSQL and NATS in $WORK" >&2
PG_PORT="$(free_port)"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U wren -E UTF8 >"$WORK/initdb.log"
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/postgres.log" -w \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null
NATS_PORT="$(free_port)"
"$NATS_BIN" -a 127.0.0.1 -p "$NATS_PORT" >"$WORK/nats.log" 2>&1 &
PIDS+=($!)
wait_port "$NATS_PORT"

DATABASE="postgres://wren@127.0.0.1:$PG_PORT/postgres"
echo "==> migrating the database" >&2
"$SERVER" --database "$DATABASE" migrate >&2

PORTS=()
for n in $(seq "$NODES"); do
    port="$(free_port)"
    "$SERVER" --database "$DATABASE" --nats "nats://127.0.0.1:$NATS_PORT" \
        --listen "127.0.0.1:$port" >"$WORK/node$n.out" 2>"$WORK/node$n.log" &
    PIDS+=($!)
    PORTS+=("$port")
done
for n in $(seq "$NODES"); do
    port="${PORTS[$((n - 1))]}"
    ready=""
    for _ in $(seq 200); do
        if health "$port" 2>/dev/null | grep -q '^nats: connected'; then ready=1; break; fi
        sleep 0.05
    done
    if [ -z "$ready" ]; then
        echo "node $n did not become healthy; its log:" >&2
        cat "$WORK/node$n.log" >&2
        exit 1
    fi
done
for port in "${PORTS[@]}"; do echo "node ws://127.0.0.1:$port"; done
echo "==> $NODES nodes up; logs in $WORK; Ctrl-C stops the cluster" >&2
wait -n "${PIDS[@]}" || true
echo "==> a process of the cluster stopped; stopping the rest" >&2
exit 1
