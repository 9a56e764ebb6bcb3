//! The real binaries, started as processes: the server (to SIGKILL it) and the CLI (to
//! test the contract scripts rely on).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The path of a workspace binary built with the same profile as the running program
/// (a test in `target/<profile>/deps`, or a binary in `target/<profile>`).
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let mut dir = exe.parent().expect("the program lives in a directory");
    if dir.file_name().is_some_and(|n| n == "deps") {
        dir = dir.parent().expect("target/<profile>");
    }
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: build the binaries first (cargo build --workspace --bins)",
        path.display()
    );
    path
}

/// A free loopback port (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A `wren-server` process.
pub struct ServerProcess {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    /// `ws://127.0.0.1:PORT`.
    pub url: String,
}

impl ServerProcess {
    /// Starts `wren-server` on `port` with `data_dir`, and waits until it listens.
    pub fn start(data_dir: &Path, port: u16) -> ServerProcess {
        Self::start_with(data_dir, port, &[])
    }

    /// Starts `wren-server` with more flags (`--sponsored-min-subscribers 2`, say).
    pub fn start_with(data_dir: &Path, port: u16, flags: &[&str]) -> ServerProcess {
        Self::spawn(data_dir, port, flags, "warn", Stdio::inherit())
    }

    /// Starts `wren-server` with more flags, logging everything down to `debug` into
    /// `log`.
    pub fn start_logged(data_dir: &Path, port: u16, flags: &[&str], log: &Path) -> ServerProcess {
        let file = std::fs::File::create(log).expect("create the server's log");
        Self::spawn(data_dir, port, flags, "debug", Stdio::from(file))
    }

    fn spawn(
        data_dir: &Path,
        port: u16,
        flags: &[&str],
        log_level: &str,
        stderr: Stdio,
    ) -> ServerProcess {
        let mut child = Command::new(binary("wren-server"))
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--no-limits")
            .args(flags)
            .env("RUST_LOG", log_level)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start wren-server");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the listening line");
        assert!(
            line.contains("listening on"),
            "wren-server did not start: {line:?}"
        );
        ServerProcess {
            child,
            port,
            url: format!("ws://127.0.0.1:{port}"),
        }
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills it with SIGKILL: no shutdown code runs.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `wren` CLI invocation for one profile.
pub struct Cli {
    /// The profile directory.
    pub profile: PathBuf,
    /// The server URL.
    pub server: String,
}

impl Cli {
    /// The command, with profile, server, password and passcode set.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(binary("wren"));
        command
            .arg("--profile")
            .arg(&self.profile)
            .arg("--server")
            .arg(&self.server)
            .args(args)
            .env("WREN_PASSWORD", crate::PASSWORD)
            .env("WREN_PASSCODE", crate::PASSCODE)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null());
        command
    }

    /// Runs to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run wren")
    }

    /// Runs and expects success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "wren {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// Polls `check` every 50 ms until it is true or `timeout` passes.
pub fn wait_until(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    check()
}

/// Whether `needle` is anywhere in the readable memory of process `pid` (Linux: its
/// `/proc/PID/maps` and `/proc/PID/mem`; the caller must be allowed to trace it).
pub fn memory_contains(pid: u32, needle: &[u8]) -> std::io::Result<bool> {
    use std::os::unix::fs::FileExt;
    const CHUNK: u64 = 1 << 20;
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps"))?;
    let memory = std::fs::File::open(format!("/proc/{pid}/mem"))?;
    let finder = memchr::memmem::Finder::new(needle);
    let mut buffer = vec![0u8; CHUNK as usize + needle.len()];
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        if !perms.starts_with('r') || line.ends_with("[vvar]") || line.ends_with("[vsyscall]") {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        let mut at = start;
        while at < end {
            // Chunks overlap by the needle's length, so that nothing is missed at an edge.
            let len = (end - at).min(CHUNK + needle.len() as u64) as usize;
            match memory.read_at(&mut buffer[..len], at) {
                Ok(read) if finder.find(&buffer[..read]).is_some() => return Ok(true),
                Ok(_) | Err(_) => {}
            }
            at += CHUNK;
        }
    }
    Ok(false)
}
