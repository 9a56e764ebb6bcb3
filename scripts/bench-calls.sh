#!/usr/bin/env bash
# Calls through the media relay, measured: for each case a local wren-server (release) with
# its relay, two accounts, `wren answer` and `wren call @bob --video` with synthetic media,
# and one line per side from their final JSON reports: frames shown of those the other side
# sent, glass-to-glass p50/p99, and CPU per client (process CPU seconds over call seconds).
# Usage: scripts/bench-calls.sh [SECONDS]   (default 10; figures in docs/PERFORMANCE.md)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_CALL="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/wren-target}"
cargo build --release --locked -q -p wren-server -p wren-cli
BIN="$CARGO_TARGET_DIR/release"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export WREN_PASSWORD="bench password 1" WREN_PASSCODE="bench passcode"

# One call: LABEL, then the server's flags; the call's extra flags in CALL_FLAGS.
bench() {
    local label="$1"
    shift
    local dir="$WORK/$RANDOM"
    mkdir -p "$dir"
    "$BIN/wren-server" --data-dir "$dir/server" --listen 127.0.0.1:0 --no-limits \
        --media-port 0 "$@" >"$dir/server.out" 2>"$dir/server.err" &
    SERVER_PID=$!
    local url=""
    for _ in $(seq 100); do
        url="$(sed -n 's/.*listening on \(ws:\/\/[^ ]*\).*/\1/p' "$dir/server.out")"
        [ -n "$url" ] && break
        sleep 0.1
    done
    [ -n "$url" ] || { echo "the server did not start: $(cat "$dir/server.err")" >&2; exit 1; }
    local alice=("$BIN/wren" --profile "$dir/alice" --server "$url")
    local bob=("$BIN/wren" --profile "$dir/bob" --server "$url")
    "${alice[@]}" register alice >/dev/null
    "${bob[@]}" register bob >/dev/null
    "${alice[@]}" send @bob "calling" >/dev/null
    # shellcheck disable=SC2086
    "${bob[@]}" --json answer --synthetic $CALL_FLAGS --wait 30 >"$dir/bob.json" 2>"$dir/bob.err" &
    local answering=$!
    until grep -q "waiting for a call" "$dir/bob.err" 2>/dev/null; do sleep 0.1; done
    # shellcheck disable=SC2086
    "${alice[@]}" --json call @bob --video --synthetic $CALL_FLAGS --seconds "$SECONDS_PER_CALL" \
        >"$dir/alice.json" 2>"$dir/alice.err"
    wait "$answering"
    kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    node -e '
        const fs = require("fs");
        const last = (f) => JSON.parse(fs.readFileSync(f, "utf8").trim().split("\n").pop());
        const [label, a, b] = [process.argv[1], last(process.argv[2]), last(process.argv[3])];
        const side = (name, me, other) => {
            const m = me.media, o = other.media;
            const pct = (x, y) => (100 * x / Math.max(y, 1)).toFixed(1);
            const cpu = m.cpuSeconds == null ? "?" : (100 * m.cpuSeconds / m.seconds).toFixed(0);
            const captured = o.videoFramesSent + o.videoFramesDropped;
            console.log(`${label.padEnd(30)} ${name.padEnd(6)} video ${m.videoFramesShown}/${o.videoFramesSent} sent (${pct(m.videoFramesShown, o.videoFramesSent)}%), ${o.videoFramesDropped} left out to fit, ${pct(m.videoFramesShown, captured)}% of captured, ${o.videoKbps} kbit/s at the end`
                + ` audio ${m.audioFramesPlayed}/${o.audioFramesSent}`
                + ` g2g p50 ${m.glassToGlassP50Ms?.toFixed(1)} ms p99 ${m.glassToGlassP99Ms?.toFixed(1)} ms`
                + ` cpu ${cpu}% of a core, ${m.transport}`);
        };
        side("caller", a, b);
        side("callee", b, a);
    ' "$label" "$dir/alice.json" "$dir/bob.json"
}

echo "calls of $SECONDS_PER_CALL s through the relay on loopback, release builds"
CALL_FLAGS="" bench "360p15, clean"
CALL_FLAGS="" bench "360p15, 10% loss + 30 ms jitter" --media-loss-percent 10 --media-jitter-ms 30
CALL_FLAGS="--hd" bench "720p30, clean"
CALL_FLAGS="--hd" bench "720p30, 10% loss + 30 ms jitter" --media-loss-percent 10 --media-jitter-ms 30
