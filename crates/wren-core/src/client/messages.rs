//! Reactions, pinned messages, forwarding, deleting on this device, and finding messages
//! in one chat.

use super::{now_ms, random_u64, Client};
use crate::content::{Action, ForwardedFrom, RichText};
use crate::error::CoreError;
use crate::events::ClientEvent;
use crate::model::{MessageView, SearchHit};
use crate::outbox::OutboxItem;
use crate::store::{KeepReason, Refusal};
use wren_proto::{ChatId, ClientMsgId, Seq};

/// At most this many messages are forwarded at once.
const MAX_FORWARD: usize = 100;

impl Client {
    /// Adds (`add`) or takes back this account's `emoji` reaction to the message at `seq`.
    /// It shows here at once and reaches every member's devices inside the encryption.
    pub async fn react(
        &self,
        chat: ChatId,
        seq: Seq,
        emoji: &str,
        add: bool,
    ) -> Result<(), CoreError> {
        let action = Action::React {
            target: seq,
            emoji: emoji.into(),
            add,
        };
        self.act(chat, seq, action).await
    }

    /// Pins or unpins the message at `seq` for everyone in the chat (in a group, admins
    /// only).
    pub async fn pin_message(&self, chat: ChatId, seq: Seq, pinned: bool) -> Result<(), CoreError> {
        self.act(
            chat,
            seq,
            Action::Pin {
                target: seq,
                pinned,
            },
        )
        .await
    }

    /// The chat's pinned messages, the most recently pinned first.
    pub async fn pinned_messages(&self, chat: ChatId) -> Result<Vec<MessageView>, CoreError> {
        let me = self.me()?;
        Ok(self.inner.store.pinned_messages(me, chat).await?)
    }

    /// Forwards the messages at `seqs` of `from` (in that order) to `to`, each with its
    /// text, entities and where it first came from. Returns the new messages.
    pub async fn forward(
        &self,
        from: ChatId,
        seqs: &[Seq],
        to: ChatId,
    ) -> Result<Vec<MessageView>, CoreError> {
        let me = self.me()?;
        if seqs.is_empty() || seqs.len() > MAX_FORWARD {
            return Err(CoreError::Invalid(format!(
                "forward 1 to {MAX_FORWARD} messages at a time"
            )));
        }
        let mut bodies = Vec::with_capacity(seqs.len());
        for &seq in seqs {
            let original = self
                .inner
                .store
                .message_at(me, from, seq)
                .await?
                .ok_or_else(|| {
                    CoreError::Invalid(format!("there is no message {seq} in chat {from}"))
                })?;
            if original.deleted || original.undecryptable || original.call.is_some() {
                return Err(CoreError::Invalid(format!(
                    "message {seq} cannot be forwarded: it is deleted, unreadable or a call"
                )));
            }
            bodies.push(RichText {
                forwarded: Some(original.forwarded_from.clone().unwrap_or(ForwardedFrom {
                    name: original.sender.username.clone(),
                    sent_at: original.sent_at,
                })),
                text: original.text,
                entities: original.entities,
                reply_to: None,
            });
        }
        let mut sent = Vec::with_capacity(bodies.len());
        for body in bodies {
            sent.push(self.send_rich(to, body).await?);
        }
        Ok(sent)
    }

    /// Deletes messages (by local id) on this device only; messages still being sent
    /// cannot be. The UI hears `MessagesRemoved`.
    pub async fn delete_for_me(&self, chat: ChatId, local_ids: &[i64]) -> Result<(), CoreError> {
        let me = self.me()?;
        let deleted =
            match self
                .inner
                .store
                .delete_for_me(chat, local_ids.to_vec())
                .await?
            {
                Ok(deleted) => deleted,
                Err(KeepReason::Sending) => return Err(CoreError::Invalid(
                    "a message still being sent cannot be deleted; wait until it is sent or fails"
                        .into(),
                )),
            };
        if deleted.is_empty() {
            return Ok(());
        }
        let _ = self.inner.events.send(ClientEvent::MessagesRemoved {
            chat,
            local_ids: deleted.iter().map(i64::to_string).collect(),
        });
        if let Some(chat) = self.inner.store.chat(me, chat).await? {
            let _ = self.inner.events.send(ClientEvent::ChatUpdated { chat });
        }
        Ok(())
    }

    /// Searches one chat's stored messages, newest first.
    pub async fn search_chat(
        &self,
        chat: ChatId,
        query: &str,
        limit: u32,
    ) -> Result<Vec<SearchHit>, CoreError> {
        let me = self.me()?;
        Ok(self
            .inner
            .store
            .search(me, query.into(), limit, Some(chat))
            .await?)
    }

    /// The first stored message of `chat` sent at or after `at` (ms since the epoch).
    pub async fn seq_at_date(&self, chat: ChatId, at: u64) -> Result<Option<Seq>, CoreError> {
        self.me()?;
        Ok(self.inner.store.seq_at(chat, at).await?)
    }

    /// Checks an action, queues it like a message, and shows its effect on `target`.
    async fn act(&self, chat: ChatId, target: Seq, action: Action) -> Result<(), CoreError> {
        let me = self.me()?;
        self.check_member(chat).await?;
        match self
            .inner
            .store
            .check_action(chat, me, action.clone())
            .await?
        {
            Ok(()) => {}
            Err(Refusal::Invalid(why)) => return Err(CoreError::Invalid(why)),
            Err(Refusal::Forbidden(why)) => return Err(CoreError::Forbidden(why)),
        }
        let item = OutboxItem::action(chat, ClientMsgId(random_u64()?), &action);
        self.inner.store.enqueue(me, item.clone(), now_ms()).await?;
        if let Some(connection) = self.inner.connection.lock().await.as_ref() {
            connection.push_outbox(item)?;
        }
        if let Some(message) = self.inner.store.message_at(me, chat, target).await? {
            let _ = self
                .inner
                .events
                .send(ClientEvent::MessageUpserted { message });
        }
        Ok(())
    }
}
