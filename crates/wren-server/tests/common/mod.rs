//! A real server on a loopback port and a raw protocol client for the integration tests.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use futures_util::{SinkExt, StreamExt};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use wren_proto::{
    decode_server, encode, AccountId, ChannelPush, ChatId, ChatInfo, ClientFrame, ClientMsgId,
    ErrorBody, ErrorCode, Hello, PresenceInfo, Request, RequestFrame, RequestId, Response, Seq,
    ServerFrame, Session, TypingNotice, UpdateEnvelope, Version, PROTOCOL_VERSION,
};
use wren_server::{Config, ServerError};

pub mod nats_server;

/// How long any single wait in a test may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(10);

/// The port a `wren-server` process listens on, read from the first line it prints.
pub fn listening_port(child: &mut std::process::Child) -> u16 {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("the child's stdout is piped"))
        .read_line(&mut line)
        .unwrap();
    line.trim_end()
        .strip_prefix("wren-server listening on ws://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap()
}

/// A server running on `127.0.0.1:0` with a fresh data directory.
pub struct TestServer {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
    pub dir: tempfile::TempDir,
}

impl TestServer {
    /// Defaults, without the per-IP and per-account limits.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Defaults changed by `tweak`.
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir, tweak).await
    }

    /// A server on an existing data directory.
    pub async fn start_in(dir: tempfile::TempDir, tweak: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config::new(dir.path()).without_limits();
        tweak(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(wren_server::run(listener, config, async move {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            stop: Some(stop),
            task: Some(task),
            dir,
        }
    }

    /// The WebSocket URL.
    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// Stops the server and waits until it has flushed; returns the data directory.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(WAIT, task)
                .await
                .expect("server stops in time")
                .unwrap()
                .unwrap();
        }
        let TestServer { dir, .. } = self;
        dir
    }
}

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Something clients connect to: an in-process test server, or a server process.
pub trait Endpoint {
    /// The WebSocket URL.
    fn ws_url(&self) -> String;
}

impl Endpoint for TestServer {
    fn ws_url(&self) -> String {
        self.url()
    }
}

/// Opens a WebSocket without saying anything.
pub async fn raw(server: &impl Endpoint) -> Ws {
    let (ws, _) = tokio_tungstenite::connect_async(server.ws_url())
        .await
        .unwrap();
    ws
}

/// Sends any encodable frame.
pub async fn send_frame(ws: &mut Ws, frame: &ClientFrame) {
    ws.send(Message::Binary(encode(frame).unwrap().into()))
        .await
        .unwrap();
}

/// A WebSocket to the server from `source`, a loopback address of the caller's choice.
pub async fn raw_from(server: &TestServer, source: [u8; 4]) -> Ws {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(SocketAddr::from((source, 0)))
        .expect("bind a loopback source address");
    let tcp = socket.connect(server.addr).await.unwrap();
    let (ws, _) = tokio_tungstenite::client_async(server.url(), MaybeTlsStream::Plain(tcp))
        .await
        .unwrap();
    ws
}

/// The next server frame, or `None` once the connection is closed.
pub async fn recv_frame(ws: &mut Ws) -> Option<ServerFrame> {
    loop {
        let message = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("a frame in time");
        match message {
            Some(Ok(Message::Binary(bytes))) => return Some(decode_server(&bytes).unwrap()),
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => continue,
        }
    }
}

/// Reads until a `Fatal` frame, then checks that the server closes the connection.
pub async fn expect_fatal(ws: &mut Ws) -> ErrorBody {
    loop {
        match recv_frame(ws).await {
            Some(ServerFrame::Fatal(body)) => {
                assert!(
                    recv_frame(ws).await.is_none(),
                    "connection closes after Fatal"
                );
                return body;
            }
            Some(_) => continue,
            None => panic!("connection closed without a Fatal frame"),
        }
    }
}

/// The handshake frame.
pub fn hello(version: Version) -> ClientFrame {
    ClientFrame::Hello(Hello {
        version,
        client: "wren-server-tests".into(),
    })
}

/// A protocol client that remembers pushes while it waits for responses.
pub struct Client {
    pub ws: Ws,
    next_id: u64,
    pub updates: VecDeque<UpdateEnvelope>,
    pub typing: VecDeque<TypingNotice>,
    pub channel_pushes: VecDeque<ChannelPush>,
    pub call_signals: VecDeque<wren_proto::CallSignalNotice>,
    pub presence: VecDeque<PresenceInfo>,
    pub session: Option<Session>,
}

impl Client {
    /// Connects and completes the handshake.
    pub async fn connect(server: &impl Endpoint) -> Self {
        Self::handshake(raw(server).await).await
    }

    /// Connects from another loopback address (so that the per-IP limits of an attacker
    /// on 127.0.0.1 do not apply) and completes the handshake.
    pub async fn connect_from(server: &TestServer, source: [u8; 4]) -> Self {
        Self::handshake(raw_from(server, source).await).await
    }

    /// Connects from another loopback address and registers `name`.
    pub async fn register_from(server: &TestServer, source: [u8; 4], name: &str) -> Self {
        let client = Self::connect_from(server, source).await;
        client.registered(name).await
    }

    async fn handshake(mut ws: Ws) -> Self {
        send_frame(&mut ws, &hello(PROTOCOL_VERSION)).await;
        match recv_frame(&mut ws).await {
            Some(ServerFrame::Welcome(w)) => assert_eq!(w.version.major, PROTOCOL_VERSION.major),
            other => panic!("expected Welcome, got {other:?}"),
        }
        Client {
            ws,
            next_id: 1,
            updates: VecDeque::new(),
            typing: VecDeque::new(),
            channel_pushes: VecDeque::new(),
            call_signals: VecDeque::new(),
            presence: VecDeque::new(),
            session: None,
        }
    }

    /// Connects and registers `name` with password `password123`.
    pub async fn register(server: &impl Endpoint, name: &str) -> Self {
        Self::connect(server).await.registered(name).await
    }

    async fn registered(self, name: &str) -> Self {
        let mut client = self;
        let response = client
            .call(Request::Register {
                username: name.into(),
                password: "password123".into(),
                device_name: "test device".into(),
            })
            .await;
        match response {
            Ok(Response::Session(s)) => client.session = Some(s),
            other => panic!("register {name}: {other:?}"),
        }
        client
    }

    /// This client's account id.
    pub fn id(&self) -> AccountId {
        self.session.as_ref().unwrap().account.id
    }

    /// This client's token.
    pub fn token(&self) -> String {
        self.session.as_ref().unwrap().token.clone()
    }

    /// Sends a request without waiting; returns its id.
    pub async fn send(&mut self, body: Request) -> RequestId {
        let id = RequestId(self.next_id);
        self.next_id += 1;
        send_frame(
            &mut self.ws,
            &ClientFrame::Request(RequestFrame { id, body }),
        )
        .await;
        id
    }

    /// Waits for the response with this id, keeping pushes that arrive meanwhile.
    pub async fn response(&mut self, id: RequestId) -> Result<Response, ErrorBody> {
        loop {
            match recv_frame(&mut self.ws).await {
                Some(ServerFrame::Response { id: got, result }) if got == id => return result,
                Some(ServerFrame::Response { id: got, .. }) => {
                    panic!("response for {got:?} while waiting for {id:?}")
                }
                other => self.keep(other, "a response"),
            }
        }
    }

    /// Waits for the responses to all of `ids`, in whatever order the server answers
    /// (pipelined requests may finish out of order); returns them in the order of `ids`.
    pub async fn responses(&mut self, ids: &[RequestId]) -> Vec<Result<Response, ErrorBody>> {
        let mut answered = std::collections::HashMap::new();
        while answered.len() < ids.len() {
            match recv_frame(&mut self.ws).await {
                Some(ServerFrame::Response { id, result }) if ids.contains(&id) => {
                    answered.insert(id, result);
                }
                Some(ServerFrame::Response { id, .. }) => panic!("an answer to {id:?}, not asked"),
                other => self.keep(other, "responses"),
            }
        }
        ids.iter()
            .map(|id| answered.remove(id).expect("answered"))
            .collect()
    }

    /// Queues a push that arrived while waiting for something else; any other frame
    /// (or the connection closing) fails the test, naming what was `awaited`.
    fn keep(&mut self, frame: Option<ServerFrame>, awaited: &str) {
        match frame {
            Some(ServerFrame::Update(u)) => self.updates.push_back(u),
            Some(ServerFrame::Typing(t)) => self.typing.push_back(t),
            Some(ServerFrame::ChannelPush(p)) => self.channel_pushes.push_back(p),
            Some(ServerFrame::CallSignal(c)) => self.call_signals.push_back(c),
            Some(ServerFrame::Presence(p)) => self.presence.push_back(p),
            other => panic!("expected {awaited}, got {other:?}"),
        }
    }

    /// Sends a request and waits for its response.
    pub async fn call(&mut self, body: Request) -> Result<Response, ErrorBody> {
        let id = self.send(body).await;
        self.response(id).await
    }

    /// The next pushed update.
    pub async fn next_update(&mut self) -> UpdateEnvelope {
        if let Some(u) = self.updates.pop_front() {
            return u;
        }
        loop {
            match recv_frame(&mut self.ws).await {
                Some(ServerFrame::Update(u)) => return u,
                other => self.keep(other, "an update"),
            }
        }
    }

    /// The next typing notice.
    pub async fn next_typing(&mut self) -> TypingNotice {
        if let Some(t) = self.typing.pop_front() {
            return t;
        }
        loop {
            match recv_frame(&mut self.ws).await {
                Some(ServerFrame::Typing(t)) => return t,
                other => self.keep(other, "a typing notice"),
            }
        }
    }

    /// The next channel push.
    pub async fn next_channel_push(&mut self) -> ChannelPush {
        if let Some(p) = self.channel_pushes.pop_front() {
            return p;
        }
        loop {
            match recv_frame(&mut self.ws).await {
                Some(ServerFrame::ChannelPush(p)) => return p,
                other => self.keep(other, "a channel push"),
            }
        }
    }

    /// The next presence notice.
    pub async fn next_presence(&mut self) -> PresenceInfo {
        if let Some(p) = self.presence.pop_front() {
            return p;
        }
        loop {
            match recv_frame(&mut self.ws).await {
                Some(ServerFrame::Presence(p)) => return p,
                other => self.keep(other, "a presence notice"),
            }
        }
    }

    /// The next call signal.
    pub async fn next_call_signal(&mut self) -> wren_proto::CallSignalNotice {
        if let Some(c) = self.call_signals.pop_front() {
            return c;
        }
        loop {
            match recv_frame(&mut self.ws).await {
                Some(ServerFrame::CallSignal(c)) => return c,
                other => self.keep(other, "a call signal"),
            }
        }
    }

    /// Signs in with a device token (no password hashing, so tests can sign in many).
    pub async fn resume(server: &impl Endpoint, token: &str) -> Self {
        let mut client = Self::connect(server).await;
        match client
            .call(Request::Resume {
                token: token.into(),
            })
            .await
        {
            Ok(Response::Resumed { .. }) => client,
            other => panic!("resume: {other:?}"),
        }
    }

    /// Creates a group with `members`.
    pub async fn group(&mut self, title: &str, members: &[AccountId]) -> ChatInfo {
        match self
            .call(Request::CreateGroup {
                title: title.into(),
                members: members.to_vec(),
            })
            .await
        {
            Ok(Response::Chat(info)) => info,
            other => panic!("create group: {other:?}"),
        }
    }

    /// Opens the direct chat with `peer`.
    pub async fn direct(&mut self, peer: AccountId) -> ChatInfo {
        match self.call(Request::OpenDirect { peer }).await {
            Ok(Response::Chat(info)) => info,
            other => panic!("open direct: {other:?}"),
        }
    }

    /// Sends a text message and returns its seq.
    pub async fn say(&mut self, chat: ChatId, client_msg_id: u64, text: &str) -> Seq {
        match self
            .call(Request::SendMessage {
                chat,
                client_msg_id: ClientMsgId(client_msg_id),
                payload: text.as_bytes().to_vec(),
                reply_to: None,
            })
            .await
        {
            Ok(Response::Sent { seq, .. }) => seq,
            other => panic!("send: {other:?}"),
        }
    }
}

/// Asserts that a result is an error with `code`.
pub fn assert_code(result: &Result<Response, ErrorBody>, code: ErrorCode) {
    match result {
        Err(e) => assert_eq!(e.code, code, "{e}"),
        Ok(r) => panic!("expected {code}, got {r:?}"),
    }
}

/// The server's metrics text (`GET /metrics`).
pub async fn metrics(server: &TestServer) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = TcpStream::connect(server.addr).await.unwrap();
    tcp.write_all(b"GET /metrics HTTP/1.1\r\nHost: wren\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    tokio::time::timeout(WAIT, tcp.read_to_string(&mut response))
        .await
        .unwrap()
        .unwrap();
    response
}

/// The value of one counter sample in the metrics text (0 when absent).
pub fn counter(metrics: &str, sample: &str) -> u64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(sample)?.trim().parse::<f64>().ok())
        .map_or(0, |v| v as u64)
}

/// Inserts `count` accounts, each with one device whose token is returned, straight into
/// the server's database (as a big deployment has them), and subscribes them to
/// `channel` when given. Tokens are the account id in 64 hex digits, stored hashed as the
/// server does.
pub fn insert_accounts(server: &TestServer, count: usize, channel: Option<u64>) -> Vec<String> {
    let mut db = rusqlite::Connection::open(server.dir.path().join("wren.db")).unwrap();
    db.busy_timeout(WAIT).unwrap();
    let tx = db
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let first: u64 = tx
        .query_row("SELECT COALESCE(max(id), 0) + 1 FROM accounts", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut tokens = Vec::with_capacity(count);
    {
        let mut account = tx
            .prepare("INSERT INTO accounts (id, username, password_hash, created_at) VALUES (?1, ?2, 'x', 0)")
            .unwrap();
        let mut device = tx
            .prepare("INSERT INTO devices (account_id, name, token_hash, created_at, last_seen_at) VALUES (?1, 'bulk', ?2, 0, 0)")
            .unwrap();
        let mut member = tx
            .prepare("INSERT INTO channel_members (channel_id, account_id, role, joined_at) VALUES (?1, ?2, 2, 0)")
            .unwrap();
        for id in first..first + count as u64 {
            account
                .execute(rusqlite::params![id, format!("bulk{id}")])
                .unwrap();
            let token = format!("{id:064x}");
            let hash = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
            device
                .execute(rusqlite::params![id, hash.as_ref()])
                .unwrap();
            if let Some(channel) = channel {
                member.execute(rusqlite::params![channel, id]).unwrap();
            }
            tokens.push(token);
        }
    }
    if let Some(channel) = channel {
        tx.execute(
            "UPDATE channels SET subscribers = subscribers + ?2 WHERE id = ?1",
            rusqlite::params![channel, count as u64],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    tokens
}

/// Appends `count` posts by `author` to a channel straight into the server's database
/// (texts `post N`, from the channel's next position on), as a long-lived channel has them.
pub fn insert_posts(server: &TestServer, channel: u64, author: AccountId, count: u64) {
    let mut db = rusqlite::Connection::open(server.dir.path().join("wren.db")).unwrap();
    db.busy_timeout(WAIT).unwrap();
    let tx = db
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let first: u64 = tx
        .query_row(
            "SELECT last_seq + 1 FROM channels WHERE id = ?1",
            [channel],
            |r| r.get(0),
        )
        .unwrap();
    {
        let mut post = tx
            .prepare(
                "INSERT INTO channel_posts (channel_id, seq, changed_seq, author_id, \
                 client_msg_id, text, sent_at) VALUES (?1, ?2, ?2, ?3, ?2, ?4, 0)",
            )
            .unwrap();
        for seq in first..first + count {
            post.execute(rusqlite::params![
                channel,
                seq,
                author.0,
                format!("post {seq}")
            ])
            .unwrap();
        }
    }
    tx.execute(
        "UPDATE channels SET last_seq = last_seq + ?2 WHERE id = ?1",
        rusqlite::params![channel, count],
    )
    .unwrap();
    tx.commit().unwrap();
}
