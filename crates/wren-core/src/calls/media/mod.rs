//! A call's media: the connection to the server's relay ([`relay`]), SFrame on every
//! datagram ([`crypt`]), and the media engine between them ([`session`]).

mod controls;
mod crypt;
mod devices;
pub(crate) mod relay;
pub(crate) mod session;

pub use controls::Controls;
pub use devices::{MediaDevice, MediaDeviceChoice, MediaDevices};
pub use relay::{RelayError, TRANSPORT_VARIABLE};
pub use session::{MediaError, MediaStats, PictureFeed, RemotePicture};

use crate::calls::key::MediaKey;
use crate::calls::machine::CallInfo;
use crate::calls::CallId;
use crate::connection::Requester;
use relay::{Route, Transport};
use session::{MediaSession, SessionSetup};
use std::time::Instant;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use wren_proto::media::RelayJoin;
use wren_proto::{DeviceId, Request, Response};

/// How a device reaches the server: its connection, and for the media relay the server's
/// address and the device's token.
#[derive(Clone)]
pub(crate) struct Link {
    /// Requests on the device's connection.
    pub(crate) requester: Requester,
    /// The server's WebSocket URL.
    pub(crate) url: String,
    /// The device's session token.
    pub(crate) token: String,
}

/// The relay join the media relay benchmark drives by hand.
#[cfg(feature = "bench")]
pub mod bench {
    pub use super::relay::RelayError;
    use wren_proto::media::RelayJoin;
    use wren_proto::MediaRelayInfo;

    /// Connects to the relay of the server at `server_url` over QUIC and joins `join`'s room.
    pub async fn join_quic(
        server_url: &str,
        relay: &MediaRelayInfo,
        join: &RelayJoin,
    ) -> Result<quinn::Connection, RelayError> {
        super::relay::connect_and_join(server_url, relay, join).await
    }
}

/// Where a call's sound and pictures come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MediaSources {
    /// The computer's microphone, camera (1280×720, 30 frames a second) and speaker;
    /// silence and no picture where it has none.
    #[default]
    Devices,
    /// A synthetic voice and a stamped test pattern at 640×360, 15 frames a second,
    /// whatever the computer has: for tests.
    Synthetic,
    /// The same at 1280×720, 30 frames a second: for benchmarks.
    SyntheticHd,
}

/// What ties a call's media to the rest of the device: where the other side's pictures
/// go, the user's switches, and word of a network change.
pub(crate) struct Wiring {
    /// Where the other side's pictures go.
    pub(crate) feed: PictureFeed,
    /// The microphone and camera switches.
    pub(crate) controls: watch::Receiver<Controls>,
    /// Changes when the network changed.
    pub(crate) renew: watch::Receiver<u64>,
    /// The microphone, speaker and camera the user picked.
    pub(crate) devices: watch::Receiver<MediaDeviceChoice>,
}

/// The media of the call a device is in: starting (joining the relay), then running.
pub(crate) struct MediaSlot {
    call: CallId,
    starting: JoinHandle<Option<MediaSession>>,
}

impl MediaSlot {
    /// Joins the relay and starts the call's media, beside the caller.
    pub(crate) fn start(
        link: Link,
        call: CallInfo,
        key: MediaKey,
        device: DeviceId,
        sources: MediaSources,
        wiring: Wiring,
    ) -> MediaSlot {
        let started = Instant::now();
        let starting = tokio::spawn(async move {
            let relay = match link.requester.request(Request::GetMediaRelay).await {
                Ok(Response::MediaRelay(relay)) => relay,
                Ok(other) => {
                    tracing::warn!(?other, "unexpected answer about the media relay");
                    return None;
                }
                Err(e) => {
                    tracing::info!(error = %e, "no media relay: the call goes on without media");
                    return None;
                }
            };
            let route = Route {
                server_url: link.url,
                relay,
                request: RelayJoin {
                    token: link.token,
                    chat: call.chat,
                    call: call.id.0,
                },
                transport: Transport::from_env(),
            };
            match route.join().await {
                Ok(path) => Some(MediaSession::start(
                    path,
                    SessionSetup {
                        key,
                        device,
                        video: call.video,
                        sources,
                        started,
                        wiring,
                        route,
                    },
                )),
                Err(e) => {
                    tracing::warn!(error = %e, "the call's media could not start");
                    None
                }
            }
        });
        MediaSlot {
            call: call.id,
            starting,
        }
    }

    /// The call it carries.
    pub(crate) fn call(&self) -> CallId {
        self.call
    }

    /// Ends the media; what it did, if it ran.
    pub(crate) async fn stop(self) -> Option<MediaStats> {
        if !self.starting.is_finished() {
            self.starting.abort();
            return None;
        }
        let session = self.starting.await.ok().flatten()?;
        match session.stop().await {
            Ok(stats) => Some(stats),
            Err(e) => {
                tracing::warn!(error = %e, "the call's media failed");
                None
            }
        }
    }
}
