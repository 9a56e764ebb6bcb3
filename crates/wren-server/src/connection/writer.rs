//! The writing half of a connection: one task that owns the socket's sink.
//!
//! Four queues feed it, in priority order: answers (already encoded, never dropped; each
//! carries its share of the connection's [`Budget`](super::budget::Budget), given back
//! once written), live updates (bounded; the hub drops what does not fit and the client
//! resyncs by `pts`), channel pushes (bounded, encoded once for every subscriber; the
//! client pulls the channel's difference after a gap), and typing notices (a small queue
//! of their own, so that they never take an update's place). A `Fatal` frame is always the last: the writer closes the
//! socket after it. Every [`HEARTBEAT`] it sends a WebSocket ping, so that a live peer
//! always has something to answer.

use super::budget::Held;
use crate::hub::{Ephemeral, UpdatePush};
use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::SinkExt;
use std::time::Duration;
use tokio::sync::mpsc;
use wren_proto::{encode, CallSignalNotice, ServerFrame, UpdateEnvelope};

/// How long one frame may take to be written before the peer is given up on.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the server pings; the peer's pongs keep the reading side from timing out.
pub(super) const HEARTBEAT: Duration = Duration::from_secs(60);

/// An encoded frame for the writer, with the budget it gives back once written.
#[derive(Debug)]
pub(super) struct Outgoing {
    /// The encoded frame.
    pub(super) bytes: Vec<u8>,
    /// Whether it is a `Fatal` frame, after which the socket is closed.
    pub(super) fatal: bool,
    /// Given back when the frame has been written.
    pub(super) held: Option<Held>,
}

impl Outgoing {
    /// Encodes `frame`; `None` (logged) if it cannot be encoded.
    pub(super) fn encode(frame: &ServerFrame, held: Option<Held>) -> Option<Self> {
        let bytes = encode(frame)
            .map_err(|e| tracing::error!(error = %e, "cannot encode frame"))
            .ok()?;
        Some(Outgoing {
            bytes,
            fatal: matches!(frame, ServerFrame::Fatal(_)),
            held,
        })
    }
}

/// The queues the writer reads.
#[derive(Debug)]
pub(super) struct Queues {
    /// Answers and the connection's fatal frame.
    pub(super) out: mpsc::UnboundedReceiver<Outgoing>,
    /// Live updates.
    pub(super) updates: mpsc::Receiver<UpdatePush>,
    /// Typing and presence notices.
    pub(super) ephemeral: mpsc::Receiver<Box<Ephemeral>>,
    /// Encoded channel pushes.
    pub(super) channels: mpsc::Receiver<Bytes>,
    /// Call signals.
    pub(super) calls: mpsc::Receiver<Box<CallSignalNotice>>,
}

/// Sends one encoded frame; a peer that does not take it within [`SEND_TIMEOUT`] is
/// given up on, so a stalled client can neither pile up memory nor hold up shutdown.
pub(super) async fn send(
    sink: &mut SplitSink<WebSocket, Message>,
    bytes: impl Into<Bytes>,
) -> Result<(), ()> {
    match tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Binary(bytes.into()))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "send failed");
            Err(())
        }
        Err(_) => {
            tracing::info!("peer stopped reading; closing the connection");
            Err(())
        }
    }
}

/// Writes frames until the answer queue closes or a fatal frame was sent.
pub(super) async fn write_loop(mut sink: SplitSink<WebSocket, Message>, mut queues: Queues) {
    let mut heartbeat =
        tokio::time::interval_at(tokio::time::Instant::now() + HEARTBEAT, HEARTBEAT);
    loop {
        let next = tokio::select! {
            biased;
            outgoing = queues.out.recv() => match outgoing {
                Some(outgoing) => outgoing,
                None => break,
            },
            Some(push) = queues.updates.recv() => match update_frame(push) {
                Some(outgoing) => outgoing,
                None => continue,
            },
            Some(push) = queues.channels.recv() => {
                if send(&mut sink, push).await.is_err() {
                    return;
                }
                continue;
            }
            Some(notice) = queues.calls.recv() => {
                match Outgoing::encode(&ServerFrame::CallSignal(*notice), None) {
                    Some(outgoing) => outgoing,
                    None => continue,
                }
            }
            Some(notice) = queues.ephemeral.recv() => {
                match Outgoing::encode(&notice.frame(), None) {
                    Some(outgoing) => outgoing,
                    None => continue,
                }
            }
            _ = heartbeat.tick() => {
                let ping = sink.send(Message::Ping(Default::default()));
                match tokio::time::timeout(SEND_TIMEOUT, ping).await {
                    Ok(Ok(())) => continue,
                    _ => return,
                }
            }
        };
        let Outgoing { bytes, fatal, held } = next;
        let sent = send(&mut sink, bytes).await;
        drop(held);
        if sent.is_err() {
            return;
        }
        if fatal {
            break;
        }
    }
    close(sink).await;
}

/// Sends a close frame, giving up after [`SEND_TIMEOUT`].
pub(super) async fn close(mut sink: SplitSink<WebSocket, Message>) {
    let _ = tokio::time::timeout(SEND_TIMEOUT, sink.close()).await;
}

/// The encoded frame for a live update.
fn update_frame(push: UpdatePush) -> Option<Outgoing> {
    let frame = ServerFrame::Update(UpdateEnvelope {
        pts: push.pts,
        update: push.update.as_ref().clone(),
    });
    Outgoing::encode(&frame, None)
}
