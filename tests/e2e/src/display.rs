//! A virtual X display (Xvfb) on a free display number, stopped when dropped.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Xvfb.
pub struct VirtualDisplay {
    child: Child,
    /// `:N`, for `DISPLAY`.
    pub name: String,
}

impl VirtualDisplay {
    /// Starts Xvfb (1280x800, 24-bit) on the first free display from :90 and waits until
    /// it accepts connections.
    pub fn start() -> VirtualDisplay {
        for n in 90..190 {
            let socket = format!("/tmp/.X11-unix/X{n}");
            if Path::new(&socket).exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let mut child = match Command::new("Xvfb")
                .arg(format!(":{n}"))
                .args(["-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
            {
                Ok(child) => child,
                Err(e) => panic!("cannot start Xvfb (apt-get install xvfb): {e}"),
            };
            let deadline = Instant::now() + Duration::from_secs(15);
            while Instant::now() < deadline {
                if Path::new(&socket).exists() {
                    return VirtualDisplay {
                        child,
                        name: format!(":{n}"),
                    };
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("no free X display between :90 and :189");
    }
}

impl Drop for VirtualDisplay {
    /// Stops Xvfb with SIGTERM, so it removes its lock file and socket (SIGKILL would leave
    /// them, and the display number would stay taken).
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Stops `child` with SIGTERM, so it can clean up (and stop its own children); SIGKILL if
/// it has not exited within five seconds.
pub(crate) fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}
