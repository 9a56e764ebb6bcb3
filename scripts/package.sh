#!/usr/bin/env bash
# Builds the installable Debian package of the desktop app with Tauri's bundler: the app in
# release, its icons, and a desktop entry that registers the wren:// scheme. Installs what
# it needs first. The package lands in $CARGO_TARGET_DIR/release/bundle/deb/.
# (Windows and macOS bundles are configured in src-tauri/tauri.conf.json and are built on
# those systems with the same `tauri bundle` command.)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
wren_install_packages pkg-config libdbus-1-dev
wren_install_desktop_packages

echo "==> building the web UI"
wren_build_ui
echo "==> building wren-desktop in release (the first build takes several minutes)"
cargo build --release --locked -p wren-desktop
echo "==> bundling the .deb"
ui/node_modules/.bin/tauri bundle --bundles deb --ci
ls "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb
