//! The harness for Wren's cross-crate tests and benchmarks: real servers on loopback ports
//! with fresh data directories, real clients with fresh encrypted profiles.

pub mod bench;
pub mod mls;
pub mod process;
pub mod raw;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use wren_core::{Client, ClientEvent, ClientOptions};

/// The passcode every test profile uses.
pub const PASSCODE: &str = "test passcode";
/// The password every test account uses.
pub const PASSWORD: &str = "correct horse battery";

/// A server running in this process on `127.0.0.1:<random port>`.
pub struct TestServer {
    /// `ws://127.0.0.1:PORT`.
    pub url: String,
    /// The port.
    pub port: u16,
    data: TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server with a fresh data directory and test-friendly limits.
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    /// Starts a server after letting `configure` change its configuration.
    pub async fn start_with(configure: impl FnOnce(&mut wren_server::Config)) -> TestServer {
        let data = tempfile::tempdir().expect("temp dir");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        let mut config = wren_server::Config::new(data.path().join("server")).without_limits();
        configure(&mut config);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(e) = wren_server::run(listener, config, shutdown).await {
                panic!("server failed: {e}");
            }
        });
        TestServer {
            url: format!("ws://127.0.0.1:{port}"),
            port,
            data,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// A directory for client profiles that lives as long as the server.
    pub fn scratch(&self) -> &Path {
        self.data.path()
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Options for a test client whose profile lives in `dir`.
pub fn client_options(dir: &Path) -> ClientOptions {
    ClientOptions {
        profile_dir: dir.to_path_buf(),
        passcode: Some(PASSCODE.into()),
        device_name: "test device".into(),
        client_name: "wren-tests".into(),
    }
}

/// A fresh profile directory under `root`.
pub fn profile_dir(root: &Path, name: &str) -> PathBuf {
    root.join(format!("profile-{name}-{}", fastrand_suffix()))
}

fn fastrand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Registers `name` on `url` in a fresh profile under `root`.
pub async fn register(url: &str, root: &Path, name: &str) -> (Client, PathBuf) {
    let dir = profile_dir(root, name);
    let client = Client::open(client_options(&dir))
        .await
        .expect("open profile");
    client
        .register(url, name, PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("register {name}: {e}"));
    client
        .wait_synced(Duration::from_secs(20))
        .await
        .unwrap_or_else(|e| panic!("{name} did not sync: {e}"));
    (client, dir)
}

/// An account whose device is offline, and a raw sender with a direct chat to it.
pub struct OfflineRecipient {
    /// The offline device's profile; open it with [`client_options`] to catch up.
    pub profile: PathBuf,
    /// The sender, a bare protocol client.
    pub sender: raw::RawClient,
    /// Their direct chat.
    pub chat: wren_proto::ChatId,
}

/// Registers `bob` and takes his device offline, then registers a raw `alice` and opens
/// the direct chat between them.
pub async fn offline_recipient(server: &TestServer) -> OfflineRecipient {
    offline_pair(server, "bob", "alice").await.0
}

/// Registers `recipient` and takes its device offline, then registers a raw `sender` and
/// opens the direct chat between them; also returns the sender's session.
pub async fn offline_pair(
    server: &TestServer,
    recipient: &str,
    sender: &str,
) -> (OfflineRecipient, wren_proto::Session) {
    let (bob, profile) = register(&server.url, server.scratch(), recipient).await;
    let bob_id = bob.account().expect("signed in").id;
    bob.close().await;
    let (mut sender, session) = raw::RawClient::register(&server.url, sender).await;
    let chat = match sender
        .request(wren_proto::Request::OpenDirect { peer: bob_id })
        .await
    {
        Ok(wren_proto::Response::Chat(info)) => info.id,
        other => panic!("open direct: {other:?}"),
    };
    (
        OfflineRecipient {
            profile,
            sender,
            chat,
        },
        session,
    )
}

/// Waits until `check` returns `Some`, re-checking after every client event (and at least
/// every 100 ms); panics with `what` after `timeout`.
pub async fn eventually<T, F, Fut>(
    client: &Client,
    timeout: Duration,
    what: &str,
    mut check: F,
) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let mut events = client.events();
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() >= deadline {
            panic!("timed out after {timeout:?} waiting for: {what}");
        }
        let _ = tokio::time::timeout(Duration::from_millis(100), events.recv()).await;
    }
}

/// Waits for an event matching `pick`.
pub async fn next_event<T>(
    events: &mut tokio::sync::broadcast::Receiver<ClientEvent>,
    timeout: Duration,
    mut pick: impl FnMut(ClientEvent) -> Option<T>,
) -> Option<T> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, events.recv()).await {
            Ok(Ok(event)) => {
                if let Some(found) = pick(event) {
                    return Some(found);
                }
            }
            Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(_)) | Err(_) => return None,
        }
    }
}

/// Logs to the test output when `RUST_LOG` is set.
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}
