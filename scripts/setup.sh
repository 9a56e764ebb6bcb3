#!/usr/bin/env bash
# Shared set-up for scripts/test.sh and scripts/run.sh: the system packages Wren builds
# and runs with, installed when missing (Debian/Ubuntu), and one cargo target dir outside
# the clone so that a fresh clone builds incrementally.
set -euo pipefail

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/wren-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# Packages: -dev libraries for -sys crates, tools the tests run.
WREN_PACKAGES=(
    pkg-config          # finds system libraries for -sys crates
    libdbus-1-dev       # keyring: Secret Service (the OS keychain on Linux)
    nasm                # openh264 builds its assembly
    cmake               # audiopus_sys builds libopus
    libasound2-dev      # cpal: ALSA
    libclang-dev        # nokhwa: bindgen for V4L2
    libv4l-dev          # nokhwa: cameras
    ffmpeg              # media tests decode what the encoders wrote
)

# The desktop app (Tauri 2 on WebKitGTK): to build it and to run it.
WREN_DESKTOP_PACKAGES=(
    libwebkit2gtk-4.1-dev         # Tauri: the WebKitGTK webview
    libgtk-3-dev                  # Tauri: windows, menus
    librsvg2-dev                  # Tauri: SVG icons in GTK
    libayatana-appindicator3-dev  # Tauri: the tray icon
    libssl-dev                    # Tauri's build tools
    nodejs                        # the web UI's build (Vite)
    npm                           # the web UI's dependencies
)

# End-to-end tests of the app in its real window.
WREN_E2E_PACKAGES=(
    xvfb                # a virtual display
    xauth               # Xvfb's authority files
    webkit2gtk-driver   # WebKitWebDriver, which tauri-driver drives
    imagemagick         # `import`: screenshots of the virtual display
    xdotool             # moves the pointer off the window, so the window loses the focus
    dbus-daemon         # a private session bus for the app's notifications and tray icon
    dbus-bin            # dbus-monitor: records what the app asks of the desktop there
    fonts-noto-color-emoji  # a call's security emojis drawn as emojis in the screenshots
    x11-utils           # xprop: checks that a call's picture-in-picture window stays above
    openbox             # a window manager for that check (the other tests run without one)
    desktop-file-utils  # desktop-file-validate: checks the .deb package's desktop entry
    dunst               # a notification server, for the test that clicks a notification
    postgresql          # the PostgreSQL store's tests start throwaway servers with its programs
    nats-server         # the cluster tests wake their server nodes through a real NATS server
)

wren_install_packages() {
    local missing=()
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    echo "==> installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Installs nodejs/npm only when no `npm` is on the PATH (a newer Node may already be there).
wren_install_desktop_packages() {
    local wanted=()
    for pkg in "${WREN_DESKTOP_PACKAGES[@]}"; do
        if [[ "$pkg" == nodejs || "$pkg" == npm ]] && command -v npm >/dev/null 2>&1; then
            continue
        fi
        wanted+=("$pkg")
    done
    wren_install_packages "${wanted[@]}"
}

# Installs the UI's npm packages as package-lock.json pins them. Not `npm ci`: npm 11
# leaves rollup's other-platform packages out of the lock it writes and then `npm ci`
# refuses that same lock (npm/cli#4828); `npm install` follows the lock and completes it.
wren_npm_install() {
    (cd ui && npm install --no-audit --no-fund)
}

# Builds the web UI into ui/dist, which the desktop app embeds when it is compiled.
wren_build_ui() {
    wren_npm_install
    (cd ui && npm run build)
}
