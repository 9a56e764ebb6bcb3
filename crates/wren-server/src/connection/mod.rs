//! One task per WebSocket: handshake, decoding, and dispatch; a second task writes.
//!
//! Sign-in changes (`Register`, `Login`, `Resume`, `Logout`) are handled in order on the
//! reading task because they change who the connection is; every other request is
//! dispatched at once (its write, if any, is queued in arrival order) and answered by a
//! spawned task, at most [`MAX_IN_FLIGHT`] unwritten answers at a time.

mod handshake;
mod writer;

use crate::handlers::{self, accounts, Caller};
use crate::hub::{Push, Registration};
use crate::server::AppState;
use axum::extract::ws::{Message, WebSocket};
use futures_util::stream::SplitStream;
use futures_util::StreamExt;
use handshake::{decode_error, handshake, is_oversize, oversize};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;
use wren_proto::{
    decode_client, ClientFrame, ErrorBody, ErrorCode, Request, RequestFrame, Response, ServerFrame,
};
use writer::{write_loop, Outgoing, Queues};

/// Live pushes queued per connection before new ones are dropped.
const PUSH_QUEUE: usize = 1024;
/// Requests of one connection answered but not yet written; reading pauses beyond this.
const MAX_IN_FLIGHT: u32 = 256;
/// How long a closing connection waits for the answers to requests already read.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves one WebSocket until it closes, the device is signed out or the server stops.
pub(crate) async fn serve(
    socket: WebSocket,
    state: AppState,
    ip: IpAddr,
    _slot: OwnedSemaphorePermit,
) {
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
    if writer::send(&mut sink, &first).await.is_err() || failed {
        writer::close(sink).await;
        return;
    }
    let (out, out_rx) = mpsc::unbounded_channel();
    let (control, control_rx) = mpsc::unbounded_channel();
    let (pushes, push_rx) = mpsc::channel(PUSH_QUEUE);
    let queues = Queues {
        control: control_rx,
        out: out_rx,
        pushes: push_rx,
    };
    let mut writer = tokio::spawn(write_loop(sink, queues));
    let mut conn = Connection {
        state,
        ip,
        out,
        control,
        pushes,
        session: None,
        slots: Arc::new(Semaphore::new(MAX_IN_FLIGHT as usize)),
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

/// The reading side of one connection.
struct Connection {
    state: AppState,
    ip: IpAddr,
    out: mpsc::UnboundedSender<Outgoing>,
    control: mpsc::UnboundedSender<ServerFrame>,
    pushes: mpsc::Sender<Push>,
    session: Option<Session>,
    slots: Arc<Semaphore>,
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
        loop {
            let message = tokio::select! {
                message = tokio::time::timeout(idle_timeout, stream.next()) => match message {
                    Ok(message) => Some(message),
                    Err(_) => {
                        tracing::debug!("peer silent for too long; closing");
                        return false;
                    }
                },
                stop = shutdown.wait_for(|stop| *stop) => {
                    drop(stop);
                    None
                }
                _ = &mut *writer => return true,
            };
            let Some(message) = message else {
                let body = ErrorBody::new(ErrorCode::ShuttingDown, "the server is shutting down");
                self.close_with(body).await;
                return false;
            };
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

    /// Lets the requests already read be answered, then queues a fatal frame, after which
    /// the writer closes the socket.
    async fn close_with(&self, body: ErrorBody) {
        let drained = self.slots.acquire_many(MAX_IN_FLIGHT);
        let _ = tokio::time::timeout(DRAIN_TIMEOUT, drained).await;
        self.answer(ServerFrame::Fatal(body), None);
    }

    /// Queues a frame for the writer.
    fn answer(&self, frame: ServerFrame, slot: Option<OwnedSemaphorePermit>) {
        let _ = self.out.send(Outgoing { frame, slot });
    }

    /// Handles one request: sign-in changes here, in order; everything else concurrently.
    async fn request(&mut self, frame: RequestFrame) {
        let Ok(slot) = Arc::clone(&self.slots).acquire_owned().await else {
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
                self.signed_in(result.map(Response::Session))
            }
            Request::Login {
                username,
                password,
                device_name,
            } => {
                let result =
                    accounts::login(&self.state, self.ip, username, password, device_name).await;
                self.signed_in(result.map(Response::Session))
            }
            Request::Resume { token } => {
                let result = accounts::resume(&self.state, self.ip, &token).await;
                self.signed_in(result)
            }
            Request::Logout => self.logout().await,
            Request::RevokeDevice { device } if Some(device) == own_device => self.logout().await,
            body => {
                let caller = self.session.as_ref().map(|s| &s.caller);
                let reply = handlers::dispatch(&self.state, caller, body);
                let out = self.out.clone();
                let state = Arc::clone(&self.state);
                tokio::spawn(async move {
                    let result = reply.await;
                    state.metrics.request(name, started.elapsed());
                    let frame = ServerFrame::Response { id, result };
                    let _ = out.send(Outgoing {
                        frame,
                        slot: Some(slot),
                    });
                });
                return;
            }
        };
        self.state.metrics.request(name, started.elapsed());
        self.answer(ServerFrame::Response { id, result }, Some(slot));
    }

    /// Makes a successful sign-in this connection's session.
    fn signed_in(&mut self, result: Result<Response, ErrorBody>) -> Result<Response, ErrorBody> {
        let caller = match &result {
            Ok(Response::Session(s)) => Caller {
                account: s.account.clone(),
                device: s.device,
            },
            Ok(Response::Resumed {
                account, device, ..
            }) => Caller {
                account: account.clone(),
                device: *device,
            },
            _ => return result,
        };
        self.forget_session();
        tracing::info!(account = %caller.account.id, device = %caller.device, "signed in");
        let registration = self.state.hub.register(
            caller.account.id,
            caller.device,
            self.pushes.clone(),
            self.control.clone(),
        );
        self.session = Some(Session {
            caller,
            registration,
        });
        result
    }

    /// Revokes this device; its other connections are closed, this one stays, signed out.
    async fn logout(&mut self) -> Result<Response, ErrorBody> {
        let Some(caller) = self.session.as_ref().map(|s| s.caller.clone()) else {
            return Err(handlers::unauthorized());
        };
        self.forget_session();
        accounts::logout(&self.state, &caller).await?;
        Ok(Response::Done)
    }

    /// Stops pushes to this connection and forgets who it was.
    fn forget_session(&mut self) {
        if let Some(session) = self.session.take() {
            self.state.hub.unregister(&session.registration);
        }
    }
}
