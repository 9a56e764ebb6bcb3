//! One task per WebSocket: handshake, decoding, and dispatch; a second task writes.
//!
//! Sign-in changes (`Register`, `Login`, `Resume`, `Logout`) are handled in order on the
//! reading task because they change who the connection is; every other request is
//! dispatched at once (its write, if any, is queued in arrival order, waiting while the
//! store's queue is full) and answered by a task of its own.
//!
//! What the connection holds for its peer is bounded ([`budget`]): the reading side stops
//! reading while answers are not drained, and at most [`MAX_HEAVY`] page requests
//! (history, difference, chat list) are computed at once. A connection that does not
//! sign in within [`crate::Config::sign_in_timeout`] of its `Hello` (or of signing out)
//! is closed. When the device is revoked, the reading side drops the session at once and
//! cancels the requests still being answered.

mod budget;
mod handshake;
mod writer;

use crate::accept::SlotHandle;
use crate::handlers::{self, accounts, presence, Caller};
use crate::hub::{Outlets, Registration};
use crate::server::AppState;
use axum::extract::ws::{Message, WebSocket};
use budget::{Budget, Held};
use futures_util::stream::SplitStream;
use futures_util::StreamExt;
use handshake::{decode_error, handshake, is_oversize, oversize};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Semaphore};
use tokio::task::{JoinHandle, JoinSet};
use wren_proto::{
    decode_client, ClientFrame, ErrorBody, ErrorCode, Request, RequestFrame, Response, ServerFrame,
};
use writer::{write_loop, Outgoing, Queues};

/// Live updates queued per connection before new ones are dropped.
const UPDATE_QUEUE: usize = 1024;
/// Typing notices queued per connection before new ones are dropped.
const TYPING_QUEUE: usize = 16;
/// Call signals waiting for one connection's writer.
const CALL_QUEUE: usize = 32;
/// Channel pushes queued per connection before new ones are dropped.
const CHANNEL_QUEUE: usize = 256;
/// Page requests (history, difference, chat list) of one connection computed at once.
const MAX_HEAVY: usize = 2;
/// How long a closing connection waits for the answers to requests already read.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves one WebSocket until it closes, the device is signed out or the server stops.
pub(crate) async fn serve(socket: WebSocket, state: AppState, ip: IpAddr, _slot: SlotHandle) {
    let _tracker = state.tracker.clone();
    let _gauge = state.metrics.connection_opened();
    let (mut sink, mut stream) = socket.split();
    let mut shutdown = state.shutdown.clone();
    let first = tokio::select! {
        first = tokio::time::timeout(state.handshake_timeout, stream.next()) => first,
        _ = shutdown.wait_for(|stop| *stop) => return,
    };
    let welcome = match first {
        Ok(Some(Ok(message))) => handshake(message),
        Ok(_) => return,
        Err(_) => Err(ErrorBody::new(
            ErrorCode::HandshakeRequired,
            format!("no Hello within {:?}", state.handshake_timeout),
        )),
    };
    let failed = welcome.is_err();
    let first = welcome.map_or_else(ServerFrame::Fatal, ServerFrame::Welcome);
    let sent = match Outgoing::encode(&first, None) {
        Some(first) => writer::send(&mut sink, first.bytes).await,
        None => Err(()),
    };
    if sent.is_err() || failed {
        writer::close(sink).await;
        return;
    }
    let (out, out_rx) = mpsc::unbounded_channel();
    let (control, control_rx) = mpsc::unbounded_channel();
    let (updates, updates_rx) = mpsc::channel(UPDATE_QUEUE);
    let (ephemeral, ephemeral_rx) = mpsc::channel(TYPING_QUEUE);
    let (channels, channels_rx) = mpsc::channel(CHANNEL_QUEUE);
    let (calls, calls_rx) = mpsc::channel(CALL_QUEUE);
    let queues = Queues {
        out: out_rx,
        updates: updates_rx,
        ephemeral: ephemeral_rx,
        channels: channels_rx,
        calls: calls_rx,
    };
    let mut writer = tokio::spawn(write_loop(sink, queues));
    let sign_in_by = Some(tokio::time::Instant::now() + state.sign_in_timeout);
    let mut conn = Connection {
        state,
        ip,
        out,
        control,
        control_rx,
        updates,
        ephemeral,
        channels,
        calls,
        session: None,
        sign_in_by,
        budget: Budget::new(),
        heavy: Arc::new(Semaphore::new(MAX_HEAVY)),
        answering: JoinSet::new(),
    };
    let writer_ended = conn.read_loop(&mut stream, &mut writer).await;
    conn.forget_session();
    drop(conn);
    if !writer_ended {
        let _ = writer.await;
    }
}

/// A signed-in connection's identity and hub registration.
struct Session {
    caller: Caller,
    registration: Registration,
}

/// What ended the wait for the next thing to do.
enum Event {
    /// A WebSocket message, or the end of the stream.
    Read(Option<Result<Message, axum::Error>>),
    /// The hub signed the device out.
    Control(Box<ServerFrame>),
    /// Some answers were written; the budget may have room again.
    Drained,
    /// An answering task finished.
    Answered,
    /// The server is shutting down.
    ShuttingDown,
    /// The connection stayed signed out for too long.
    SignInTimeout,
}

/// The reading side of one connection.
struct Connection {
    state: AppState,
    ip: IpAddr,
    out: mpsc::UnboundedSender<Outgoing>,
    control: mpsc::UnboundedSender<Box<ServerFrame>>,
    control_rx: mpsc::UnboundedReceiver<Box<ServerFrame>>,
    updates: mpsc::Sender<crate::hub::UpdatePush>,
    ephemeral: mpsc::Sender<Box<crate::hub::Ephemeral>>,
    calls: mpsc::Sender<Box<wren_proto::CallSignalNotice>>,
    channels: mpsc::Sender<axum::body::Bytes>,
    session: Option<Session>,
    /// While signed out: when the connection is closed unless it signs in.
    sign_in_by: Option<tokio::time::Instant>,
    budget: Arc<Budget>,
    heavy: Arc<Semaphore>,
    answering: JoinSet<()>,
}

impl Connection {
    /// Reads frames until the connection ends; returns whether the writer already ended.
    async fn read_loop(
        &mut self,
        stream: &mut SplitStream<WebSocket>,
        writer: &mut JoinHandle<()>,
    ) -> bool {
        let mut shutdown = self.state.shutdown.clone();
        let idle_timeout = self.state.idle_timeout;
        let mut idle_by = tokio::time::Instant::now() + idle_timeout;
        loop {
            let room = self.budget.has_room();
            let sign_in_by = self.sign_in_by;
            let event = tokio::select! {
                biased;
                Some(frame) = self.control_rx.recv() => Event::Control(frame),
                _ = &mut *writer => return true,
                stop = shutdown.wait_for(|stop| *stop) => {
                    drop(stop);
                    Event::ShuttingDown
                }
                _ = tokio::time::sleep_until(idle_by) => {
                    tracing::debug!("peer silent for too long; closing");
                    return false;
                }
                _ = sleep_until_some(sign_in_by) => Event::SignInTimeout,
                Some(_) = self.answering.join_next(), if !self.answering.is_empty() => Event::Answered,
                message = stream.next(), if room => Event::Read(message),
                _ = self.budget.drained(), if !room => Event::Drained,
            };
            let message = match event {
                Event::Read(message) => message,
                Event::Control(frame) => {
                    self.revoked(*frame);
                    return false;
                }
                Event::Drained | Event::Answered => continue,
                Event::ShuttingDown => {
                    let body =
                        ErrorBody::new(ErrorCode::ShuttingDown, "the server is shutting down");
                    self.close_with(body).await;
                    return false;
                }
                Event::SignInTimeout => {
                    let body = ErrorBody::new(
                        ErrorCode::Unauthorized,
                        format!(
                            "sign in within {:?} of connecting",
                            self.state.sign_in_timeout
                        ),
                    );
                    self.close_with(body).await;
                    return false;
                }
            };
            idle_by = tokio::time::Instant::now() + idle_timeout;
            let frame = match message {
                Some(Ok(Message::Binary(bytes))) => decode_client(&bytes),
                Some(Ok(Message::Text(_))) => {
                    let body = ErrorBody::new(
                        ErrorCode::MalformedFrame,
                        "frames are binary; text messages are not part of the protocol",
                    );
                    self.close_with(body).await;
                    return false;
                }
                Some(Ok(Message::Close(_))) | None => return false,
                Some(Ok(_)) => continue,
                Some(Err(e)) => {
                    if is_oversize(&e) {
                        self.close_with(oversize()).await;
                    } else {
                        tracing::debug!(error = %e, "websocket read failed");
                    }
                    return false;
                }
            };
            match frame {
                Ok(ClientFrame::Request(request)) => self.request(request).await,
                Ok(ClientFrame::Hello(_)) => {
                    let body = ErrorBody::new(
                        ErrorCode::MalformedFrame,
                        "Hello was already sent on this connection",
                    );
                    self.close_with(body).await;
                    return false;
                }
                Err(e) => {
                    tracing::debug!(error = %e, "undecodable frame");
                    self.close_with(decode_error(&e)).await;
                    return false;
                }
            }
        }
    }

    /// The device was signed out elsewhere: stop acting for it now, cancel what is still
    /// being answered, and send the fatal frame.
    fn revoked(&mut self, frame: ServerFrame) {
        self.forget_session();
        self.answering.abort_all();
        if let Some(outgoing) = Outgoing::encode(&frame, None) {
            let _ = self.out.send(outgoing);
        }
    }

    /// Lets the requests already read be answered, then queues a fatal frame, after which
    /// the writer closes the socket.
    async fn close_with(&self, body: ErrorBody) {
        let _ = tokio::time::timeout(DRAIN_TIMEOUT, self.budget.all_written()).await;
        if let Some(outgoing) = Outgoing::encode(&ServerFrame::Fatal(body), None) {
            let _ = self.out.send(outgoing);
        }
    }

    /// Queues an answer for the writer, its bytes counted against the budget.
    fn answer(out: &mpsc::UnboundedSender<Outgoing>, frame: &ServerFrame, mut held: Held) {
        if let Some(outgoing) = Outgoing::encode(frame, None) {
            held.charge(outgoing.bytes.len());
            let _ = out.send(Outgoing {
                held: Some(held),
                ..outgoing
            });
        }
    }

    /// Handles one request: sign-in changes here, in order; everything else concurrently.
    async fn request(&mut self, frame: RequestFrame) {
        let Some(held) = self.budget.take_request() else {
            return;
        };
        let RequestFrame { id, body } = frame;
        let name = body.name();
        let started = Instant::now();
        let own_device = self.session.as_ref().map(|s| s.caller.device);
        let result = match body {
            Request::Register {
                username,
                password,
                device_name,
            } => {
                let result =
                    accounts::register(&self.state, self.ip, username, password, device_name).await;
                self.signed_in(result.map(Response::Session)).await
            }
            Request::Login {
                username,
                password,
                device_name,
            } => {
                let result =
                    accounts::login(&self.state, self.ip, username, password, device_name).await;
                self.signed_in(result.map(Response::Session)).await
            }
            Request::Resume { token } => {
                let result = accounts::resume(&self.state, self.ip, &token).await;
                self.signed_in(result).await
            }
            Request::Logout => self.logout().await,
            Request::RevokeDevice { device } if Some(device) == own_device => self.logout().await,
            body => {
                let heavy = if is_page(&body) {
                    Arc::clone(&self.heavy).acquire_owned().await.ok()
                } else {
                    None
                };
                let caller = self.session.as_ref().map(|s| &s.caller);
                let reply = handlers::dispatch(&self.state, caller, body).await;
                let out = self.out.clone();
                let state = Arc::clone(&self.state);
                self.answering.spawn(async move {
                    let result = reply.await;
                    drop(heavy);
                    state.metrics.request(name, started.elapsed());
                    Self::answer(&out, &ServerFrame::Response { id, result }, held);
                });
                return;
            }
        };
        self.state.metrics.request(name, started.elapsed());
        Self::answer(&self.out, &ServerFrame::Response { id, result }, held);
    }

    /// Makes a successful sign-in this connection's session.
    async fn signed_in(
        &mut self,
        result: Result<Response, ErrorBody>,
    ) -> Result<Response, ErrorBody> {
        let (caller, pts) = match &result {
            Ok(Response::Session(s)) => {
                let caller = Caller {
                    account: s.account.clone(),
                    device: s.device,
                };
                // A new device starts from the account's log as it is now; if that cannot
                // be read, the hub never catches this connection up by itself.
                let pts = self
                    .state
                    .store
                    .pts(s.account.id)
                    .await
                    .unwrap_or_else(|e| {
                        tracing::warn!(error = %e, "cannot read the account's pts");
                        wren_proto::Pts(u64::MAX)
                    });
                (caller, pts)
            }
            Ok(Response::Resumed {
                account,
                device,
                pts,
                ..
            }) => (
                Caller {
                    account: account.clone(),
                    device: *device,
                },
                *pts,
            ),
            _ => return result,
        };
        self.forget_session();
        tracing::info!(account = %caller.account.id, device = %caller.device, "signed in");
        let outlets = Outlets {
            updates: self.updates.clone(),
            ephemeral: self.ephemeral.clone(),
            control: self.control.clone(),
            channels: self.channels.clone(),
            calls: self.calls.clone(),
        };
        let registration = self
            .state
            .hub
            .register(caller.account.id, caller.device, outlets, pts);
        if registration.came_online() {
            tokio::spawn(presence::announce(
                self.state.clone(),
                caller.account.id,
                wren_proto::Presence::Online,
            ));
        }
        // The account's channels push to this connection from before the sign-in is
        // answered, so a client that then pulls their differences misses nothing.
        match self.state.store.channel_ids(caller.account.id).await {
            Ok(channels) => self.state.hub.follow_channels(caller.account.id, &channels),
            Err(e) => tracing::warn!(error = %e, "cannot list the account's channels"),
        }
        self.session = Some(Session {
            caller,
            registration,
        });
        self.sign_in_by = None;
        result
    }

    /// Revokes this device; its other connections are closed, this one stays, signed out.
    async fn logout(&mut self) -> Result<Response, ErrorBody> {
        let Some(caller) = self.session.as_ref().map(|s| s.caller.clone()) else {
            return Err(handlers::unauthorized());
        };
        self.forget_session();
        self.sign_in_by = Some(tokio::time::Instant::now() + self.state.sign_in_timeout);
        accounts::logout(&self.state, &caller).await?;
        Ok(Response::Done)
    }

    /// Stops pushes to this connection and forgets who it was.
    fn forget_session(&mut self) {
        if let Some(session) = self.session.take() {
            if self.state.hub.unregister(&session.registration) {
                tokio::spawn(presence::went_offline(
                    self.state.clone(),
                    session.caller.account.id,
                ));
            }
        }
    }
}

/// Whether `request` asks for a page that may be megabytes long.
fn is_page(request: &Request) -> bool {
    matches!(
        request,
        Request::GetHistory { .. }
            | Request::GetDifference { .. }
            | Request::GetChats { .. }
            | Request::ChannelDifference { .. }
            | Request::ChannelHistory { .. }
            | Request::SearchDirectory(_)
    )
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until_some(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}
