#!/usr/bin/env bash
# Runs every Wren test: formatting and lints, every Rust unit and integration test (real
# servers on loopback ports, real SQLCipher stores, real processes killed with SIGKILL),
# and the web UI's type check and tests. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
wren_install_packages "${WREN_PACKAGES[@]}"

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "==> cargo build (binaries the tests start as processes)"
cargo build --workspace --bins --locked
echo "==> cargo test"
cargo test --workspace --locked

if [ -f ui/package.json ]; then
    echo "==> web UI: npm install, type check, tests, build"
    wren_npm_install
    (cd ui && npm run typecheck && npm test && npm run build)
fi
echo "==> all tests passed"
