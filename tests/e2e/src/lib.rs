//! End-to-end tests of the Wren desktop app in its real window.
//!
//! Each test starts, as child processes it stops at the end: Xvfb on a free display,
//! `tauri-driver` (which starts `WebKitWebDriver`) on free ports, and — through a WebDriver
//! session — the built `wren-desktop` binary with its own profile, server address and
//! passcode in its environment. Screenshots go to `<cargo target dir>/e2e-screenshots/`.
//!
//! Needs: `Xvfb`, `WebKitWebDriver` (Debian `webkit2gtk-driver`), `tauri-driver`
//! (`cargo install tauri-driver --version '^2' --locked`) and the workspace binaries
//! (`cargo build --workspace --bins`); `scripts/test.sh` installs and builds them all.
//! `WREN_SKIP_E2E=1` skips these tests (they then print that they were skipped).

pub mod bus;
pub mod desktop;
pub mod display;
pub mod webdriver;

pub use desktop::{App, Desktop};
