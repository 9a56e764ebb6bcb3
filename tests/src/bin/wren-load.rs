//! The load test of the hardening work: many normal clients chat in groups on a real
//! `wren-server` process (release, default limits) while hostile connections attack it;
//! the same run without the attackers is the baseline.
//!
//! ```text
//! cargo build --release --bins && ~/.cache/wren-target/release/wren-load \
//!     --clients 1000 --hostile 100 --seconds 60
//! ```
//!
//! Normal clients connect from 127.0.0.10 onwards, 20 per address (real users behind
//! different addresses), each in a group of 10, sending one message a second and asking
//! for its difference every 10 s. Hostile connections come from 127.0.1.1-4 and apply the
//! review's items 4 to 6: slow readers of large history pages, half-sent HTTP requests,
//! and bogus resumes, wrong passwords and pings without signing in. Prints, for each phase, the normal
//! clients' send-to-acknowledgement p50/p99, their errors, and the server's peak RSS.

use anyhow::{bail, Context, Result};
use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpSocket;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use wren_proto::{
    decode_server, encode, AccountId, ChatId, ClientFrame, ClientMsgId, Hello, Pts, Request,
    RequestFrame, RequestId, Response, ServerFrame, PROTOCOL_VERSION,
};
use wren_tests::process::{binary, free_port};

type Ws = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

struct Options {
    clients: usize,
    hostile: usize,
    seconds: u64,
}

fn options() -> Result<Options> {
    let mut options = Options {
        clients: 1000,
        hostile: 100,
        seconds: 60,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).context("every option takes a value")?;
        match pair[0].as_str() {
            "--clients" => options.clients = value.parse().context("--clients")?,
            "--hostile" => options.hostile = value.parse().context("--hostile")?,
            "--seconds" => options.seconds = value.parse().context("--seconds")?,
            other => bail!("unknown option {other}; use --clients N --hostile H --seconds S"),
        }
    }
    if options.clients < 10 || !options.clients.is_multiple_of(10) {
        bail!("--clients must be a multiple of 10");
    }
    Ok(options)
}

/// A `wren-server` process with its default limits, and its peak RSS when stopped.
struct Server {
    child: std::process::Child,
    addr: SocketAddr,
    _data: tempfile::TempDir,
}

impl Server {
    fn start() -> Result<Server> {
        let data = tempfile::tempdir()?;
        let port = free_port();
        let mut child = std::process::Command::new(binary("wren-server"))
            .arg("--data-dir")
            .arg(data.path())
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "error")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .context("start wren-server")?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)?;
        if !line.contains("listening on") {
            bail!("wren-server did not start: {line:?}");
        }
        Ok(Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            _data: data,
        })
    }

    /// The process's peak resident set size so far, in MiB.
    fn peak_rss_mib(&self) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .context("VmHWM")?;
        Ok(kib / 1024)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A protocol connection from a chosen loopback address.
struct Conn {
    ws: Ws,
    next: u64,
}

impl Conn {
    async fn open(server: SocketAddr, source: Ipv4Addr) -> Result<Conn> {
        let socket = TcpSocket::new_v4()?;
        socket.bind(SocketAddr::from((source, 0)))?;
        let tcp = socket.connect(server).await?;
        let url = format!("ws://{server}/ws");
        let (mut ws, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(tcp)).await?;
        let hello = ClientFrame::Hello(Hello {
            version: PROTOCOL_VERSION,
            client: "wren-load".into(),
        });
        ws.send(Message::Binary(encode(&hello)?.into())).await?;
        let mut conn = Conn { ws, next: 1 };
        match conn.frame().await? {
            ServerFrame::Welcome(_) => Ok(conn),
            other => bail!("expected Welcome, got {other:?}"),
        }
    }

    async fn frame(&mut self) -> Result<ServerFrame> {
        loop {
            match self.ws.next().await.context("closed")?? {
                Message::Binary(bytes) => return Ok(decode_server(&bytes)?),
                Message::Close(_) => bail!("closed"),
                _ => {}
            }
        }
    }

    async fn send(&mut self, body: Request) -> Result<RequestId> {
        let id = RequestId(self.next);
        self.next += 1;
        let frame = ClientFrame::Request(RequestFrame { id, body });
        self.ws
            .send(Message::Binary(encode(&frame)?.into()))
            .await?;
        Ok(id)
    }

    async fn call(&mut self, body: Request) -> Result<Response> {
        let id = self.send(body).await?;
        loop {
            if let ServerFrame::Response { id: got, result } = self.frame().await? {
                if got == id {
                    return result.map_err(|e| anyhow::anyhow!("{e}"));
                }
            }
        }
    }

    async fn register(&mut self, name: &str) -> Result<(AccountId, String)> {
        match self
            .call(Request::Register {
                username: name.into(),
                password: "load test password".into(),
                device_name: "wren-load".into(),
            })
            .await?
        {
            Response::Session(s) => Ok((s.account.id, s.token)),
            other => bail!("register: {other:?}"),
        }
    }
}

/// The address of normal client `i`: 20 per address from 127.0.0.10.
fn normal_source(i: usize) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, 0, 10 + (i / 20) as u8)
}

/// The address of hostile connection `i`: 127.0.1.1 to 127.0.1.4.
fn hostile_source(i: usize) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, 1, 1 + (i % 4) as u8)
}

/// What the normal clients measured.
#[derive(Default)]
struct Tally {
    latencies_us: Mutex<Vec<u64>>,
    errors: AtomicU64,
    pushes: AtomicU64,
}

/// Registers the normal clients and puts them in groups of 10.
async fn setup_normal(server: SocketAddr, clients: usize) -> Result<Vec<(Conn, ChatId)>> {
    let mut registered = Vec::with_capacity(clients);
    for chunk in (0..clients).collect::<Vec<_>>().chunks(50) {
        let batch = futures_util::future::join_all(chunk.iter().map(|&i| async move {
            let mut conn = Conn::open(server, normal_source(i)).await?;
            let (id, _) = conn.register(&format!("user{i}")).await?;
            Ok::<_, anyhow::Error>((conn, id))
        }))
        .await;
        for result in batch {
            registered.push(result?);
        }
    }
    let mut out = Vec::with_capacity(clients);
    let mut iter = registered.into_iter();
    while let Some((mut owner, _)) = iter.next() {
        let rest: Vec<(Conn, AccountId)> = iter.by_ref().take(9).collect();
        let members = rest.iter().map(|(_, id)| *id).collect();
        let chat = match owner
            .call(Request::CreateGroup {
                title: "load".into(),
                members,
            })
            .await?
        {
            Response::Chat(info) => info.id,
            other => bail!("create group: {other:?}"),
        };
        out.push((owner, chat));
        out.extend(rest.into_iter().map(|(conn, _)| (conn, chat)));
    }
    Ok(out)
}

/// One normal client: a message a second, a difference every 10 s, pushes read.
async fn run_normal(conn: Conn, chat: ChatId, until: Instant, tally: Arc<Tally>, seed: u64) {
    let (mut sink, mut stream) = conn.ws.split();
    let pending: Arc<Mutex<HashMap<RequestId, Instant>>> = Arc::default();
    let reader = {
        let pending = Arc::clone(&pending);
        let tally = Arc::clone(&tally);
        tokio::spawn(async move {
            while let Some(Ok(message)) = stream.next().await {
                let Message::Binary(bytes) = message else {
                    continue;
                };
                match decode_server(&bytes) {
                    Ok(ServerFrame::Response { id, result }) => {
                        let sent = pending.lock().ok().and_then(|mut p| p.remove(&id));
                        match (result, sent) {
                            (Ok(Response::Sent { .. }), Some(at)) => {
                                let us = at.elapsed().as_micros() as u64;
                                if let Ok(mut l) = tally.latencies_us.lock() {
                                    l.push(us);
                                }
                            }
                            (Ok(_), _) => {}
                            (Err(_), _) => {
                                tally.errors.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                    Ok(ServerFrame::Update(_)) | Ok(ServerFrame::Typing(_)) => {
                        tally.pushes.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(ServerFrame::Fatal(_)) | Err(_) => {
                        tally.errors.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                    Ok(_) => {}
                }
            }
        })
    };
    // Spread the clients over the second.
    tokio::time::sleep(Duration::from_millis(seed % 1000)).await;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut next_id = 1_000_000u64;
    let mut n = 0u64;
    while Instant::now() < until {
        tick.tick().await;
        n += 1;
        next_id += 1;
        let id = RequestId(next_id);
        let body = if n.is_multiple_of(10) {
            Request::GetDifference {
                since: Pts(0),
                limit: 100,
            }
        } else {
            if let Ok(mut p) = pending.lock() {
                p.insert(id, Instant::now());
            }
            Request::SendMessage {
                chat,
                client_msg_id: ClientMsgId(seed << 32 | n),
                payload: format!("load message {n}").into_bytes(),
                reply_to: None,
            }
        };
        let Ok(bytes) = encode(&ClientFrame::Request(RequestFrame { id, body })) else {
            break;
        };
        if sink.send(Message::Binary(bytes.into())).await.is_err() {
            tally.errors.fetch_add(1, Ordering::Relaxed);
            break;
        }
    }
    // Let the last answers arrive.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let unanswered = pending.lock().map(|p| p.len()).unwrap_or(0) as u64;
    tally.errors.fetch_add(unanswered, Ordering::Relaxed);
    reader.abort();
}

/// One hostile connection, looping over its attack until `until`.
async fn run_hostile(
    server: SocketAddr,
    i: usize,
    until: Instant,
    big_chat: Option<(String, ChatId)>,
) {
    let source = hostile_source(i);
    while Instant::now() < until {
        let _ = match (i % 3, &big_chat) {
            (0, Some((token, chat))) => slow_reader(server, source, token, *chat).await,
            (1, _) => half_sent(server, source).await,
            _ => abuser(server, source, i).await,
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Asks for 256 large history pages and reads nothing until the server gives up on it.
async fn slow_reader(
    server: SocketAddr,
    source: Ipv4Addr,
    token: &str,
    chat: ChatId,
) -> Result<()> {
    let mut conn = Conn::open(server, source).await?;
    conn.call(Request::Resume {
        token: token.into(),
    })
    .await?;
    for _ in 0..256 {
        conn.send(Request::GetHistory {
            chat,
            before: None,
            limit: 200,
        })
        .await?;
    }
    tokio::time::sleep(Duration::from_secs(40)).await;
    Ok(())
}

/// Sends half an HTTP request and waits for the server to close it.
async fn half_sent(server: SocketAddr, source: Ipv4Addr) -> Result<()> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((source, 0)))?;
    let mut tcp = socket.connect(server).await?;
    tcp.write_all(b"GET /ws HTTP/1.1\r\nHost: wren\r\n").await?;
    let mut buf = [0u8; 64];
    let _ = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::io::AsyncReadExt::read(&mut tcp, &mut buf),
    )
    .await;
    Ok(())
}

/// Bogus resumes, wrong passwords for real accounts, and pings without signing in.
async fn abuser(server: SocketAddr, source: Ipv4Addr, i: usize) -> Result<()> {
    let mut conn = Conn::open(server, source).await?;
    for n in 0..1000u64 {
        let body = match n % 3 {
            0 => Request::Resume {
                token: format!("{:064x}", n + (i as u64) * 1000),
            },
            1 => Request::Login {
                username: format!("user{}", n % 50),
                password: "not the password".into(),
                device_name: "x".into(),
            },
            _ => Request::Ping,
        };
        conn.call(body).await.ok();
    }
    Ok(())
}

/// Sets up the large chat the slow readers ask for: 40 messages of 250 KiB.
async fn big_chat(server: SocketAddr) -> Result<(String, ChatId)> {
    let mut conn = Conn::open(server, Ipv4Addr::new(127, 0, 1, 100)).await?;
    let (_, token) = conn.register("hoarder").await?;
    let chat = match conn
        .call(Request::CreateGroup {
            title: "big".into(),
            members: vec![],
        })
        .await?
    {
        Response::Chat(info) => info.id,
        other => bail!("create group: {other:?}"),
    };
    for n in 0..40 {
        conn.call(Request::SendMessage {
            chat,
            client_msg_id: ClientMsgId(n),
            payload: vec![b'x'; 250 * 1024],
            reply_to: None,
        })
        .await?;
    }
    Ok((token, chat))
}

/// One phase: a fresh server, the normal clients, and `hostile` attackers.
async fn phase(options: &Options, hostile: usize) -> Result<()> {
    let server = Server::start()?;
    let clients = setup_normal(server.addr, options.clients).await?;
    let big = if hostile > 0 {
        Some(big_chat(server.addr).await?)
    } else {
        None
    };
    let tally = Arc::new(Tally::default());
    let until = Instant::now() + Duration::from_secs(options.seconds);
    let mut tasks = Vec::new();
    for i in 0..hostile {
        tasks.push(tokio::spawn(run_hostile(
            server.addr,
            i,
            until,
            big.clone(),
        )));
    }
    for (seed, (conn, chat)) in clients.into_iter().enumerate() {
        let tally = Arc::clone(&tally);
        tasks.push(tokio::spawn(run_normal(
            conn,
            chat,
            until,
            tally,
            seed as u64,
        )));
    }
    for task in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    }
    let mut latencies = tally
        .latencies_us
        .lock()
        .map(|l| l.clone())
        .unwrap_or_default();
    latencies.sort_unstable();
    let pct = |p: f64| -> f64 {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |us| *us as f64 / 1000.0)
    };
    println!(
        "{:>4} hostile: {} messages acknowledged, p50 {:.2} ms, p99 {:.2} ms, {} errors, {} pushes received, server peak RSS {} MiB",
        hostile,
        latencies.len(),
        pct(0.50),
        pct(0.99),
        tally.errors.load(Ordering::Relaxed),
        tally.pushes.load(Ordering::Relaxed),
        server.peak_rss_mib()?,
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let options = options()?;
    println!(
        "wren-load: {} clients in groups of 10, 1 message/s each, {} s per phase",
        options.clients, options.seconds
    );
    phase(&options, 0).await?;
    phase(&options, options.hostile).await?;
    Ok(())
}
