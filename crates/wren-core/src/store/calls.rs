//! Call signals sealed and opened on the store thread, where the chats' MLS groups are.

use super::Store;
use crate::calls::seal::{self, Refused};
use crate::calls::signal::Signal;
use crate::error::StoreError;
use wren_proto::{ChatId, DeviceId};

impl Store {
    /// Seals a signal of this `device` for the chat's group (see [`seal::seal`]).
    pub(crate) async fn seal_call_signal(
        &self,
        chat: ChatId,
        device: DeviceId,
        signal: Signal,
        now_ms: u64,
    ) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
        self.actor
            .call(move |c| Ok(seal::seal(c, chat, device, &signal, now_ms)?))
            .await
    }

    /// Opens a signal another device sealed (see [`seal::open`]).
    pub(crate) async fn open_call_signal(
        &self,
        chat: ChatId,
        epoch: u64,
        device: DeviceId,
        sealed: Vec<u8>,
        now_ms: u64,
    ) -> Result<Result<Signal, Refused>, StoreError> {
        self.actor
            .call(move |c| Ok(seal::open(c, chat, epoch, device, &sealed, now_ms)?))
            .await
    }
}
