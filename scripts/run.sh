#!/usr/bin/env bash
# Runs Wren locally: the sync server on 127.0.0.1 with its embedded SQLite store, and
# shows how to chat with the `wren` CLI. Installs what it needs first.
# Usage: scripts/run.sh [PORT]   (default 7300; data in ~/.local/share/wren-server)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
wren_install_packages pkg-config libdbus-1-dev

PORT="${1:-7300}"
DATA="${WREN_SERVER_DATA:-$HOME/.local/share/wren-server}"
echo "==> building wren-server and wren (first build takes several minutes)"
cargo build --release --locked -p wren-server -p wren-cli
BIN="$CARGO_TARGET_DIR/release"

cat <<HELP
==> Wren server on ws://127.0.0.1:$PORT (data in $DATA); Ctrl-C stops it.
    Chat from two other terminals, for example:
      export WREN_SERVER=ws://127.0.0.1:$PORT
      $BIN/wren --profile /tmp/alice register alice
      $BIN/wren --profile /tmp/bob register bob
      $BIN/wren --profile /tmp/bob tail
      $BIN/wren --profile /tmp/alice send @bob "hello"
HELP
exec "$BIN/wren-server" --data-dir "$DATA" --listen "127.0.0.1:$PORT"
