//! The connection: one tokio task per client that owns the WebSocket and drives the sync
//! and outbox state machines. The rest of the engine talks to it through [`Connection`].

mod business;
pub(crate) mod channels;
mod driver;
mod inbound;
mod pins;
#[cfg(test)]
mod tests;
pub(crate) mod transport;

use crate::error::CoreError;
use crate::events::{ClientEvent, ConnectionState};
use crate::outbox::OutboxItem;
use crate::store::Store;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use wren_proto::{AccountInfo, ChatId, DeviceId, Request, Response};

/// How long a request may wait for its answer.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Who the connection signs in as.
#[derive(Clone, Debug)]
pub(crate) struct Auth {
    pub(crate) me: AccountInfo,
    pub(crate) device: DeviceId,
    pub(crate) token: String,
}

pub(crate) enum Command {
    Request {
        body: Request,
        reply: oneshot::Sender<Result<Response, CoreError>>,
    },
    Outbox(OutboxItem),
    SignedIn(Auth),
    /// The group worker is done with a chat: messages waiting for its group may go.
    GroupReady(ChatId),
    /// The key upkeep published this device's identity and key packages.
    KeysPublished,
    /// Have the group worker bring these chats' groups up to date (a device was revoked,
    /// a title was set); `true`: and create a group a chat has not.
    CheckGroups(Vec<ChatId>, bool),
    /// A chat changed outside sync: tell the UI.
    ChatChanged(ChatId),
    /// Pull a channel's changes (just subscribed to it).
    SyncChannel(wren_proto::ChannelId),
    Shutdown,
}

/// Lets work beside the driver (the MLS key upkeep) make requests on its connection. It
/// holds the command queue weakly, so it never keeps a dropped connection's task alive.
#[derive(Clone)]
pub(crate) struct Requester(mpsc::WeakUnboundedSender<Command>);

impl Requester {
    /// Sends a request and waits for its answer.
    pub(crate) async fn request(&self, body: Request) -> Result<Response, CoreError> {
        let (reply, answer) = oneshot::channel();
        self.0
            .upgrade()
            .ok_or(CoreError::Closed)?
            .send(Command::Request { body, reply })
            .map_err(|_| CoreError::Closed)?;
        answer.await.map_err(|_| CoreError::Closed)?
    }

    /// Tells the driver that the group worker is done with `chat`.
    pub(crate) fn group_ready(&self, chat: ChatId) {
        self.notify(Command::GroupReady(chat));
    }

    /// Tells the driver that a chat changed outside sync (its title was opened), so that
    /// the UI hears of it.
    pub(crate) fn chat_changed(&self, chat: ChatId) {
        self.notify(Command::ChatChanged(chat));
    }

    /// Hands a queued message (already in the store's outbox) to the driver to send.
    pub(crate) fn push_outbox(&self, item: OutboxItem) {
        self.notify(Command::Outbox(item));
    }

    /// Tells the driver that this device's keys are on the server.
    pub(crate) fn keys_published(&self) {
        self.notify(Command::KeysPublished);
    }

    fn notify(&self, command: Command) {
        if let Some(commands) = self.0.upgrade() {
            let _ = commands.send(command);
        }
    }
}

/// What waiters (the CLI, tests) can observe about the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Status {
    pub(crate) connection: ConnectionState,
    pub(crate) caught_up: bool,
    pub(crate) outbox: usize,
    /// How many `Outbox` commands the driver has taken in.
    pub(crate) outbox_seen: u64,
    pub(crate) last_error: Option<String>,
    pub(crate) signed_out: bool,
    /// This device's identity key and key packages reached the server on this connection.
    pub(crate) keys_published: bool,
    /// Chats handed to the group worker that it has not finished yet.
    pub(crate) groups_pending: usize,
}

/// Everything the driver task needs.
pub(crate) struct Context {
    pub(crate) url: String,
    pub(crate) client_name: String,
    pub(crate) store: Store,
    pub(crate) events: broadcast::Sender<ClientEvent>,
    /// Where call signals from the server go.
    pub(crate) calls: mpsc::UnboundedSender<crate::calls::task::Input>,
    pub(crate) auth: Option<Auth>,
    pub(crate) seed: u64,
}

/// The handle to a running connection task.
pub(crate) struct Connection {
    url: String,
    pushed: std::sync::atomic::AtomicU64,
    commands: mpsc::UnboundedSender<Command>,
    status: watch::Receiver<Status>,
    task: JoinHandle<()>,
}

impl Connection {
    /// Starts the task; it connects at once and reconnects until shut down.
    pub(crate) fn start(context: Context) -> Connection {
        let (commands, queue) = mpsc::unbounded_channel();
        let (status_tx, status) = watch::channel(Status {
            connection: ConnectionState::Connecting,
            caught_up: false,
            outbox: 0,
            outbox_seen: 0,
            last_error: None,
            signed_out: false,
            keys_published: false,
            groups_pending: 0,
        });
        let url = context.url.clone();
        let requester = Requester(commands.downgrade());
        let task = tokio::spawn(driver::Driver::new(context, queue, status_tx, requester).run());
        Connection {
            url,
            pushed: std::sync::atomic::AtomicU64::new(0),
            commands,
            status,
            task,
        }
    }

    /// The server URL this connection uses.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Sends a request and waits for its answer.
    pub(crate) async fn request(&self, body: Request) -> Result<Response, CoreError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Request { body, reply })
            .map_err(|_| CoreError::Closed)?;
        answer.await.map_err(|_| CoreError::Closed)?
    }

    pub(crate) fn push_outbox(&self, item: OutboxItem) -> Result<(), CoreError> {
        self.pushed
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.commands
            .send(Command::Outbox(item))
            .map_err(|_| CoreError::Closed)
    }

    /// How many messages were handed to the driver so far.
    pub(crate) fn pushed(&self) -> u64 {
        self.pushed.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Has the group worker bring these chats' groups up to date.
    pub(crate) fn check_groups(
        &self,
        chats: Vec<ChatId>,
        may_create: bool,
    ) -> Result<(), CoreError> {
        self.commands
            .send(Command::CheckGroups(chats, may_create))
            .map_err(|_| CoreError::Closed)
    }

    /// A handle that makes requests on this connection without keeping it alive.
    pub(crate) fn requester(&self) -> Requester {
        Requester(self.commands.downgrade())
    }

    /// Has the channel worker pull a channel's posts.
    pub(crate) fn sync_channel(&self, channel: wren_proto::ChannelId) -> Result<(), CoreError> {
        self.commands
            .send(Command::SyncChannel(channel))
            .map_err(|_| CoreError::Closed)
    }

    pub(crate) fn signed_in(&self, auth: Auth) -> Result<(), CoreError> {
        self.commands
            .send(Command::SignedIn(auth))
            .map_err(|_| CoreError::Closed)
    }

    pub(crate) fn status(&self) -> watch::Receiver<Status> {
        self.status.clone()
    }

    /// Closes the socket and waits for the task to end.
    pub(crate) async fn shutdown(self) {
        let _ = self.commands.send(Command::Shutdown);
        let _ = self.task.await;
    }
}
