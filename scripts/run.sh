#!/usr/bin/env bash
# Runs Wren locally: the sync server on 127.0.0.1 with its embedded SQLite store, and the
# desktop app connected to it (its sign-in screen proposes the local server). Installs
# what it needs first: system packages, the web UI's dependencies and build, the binaries.
# Usage: scripts/run.sh [PORT]   (default 7300; server data in ~/.local/share/wren-server)
# Without a display (no DISPLAY / WAYLAND_DISPLAY) only the server runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
wren_install_packages pkg-config libdbus-1-dev
wren_install_desktop_packages

PORT="${1:-7300}"
DATA="${WREN_SERVER_DATA:-$HOME/.local/share/wren-server}"
echo "==> building the web UI"
wren_build_ui
echo "==> building wren-server, wren and wren-desktop (first build takes several minutes)"
cargo build --release --locked -p wren-server -p wren-cli -p wren-desktop
BIN="$CARGO_TARGET_DIR/release"
SERVER="ws://127.0.0.1:$PORT"

cat <<HELP
==> Wren server on $SERVER (data in $DATA).
    Chat with the app from another terminal, for example:
      export WREN_SERVER=$SERVER
      $BIN/wren --profile /tmp/bob register bob
      $BIN/wren --profile /tmp/bob send @<your username> "hello"
HELP
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "==> no display: running the server only (Ctrl-C stops it)"
    exec "$BIN/wren-server" --data-dir "$DATA" --listen "127.0.0.1:$PORT" --media-port "$PORT"
fi

"$BIN/wren-server" --data-dir "$DATA" --listen "127.0.0.1:$PORT" --media-port "$PORT" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    sleep 0.1
done
echo "==> starting the desktop app (closing it stops the server)"
WREN_SERVER="$SERVER" "$BIN/wren-desktop"
