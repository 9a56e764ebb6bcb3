#!/usr/bin/env bash
# Runs every Wren test: formatting and lints, every Rust unit and integration test (real
# servers on loopback ports, real SQLCipher stores, real processes killed with SIGKILL),
# the web UI's type check and tests, and the desktop app's end-to-end tests in its real
# window (Xvfb + tauri-driver + WebKitWebDriver). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
wren_install_packages "${WREN_PACKAGES[@]}" "${WREN_E2E_PACKAGES[@]}"
wren_install_desktop_packages

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "==> cargo install tauri-driver"
    cargo install tauri-driver --version '^2' --locked
fi

# First: the desktop app embeds ui/dist when it compiles, so clippy and the build need it.
if [ -f ui/package.json ]; then
    echo "==> web UI: npm install, type check, tests, build"
    wren_npm_install
    (cd ui && npm run typecheck && npm test && npm run build)
fi

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "==> cargo build (binaries the tests start as processes, the desktop app included)"
cargo build --workspace --bins --locked
echo "==> cargo test (the end-to-end screenshots go to $CARGO_TARGET_DIR/e2e-screenshots)"
cargo test --workspace --locked
echo "==> all tests passed"
