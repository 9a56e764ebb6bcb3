//! Idle connections one `wren-server` node holds, and the memory each costs: signed-in
//! devices that say nothing (the server pings each every 60 s and they answer), opened
//! from several loopback source addresses, counted at 10,000 and at the most this
//! machine allows. The baseline, in the same run: a bare tokio-tungstenite server (this
//! same program, started again as a child) holding the same number of plain WebSockets
//! with the server's read buffer size: the floor that the WebSocket layer costs.
//!
//! ```text
//! cargo build --release -p wren-server && cargo bench -p wren-tests --bench idle
//! ```
//!
//! `WREN_IDLE_MAX` sets the most connections to try (default: what this process's file
//! descriptor limit leaves room for). Memory per connection is the server's RSS growth
//! divided by the connections it holds.

use futures_util::{stream, StreamExt};
use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use wren_proto::{Request, Response};
use wren_tests::bench::process_memory_mib;
use wren_tests::process::{free_port, ServerProcess};
use wren_tests::raw::RawClient;

/// Accounts whose devices the idle connections resume (sign-in cost is not measured).
const ACCOUNTS: usize = 100;
/// The first count measured.
const FIRST: usize = 10_000;
/// Connection attempts in flight at once.
const OPENING: usize = 256;
/// Source addresses 127.0.0.2 onwards.
const SOURCES: u8 = 16;
/// File descriptors this process and each server keep for everything but connections.
const SPARE_FDS: usize = 100;
/// Why a connection could not be opened.
type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// Set in the child that runs the bare baseline server.
const BASELINE_ENV: &str = "WREN_IDLE_BASELINE_SERVER";

/// A server process being measured, and how its clients sign in.
struct Target {
    pid: u32,
    url: String,
    /// The device tokens to resume with; none for the bare WebSocket server.
    tokens: Vec<String>,
}

/// One measurement: connections held, the server's RSS growth, the time to open them.
struct Held {
    connections: usize,
    rss_growth_mib: f64,
    open_seconds: f64,
    fds: usize,
}

fn main() {
    if std::env::var_os(BASELINE_ENV).is_some() {
        bare_server();
        return;
    }
    let limit = fd_soft_limit();
    let most = std::env::var("WREN_IDLE_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(limit.saturating_sub(SPARE_FDS));
    let steps = [FIRST.min(most), most];
    println!(
        "idle connections: open file limit {limit} per process (hard {}); trying {FIRST} then {most}",
        fd_hard_limit()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let baseline = runtime.block_on(async {
        let mut child = spawn_bare_server();
        let url = read_url(&mut child);
        let target = Target {
            pid: child.id(),
            url,
            tokens: Vec::new(),
        };
        let held = hold(&target, &steps).await;
        let _ = child.kill();
        let _ = child.wait();
        held
    });
    let wren = runtime.block_on(async {
        let dir = tempfile::tempdir().expect("tempdir");
        let server =
            ServerProcess::start_with(dir.path(), free_port(), &["--max-connections", "1000000"]);
        let tokens = register(&server.url).await;
        let target = Target {
            pid: server.pid(),
            url: server.url.clone(),
            tokens,
        };
        hold(&target, &steps).await
    });
    println!();
    println!(
        "{:<34} {:>11} {:>13} {:>12} {:>9} | {:>13} {:>12}",
        "",
        "connections",
        "wren KiB each",
        "wren RSS MiB",
        "open s",
        "bare KiB each",
        "bare RSS MiB"
    );
    for (w, b) in wren.iter().zip(&baseline) {
        println!(
            "{:<34} {:>11} {:>13.1} {:>12.1} {:>9.1} | {:>13.1} {:>12.1}",
            "idle signed-in connections",
            w.connections,
            per_connection_kib(w),
            w.rss_growth_mib,
            w.open_seconds,
            per_connection_kib(b),
            b.rss_growth_mib,
        );
        println!(
            "{:<34} server file descriptors {} (bare {})",
            "", w.fds, b.fds
        );
    }
}

/// Opens connections up to each step in turn, measuring the server at each; stops early
/// when a connection cannot be opened, and measures what it holds then.
async fn hold(target: &Target, steps: &[usize]) -> Vec<Held> {
    let (before, _) = process_memory_mib(target.pid).expect("the server's memory");
    let started = Instant::now();
    let mut open: Vec<tokio::task::JoinHandle<()>> = Vec::new();
    let mut results = Vec::new();
    let mut stopped = false;
    for &step in steps {
        if open.len() < step && !stopped {
            let wanted = step - open.len();
            let first = open.len();
            let opened: Vec<_> = stream::iter(first..first + wanted)
                .map(|n| open_one(target, n))
                .buffer_unordered(OPENING)
                .collect()
                .await;
            for result in opened {
                match result {
                    Ok(task) => open.push(task),
                    Err(e) if !stopped => {
                        println!("  stopped at {} connections: {e}", open.len());
                        stopped = true;
                    }
                    Err(_) => {}
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        let (now, _) = process_memory_mib(target.pid).expect("the server's memory");
        let held = Held {
            connections: open.len(),
            rss_growth_mib: now - before,
            open_seconds: started.elapsed().as_secs_f64(),
            fds: open_fds(target.pid),
        };
        println!(
            "  {} connections: RSS +{:.1} MiB, {:.1} KiB each",
            held.connections,
            held.rss_growth_mib,
            per_connection_kib(&held)
        );
        results.push(held);
    }
    for task in open {
        task.abort();
    }
    results
}

/// Opens connection `n`, signs it in when the target wants that, and leaves a task
/// reading from it (which answers the server's pings).
async fn open_one(target: &Target, n: usize) -> Result<tokio::task::JoinHandle<()>, BoxError> {
    let source = IpAddr::V4(Ipv4Addr::new(
        127,
        0,
        0,
        2 + (n % usize::from(SOURCES)) as u8,
    ));
    let opening = async {
        let client: RawClient = RawClient::connect_from(&target.url, source).await?;
        if target.tokens.is_empty() {
            return Ok::<_, BoxError>(client);
        }
        let mut client = client.handshake().await;
        let token = target.tokens[n % target.tokens.len()].clone();
        match client.request(Request::Resume { token }).await {
            Ok(Response::Resumed { .. }) => Ok(client),
            other => Err(format!("resume: {other:?}").into()),
        }
    };
    let mut client = tokio::time::timeout(Duration::from_secs(10), opening)
        .await
        .map_err(|_| "no answer within 10 s")??;
    Ok(tokio::spawn(async move {
        while client.next_frame().await.is_some() {}
    }))
}

/// Registers the accounts and returns their device tokens.
async fn register(url: &str) -> Vec<String> {
    let mut tokens = Vec::with_capacity(ACCOUNTS);
    for i in 0..ACCOUNTS {
        let (_, session) = RawClient::register(url, &format!("idle{i}")).await;
        tokens.push(session.token);
    }
    tokens
}

fn per_connection_kib(held: &Held) -> f64 {
    held.rss_growth_mib * 1024.0 / held.connections.max(1) as f64
}

/// The baseline: accepts plain WebSockets and reads each until it closes.
fn bare_server() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        println!(
            "listening on ws://{}",
            listener.local_addr().expect("address")
        );
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            };
            tokio::spawn(async move {
                let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
                    .read_buffer_size(wren_server::WS_READ_BUFFER);
                if let Ok(mut ws) =
                    tokio_tungstenite::accept_async_with_config(tcp, Some(config)).await
                {
                    while let Some(Ok(_)) = ws.next().await {}
                }
            });
        }
    });
}

fn spawn_bare_server() -> Child {
    Command::new(std::env::current_exe().expect("this program"))
        .env(BASELINE_ENV, "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the bare server")
}

fn read_url(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("the listening line");
    line.trim()
        .strip_prefix("listening on ")
        .expect("a listening line")
        .to_owned()
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

fn fd_soft_limit() -> usize {
    fd_limit("Max open files", 3)
}

fn fd_hard_limit() -> usize {
    fd_limit("Max open files", 4)
}

/// A column of this process's line in /proc/self/limits.
fn fd_limit(name: &str, column: usize) -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            let line = limits.lines().find(|l| l.starts_with(name))?;
            line.split_whitespace().nth(column)?.parse().ok()
        })
        .unwrap_or(1024)
}
