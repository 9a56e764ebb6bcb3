//! Call signals sealed and opened on the store thread, where the chats' MLS groups are;
//! an offer's media key is derived in the same step, in the epoch that sealed it.

use super::Store;
use crate::calls::key::{self, MediaKey};
use crate::calls::seal::{self, Refused};
use crate::calls::signal::Signal;
use crate::error::StoreError;
use wren_proto::{ChatId, DeviceId};

/// A signal sealed for the chat's group.
pub(crate) struct SealedSignal {
    /// The epoch that sealed it.
    pub(crate) epoch: u64,
    /// The sealed bytes.
    pub(crate) bytes: Vec<u8>,
    /// For an offer: the call's media key.
    pub(crate) media_key: Option<MediaKey>,
}

impl Store {
    /// Seals a signal of this `device` for the chat's group (see [`seal::seal`]); `None`
    /// while this device is not in the group.
    pub(crate) async fn seal_call_signal(
        &self,
        chat: ChatId,
        device: DeviceId,
        signal: Signal,
        now_ms: u64,
    ) -> Result<Option<SealedSignal>, StoreError> {
        self.actor
            .call(move |c| {
                let Some((epoch, bytes)) = seal::seal(c, chat, device, &signal, now_ms)? else {
                    return Ok(None);
                };
                let media_key = match signal {
                    Signal::Offer { call, .. } => key::media_key(c, chat, epoch, call)?,
                    _ => None,
                };
                Ok(Some(SealedSignal {
                    epoch,
                    bytes,
                    media_key,
                }))
            })
            .await
    }

    /// Opens a signal another device sealed (see [`seal::open`]), with an offer's media
    /// key.
    pub(crate) async fn open_call_signal(
        &self,
        chat: ChatId,
        epoch: u64,
        device: DeviceId,
        sealed: Vec<u8>,
        now_ms: u64,
    ) -> Result<Result<(Signal, Option<MediaKey>), Refused>, StoreError> {
        self.actor
            .call(move |c| {
                let signal = match seal::open(c, chat, epoch, device, &sealed, now_ms)? {
                    Ok(signal) => signal,
                    Err(refused) => return Ok(Err(refused)),
                };
                let media_key = match signal {
                    Signal::Offer { call, .. } => key::media_key(c, chat, epoch, call)?,
                    _ => None,
                };
                Ok(Ok((signal, media_key)))
            })
            .await
    }
}
