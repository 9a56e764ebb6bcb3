//! The media relay's cost: CPU seconds of the server's threads per gigabit of datagrams it
//! forwards between two QUIC devices in one call's room, beside a bare UDP echo thread
//! forwarding the same datagrams between two plain sockets, in the same run.
//!
//! `cargo bench -p wren-tests --bench relay` (a release build). The relay decrypts each
//! QUIC packet from one device and encrypts it for the other (QUIC is encrypted hop by
//! hop; the media inside stays sealed end to end): that, and quinn's bookkeeping, is what
//! it costs beyond the echo.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wren_proto::media::RelayJoin;
use wren_proto::{ChatId, Request, Response};
use wren_tests::bench::row;
use wren_tests::raw::RawClient;

/// Media datagrams are at most this long on the wire (the engine's 1,100 plus SFrame).
const DATAGRAM: usize = 1_130;
/// How long each side sends.
const RUN: Duration = Duration::from_secs(5);
/// Thread names (at most 15 characters: the kernel keeps no more).
const SERVER_THREADS: &str = "bench-server";
const ECHO_THREAD: &str = "bench-echo";

/// CPU seconds used so far by this process's threads named `name`.
fn thread_cpu_seconds(name: &str) -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return f64::NAN;
    };
    let mut ticks = 0u64;
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        if &stat[open + 1..close] != name {
            continue;
        }
        let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        let field = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        ticks += field(11) + field(12);
    }
    ticks as f64 / 100.0
}

/// What one forwarding run did.
struct Run {
    forwarded_bytes: u64,
    elapsed: Duration,
    cpu_seconds: f64,
}

impl Run {
    fn gbit_per_s(&self) -> f64 {
        self.forwarded_bytes as f64 * 8.0 / 1e9 / self.elapsed.as_secs_f64()
    }

    /// CPU seconds per gigabit forwarded.
    fn cpu_per_gbit(&self) -> f64 {
        self.cpu_seconds / (self.forwarded_bytes as f64 * 8.0 / 1e9)
    }
}

fn relay_run() -> anyhow::Result<Run> {
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(SERVER_THREADS)
        .enable_all()
        .build()?;
    let data = tempfile::tempdir()?;
    let listener = server.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let url = format!("ws://{}", listener.local_addr()?);
    let mut config = wren_server::Config::new(data.path().join("server")).without_limits();
    config.media_port = Some(0);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    server.spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        if let Err(e) = wren_server::run(listener, config, shutdown).await {
            eprintln!("server failed: {e}");
        }
    });
    let clients = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let run = clients.block_on(async move {
        let (mut alice, alice_session) = RawClient::register(&url, "alice").await;
        let (mut bob, bob_session) = RawClient::register(&url, "bob").await;
        let chat: ChatId = match alice
            .request(Request::CreateGroup {
                title: "relay bench".into(),
                members: vec![bob_session.account.id],
            })
            .await
        {
            Ok(Response::Chat(info)) => info.id,
            other => anyhow::bail!("cannot make the chat: {other:?}"),
        };
        let relay = match bob.request(Request::GetMediaRelay).await {
            Ok(Response::MediaRelay(relay)) => relay,
            other => anyhow::bail!("no media relay: {other:?}"),
        };
        let join = |token: String| RelayJoin {
            token,
            chat,
            call: 1,
        };
        let ws = format!("{url}/ws");
        let sender =
            wren_core::calls::media::bench::join_quic(&ws, &relay, &join(alice_session.token))
                .await?;
        let receiver =
            wren_core::calls::media::bench::join_quic(&ws, &relay, &join(bob_session.token))
                .await?;
        let received = Arc::new(AtomicU64::new(0));
        let counting = {
            let received = Arc::clone(&received);
            tokio::spawn(async move {
                while let Ok(datagram) = receiver.read_datagram().await {
                    received.fetch_add(datagram.len() as u64, Ordering::Relaxed);
                }
            })
        };
        let payload = bytes::Bytes::from(vec![0x5a; DATAGRAM]);
        let cpu_before = thread_cpu_seconds(SERVER_THREADS);
        let started = Instant::now();
        let bytes_before = received.load(Ordering::Relaxed);
        while started.elapsed() < RUN {
            sender.send_datagram_wait(payload.clone()).await?;
        }
        let elapsed = started.elapsed();
        let forwarded = received.load(Ordering::Relaxed) - bytes_before;
        let cpu = thread_cpu_seconds(SERVER_THREADS) - cpu_before;
        sender.close(0u32.into(), b"done");
        counting.abort();
        Ok(Run {
            forwarded_bytes: forwarded,
            elapsed,
            cpu_seconds: cpu,
        })
    });
    let _ = stop.send(());
    server.shutdown_timeout(Duration::from_secs(2));
    run
}

/// The same datagrams through a thread that reads each from one UDP socket and writes it
/// to another's address: the floor of any relay.
fn echo_run() -> anyhow::Result<Run> {
    let relay = std::net::UdpSocket::bind("127.0.0.1:0")?;
    let sender = std::net::UdpSocket::bind("127.0.0.1:0")?;
    let receiver = std::net::UdpSocket::bind("127.0.0.1:0")?;
    receiver.set_read_timeout(Some(Duration::from_millis(200)))?;
    relay.set_read_timeout(Some(Duration::from_millis(200)))?;
    let (relay_at, receiver_at) = (relay.local_addr()?, receiver.local_addr()?);
    let done = Arc::new(AtomicBool::new(false));
    let echo = {
        let done = Arc::clone(&done);
        std::thread::Builder::new()
            .name(ECHO_THREAD.into())
            .spawn(move || {
                let mut buffer = [0u8; 2048];
                while !done.load(Ordering::Relaxed) {
                    if let Ok((len, _)) = relay.recv_from(&mut buffer) {
                        let _ = relay.send_to(&buffer[..len], receiver_at);
                    }
                }
            })?
    };
    let received = Arc::new(AtomicU64::new(0));
    let counting = {
        let (done, received) = (Arc::clone(&done), Arc::clone(&received));
        std::thread::spawn(move || {
            let mut buffer = [0u8; 2048];
            while !done.load(Ordering::Relaxed) {
                if let Ok(len) = receiver.recv(&mut buffer) {
                    received.fetch_add(len as u64, Ordering::Relaxed);
                }
            }
        })
    };
    let payload = vec![0x5a; DATAGRAM];
    let cpu_before = thread_cpu_seconds(ECHO_THREAD);
    let started = Instant::now();
    while started.elapsed() < RUN {
        // Paced a little, as a QUIC sender is: a burst, then a breath.
        for _ in 0..64 {
            let _ = sender.send_to(&payload, relay_at);
        }
        std::thread::yield_now();
    }
    let elapsed = started.elapsed();
    let forwarded = received.load(Ordering::Relaxed);
    let cpu = thread_cpu_seconds(ECHO_THREAD) - cpu_before;
    done.store(true, Ordering::Relaxed);
    let _ = echo.join();
    let _ = counting.join();
    Ok(Run {
        forwarded_bytes: forwarded,
        elapsed,
        cpu_seconds: cpu,
    })
}

fn main() -> anyhow::Result<()> {
    let relay = relay_run()?;
    let echo = echo_run()?;
    println!(
        "media relay: {DATAGRAM}-byte datagrams for {} s, one sender and one receiver on loopback",
        RUN.as_secs()
    );
    row(
        "relay: forwarded",
        relay.gbit_per_s(),
        "Gbit/s",
        "bare UDP echo thread",
        echo.gbit_per_s(),
    );
    row(
        "relay: CPU (server threads)",
        relay.cpu_seconds,
        "s",
        "echo thread",
        echo.cpu_seconds,
    );
    row(
        "relay: CPU per forwarded Gbit",
        relay.cpu_per_gbit(),
        "core-s",
        "echo thread",
        echo.cpu_per_gbit(),
    );
    row(
        "relay: Gbit/s per core",
        1.0 / relay.cpu_per_gbit(),
        "Gbit/s",
        "echo thread",
        1.0 / echo.cpu_per_gbit(),
    );
    Ok(())
}
