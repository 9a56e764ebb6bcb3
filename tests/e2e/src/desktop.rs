//! The desktop app under test: tauri-driver on a virtual display, and WebDriver sessions
//! that each run the app once.

use crate::bus::SessionBus;
use crate::display::VirtualDisplay;
use crate::webdriver::{Element, Session};
use serde_json::{json, Value};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use wren_tests::process::{binary, free_port};

/// How long a page condition may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// One app at a time: a WebKit window per test on two cores makes timings flaky.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Where the app under test keeps its profile.
enum ProfileAt<'a> {
    /// `<test root>/profile`, through `WREN_PROFILE_DIR`.
    TestDir,
    /// This directory, through `WREN_PROFILE_DIR`.
    Dir(&'a Path),
    /// The app-data dir, as installed: the app is then a single instance.
    AppData,
}

/// How the app under test finds its profile, passcode and session bus.
struct AppSetup<'a> {
    profile: ProfileAt<'a>,
    /// `WREN_PASSCODE`; `None`: the user enters it on the lock screen.
    passcode: Option<&'a str>,
    /// `DBUS_SESSION_BUS_ADDRESS`; `None`: inherited.
    session_bus: Option<&'a str>,
}

impl Default for AppSetup<'_> {
    fn default() -> Self {
        AppSetup {
            profile: ProfileAt::TestDir,
            passcode: Some(wren_tests::PASSCODE),
            session_bus: None,
        }
    }
}

/// Xvfb plus tauri-driver, with the app's environment; stopped when dropped.
pub struct Desktop {
    driver: Child,
    port: u16,
    name: String,
    display: String,
    /// The app's environment (beside what it inherits).
    env: Vec<(&'static str, OsString)>,
    // Dropped after the driver: the display outlives the app.
    _display: VirtualDisplay,
    _turn: MutexGuard<'static, ()>,
}

impl Desktop {
    /// Starts the display and tauri-driver for the test `name`. The app will use the
    /// profile directory `root/profile`, XDG directories under `root/xdg`, propose
    /// `server`, and open its profile with the test passcode. `None` when `WREN_SKIP_E2E`
    /// is set.
    pub fn start(name: &str, root: &Path, server: &str) -> Option<Desktop> {
        Desktop::start_with(name, root, server, AppSetup::default())
    }

    /// Like [`Desktop::start`], with `bus` as the app's D-Bus session bus (where it shows
    /// notifications and its tray icon).
    pub fn start_on_bus(
        name: &str,
        root: &Path,
        server: &str,
        bus: &SessionBus,
    ) -> Option<Desktop> {
        let setup = AppSetup {
            session_bus: Some(&bus.address),
            ..AppSetup::default()
        };
        Desktop::start_with(name, root, server, setup)
    }

    /// The app as installed: its profile in the app-data dir (under `root/xdg`), a single
    /// instance on the session bus `bus`, opened with the test passcode.
    pub fn start_installed(
        name: &str,
        root: &Path,
        server: &str,
        bus: &SessionBus,
    ) -> Option<Desktop> {
        let setup = AppSetup {
            profile: ProfileAt::AppData,
            session_bus: Some(&bus.address),
            ..AppSetup::default()
        };
        Desktop::start_with(name, root, server, setup)
    }

    /// Like [`Desktop::start`] with an existing profile directory (opened with the test
    /// passcode), for benchmarks on a prepared store.
    pub fn start_on_profile(
        name: &str,
        root: &Path,
        profile: &Path,
        server: &str,
    ) -> Option<Desktop> {
        let setup = AppSetup {
            profile: ProfileAt::Dir(profile),
            ..AppSetup::default()
        };
        Desktop::start_with(name, root, server, setup)
    }

    /// Like [`Desktop::start`], but the app gets no passcode from its environment and
    /// finds no OS keychain (its D-Bus session address leads nowhere): the user must
    /// choose or enter the passcode on the lock screen.
    pub fn start_locked(name: &str, root: &Path, server: &str) -> Option<Desktop> {
        let no_bus = format!("unix:path={}", root.join("no-session-bus").display());
        let setup = AppSetup {
            passcode: None,
            session_bus: Some(&no_bus),
            ..AppSetup::default()
        };
        Desktop::start_with(name, root, server, setup)
    }

    fn start_with(name: &str, root: &Path, server: &str, setup: AppSetup<'_>) -> Option<Desktop> {
        if std::env::var_os("WREN_SKIP_E2E").is_some() {
            eprintln!("{name}: skipped (WREN_SKIP_E2E is set)");
            return None;
        }
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let display = VirtualDisplay::start();
        let port = free_port();
        let xdg = root.join("xdg");
        let mut env: Vec<(&'static str, OsString)> = vec![
            ("DISPLAY", display.name.clone().into()),
            ("WEBKIT_DISABLE_DMABUF_RENDERER", "1".into()),
            ("WREN_SERVER", server.into()),
            // No camera or microphone here: calls send the synthetic voice and pattern.
            ("WREN_SYNTHETIC_MEDIA", "1".into()),
            ("XDG_DATA_HOME", xdg.join("data").into()),
            ("XDG_CONFIG_HOME", xdg.join("config").into()),
            ("XDG_CACHE_HOME", xdg.join("cache").into()),
            ("RUST_LOG", "info".into()),
        ];
        match setup.profile {
            ProfileAt::TestDir => env.push(("WREN_PROFILE_DIR", root.join("profile").into())),
            ProfileAt::Dir(dir) => env.push(("WREN_PROFILE_DIR", dir.into())),
            ProfileAt::AppData => {}
        }
        if let Some(passcode) = setup.passcode {
            env.push(("WREN_PASSCODE", passcode.into()));
        }
        if let Some(address) = setup.session_bus {
            env.push(("DBUS_SESSION_BUS_ADDRESS", address.into()));
        }
        let mut command = Command::new(tauri_driver());
        command
            .arg("--port")
            .arg(port.to_string())
            .arg("--native-port")
            .arg(free_port().to_string())
            .env_remove("WREN_PROFILE_DIR")
            .env_remove("WREN_PASSCODE")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let driver = command.spawn().unwrap_or_else(|e| {
            panic!("cannot start tauri-driver (cargo install tauri-driver --version '^2' --locked): {e}")
        });
        let desktop = Desktop {
            driver,
            port,
            name: name.to_string(),
            display: display.name.clone(),
            env,
            _display: display,
            _turn: turn,
        };
        let deadline = Instant::now() + PATIENCE;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(desktop)
    }

    /// Starts the app again, outside WebDriver, with `args` and the same environment, as
    /// the desktop does when the user opens a `wren://` link while the app runs, and
    /// returns how it exited (a second instance hands its arguments over and exits).
    pub fn start_second_instance(&self, args: &[&str]) -> ExitStatus {
        let mut second = Command::new(binary("wren-desktop"))
            .args(args)
            .env_remove("WREN_PROFILE_DIR")
            .env_remove("WREN_PASSCODE")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start wren-desktop: {e}"));
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(Some(status)) = second.try_wait() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = second.kill();
                let _ = second.wait();
                panic!("the second instance did not exit within {PATIENCE:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Gives the app's window the focus, or takes it away, as a user does by moving the
    /// pointer: with no window manager, focus follows the pointer, so the pointer goes to
    /// the middle of the window or to the display's far corner, off the window.
    pub fn set_window_focus(&self, focused: bool) {
        let (x, y) = if focused {
            ("400", "300")
        } else {
            ("1279", "799")
        };
        let status = Command::new("xdotool")
            .args(["mousemove", x, y])
            .env("DISPLAY", &self.display)
            .status()
            .unwrap_or_else(|e| panic!("cannot run xdotool (apt-get install xdotool): {e}"));
        assert!(status.success(), "xdotool failed: {status}");
    }

    /// Starts a window manager (openbox) on the display, for a test of what only a window
    /// manager does (keeping a window above the others); it stops with the returned
    /// guard. The other tests run without one, where focus follows the pointer.
    pub fn start_window_manager(&self) -> WindowManager {
        let child = Command::new("openbox")
            .args(["--sm-disable"])
            .env("DISPLAY", &self.display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start openbox (apt-get install openbox): {e}"));
        // openbox announces itself on the root window once it manages the display.
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let out = Command::new("xprop")
                .args(["-root", "_NET_SUPPORTING_WM_CHECK"])
                .env("DISPLAY", &self.display)
                .output();
            if out.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("window id")) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        WindowManager(child)
    }

    /// Starts a real notification server (dunst) on the display and the session bus `bus`,
    /// for a test that clicks a notification; it stops with the returned guard. The other
    /// tests run without one (their `Notify` calls are read off the bus all the same).
    pub fn start_notification_daemon(&self, bus: &SessionBus) -> NotificationDaemon {
        let child = Command::new("dunst")
            .env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start dunst (apt-get install dunst): {e}"));
        let daemon = NotificationDaemon {
            child,
            bus: bus.address.clone(),
        };
        let deadline = Instant::now() + PATIENCE;
        while daemon.control(&["is-paused"]).is_none() {
            assert!(
                Instant::now() < deadline,
                "dunst did not come up on the bus"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        daemon
    }

    /// The X window titled `title`, if one is mapped on the display.
    pub fn window_named(&self, title: &str) -> Option<String> {
        let out = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", &format!("^{title}$")])
            .env("DISPLAY", &self.display)
            .output()
            .unwrap_or_else(|e| panic!("cannot run xdotool (apt-get install xdotool): {e}"));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .map(str::to_string)
    }

    /// The window's `_NET_WM_STATE` as `xprop` prints it (`_NET_WM_STATE_ABOVE` among
    /// them for a window kept above the others).
    pub fn window_state(&self, window: &str) -> String {
        let out = Command::new("xprop")
            .args(["-id", window, "_NET_WM_STATE"])
            .env("DISPLAY", &self.display)
            .output()
            .unwrap_or_else(|e| panic!("cannot run xprop (apt-get install x11-utils): {e}"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// How varied the pixels of `window` are in the display's screenshot `shot` (the
    /// standard deviation of their intensity, 0 to 1): near 0 for a blank window.
    pub fn window_variety(&self, window: &str, shot: &Path) -> f64 {
        let geometry = Command::new("xdotool")
            .args(["getwindowgeometry", "--shell", window])
            .env("DISPLAY", &self.display)
            .output()
            .unwrap_or_else(|e| panic!("cannot run xdotool: {e}"));
        let geometry = String::from_utf8_lossy(&geometry.stdout).into_owned();
        let field = |name: &str| {
            geometry
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .unwrap_or("0")
                .to_string()
        };
        let crop = format!(
            "{}x{}+{}+{}",
            field("WIDTH"),
            field("HEIGHT"),
            field("X"),
            field("Y")
        );
        let out = Command::new("convert")
            .arg(shot)
            .args([
                "-crop",
                &crop,
                "-colorspace",
                "Gray",
                "-format",
                "%[fx:standard_deviation]",
                "info:",
            ])
            .output()
            .unwrap_or_else(|e| panic!("cannot run convert (apt-get install imagemagick): {e}"));
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0.0)
    }

    /// Clicks inside the window at (`x`, `y`) of its own coordinates, as a user does.
    pub fn click_in_window(&self, window: &str, x: u32, y: u32) {
        let status = Command::new("xdotool")
            .args([
                "mousemove",
                "--window",
                window,
                &x.to_string(),
                &y.to_string(),
                "click",
                "1",
            ])
            .env("DISPLAY", &self.display)
            .status()
            .unwrap_or_else(|e| panic!("cannot run xdotool: {e}"));
        assert!(status.success(), "xdotool failed: {status}");
    }

    /// Starts the app in a new WebDriver session and waits until its first screen shows.
    pub fn launch(&self) -> App<'_> {
        self.launch_with(&[])
    }

    /// [`Desktop::launch`] with command-line arguments for the app (such as a `wren://`
    /// link, as the desktop environment passes one).
    pub fn launch_with(&self, args: &[&str]) -> App<'_> {
        let capabilities = json!({
            "browserName": "wry",
            "tauri:options": { "application": binary("wren-desktop"), "args": args },
        });
        let session = Session::start(self.port, capabilities)
            .unwrap_or_else(|e| panic!("cannot start the app through WebDriver: {e}"));
        let app = App {
            session: Some(session),
            desktop: self,
        };
        app.wait_for_any(&["login-screen", "main-screen", "lock-screen"]);
        app
    }
}

impl Drop for Desktop {
    /// Stops tauri-driver, which stops WebKitWebDriver too.
    fn drop(&mut self) {
        crate::display::stop(&mut self.driver);
    }
}

/// The directory screenshots are saved in: `e2e-screenshots` in the cargo target dir.
pub fn screenshot_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // <target>/<profile>/deps/<test binary>
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("e2e-screenshots")
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return path.into();
    }
    let in_cargo_bin = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cargo/bin/tauri-driver"))
        .filter(|p| p.exists());
    in_cargo_bin.unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

/// WebDriver's key code for Tab.
pub const TAB: &str = "\u{E004}";
/// Enter.
pub const ENTER: &str = "\u{E007}";
/// Escape.
pub const ESCAPE: &str = "\u{E00C}";
/// Arrow down.
pub const ARROW_DOWN: &str = "\u{E015}";
/// The Control key, for [`App::control`].
pub const CONTROL: char = '\u{E009}';

/// The CSS selector of a `data-testid`.
pub fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// The running app, seen through WebDriver.
pub struct App<'a> {
    session: Option<Session>,
    desktop: &'a Desktop,
}

impl App<'_> {
    fn session(&self) -> &Session {
        self.session
            .as_ref()
            .unwrap_or_else(|| panic!("the session has ended"))
    }

    /// Saves a screenshot of the whole virtual display (the real window, as a user sees
    /// it) as `<test>-<label>.png` and returns its path. Uses ImageMagick's `import`:
    /// WebKitWebDriver's own screenshot hangs on some pages of this app.
    pub fn screenshot(&self, label: &str) -> PathBuf {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let path = dir.join(format!("{}-{label}.png", self.desktop.name));
        let status = Command::new("import")
            .args(["-display", &self.desktop.display, "-window", "root"])
            .arg(&path)
            .stdout(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot run import (apt-get install imagemagick): {e}"));
        assert!(status.success(), "import failed: {status}");
        let png = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        path
    }

    /// Fails the test, with a screenshot of what the page showed.
    pub fn fail(&self, what: &str) -> ! {
        let shot = std::panic::catch_unwind(|| self.screenshot("FAILED")).ok();
        panic!(
            "{what} (page at failure: {})",
            shot.map(|p| p.display().to_string())
                .unwrap_or_else(|| "no screenshot".into())
        );
    }

    /// Polls `check` until it returns `Some` or [`PATIENCE`] passes, then fails with `what`.
    pub fn wait<T>(&self, what: &str, mut check: impl FnMut(&Self) -> Option<T>) -> T {
        self.wait_longer(PATIENCE, what, &mut check)
    }

    /// [`App::wait`] with another timeout.
    pub fn wait_longer<T>(
        &self,
        patience: Duration,
        what: &str,
        mut check: impl FnMut(&Self) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + patience;
        loop {
            if let Some(found) = check(self) {
                return found;
            }
            if Instant::now() > deadline {
                self.fail(&format!("timed out after {patience:?} waiting for {what}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every element matching `css` (none when the page cannot answer now).
    pub fn all(&self, css: &str) -> Vec<Element> {
        self.session().find_all(css).unwrap_or_default()
    }

    /// Waits until an element with this `data-testid` exists.
    pub fn wait_for(&self, id: &str) -> Element {
        let css = testid(id);
        self.wait(&css, |app| app.all(&css).into_iter().next())
    }

    fn wait_for_any(&self, ids: &[&str]) -> Element {
        let css = ids
            .iter()
            .map(|id| testid(id))
            .collect::<Vec<_>>()
            .join(", ");
        self.wait(&css, |app| app.all(&css).into_iter().next())
    }

    /// The visible text of an element ("" when it is gone).
    pub fn text(&self, element: &Element) -> String {
        self.session().text(element).unwrap_or_default()
    }

    /// The text content of every element matching `css`, in document order, read by
    /// script (WebDriver's visible text is empty for some clipped elements).
    pub fn texts(&self, css: &str) -> Vec<String> {
        let found = self.script(
            "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent);",
            json!([css]),
        );
        found
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A DOM attribute of an element (`None` when absent, or when the element has been
    /// re-rendered since it was found), read by script.
    pub fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.session()
            .execute(
                "return arguments[0].getAttribute(arguments[1]);",
                json!([element.to_json(), name]),
            )
            .ok()?
            .as_str()
            .map(str::to_string)
    }

    /// Runs JavaScript in the page.
    pub fn script(&self, script: &str, args: Value) -> Value {
        self.session()
            .execute(script, args)
            .unwrap_or_else(|e| self.fail(&format!("script failed: {e}")))
    }

    /// Runs asynchronous JavaScript: it gets `args` and, last, the callback to answer with.
    pub fn script_async(&self, script: &str, args: Value) -> Value {
        self.session()
            .execute_async(script, args)
            .unwrap_or_else(|e| self.fail(&format!("script failed: {e}")))
    }

    /// Clicks the element with this `data-testid` once it exists.
    pub fn click(&self, id: &str) {
        self.click_css(&testid(id));
    }

    /// Clicks the first element matching `css` once it exists. An element the page
    /// re-rendered between finding and clicking it is found again, not clicked stale.
    /// It is scrolled into view first, as a user would scroll to it (a long dialog).
    pub fn click_css(&self, css: &str) {
        self.wait(&format!("{css} to be clickable"), |app| {
            let element = app.all(css).into_iter().next()?;
            app.script(
                "document.querySelector(arguments[0])?.scrollIntoView({ block: 'center' });",
                json!([css]),
            );
            app.unless_stale(&format!("click {css}"), app.session().click(&element))
        });
    }

    /// Clicks an element.
    pub fn click_element(&self, element: &Element) {
        if let Err(e) = self.session().click(element) {
            self.fail(&format!("click: {e}"));
        }
    }

    /// Right-clicks the first element matching `css` whose text contains `text`, found
    /// again if the page re-rendered it meanwhile.
    pub fn context_click_text(&self, css: &str, text: &str) {
        self.wait(
            &format!("{css} showing {text:?} to be right-clicked"),
            |app| {
                let element = app
                    .all(css)
                    .into_iter()
                    .find(|e| app.text(e).contains(text))?;
                app.unless_stale("right-click", app.session().context_click(&element))
            },
        );
    }

    /// `Some` when an action on an element succeeded, `None` when the element had gone
    /// stale (so the caller finds it again); fails the test on any other error.
    fn unless_stale(&self, what: &str, result: crate::webdriver::Result<()>) -> Option<()> {
        match result {
            Ok(()) => Some(()),
            Err(e) if e.0.contains("stale element") => None,
            Err(e) => self.fail(&format!("{what}: {e}")),
        }
    }

    /// Types into the element with this `data-testid` once it exists.
    pub fn type_into(&self, id: &str, text: &str) {
        let element = self.wait_for(id);
        if let Err(e) = self.session().send_keys(&element, text) {
            self.fail(&format!("typing into {id}: {e}"));
        }
    }

    /// Presses keys on whatever has the focus, as a keyboard would.
    pub fn press(&self, keys: &str) {
        if let Err(e) = self.session().press_keys(keys) {
            self.fail(&format!("pressing {keys:?}: {e}"));
        }
    }

    /// Presses `key` with Control held, as a keyboard would.
    pub fn control(&self, key: char) {
        if let Err(e) = self.session().press_chord(CONTROL, key) {
            self.fail(&format!("pressing Ctrl+{key}: {e}"));
        }
    }

    /// Presses Tab until the element with `data-testid` `id` (or one whose id starts
    /// with it, for `chat-item-`) has the focus; fails after 40 presses.
    pub fn tab_to(&self, id: &str) {
        for _ in 0..40 {
            let focused = self.session().focused_testid().unwrap_or(None);
            if focused.as_deref().is_some_and(|f| f.starts_with(id)) {
                return;
            }
            self.press(TAB);
        }
        self.fail(&format!("Tab never reached {id}"));
    }

    /// The `data-testid` of the focused element.
    pub fn focused(&self) -> Option<String> {
        self.session().focused_testid().unwrap_or(None)
    }

    /// A DOM property of an element (`value`, `checked`, ...).
    pub fn property(&self, element: &Element, name: &str) -> Value {
        self.session()
            .property(element, name)
            .unwrap_or(Value::Null)
    }

    /// Ends the session: the app exits.
    pub fn quit(mut self) {
        if let Some(session) = self.session.take() {
            if let Err(e) = session.end() {
                eprintln!("ending the WebDriver session: {e}");
            }
        }
    }
}

impl Drop for App<'_> {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            let _ = session.end();
        }
    }
}

/// A notification server (dunst) on a test's display and bus; stopped when dropped.
pub struct NotificationDaemon {
    child: Child,
    bus: String,
}

impl NotificationDaemon {
    /// Runs `dunstctl ARGS` against this daemon; its output, or `None` when it failed.
    fn control(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("dunstctl")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// How many notifications are on screen.
    pub fn displayed(&self) -> usize {
        self.control(&["count", "displayed"])
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Clicks the newest notification on screen, as a user clicking its body does (its
    /// default action).
    pub fn click_newest(&self) {
        assert!(
            self.control(&["action", "0"]).is_some(),
            "dunstctl could not click the notification"
        );
    }
}

impl Drop for NotificationDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A window manager running on a test's display; stopped when dropped.
pub struct WindowManager(Child);

impl Drop for WindowManager {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
