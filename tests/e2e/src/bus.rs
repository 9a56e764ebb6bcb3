//! A private D-Bus session bus for one app, with `dbus-monitor` recording what the app
//! asks of the desktop on it: native notifications (`org.freedesktop.Notifications.Notify`)
//! and the tray icon's label (the StatusNotifierItem signal `XAyatanaNewLabel`). No
//! notification server runs: the monitor sees each call as the bus receives it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A notification the app asked the desktop to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The title (the sender).
    pub summary: String,
    /// The text.
    pub body: String,
}

/// `dbus-daemon` and `dbus-monitor`, stopped when dropped.
pub struct SessionBus {
    daemon: Child,
    monitor: Child,
    /// For the app's `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
    log: PathBuf,
}

impl SessionBus {
    /// Starts the bus on a socket under `root`, and the monitor, and waits until both run.
    pub fn start(root: &Path) -> SessionBus {
        let socket = root.join("session-bus");
        let address = format!("unix:path={}", socket.display());
        let daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile"])
            .arg(format!("--address={address}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start dbus-daemon (apt-get install dbus-daemon): {e}")
            });
        wait_until("the session bus to listen", || socket.exists());
        let log = root.join("session-bus.log");
        let out = std::fs::File::create(&log).unwrap_or_else(|e| panic!("{}: {e}", log.display()));
        let monitor = Command::new("dbus-monitor")
            .arg("--address")
            .arg(&address)
            .arg("type='method_call',interface='org.freedesktop.Notifications',member='Notify'")
            .arg("type='signal',member='XAyatanaNewLabel'")
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start dbus-monitor (apt-get install dbus-bin): {e}")
            });
        let bus = SessionBus {
            daemon,
            monitor,
            address,
            log,
        };
        // The monitor's own name on the bus is the first thing it prints.
        wait_until("dbus-monitor to attach", || !bus.read_log().is_empty());
        bus
    }

    fn read_log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Every notification asked for so far, oldest first.
    pub fn notifications(&self) -> Vec<Notification> {
        notifications_in(&self.read_log())
    }

    /// Every label the tray icon was given so far, oldest first ("" when cleared).
    pub fn tray_labels(&self) -> Vec<String> {
        tray_labels_in(&self.read_log())
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        for child in [&mut self.monitor, &mut self.daemon] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn notifications_in(log: &str) -> Vec<Notification> {
    calls(log, "member=Notify")
        .into_iter()
        .filter_map(|args| {
            // Notify(app_name, replaces_id, app_icon, summary, body, ...): the strings are
            // app_name, app_icon, summary, body.
            let mut strings = args.into_iter().skip(2);
            Some(Notification {
                summary: strings.next()?,
                body: strings.next()?,
            })
        })
        .collect()
}

fn tray_labels_in(log: &str) -> Vec<String> {
    calls(log, "member=XAyatanaNewLabel")
        .into_iter()
        .filter_map(|args| args.into_iter().next())
        .collect()
}

/// The string arguments of each message in a `dbus-monitor` log whose header line
/// contains `member`.
fn calls(log: &str, member: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in log.lines() {
        if !line.starts_with(' ') {
            found.extend(current.take());
            if line.contains(member) {
                current = Some(Vec::new());
            }
            continue;
        }
        if let (Some(args), Some(value)) = (current.as_mut(), string_argument(line)) {
            args.push(value);
        }
    }
    found.extend(current);
    found
}

/// The value of a top-level `   string "…"` argument line (dbus-monitor escapes `"` and
/// `\` with a backslash).
fn string_argument(line: &str) -> Option<String> {
    let quoted = line.strip_prefix("   string \"")?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' { chars.next()? } else { c });
    }
    Some(out)
}

fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = r#"signal time=1.0 sender=org.freedesktop.DBus -> destination=:1.0 serial=2 path=/org/freedesktop/DBus; interface=org.freedesktop.DBus; member=NameAcquired
   string ":1.0"
method call time=2.0 sender=:1.3 -> destination=org.freedesktop.Notifications serial=9 path=/org/freedesktop/Notifications; interface=org.freedesktop.Notifications; member=Notify
   string "wren-desktop"
   uint32 0
   string ""
   string "omar"
   string "say \"hi\""
   array [
      dict entry(
         string "urgency"
         variant             byte 1
      )
   ]
   int32 -1
signal time=3.0 sender=:1.3 -> destination=(null destination) serial=12 path=/org/ayatana/NotificationItem/wren; interface=org.kde.StatusNotifierItem; member=XAyatanaNewLabel
   string "1"
   string ""
"#;

    #[test]
    fn notifications_and_tray_labels_are_read_from_the_monitor_log() {
        assert_eq!(
            notifications_in(LOG),
            vec![Notification {
                summary: "omar".into(),
                body: "say \"hi\"".into()
            }]
        );
        assert_eq!(tray_labels_in(LOG), vec!["1".to_string()]);
    }
}
