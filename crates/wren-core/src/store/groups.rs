//! The store's side of end-to-end encryption for chats: sealing outgoing payloads and the
//! steps of creating, joining and pruning a chat's MLS group (see [`crate::e2e::group`]).

use super::{load_or_create_identity, Store};
use crate::e2e::group::{self, Handshake};
use crate::e2e::sealed;
use crate::error::StoreError;
use rusqlite::{Connection, OptionalExtension};
use wren_proto::{AccountId, ChatId, DeviceId};

/// Who is acting: this device's account and id.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Me {
    pub(crate) account: AccountId,
    pub(crate) device: DeviceId,
}

impl Store {
    /// Encrypts `body` for the chat's group and remembers it as this device's own; `None`
    /// while this device is not in the group.
    pub(crate) async fn seal(
        &self,
        me: Me,
        chat: ChatId,
        body: Vec<u8>,
        now_ms: u64,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let (identity, _) = load_or_create_identity(&tx, me.account, me.device)?;
                let sealed = group::seal(&tx, &identity, chat, &body)?;
                if let Some(payload) = &sealed {
                    sealed::remember(&tx, payload, &body, now_ms)?;
                }
                tx.commit()?;
                Ok(sealed)
            })
            .await
    }

    /// The chat's group as this device has it.
    pub(crate) async fn group_state(
        &self,
        chat: ChatId,
    ) -> Result<Option<crate::e2e::GroupState>, StoreError> {
        self.actor
            .call(move |c| Ok(group::describe(c, chat)?))
            .await
    }

    /// The identity keys of my devices and `peer`'s in the group of our direct chat, if
    /// this device is in one.
    pub(crate) async fn direct_chat_keys(
        &self,
        me: AccountId,
        peer: AccountId,
    ) -> Result<Option<(Vec<Vec<u8>>, Vec<Vec<u8>>)>, StoreError> {
        self.actor
            .call(move |c| {
                let Some(chat) = direct_chat_with(c, peer)? else {
                    return Ok(None);
                };
                let Some(keys) = group::leaf_keys(c, chat)? else {
                    return Ok(None);
                };
                let of = |who: AccountId| -> Vec<Vec<u8>> {
                    keys.iter()
                        .filter(|(a, _)| *a == who)
                        .map(|(_, k)| k.clone())
                        .collect()
                };
                Ok(Some((of(me), of(peer))))
            })
            .await
    }

    /// The safety number the user verified for `peer`, if any.
    pub(crate) async fn verified_number(
        &self,
        peer: AccountId,
    ) -> Result<Option<String>, StoreError> {
        self.actor
            .call(move |c| {
                Ok(c.prepare_cached(
                    "SELECT safety_number FROM verified_contacts WHERE account_id = ?1",
                )?
                .query_row([peer.0 as i64], |r| r.get(0))
                .optional()?)
            })
            .await
    }

    /// Records (`Some`) or clears the safety number the user verified for `peer`.
    pub(crate) async fn set_verified_number(
        &self,
        peer: AccountId,
        number: Option<String>,
    ) -> Result<(), StoreError> {
        self.actor
            .call(move |c| {
                match number {
                    Some(number) => c
                        .prepare_cached(
                            "INSERT OR REPLACE INTO verified_contacts (account_id, safety_number) \
                             VALUES (?1, ?2)",
                        )?
                        .execute(rusqlite::params![peer.0 as i64, number])?,
                    None => c
                        .prepare_cached("DELETE FROM verified_contacts WHERE account_id = ?1")?
                        .execute([peer.0 as i64])?,
                };
                Ok(())
            })
            .await
    }

    /// Whether sync has applied every handshake of the chat's group up to `epoch`.
    pub(crate) async fn has_seen(&self, chat: ChatId, epoch: u64) -> Result<bool, StoreError> {
        self.actor
            .call(move |c| Ok(group::has_seen(c, chat, epoch)?))
            .await
    }

    /// Whether this device is in the chat's group.
    pub(crate) async fn has_group(&self, chat: ChatId) -> Result<bool, StoreError> {
        self.actor
            .call(move |c| Ok(group::has_group(c, chat)?))
            .await
    }

    /// The chat's members as this device knows them.
    pub(crate) async fn member_ids(&self, chat: ChatId) -> Result<Vec<AccountId>, StoreError> {
        self.actor.call(move |c| member_ids(c, chat)).await
    }

    /// Creates the chat's group with the devices of `key_packages`, pending.
    pub(crate) async fn create_group(
        &self,
        me: Me,
        chat: ChatId,
        key_packages: Vec<Vec<u8>>,
    ) -> Result<Handshake, StoreError> {
        self.in_transaction(me, move |tx, identity| {
            group::create(tx, identity, chat, &key_packages)
        })
        .await
    }

    /// Joins the chat's group by external commit, pending.
    pub(crate) async fn join_group(
        &self,
        me: Me,
        chat: ChatId,
        group_info: Vec<u8>,
    ) -> Result<Handshake, StoreError> {
        self.in_transaction(me, move |tx, identity| {
            group::join_external(tx, identity, chat, &group_info)
        })
        .await
    }

    /// A pending commit removing the leaves of accounts that are no longer members.
    pub(crate) async fn prune_group(
        &self,
        me: Me,
        chat: ChatId,
    ) -> Result<Option<Handshake>, StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let (identity, _) = load_or_create_identity(&tx, me.account, me.device)?;
                let members = member_ids(&tx, chat)?;
                let revoked = revoked_devices(&tx)?;
                let made = group::remove_leaves(&tx, &identity, chat, &|account, device| {
                    members.contains(&account) && !revoked.contains(&(account, device))
                })?;
                tx.commit()?;
                Ok(made)
            })
            .await
    }

    /// Records that this device revoked `device` of its account, and returns the chats
    /// whose groups may hold it.
    pub(crate) async fn device_revoked(
        &self,
        account: AccountId,
        device: DeviceId,
    ) -> Result<Vec<ChatId>, StoreError> {
        self.actor
            .call(move |c| {
                c.prepare_cached(
                    "INSERT OR IGNORE INTO revoked_devices (account_id, device_id) VALUES (?1, ?2)",
                )?
                .execute(rusqlite::params![account.0 as i64, device.0 as i64])?;
                let mut stmt = c.prepare_cached(
                    "SELECT id FROM chats WHERE id IN (SELECT chat_id FROM members WHERE account_id = ?1)",
                )?;
                let chats = stmt
                    .query_map([account.0 as i64], |r| r.get::<_, i64>(0))?
                    .map(|r| r.map(|id| ChatId(id as u64)))
                    .collect::<Result<_, _>>()?;
                Ok(chats)
            })
            .await
    }

    /// The server accepted (`true`) or refused this device's pending commit.
    pub(crate) async fn commit_answered(
        &self,
        chat: ChatId,
        accepted: bool,
    ) -> Result<(), StoreError> {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                if accepted {
                    group::accepted(&tx, chat)?;
                } else {
                    group::refused(&tx, chat)?;
                }
                tx.commit()?;
                Ok(())
            })
            .await
    }

    async fn in_transaction<F>(&self, me: Me, f: F) -> Result<Handshake, StoreError>
    where
        F: FnOnce(
                &Connection,
                &crate::e2e::identity::DeviceIdentity,
            ) -> Result<Handshake, crate::e2e::E2eError>
            + Send
            + 'static,
    {
        self.actor
            .call(move |c| {
                let tx = c.transaction()?;
                let (identity, _) = load_or_create_identity(&tx, me.account, me.device)?;
                let made = f(&tx, &identity)?;
                tx.commit()?;
                Ok(made)
            })
            .await
    }
}

/// Devices this device revoked.
fn revoked_devices(conn: &Connection) -> Result<Vec<(AccountId, DeviceId)>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT account_id, device_id FROM revoked_devices")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                AccountId(r.get::<_, i64>(0)? as u64),
                DeviceId(r.get::<_, i64>(1)? as u64),
            ))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The direct chat with `peer`, if this store has it.
fn direct_chat_with(conn: &Connection, peer: AccountId) -> Result<Option<ChatId>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id FROM chats c JOIN members m ON m.chat_id = c.id \
             WHERE c.kind = 0 AND m.account_id = ?1 LIMIT 1",
        )?
        .query_row([peer.0 as i64], |r| r.get::<_, i64>(0))
        .optional()?
        .map(|id| ChatId(id as u64)))
}

fn member_ids(conn: &Connection, chat: ChatId) -> Result<Vec<AccountId>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT account_id FROM members WHERE chat_id = ?1")?;
    let ids = stmt
        .query_map([chat.0 as i64], |r| r.get::<_, i64>(0))?
        .map(|r| r.map(|id| AccountId(id as u64)))
        .collect::<Result<_, _>>()?;
    Ok(ids)
}
