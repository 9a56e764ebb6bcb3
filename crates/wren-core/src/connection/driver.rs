//! The connection task's life: connect, sign in, serve, and after a disconnect wait out a
//! backoff delay (failing requests at once meanwhile) before the next attempt.

use super::{transport, Auth, Command, Context, Requester, Status, REQUEST_TIMEOUT};
use crate::backoff::Backoff;
use crate::error::CoreError;
use crate::events::{ClientEvent, ConnectionState};
use crate::outbox::{Outbox, OutboxItem, SendOutcome};
use crate::sync::{SyncEngine, SyncSettings, Ticket};
use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use wren_proto::{
    ChatId, ClientFrame, ClientMsgId, ErrorCode, Pts, Request, RequestFrame, RequestId, Response,
};

const HEARTBEAT_EVERY: Duration = Duration::from_secs(15);
const DEAD_AFTER: Duration = Duration::from_secs(40);

/// What a request in flight was for.
pub(super) enum Pending {
    User {
        reply: oneshot::Sender<Result<Response, CoreError>>,
    },
    Resume,
    Ready,
    Heartbeat,
    Send {
        chat: ChatId,
        id: ClientMsgId,
    },
    /// The sync engine's requests: their answers go back to it with the ticket.
    Difference {
        ticket: Ticket,
    },
    Chats {
        ticket: Ticket,
    },
    Chat {
        ticket: Ticket,
        chat: ChatId,
    },
}

/// A request in flight: what it was for, and when it counts as unanswered.
pub(super) struct InFlight {
    pub(super) what: Pending,
    deadline: Instant,
}

/// Why `serve` returned.
pub(super) enum Exit {
    Disconnected(String),
    /// The local store refused what sync handed it. The engine had already counted those
    /// updates as applied, so it starts again from the store's `pts` before reconnecting;
    /// otherwise they would be skipped for good.
    StoreFailed(String),
    SignedOut,
    Shutdown,
}

pub(crate) struct Driver {
    pub(super) ctx: Context,
    commands: mpsc::UnboundedReceiver<Command>,
    pub(super) status: watch::Sender<Status>,
    pub(super) sync: SyncEngine,
    pub(super) outbox: Outbox,
    backoff: Backoff,
    next_id: u64,
    pub(super) pending: HashMap<RequestId, InFlight>,
    held: Vec<(Request, oneshot::Sender<Result<Response, CoreError>>)>,
    /// User requests may go out (handshake done, and signed in if there is a session).
    ready: bool,
    /// Sync and outbox run (signed in and the server's `pts` known).
    pub(super) active: bool,
    /// Makes requests on this connection for the MLS key upkeep.
    pub(super) requester: Requester,
    /// The MLS key upkeep started by the last sign-in, while it runs.
    upkeep: Option<tokio::task::JoinHandle<()>>,
    /// The worker that joins, creates and prunes chats' MLS groups, once started.
    groups: Option<(
        mpsc::UnboundedSender<crate::e2e::setup::Job>,
        tokio::task::JoinHandle<()>,
    )>,
    /// The worker that pulls channels' posts, once started.
    channels: Option<(
        mpsc::UnboundedSender<super::channels::Job>,
        tokio::task::JoinHandle<()>,
    )>,
}

impl Driver {
    pub(super) fn new(
        ctx: Context,
        commands: mpsc::UnboundedReceiver<Command>,
        status: watch::Sender<Status>,
        requester: Requester,
    ) -> Self {
        let backoff = Backoff::new(
            Duration::from_millis(250),
            Duration::from_secs(30),
            ctx.seed,
        );
        let sync = sync_engine(Pts(0), ctx.seed);
        Driver {
            ctx,
            commands,
            status,
            sync,
            outbox: Outbox::default(),
            backoff,
            next_id: 1,
            pending: HashMap::new(),
            held: Vec::new(),
            ready: false,
            active: false,
            requester,
            upkeep: None,
            groups: None,
            channels: None,
        }
    }

    /// Drives the connection until it is shut down, then stops the work beside it.
    pub(super) async fn run(mut self) {
        self.drive().await;
        if let Some(upkeep) = self.upkeep.take() {
            upkeep.abort();
            let _ = upkeep.await;
        }
        if let Some((_, worker)) = self.channels.take() {
            worker.abort();
            let _ = worker.await;
        }
        if let Some((_, worker)) = self.groups.take() {
            worker.abort();
            let _ = worker.await;
        }
    }

    async fn drive(&mut self) {
        if self.ctx.auth.is_some() {
            if let Err(e) = self.load_session_state().await {
                tracing::error!(error = %e, "cannot load the outbox and sync state");
                return;
            }
        }
        loop {
            self.set_connection(ConnectionState::Connecting, None);
            let exit = match transport::connect(&self.ctx.url, &self.ctx.client_name).await {
                Ok(socket) => {
                    self.backoff.reset();
                    self.serve(socket).await
                }
                Err(e) => Exit::Disconnected(e.to_string()),
            };
            let reason = match exit {
                Exit::Disconnected(reason) => reason,
                Exit::StoreFailed(reason) => {
                    self.restart_sync_from_store().await;
                    reason
                }
                Exit::SignedOut => {
                    self.after_disconnect("signed out");
                    self.status.send_modify(|s| s.signed_out = true);
                    let _ = self.ctx.events.send(ClientEvent::SignedOut);
                    self.wait_for_shutdown().await;
                    return;
                }
                Exit::Shutdown => {
                    self.after_disconnect("closed");
                    return;
                }
            };
            tracing::info!(%reason, "disconnected");
            self.after_disconnect(&reason);
            if !self.wait_backoff(&reason).await {
                return;
            }
        }
    }

    /// Puts the sync engine back at the store's `pts`; if even that cannot be read, at 0,
    /// which makes the next connection rebuild the chat list (nothing is skipped).
    async fn restart_sync_from_store(&mut self) {
        let pts = match self.ctx.store.pts().await {
            Ok(pts) => pts,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the stored pts; starting sync over");
                Pts(0)
            }
        };
        self.sync = sync_engine(pts, self.ctx.seed);
    }

    /// Reads the outbox and the stored `pts` of the signed-in account.
    async fn load_session_state(&mut self) -> Result<(), CoreError> {
        self.sync = sync_engine(self.ctx.store.pts().await?, self.ctx.seed);
        self.outbox = Outbox::default();
        for item in self.ctx.store.outbox().await? {
            self.outbox.push(item);
        }
        self.status.send_modify(|s| s.outbox = self.outbox.len());
        Ok(())
    }

    async fn serve(&mut self, mut socket: transport::Socket) -> Exit {
        self.ready = false;
        self.active = false;
        if let Some(auth) = self.ctx.auth.clone() {
            let resume = Request::Resume { token: auth.token };
            if let Err(exit) = self.send(&mut socket, resume, Pending::Resume).await {
                return exit;
            }
        } else if let Err(exit) = self.become_ready(&mut socket).await {
            return exit;
        }
        let mut last_heard = Instant::now();
        let mut next_ping = Instant::now() + HEARTBEAT_EVERY;
        loop {
            if let Err(exit) = self.flush_outbox(&mut socket).await {
                return exit;
            }
            let wake = [
                Some(next_ping),
                Some(last_heard + DEAD_AFTER),
                self.sync.poll_timeout().map(Instant::from_std),
                self.outbox.poll_timeout().map(Instant::from_std),
                self.earliest_deadline(),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(next_ping);
            let step = tokio::select! {
                message = socket.next() => {
                    last_heard = Instant::now();
                    match message {
                        Some(Ok(WsMessage::Binary(bytes))) => self.on_frame(&mut socket, &bytes).await,
                        Some(Ok(WsMessage::Close(frame))) => Err(Exit::Disconnected(format!("server closed the connection {frame:?}"))),
                        Some(Ok(_)) => Ok(()),
                        Some(Err(e)) => Err(Exit::Disconnected(e.to_string())),
                        None => Err(Exit::Disconnected("connection closed".into())),
                    }
                }
                command = self.commands.recv() => self.on_command(&mut socket, command).await,
                () = tokio::time::sleep_until(wake) => {
                    let now = Instant::now();
                    if now >= last_heard + DEAD_AFTER {
                        Err(Exit::Disconnected("the server stopped answering".into()))
                    } else {
                        if now >= next_ping {
                            next_ping = now + HEARTBEAT_EVERY;
                            if let Err(exit) = self.send(&mut socket, Request::Ping, Pending::Heartbeat).await {
                                return exit;
                            }
                        }
                        if let Err(exit) = self.expire_requests(now) {
                            return exit;
                        }
                        let actions = self.sync.handle_timeout(now.into_std());
                        self.run_sync_actions(&mut socket, actions).await
                    }
                }
            };
            if let Err(exit) = step {
                if let Exit::Shutdown = exit {
                    let _ = socket.close(None).await;
                }
                return exit;
            }
        }
    }

    async fn on_command(
        &mut self,
        socket: &mut transport::Socket,
        command: Option<Command>,
    ) -> Result<(), Exit> {
        match command {
            None | Some(Command::Shutdown) => Err(Exit::Shutdown),
            Some(Command::Request { body, reply }) => {
                if self.ready {
                    self.send(socket, body, Pending::User { reply }).await
                } else {
                    self.held.push((body, reply));
                    Ok(())
                }
            }
            Some(Command::Outbox(item)) => {
                self.push_outbox(item);
                Ok(())
            }
            Some(Command::SignedIn(auth)) => {
                self.ctx.auth = Some(auth);
                self.load_session_state()
                    .await
                    .map_err(|e| Exit::Disconnected(e.to_string()))?;
                self.send(socket, Request::Ping, Pending::Ready).await
            }
            Some(Command::GroupReady(chat)) => {
                self.group_ready(chat);
                Ok(())
            }
            Some(Command::ChatChanged(chat)) => {
                self.emit_chats(&[chat]).await;
                Ok(())
            }
            Some(Command::SyncChannel(channel)) => {
                self.sync_channels(super::channels::Job::One(channel));
                Ok(())
            }
            Some(Command::KeysPublished) => {
                self.status.send_modify(|s| s.keys_published = true);
                Ok(())
            }
            Some(Command::CheckGroups(chats, may_create)) => {
                for chat in chats {
                    self.check_group(chat, may_create);
                }
                Ok(())
            }
        }
    }

    /// Asks the group worker to bring this device's copy of the chat's MLS group up to
    /// date (`may_create`: and to create the group if the chat has none).
    pub(super) fn check_group(&mut self, chat: ChatId, may_create: bool) {
        let Some(auth) = self.auth() else {
            return;
        };
        let me = crate::store::Me {
            account: auth.me.id,
            device: auth.device,
        };
        let (jobs, _) = self.groups.get_or_insert_with(|| {
            let (jobs, queue) = mpsc::unbounded_channel();
            let worker = tokio::spawn(crate::e2e::setup::run(
                self.ctx.store.clone(),
                self.requester.clone(),
                me,
                queue,
                self.status.subscribe(),
            ));
            (jobs, worker)
        });
        if jobs.send((chat, may_create)).is_ok() {
            self.status.send_modify(|s| s.groups_pending += 1);
        }
    }

    /// Asks the channel worker to bring channels up to date, starting it if needed.
    pub(super) fn sync_channels(&mut self, job: super::channels::Job) {
        let (jobs, _) = self.channels.get_or_insert_with(|| {
            let (jobs, queue) = mpsc::unbounded_channel();
            let worker = tokio::spawn(super::channels::run(
                self.ctx.store.clone(),
                self.requester.clone(),
                self.ctx.events.clone(),
                queue,
            ));
            (jobs, worker)
        });
        let _ = jobs.send(job);
    }

    /// The group worker is done with a chat: what waits for its group may go.
    fn group_ready(&mut self, chat: ChatId) {
        self.outbox.release(chat);
        self.status
            .send_modify(|s| s.groups_pending = s.groups_pending.saturating_sub(1));
    }

    pub(super) fn push_outbox(&mut self, item: OutboxItem) {
        self.outbox.push(item);
        self.status.send_modify(|s| {
            s.outbox = self.outbox.len();
            s.outbox_seen += 1;
        });
    }

    /// Lets held user requests go out.
    pub(super) async fn become_ready(
        &mut self,
        socket: &mut transport::Socket,
    ) -> Result<(), Exit> {
        self.ready = true;
        self.set_connection(ConnectionState::Online, None);
        for (body, reply) in std::mem::take(&mut self.held) {
            self.send(socket, body, Pending::User { reply }).await?;
        }
        Ok(())
    }

    /// Starts sync and the outbox once the server's `pts` is known.
    pub(super) async fn activate(
        &mut self,
        socket: &mut transport::Socket,
        remote: Pts,
    ) -> Result<(), Exit> {
        self.active = true;
        self.start_key_upkeep();
        self.sync_channels(super::channels::Job::All);
        if let Some(auth) = self.auth() {
            tokio::spawn(super::business::refresh_profile(
                self.ctx.store.clone(),
                self.requester.clone(),
                auth.me.id,
            ));
        }
        tokio::spawn(super::pins::sync(
            self.ctx.store.clone(),
            self.requester.clone(),
            self.ctx.events.clone(),
        ));
        // Group titles set here but not sealed yet (the app stopped first) go out now.
        match self.ctx.store.titles_to_seal().await {
            Ok(chats) => {
                for chat in chats {
                    self.check_group(chat, true);
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot list the titles still to seal"),
        }
        self.outbox.on_connected();
        let actions = self.sync.on_connected(remote, Instant::now().into_std());
        self.run_sync_actions(socket, actions).await?;
        // The server starts pushing to this connection only after it answered the sign-in:
        // a ping answered after that reports anything committed in between as a gap.
        self.send(socket, Request::Ping, Pending::Heartbeat).await
    }

    /// Publishes this device's identity key and tops up its key packages, beside sync
    /// (its requests go through the command queue like the user's). One run at a time.
    fn start_key_upkeep(&mut self) {
        if self.upkeep.as_ref().is_some_and(|task| !task.is_finished()) {
            return;
        }
        let Some(auth) = self.auth() else {
            return;
        };
        self.upkeep = Some(tokio::spawn(crate::e2e::upkeep::run(
            self.ctx.store.clone(),
            self.requester.clone(),
            auth.me.id,
            auth.device,
        )));
    }

    async fn flush_outbox(&mut self, socket: &mut transport::Socket) -> Result<(), Exit> {
        if !self.active {
            return Ok(());
        }
        let Some(me) = self.auth().map(|auth| crate::store::Me {
            account: auth.me.id,
            device: auth.device,
        }) else {
            return Ok(());
        };
        while let Some(item) = self.outbox.poll_transmit(std::time::Instant::now()) {
            let sealed = self
                .ctx
                .store
                .seal(me, item.chat, item.body.clone(), crate::client::now_ms())
                .await;
            let payload = match sealed {
                Ok(Some(payload)) => payload,
                Ok(None) => {
                    // Not in the chat's group yet: the message waits until the group
                    // worker has joined or created it.
                    self.outbox
                        .defer(item.chat, item.client_msg_id, std::time::Instant::now());
                    self.check_group(item.chat, true);
                    continue;
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot seal a message; it is marked failed");
                    let body = wren_proto::ErrorBody::new(
                        wren_proto::ErrorCode::BadRequest,
                        e.to_string(),
                    );
                    self.on_send_refused(item.chat, item.client_msg_id, body)
                        .await;
                    continue;
                }
            };
            let request = Request::SendMessage {
                chat: item.chat,
                client_msg_id: item.client_msg_id,
                payload,
                // Inside the encrypted body: the server does not learn what it answers.
                reply_to: None,
            };
            let pending = Pending::Send {
                chat: item.chat,
                id: item.client_msg_id,
            };
            self.send(socket, request, pending).await?;
        }
        Ok(())
    }

    pub(super) async fn send(
        &mut self,
        socket: &mut transport::Socket,
        body: Request,
        pending: Pending,
    ) -> Result<(), Exit> {
        let id = RequestId(self.next_id);
        self.next_id += 1;
        let frame = ClientFrame::Request(RequestFrame { id, body });
        let bytes = match wren_proto::encode(&frame) {
            Ok(bytes) => bytes,
            Err(e) => {
                if let Pending::User { reply, .. } = pending {
                    let _ = reply.send(Err(CoreError::Protocol(e.to_string())));
                }
                return Ok(());
            }
        };
        let deadline = Instant::now() + REQUEST_TIMEOUT;
        self.pending.insert(
            id,
            InFlight {
                what: pending,
                deadline,
            },
        );
        socket
            .send(WsMessage::Binary(bytes.into()))
            .await
            .map_err(|e| Exit::Disconnected(e.to_string()))
    }

    fn earliest_deadline(&self) -> Option<Instant> {
        self.pending.values().map(|p| p.deadline).min()
    }

    /// Gives up on requests unanswered for [`REQUEST_TIMEOUT`]. An unanswered sign-in or
    /// heartbeat means the connection is of no use: a new one is made.
    fn expire_requests(&mut self, now: Instant) -> Result<(), Exit> {
        let expired: Vec<RequestId> = self
            .pending
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(id, _)| *id)
            .collect();
        let mut lost = None;
        for id in expired {
            let Some(in_flight) = self.pending.remove(&id) else {
                continue;
            };
            match in_flight.what {
                Pending::User { reply } => {
                    let _ = reply.send(Err(CoreError::Timeout));
                }
                Pending::Resume | Pending::Ready => lost = Some("the sign-in"),
                Pending::Heartbeat => lost = Some("a heartbeat"),
                // Sent again after the outbox's retry delay, under the same idempotency key.
                Pending::Send { chat, id } => {
                    let refused = SendOutcome::Refused(ErrorCode::Internal);
                    self.outbox.acknowledge(chat, id, refused, now.into_std());
                }
                // The sync engine times its requests out on its own clock (the same
                // timeout); a late answer would find nothing here and be dropped.
                Pending::Difference { .. } | Pending::Chats { .. } | Pending::Chat { .. } => {}
            }
        }
        match lost {
            Some(what) => Err(Exit::Disconnected(format!(
                "the server did not answer {what} in time"
            ))),
            None => Ok(()),
        }
    }

    fn after_disconnect(&mut self, reason: &str) {
        for (_, pending) in self.pending.drain() {
            if let Pending::User { reply } = pending.what {
                let _ = reply.send(Err(CoreError::Offline(format!(
                    "connection lost: {reason}"
                ))));
            }
        }
        for (_, reply) in self.held.drain(..) {
            let _ = reply.send(Err(CoreError::Offline(reason.to_string())));
        }
        self.ready = false;
        self.active = false;
        self.sync.on_disconnected();
        self.outbox.on_disconnected();
        self.set_connection(ConnectionState::Offline, Some(reason.to_string()));
    }

    /// Waits out the backoff delay, answering requests with `Offline` meanwhile. Returns
    /// false when the client is shutting down.
    async fn wait_backoff(&mut self, reason: &str) -> bool {
        let until = Instant::now() + self.backoff.next_delay();
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(until) => return true,
                command = self.commands.recv() => match command {
                    None | Some(Command::Shutdown) => return false,
                    Some(Command::Request { reply, .. }) => {
                        let _ = reply.send(Err(CoreError::Offline(reason.to_string())));
                    }
                    Some(Command::Outbox(item)) => self.push_outbox(item),
                    Some(Command::SignedIn(auth)) => self.ctx.auth = Some(auth),
                    Some(Command::GroupReady(chat)) => self.group_ready(chat),
                    Some(
                        Command::KeysPublished
                        | Command::CheckGroups(..)
                        | Command::ChatChanged(_)
                        | Command::SyncChannel(_),
                    ) => {}
                },
            }
        }
    }

    async fn wait_for_shutdown(&mut self) {
        while let Some(command) = self.commands.recv().await {
            match command {
                Command::Shutdown => return,
                Command::Request { reply, .. } => {
                    let _ = reply.send(Err(CoreError::NotSignedIn));
                }
                Command::Outbox(_)
                | Command::SignedIn(_)
                | Command::GroupReady(_)
                | Command::KeysPublished
                | Command::CheckGroups(..)
                | Command::ChatChanged(_)
                | Command::SyncChannel(_) => {}
            }
        }
    }

    pub(super) fn set_connection(&self, state: ConnectionState, error: Option<String>) {
        let changed = self.status.borrow().connection != state;
        self.status.send_modify(|s| {
            s.connection = state;
            if error.is_some() {
                s.last_error = error;
            }
            if state != ConnectionState::Online {
                s.caught_up = false;
            }
        });
        if changed {
            let _ = self.ctx.events.send(ClientEvent::Connection { state });
        }
    }

    pub(super) fn auth(&self) -> Option<&Auth> {
        self.ctx.auth.as_ref()
    }
}

/// The sync engine of a connection, timing its requests out as the driver does the others.
fn sync_engine(pts: Pts, seed: u64) -> SyncEngine {
    SyncEngine::with_settings(
        pts,
        SyncSettings {
            request_timeout: REQUEST_TIMEOUT,
            seed,
            ..SyncSettings::default()
        },
    )
}
