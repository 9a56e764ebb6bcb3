//! The local encrypted store: one SQLCipher database per account, owned by one thread.
//!
//! [`Store`] is the async face of it; each method is one job on the store thread, and each
//! write is one transaction.

mod actions;
mod actor;
mod apply;
mod business;
mod calls;
mod channels;
mod chats;
mod folders;
mod groups;
mod identity;
mod messages;
mod outbox;
mod pins;
mod rich;
pub(crate) mod schema;
mod search;
mod session;
mod titles;

pub(crate) use actions::Refusal;
pub(crate) use apply::Applied;
pub(crate) use rich::KeepReason;
pub(crate) use session::SavedSession;
pub(crate) use titles::TitleStep;

use crate::e2e::identity::DeviceIdentity;
use crate::e2e::packages::{self, NewKeyPackages};
use crate::e2e::E2eError;
use crate::error::StoreError;
use crate::model::{ChatSummary, MessageView, SearchHit};
use crate::outbox::OutboxItem;
use crate::profile::DatabaseKey;
use actor::StoreActor;
pub(crate) use groups::Me;
use std::path::PathBuf;
use wren_proto::{
    AccountId, ChatId, ChatInfo, ClientMsgId, DeviceId, Message, Pts, Seq, UpdateEnvelope,
};

/// Whether stored history covers a request, or the server must be asked.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Coverage {
    /// Every message of the requested range is stored.
    Complete,
    /// Some may be missing: fetch from the server first.
    Incomplete,
}

/// The async handle to the store thread.
#[derive(Clone)]
pub(crate) struct Store {
    actor: StoreActor,
}

impl Store {
    /// Opens (or creates) the database at `path` with `key`.
    pub(crate) async fn open(path: PathBuf, key: DatabaseKey) -> Result<Store, StoreError> {
        Ok(Store {
            actor: StoreActor::open(path, key).await?,
        })
    }

    /// Closes the database once the job at hand is done; see [`StoreActor::close`].
    pub(crate) async fn close(&self) {
        self.actor.close().await;
    }

    /// Re-encrypts the whole database with `key`.
    pub(crate) async fn rekey(&self, key: DatabaseKey) -> Result<(), StoreError> {
        self.actor.call(move |c| schema::rekey(c, &key)).await
    }

    pub(crate) async fn session(&self) -> Result<Option<SavedSession>, StoreError> {
        self.actor.call(|c| session::load(c)).await
    }

    pub(crate) async fn owner(&self) -> Result<Option<(AccountId, String)>, StoreError> {
        self.actor.call(|c| session::owner(c)).await
    }

    pub(crate) async fn save_session(&self, s: SavedSession) -> Result<(), StoreError> {
        self.actor.call(move |c| session::save(c, &s)).await
    }

    pub(crate) async fn forget_token(&self) -> Result<(), StoreError> {
        self.actor.call(|c| session::forget_token(c)).await
    }

    /// This device's MLS identity: its public key and whether the first key packages were
    /// uploaded. Made and stored on first use (for this device id).
    pub(crate) async fn device_identity(
        &self,
        account: AccountId,
        device: DeviceId,
    ) -> Result<IdentityState, StoreError> {
        self.actor
            .call(move |c| {
                let (identity, initial_upload) = load_or_create_identity(c, account, device)?;
                Ok(IdentityState {
                    public_key: identity.public_key().to_vec(),
                    initial_upload,
                })
            })
            .await
    }

    /// Creates key packages for this device in one transaction: openmls keeps their
    /// private parts in this store.
    pub(crate) async fn new_key_packages(
        &self,
        account: AccountId,
        device: DeviceId,
        count: usize,
        last_resort: bool,
    ) -> Result<NewKeyPackages, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let (identity, _) = load_or_create_identity(&tx, account, device)?;
                let made = packages::create(&tx, &identity, count, last_resort)?;
                tx.commit()?;
                Ok(made)
            })
            .await
    }

    /// This device's MLS public key, if its identity has been made.
    pub(crate) async fn identity_public_key(
        &self,
        device: DeviceId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.actor
            .call(move |c| {
                let Some(stored) = identity::load(c, device)? else {
                    return Ok(None);
                };
                let identity =
                    DeviceIdentity::from_stored(stored.account, device, &stored.key_pair)?;
                Ok(Some(identity.public_key().to_vec()))
            })
            .await
    }

    /// The stored key pair as bytes, for tests that look for it on disk.
    #[cfg(test)]
    pub(crate) async fn stored_key_pair_for_tests(
        &self,
        device: DeviceId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.actor
            .call(move |c| Ok(identity::load(c, device)?.map(|s| s.key_pair.to_vec())))
            .await
    }

    /// Records that the first key packages and the last-resort one reached the server.
    pub(crate) async fn set_initial_upload(&self, device: DeviceId) -> Result<(), StoreError> {
        self.actor
            .call(move |c| identity::set_initial_upload(c, device))
            .await
    }

    pub(crate) async fn pts(&self) -> Result<Pts, StoreError> {
        self.actor.call(|c| session::pts(c)).await
    }

    pub(crate) async fn apply(
        &self,
        me: AccountId,
        updates: Vec<UpdateEnvelope>,
    ) -> Result<Applied, StoreError> {
        self.actor
            .call(move |c| apply::apply(c, me, &updates))
            .await
    }

    pub(crate) async fn reset(
        &self,
        me: AccountId,
        list: Vec<ChatInfo>,
        pts: Pts,
    ) -> Result<Applied, StoreError> {
        self.actor
            .call(move |c| apply::reset(c, me, &list, pts))
            .await
    }

    pub(crate) async fn store_chat(&self, info: ChatInfo) -> Result<(), StoreError> {
        self.actor
            .call(move |c| chats::upsert_chat(c, &info).map(|_| ()))
            .await
    }

    /// Stores a page of history fetched from the server (newest first, seq < `before`),
    /// and extends the known-complete range when the page joins it.
    pub(crate) async fn store_history(
        &self,
        chat: ChatId,
        before: Option<Seq>,
        limit: u32,
        page: Vec<Message>,
    ) -> Result<(), StoreError> {
        self.actor
            .call(move |conn| {
                let tx = conn.transaction()?;
                if !chats::exists(&tx, chat)? {
                    return Ok(());
                }
                for message in &page {
                    messages::upsert(&tx, message, messages::Source::History)?;
                }
                let synced = chats::synced_from(&tx, chat)?.unwrap_or(chats::NOTHING_SYNCED);
                let joins = before.is_none_or(|b| (b.0 as i64) >= synced);
                if joins {
                    let lowest = if (page.len() as u32) < limit {
                        0
                    } else {
                        page.iter().map(|m| m.seq.0 as i64).min().unwrap_or(synced)
                    };
                    chats::lower_synced_from(&tx, chat, lowest)?;
                }
                tx.commit()?;
                Ok(())
            })
            .await
    }

    pub(crate) async fn coverage(
        &self,
        chat: ChatId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<Coverage, StoreError> {
        self.actor
            .call(move |conn| {
                if chats::is_member(conn, chat)? == Some(false) {
                    // The server no longer shows this account the chat: what is stored is
                    // all there is.
                    return Ok(Coverage::Complete);
                }
                let Some(synced) = chats::synced_from(conn, chat)? else {
                    return Ok(Coverage::Incomplete);
                };
                if synced == 0 {
                    return Ok(Coverage::Complete);
                }
                let upper = before.map(|b| b.0 as i64).unwrap_or(i64::MAX);
                if upper <= synced {
                    return Ok(Coverage::Incomplete);
                }
                let stored: i64 = conn.query_row(
                    "SELECT count(*) FROM messages WHERE chat_id = ?1 AND seq >= ?2 AND seq < ?3",
                    rusqlite::params![chat.0 as i64, synced, upper],
                    |row| row.get(0),
                )?;
                Ok(if stored >= i64::from(limit) {
                    Coverage::Complete
                } else {
                    Coverage::Incomplete
                })
            })
            .await
    }

    pub(crate) async fn chats(&self, me: AccountId) -> Result<Vec<ChatSummary>, StoreError> {
        self.actor.call(move |c| chats::summaries(c, me)).await
    }

    pub(crate) async fn chat(
        &self,
        me: AccountId,
        chat: ChatId,
    ) -> Result<Option<ChatSummary>, StoreError> {
        self.actor.call(move |c| chats::summary(c, me, chat)).await
    }

    pub(crate) async fn history(
        &self,
        me: AccountId,
        chat: ChatId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<Vec<MessageView>, StoreError> {
        self.actor
            .call(move |c| messages::history(c, me, chat, before, limit))
            .await
    }

    pub(crate) async fn messages(
        &self,
        me: AccountId,
        ids: Vec<i64>,
    ) -> Result<Vec<MessageView>, StoreError> {
        self.actor
            .call(move |c| {
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    out.extend(messages::view(c, me, id)?);
                }
                Ok(out)
            })
            .await
    }

    pub(crate) async fn search(
        &self,
        me: AccountId,
        query: String,
        limit: u32,
        chat: Option<ChatId>,
    ) -> Result<Vec<SearchHit>, StoreError> {
        self.actor
            .call(move |c| search::search(c, me, &query, limit, chat))
            .await
    }

    /// Whether this account is a member of a stored chat; `None` if it is not stored.
    pub(crate) async fn is_member(&self, chat: ChatId) -> Result<Option<bool>, StoreError> {
        self.actor.call(move |c| chats::is_member(c, chat)).await
    }

    /// Deletes a chat with its history (after this account left it).
    pub(crate) async fn forget_chat(&self, chat: ChatId) -> Result<(), StoreError> {
        self.actor.call(move |c| chats::delete_chat(c, chat)).await
    }

    /// Moves this account's read mark forward on this device only (a chat it is no longer
    /// a member of, where the server would refuse).
    pub(crate) async fn mark_read_locally(
        &self,
        chat: ChatId,
        up_to: Seq,
    ) -> Result<(), StoreError> {
        self.actor
            .call(move |c| chats::raise_read_mark(c, chat, true, up_to))
            .await
    }

    /// Takes the account's settings of a chat as the server answered them.
    pub(crate) async fn apply_settings(
        &self,
        settings: wren_proto::ChatSettings,
    ) -> Result<(), StoreError> {
        self.actor
            .call(move |c| chats::apply_settings(c, &settings))
            .await
    }

    /// Takes the server's list of non-default chat settings; returns the chats that changed.
    pub(crate) async fn replace_settings(
        &self,
        list: Vec<wren_proto::ChatSettings>,
    ) -> Result<Vec<ChatId>, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let changed = chats::replace_settings(&tx, &list)?;
                tx.commit()?;
                Ok(changed)
            })
            .await
    }

    pub(crate) async fn set_draft(&self, chat: ChatId, text: String) -> Result<(), StoreError> {
        self.actor
            .call(move |c| chats::set_draft(c, chat, &text))
            .await
    }

    pub(crate) async fn enqueue(
        &self,
        me: AccountId,
        item: OutboxItem,
        now: u64,
    ) -> Result<i64, StoreError> {
        self.actor
            .call(move |c| outbox::enqueue(c, me, &item, now))
            .await
    }

    pub(crate) async fn outbox(&self) -> Result<Vec<OutboxItem>, StoreError> {
        self.actor.call(|c| outbox::pending(c)).await
    }

    pub(crate) async fn mark_sent(
        &self,
        me: AccountId,
        id: ClientMsgId,
        seq: Seq,
        sent_at: u64,
    ) -> Result<Option<i64>, StoreError> {
        self.actor
            .call(move |c| outbox::mark_sent(c, me, id, seq, sent_at))
            .await
    }

    pub(crate) async fn mark_failed(
        &self,
        me: AccountId,
        id: ClientMsgId,
    ) -> Result<Option<i64>, StoreError> {
        self.actor
            .call(move |c| outbox::mark_failed(c, me, id))
            .await
    }
}

/// What the connection needs to know of this device's MLS identity.
pub(crate) struct IdentityState {
    /// The Ed25519 public key.
    pub(crate) public_key: Vec<u8>,
    /// Whether the first key packages and the last-resort one were uploaded.
    pub(crate) initial_upload: bool,
}

/// Reads this device's key pair (with whether its first upload happened), or makes and
/// stores one.
fn load_or_create_identity(
    conn: &rusqlite::Connection,
    account: AccountId,
    device: DeviceId,
) -> Result<(DeviceIdentity, bool), StoreError> {
    if let Some(stored) = identity::load(conn, device)? {
        if stored.account != account {
            return Err(E2eError::OtherAccount { device: device.0 }.into());
        }
        let identity = DeviceIdentity::from_stored(account, device, &stored.key_pair)?;
        return Ok((identity, stored.initial_upload));
    }
    let identity = DeviceIdentity::generate(account, device)?;
    identity::insert(conn, account, device, &identity.to_stored()?)?;
    Ok((identity, false))
}
