//! The writing half of a connection: one task that owns the socket's sink.
//!
//! Three queues feed it, in priority order: control (a fatal frame from elsewhere, such as
//! a revoked device), responses (never dropped; each carries the request slot it frees once
//! written, which bounds how many unsent responses a connection can pile up), and live
//! pushes (bounded; the hub drops what does not fit). A `Fatal` frame is always the last:
//! the writer closes the socket after it. Every [`HEARTBEAT`] it sends a WebSocket ping, so
//! that a live peer always has something to answer.

use crate::hub::Push;
use axum::extract::ws::{Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::SinkExt;
use std::time::Duration;
use tokio::sync::{mpsc, OwnedSemaphorePermit};
use wren_proto::{encode, ServerFrame, UpdateEnvelope};

/// How long one frame may take to be written before the peer is given up on.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the server pings; the peer's pongs keep the reading side from timing out.
pub(super) const HEARTBEAT: Duration = Duration::from_secs(60);

/// A frame for the writer, with the request slot it frees once written.
#[derive(Debug)]
pub(super) struct Outgoing {
    /// The frame.
    pub(super) frame: ServerFrame,
    /// Released when the frame has been written.
    pub(super) slot: Option<OwnedSemaphorePermit>,
}

/// The queues the writer reads.
#[derive(Debug)]
pub(super) struct Queues {
    /// Fatal frames from outside the connection.
    pub(super) control: mpsc::UnboundedReceiver<ServerFrame>,
    /// Responses and the connection's own fatal frames.
    pub(super) out: mpsc::UnboundedReceiver<Outgoing>,
    /// Live pushes.
    pub(super) pushes: mpsc::Receiver<Push>,
}

/// Encodes and sends one frame; a peer that does not take it within [`SEND_TIMEOUT`] is
/// given up on, so a stalled client can neither pile up memory nor hold up shutdown.
pub(super) async fn send(
    sink: &mut SplitSink<WebSocket, Message>,
    frame: &ServerFrame,
) -> Result<(), ()> {
    let bytes = encode(frame).map_err(|e| tracing::error!(error = %e, "cannot encode frame"))?;
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

/// Writes frames until the response queue closes or a fatal frame was sent.
pub(super) async fn write_loop(mut sink: SplitSink<WebSocket, Message>, mut queues: Queues) {
    let mut heartbeat =
        tokio::time::interval_at(tokio::time::Instant::now() + HEARTBEAT, HEARTBEAT);
    loop {
        let (frame, slot) = tokio::select! {
            biased;
            Some(frame) = queues.control.recv() => (frame, None),
            outgoing = queues.out.recv() => match outgoing {
                Some(Outgoing { frame, slot }) => (frame, slot),
                None => break,
            },
            Some(push) = queues.pushes.recv() => (push_frame(push), None),
            _ = heartbeat.tick() => {
                let ping = sink.send(Message::Ping(Default::default()));
                match tokio::time::timeout(SEND_TIMEOUT, ping).await {
                    Ok(Ok(())) => continue,
                    _ => return,
                }
            }
        };
        let fatal = matches!(frame, ServerFrame::Fatal(_));
        let sent = send(&mut sink, &frame).await;
        drop(slot);
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

/// The frame for a live push.
fn push_frame(push: Push) -> ServerFrame {
    match push {
        Push::Update { pts, update } => ServerFrame::Update(UpdateEnvelope {
            pts,
            update: update.as_ref().clone(),
        }),
        Push::Typing(notice) => ServerFrame::Typing(notice),
    }
}
