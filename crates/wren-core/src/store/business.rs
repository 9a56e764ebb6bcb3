//! What automatic business replies need from the store: this account's own business
//! profile, whether it wrote in a chat, and queueing a reply once.

use super::{outbox, Store};
use crate::error::StoreError;
use crate::outbox::OutboxItem;
use rusqlite::{params, OptionalExtension};
use wren_proto::{AccountId, BusinessProfile, ChatId};

/// The largest stored profile, in bytes.
const MAX_PROFILE_BYTES: usize = 64 * 1024;

impl Store {
    /// Keeps this account's business profile as the server has it (`None`: it has none,
    /// or no Business plan).
    pub(crate) async fn set_own_business_profile(
        &self,
        profile: Option<BusinessProfile>,
    ) -> Result<(), StoreError> {
        let bytes = profile
            .map(|p| wren_proto::encode(&p))
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.actor
            .call(move |c| {
                match bytes {
                    Some(bytes) => c
                        .prepare_cached(
                            "INSERT INTO own_business_profile (id, profile) VALUES (1, ?1) \
                             ON CONFLICT(id) DO UPDATE SET profile = excluded.profile",
                        )?
                        .execute([bytes])?,
                    None => c
                        .prepare_cached("DELETE FROM own_business_profile")?
                        .execute([])?,
                };
                Ok(())
            })
            .await
    }

    /// This account's business profile, as last fetched.
    pub(crate) async fn own_business_profile(&self) -> Result<Option<BusinessProfile>, StoreError> {
        self.actor
            .call(|c| {
                let bytes: Option<Vec<u8>> = c
                    .prepare_cached("SELECT profile FROM own_business_profile WHERE id = 1")?
                    .query_row([], |r| r.get(0))
                    .optional()?;
                bytes
                    .map(|b| wren_proto::decode_limited(&b, MAX_PROFILE_BYTES))
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(format!("the stored business profile: {e}")))
            })
            .await
    }

    /// Whether the chat is a direct chat, and whether `me` wrote in it before the message
    /// at local id `before` (`None`: not a chat this account is in).
    pub(crate) async fn direct_and_wrote(
        &self,
        me: AccountId,
        chat: ChatId,
        before: i64,
    ) -> Result<Option<(bool, bool)>, StoreError> {
        self.actor
            .call(move |c| {
                let direct: Option<i64> = c
                    .prepare_cached("SELECT kind FROM chats WHERE id = ?1 AND is_member = 1")?
                    .query_row([chat.0 as i64], |r| r.get(0))
                    .optional()?;
                let Some(kind) = direct else {
                    return Ok(None);
                };
                let wrote: bool = c
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM messages \
                         WHERE chat_id = ?1 AND sender_id = ?2 AND id < ?3)",
                    )?
                    .query_row(params![chat.0 as i64, me.0 as i64, before], |r| r.get(0))?;
                Ok(Some((kind == 0, wrote)))
            })
            .await
    }

    /// Queues a message unless this account already has one with its id (another of its
    /// devices sent the same automatic reply); the local id when queued.
    pub(crate) async fn enqueue_once(
        &self,
        me: AccountId,
        item: OutboxItem,
        now: u64,
    ) -> Result<Option<i64>, StoreError> {
        self.actor
            .call(move |c| {
                let known: bool = c
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM messages \
                         WHERE sender_id = ?1 AND client_msg_id = ?2)",
                    )?
                    .query_row(params![me.0 as i64, item.client_msg_id.0 as i64], |r| {
                        r.get(0)
                    })?;
                if known {
                    return Ok(None);
                }
                outbox::enqueue(c, me, &item, now).map(Some)
            })
            .await
    }
}
