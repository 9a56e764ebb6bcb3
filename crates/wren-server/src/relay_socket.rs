//! The media relay over a WebSocket (`/media`), for devices whose UDP is blocked: the
//! first binary message is the join (as on QUIC), answered with one binary message (a
//! [`JOINED`] byte, or a refusal's code and reason); after it, every binary message each
//! way is one datagram, forwarded unread to and from the room's other devices.

use crate::relay::{Link, Relay};
use axum::extract::ws::{Message, WebSocket};
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use wren_proto::media::{JOINED, MAX_JOIN_BYTES};

/// How long the join may take to arrive.
const JOIN_TIMEOUT: Duration = Duration::from_secs(10);
/// Datagrams waiting for the socket; past this, they are lost, as on a full network.
const QUEUE: usize = 256;
/// The largest datagram a device may send (QUIC's datagrams are smaller still).
pub(crate) const MAX_DATAGRAM: usize = 1500;

/// Serves one device's media socket until it closes.
pub(crate) async fn serve(mut socket: WebSocket, relay: Arc<Relay>) {
    let join = match tokio::time::timeout(JOIN_TIMEOUT, socket.recv()).await {
        Ok(Some(Ok(Message::Binary(bytes)))) if bytes.len() <= MAX_JOIN_BYTES => bytes,
        _ => return,
    };
    let (queue, mut outgoing) = mpsc::channel::<Bytes>(QUEUE);
    let entered = match relay.admit(&join).await {
        Ok((room, device)) => relay
            .enter(room, Link::Socket(queue))
            .map(|id| (room, device, id)),
        Err(refusal) => Err(refusal),
    };
    let (room, device, id) = match entered {
        Ok(entered) => entered,
        Err(refusal) => {
            tracing::debug!(reason = %refusal.1, "media socket refused");
            let _ = socket
                .send(Message::Binary(refusal.to_bytes().into()))
                .await;
            return;
        }
    };
    tracing::debug!(chat = %room.0, device = %device, "joined a call's media room over a WebSocket");
    if socket
        .send(Message::Binary(Bytes::from_static(&[JOINED])))
        .await
        .is_ok()
    {
        loop {
            tokio::select! {
                received = socket.recv() => match received {
                    Some(Ok(Message::Binary(datagram))) if datagram.len() <= MAX_DATAGRAM => {
                        relay.hand_on(room, id, datagram);
                    }
                    Some(Ok(Message::Binary(_))) => {
                        tracing::debug!("oversize media datagram dropped");
                    }
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => {}
                },
                Some(datagram) = outgoing.recv() => {
                    if socket.send(Message::Binary(datagram)).await.is_err() {
                        break;
                    }
                }
            }
        }
    }
    relay.leave(room, id);
}
