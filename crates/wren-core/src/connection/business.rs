//! The driver's side of a business's automatic replies (see [`crate::business`]): the
//! account's profile is fetched after each sign-in, and each batch of updates is looked
//! at for new messages from contacts in direct chats.

use super::driver::Driver;
use super::Requester;
use crate::business::{replies, FRESH_MS};
use crate::events::ClientEvent;
use crate::outbox::OutboxItem;
use crate::store::{Applied, Store};
use std::collections::BTreeMap;
use wren_proto::{AccountId, ChatId, Request, Response};

/// Fetches this account's business profile and keeps it in the store.
pub(super) async fn refresh_profile(store: Store, server: Requester, me: AccountId) {
    match server
        .request(Request::GetBusinessProfile { account: me })
        .await
    {
        Ok(Response::BusinessProfile(profile)) => {
            if let Err(e) = store.set_own_business_profile(profile).await {
                tracing::warn!(error = %e, "cannot keep the business profile");
            }
        }
        Ok(other) => tracing::warn!(?other, "unexpected answer to the business profile"),
        Err(e) => tracing::debug!(error = %e, "cannot fetch the business profile"),
    }
}

impl Driver {
    /// Queues the greeting and away messages that the batch's new messages from contacts
    /// call for, if this account has a business profile.
    pub(super) async fn auto_replies(&mut self, applied: &Applied) {
        let Some(me) = self.auth().map(|a| a.me.id) else {
            return;
        };
        if applied.messages.is_empty() {
            return;
        }
        let profile = match self.ctx.store.own_business_profile().await {
            Ok(Some(profile)) => profile,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the business profile");
                return;
            }
        };
        let now = crate::client::now_ms();
        let views = match self.ctx.store.messages(me, applied.messages.clone()).await {
            Ok(views) => views,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read new messages for automatic replies");
                return;
            }
        };
        // The first fresh message from a contact in each chat of the batch.
        let mut firsts: BTreeMap<ChatId, i64> = BTreeMap::new();
        for view in views {
            let fresh = now.saturating_sub(view.sent_at) < FRESH_MS;
            if view.outgoing || view.deleted || view.edited_at.is_some() || !fresh {
                continue;
            }
            if let Ok(local) = view.local_id.parse::<i64>() {
                firsts.entry(view.chat).or_insert(local);
            }
        }
        for (chat, local) in firsts {
            match self.ctx.store.direct_and_wrote(me, chat, local).await {
                Ok(Some((true, wrote))) => {
                    for reply in replies(&profile, chat, wrote, now) {
                        self.queue_reply(me, chat, reply.text, reply.client_msg_id, now)
                            .await;
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, %chat, "cannot look at a chat for replies"),
            }
        }
    }

    async fn queue_reply(
        &mut self,
        me: AccountId,
        chat: ChatId,
        text: String,
        client_msg_id: wren_proto::ClientMsgId,
        now: u64,
    ) {
        let item = OutboxItem::text(chat, client_msg_id, &text);
        match self.ctx.store.enqueue_once(me, item.clone(), now).await {
            Ok(Some(local)) => {
                self.push_outbox(item);
                if let Ok(views) = self.ctx.store.messages(me, vec![local]).await {
                    for message in views {
                        let _ = self
                            .ctx
                            .events
                            .send(ClientEvent::MessageUpserted { message });
                    }
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, %chat, "cannot queue an automatic reply"),
        }
    }
}
