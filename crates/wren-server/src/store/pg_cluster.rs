//! A throwaway PostgreSQL server for tests: `initdb` into a temporary directory, started on
//! a free loopback port with `fsync` off, stopped and deleted when dropped. As root (CI),
//! the server runs as the `postgres` user, since PostgreSQL refuses to run as root.

// Each crate that includes this file uses a part of it.
#![allow(clippy::unwrap_used, dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A running throwaway cluster.
pub(crate) struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl PgCluster {
    /// Creates and starts a cluster without durability (`fsync` off): for tests; panics
    /// with the reason when PostgreSQL is missing (the test command installs it).
    pub(crate) fn start() -> PgCluster {
        Self::start_with(false)
    }

    /// A cluster with PostgreSQL's default durability (`fsync` and `synchronous_commit`
    /// on): for benchmarks.
    pub(crate) fn start_durable() -> PgCluster {
        Self::start_with(true)
    }

    /// Whether PostgreSQL's server programs are installed.
    pub(crate) fn available() -> bool {
        server_bin().is_some()
    }

    fn start_with(durable: bool) -> PgCluster {
        let bin = server_bin().expect("PostgreSQL's server is installed (postgresql package)");
        let dir = tempfile::tempdir().unwrap();
        let root = is_root();
        if root {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(status.success(), "chown the cluster directory");
        }
        let data = dir.path().join("data");
        run(
            root,
            Command::new(bin.join("initdb")).arg("-D").arg(&data).args([
                "-A",
                "trust",
                "-U",
                "wren",
                "-E",
                "UTF8",
                "--no-sync",
            ]),
        );
        let port = free_port();
        let mut options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            dir.path().display()
        );
        if !durable {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        run(
            root,
            Command::new(bin.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(dir.path().join("log"))
                .args(["-w", "start"]),
        );
        PgCluster { dir, bin, port }
    }

    /// The URL of its `postgres` database, as the `wren` superuser.
    pub(crate) fn url(&self) -> String {
        format!("postgres://wren@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let mut stop = Command::new(self.bin.join("pg_ctl"));
        stop.arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"]);
        let _ = as_server_user(is_root(), &mut stop).output();
    }
}

/// The directory of the newest installed PostgreSQL's server programs.
fn server_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// `command` as the `postgres` user when running as root.
fn as_server_user(root: bool, command: &mut Command) -> Command {
    if !root {
        let mut same = Command::new(command.get_program());
        same.args(command.get_args());
        return same;
    }
    let mut wrapped = Command::new("runuser");
    wrapped
        .args(["-u", "postgres", "--"])
        .arg(command.get_program())
        .args(command.get_args());
    wrapped
}

fn run(root: bool, command: &mut Command) {
    let output = as_server_user(root, command).output().unwrap();
    assert!(
        output.status.success(),
        "{:?} failed: {}",
        Path::new(command.get_program()),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
