//! What the driver does with frames from the server and with the sync engine's actions.

use super::driver::{Driver, Exit, Pending};
use super::transport::Socket;
use crate::events::ClientEvent;
use crate::model::Account;
use crate::outbox::{AckAction, SendOutcome};
use crate::store::Applied;
use crate::sync::SyncAction;
use std::collections::VecDeque;
use tokio::time::Instant;
use wren_proto::{
    ChatId, ChatInfo, ClientMsgId, ErrorBody, ErrorCode, Pts, Request, Response, ServerFrame,
    UpdateEnvelope,
};

/// Above this many changed messages in one batch, the UI gets one event per chat instead.
const MAX_MESSAGE_EVENTS: usize = 200;

impl Driver {
    pub(super) async fn on_frame(&mut self, socket: &mut Socket, bytes: &[u8]) -> Result<(), Exit> {
        let frame = wren_proto::decode_server(bytes).map_err(|e| {
            tracing::warn!(error = %e, "undecodable frame from the server");
            Exit::Disconnected(format!("bad frame from the server: {e}"))
        })?;
        match frame {
            // An answer to a request given up on finds nothing here and is dropped.
            ServerFrame::Response { id, result } => match self.pending.remove(&id) {
                Some(in_flight) => self.on_response(socket, in_flight.what, result).await,
                None => Ok(()),
            },
            ServerFrame::Update(envelope) => {
                let actions = self.sync.on_update(envelope, Instant::now().into_std());
                self.run_sync_actions(socket, actions).await
            }
            ServerFrame::Typing(notice) => {
                let _ = self.ctx.events.send(ClientEvent::Typing {
                    chat: notice.chat,
                    account: Account::from(notice.account),
                });
                Ok(())
            }
            ServerFrame::Fatal(body)
                if body.code == ErrorCode::Unauthorized && self.auth().is_some() =>
            {
                self.signed_out().await
            }
            ServerFrame::Fatal(body) => Err(Exit::Disconnected(body.to_string())),
            ServerFrame::Welcome(_) => Ok(()),
            ServerFrame::Presence(info) => {
                let _ = self.ctx.events.send(ClientEvent::Presence {
                    account: info.account,
                    presence: info.presence.into(),
                });
                Ok(())
            }
            ServerFrame::CallSignal(notice) => {
                if let Some(auth) = self.auth() {
                    let me = crate::calls::machine::Sender {
                        account: auth.me.id,
                        device: auth.device,
                    };
                    let link = crate::calls::media::Link {
                        requester: self.requester.clone(),
                        url: self.ctx.url.clone(),
                        token: auth.token.clone(),
                    };
                    let _ = self.ctx.calls.send(crate::calls::task::Input::Signal {
                        me,
                        link,
                        notice,
                        attempt: 0,
                    });
                }
                Ok(())
            }
            ServerFrame::ChannelPush(push) => {
                let channel = push.post.channel;
                let new = push.post.changed_seq == push.post.seq && !push.post.deleted;
                match self.ctx.store.apply_channel_push(push.post).await {
                    Ok(applied) => {
                        for post in applied.posts {
                            if new {
                                if let Ok(Some(channel_title)) =
                                    self.ctx.store.announced_channel(channel).await
                                {
                                    let _ = self.ctx.events.send(ClientEvent::PostAnnounced {
                                        channel_title,
                                        post: post.clone(),
                                    });
                                }
                            }
                            let _ = self.ctx.events.send(ClientEvent::PostUpserted { post });
                        }
                        if !applied.complete {
                            self.sync_channels(super::channels::Job::One(channel));
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot store a channel post"),
                }
                Ok(())
            }
        }
    }

    async fn on_response(
        &mut self,
        socket: &mut Socket,
        pending: Pending,
        result: Result<Response, ErrorBody>,
    ) -> Result<(), Exit> {
        let now = Instant::now().into_std();
        match (pending, result) {
            (Pending::User { reply }, result) => {
                let _ = reply.send(result.map_err(crate::error::CoreError::Server));
                Ok(())
            }
            (Pending::Resume, Ok(Response::Resumed { pts, .. })) => {
                self.become_ready(socket).await?;
                self.activate(socket, pts).await
            }
            (Pending::Resume, Err(body)) if body.code == ErrorCode::Unauthorized => {
                self.signed_out().await
            }
            // Rate limited, shutting down, failing: try again on a new connection later.
            (Pending::Resume, Err(body)) => Err(Exit::Disconnected(format!(
                "cannot resume the session: {body}"
            ))),
            (Pending::Ready, Ok(Response::Pong { pts })) => self.activate(socket, pts).await,
            // Sync would never start on this connection: make a new one.
            (Pending::Ready, Err(body)) => Err(Exit::Disconnected(format!(
                "the server refused the first heartbeat: {body}"
            ))),
            (Pending::Heartbeat, Ok(Response::Pong { pts })) => {
                self.sync.on_remote_pts(pts, now);
                Ok(())
            }
            (Pending::Difference { ticket }, Ok(Response::Difference(difference))) => {
                let actions = self.sync.on_difference(ticket, difference, now);
                self.run_sync_actions(socket, actions).await
            }
            (Pending::Chats { ticket }, Ok(Response::Chats { chats, more })) => {
                let actions = self.sync.on_chats(ticket, chats, more, now);
                self.run_sync_actions(socket, actions).await
            }
            (Pending::Chat { chat, .. }, Ok(Response::Chat(info))) => {
                let id = info.id;
                self.ctx
                    .store
                    .store_chat(info)
                    .await
                    .map_err(|e| Exit::Disconnected(e.to_string()))?;
                self.emit_chats(&[id]).await;
                self.sync.on_chat_fetched(chat);
                self.run_sync_actions(socket, Vec::new()).await
            }
            // Not the account's to see (any more): there is nothing to fetch.
            (Pending::Chat { chat, .. }, Err(body))
                if matches!(body.code, ErrorCode::NotFound | ErrorCode::Forbidden) =>
            {
                self.sync.on_chat_fetched(chat);
                self.run_sync_actions(socket, Vec::new()).await
            }
            (
                Pending::Difference { ticket }
                | Pending::Chats { ticket }
                | Pending::Chat { ticket, .. },
                Err(body),
            ) => {
                tracing::warn!(%body, "a sync request failed");
                let actions = self.sync.on_request_failed(ticket, now);
                self.run_sync_actions(socket, actions).await
            }
            (Pending::Send { chat, id }, Ok(Response::Sent { seq, sent_at, .. })) => {
                if self.outbox.acknowledge(chat, id, SendOutcome::Stored, now)
                    == AckAction::Delivered
                {
                    self.on_sent(chat, id, seq, sent_at).await?;
                }
                Ok(())
            }
            (Pending::Send { chat, id }, Err(body)) => {
                tracing::warn!(%body, "the server refused a message");
                self.on_send_refused(chat, id, body).await;
                Ok(())
            }
            (_, Err(body)) => {
                tracing::warn!(%body, "an internal request failed");
                Ok(())
            }
            (_, Ok(answer)) => Err(Exit::Disconnected(format!("unexpected answer {answer:?}"))),
        }
    }

    /// Carries out the sync engine's actions (and those its answers lead to), then
    /// publishes whether sync is caught up.
    pub(super) async fn run_sync_actions(
        &mut self,
        socket: &mut Socket,
        actions: Vec<SyncAction>,
    ) -> Result<(), Exit> {
        let mut queue = VecDeque::from(actions);
        while let Some(action) = queue.pop_front() {
            match action {
                SyncAction::Apply(batch) => queue.extend(self.apply(batch).await?),
                SyncAction::RequestDifference {
                    ticket,
                    since,
                    limit,
                } => {
                    self.send(
                        socket,
                        Request::GetDifference { since, limit },
                        Pending::Difference { ticket },
                    )
                    .await?;
                }
                SyncAction::RequestChats { ticket, after } => {
                    if after.is_none() {
                        tracing::info!("too far behind; refetching the chat list");
                    }
                    self.send(
                        socket,
                        Request::GetChats { after },
                        Pending::Chats { ticket },
                    )
                    .await?;
                }
                SyncAction::Reset { chats, pts } => self.reset(chats, pts).await?,
                SyncAction::RequestChat { ticket, chat } => {
                    self.send(
                        socket,
                        Request::GetChat { chat },
                        Pending::Chat { ticket, chat },
                    )
                    .await?;
                }
                SyncAction::Reconnect { reason } => return Err(Exit::Disconnected(reason)),
                SyncAction::Progress { done, total } => {
                    let _ = self
                        .ctx
                        .events
                        .send(ClientEvent::SyncProgress { done, total });
                }
                SyncAction::CaughtUp => {}
            }
        }
        let caught_up = self.sync.is_caught_up();
        self.status
            .send_if_modified(|s| std::mem::replace(&mut s.caught_up, caught_up) != caught_up);
        Ok(())
    }

    /// Stores a batch; returns the engine's actions for chats the batch mentions that the
    /// store does not have.
    async fn apply(&mut self, batch: Vec<UpdateEnvelope>) -> Result<Vec<SyncAction>, Exit> {
        let Some(me) = self.auth().map(|a| a.me.id) else {
            return Ok(Vec::new());
        };
        let applied = match self.ctx.store.apply(me, batch).await {
            Ok(applied) => applied,
            Err(e) => {
                // Nothing of the batch was stored: start over from what the store has.
                tracing::error!(error = %e, "cannot store updates");
                return Err(Exit::StoreFailed(format!("local store: {e}")));
            }
        };
        let now = Instant::now().into_std();
        let fetches = self
            .sync
            .on_unknown_chats(applied.unknown_chats.iter().copied(), now);
        self.forget_left(&applied);
        self.check_groups(&applied);
        self.auto_replies(&applied).await;
        self.emit_applied(applied).await;
        Ok(fetches)
    }

    /// Replaces the chat list with the one a reset fetched, and the stored `pts` with `pts`.
    async fn reset(&mut self, chats: Vec<ChatInfo>, pts: Pts) -> Result<(), Exit> {
        let Some(me) = self.auth().map(|a| a.me.id) else {
            return Ok(());
        };
        tracing::info!(chats = chats.len(), %pts, "replacing the chat list");
        let applied = self
            .ctx
            .store
            .reset(me, chats, pts)
            .await
            .map_err(|e| Exit::StoreFailed(format!("local store: {e}")))?;
        self.forget_left(&applied);
        self.check_groups(&applied);
        self.emit_applied(applied).await;
        Ok(())
    }

    /// Hands the chats whose MLS group may need this device's attention to the group worker.
    fn check_groups(&mut self, applied: &Applied) {
        for chat in &applied.groups_to_check {
            if !applied.left.contains(chat) {
                self.check_group(*chat, false);
            }
        }
    }

    /// Stops sending to chats this account is no longer a member of: the store has marked
    /// what was queued for them failed, so the server is not asked to refuse it.
    fn forget_left(&mut self, applied: &Applied) {
        if applied.left.is_empty() {
            return;
        }
        for chat in &applied.left {
            self.outbox.forget_chat(*chat);
        }
        self.status.send_modify(|s| s.outbox = self.outbox.len());
        for (chat, local) in &applied.failed {
            let _ = self.ctx.events.send(ClientEvent::MessageFailed {
                chat: *chat,
                local_id: Some(local.to_string()),
                reason: crate::error::CoreError::NotMember(*chat).to_string(),
            });
        }
    }

    async fn emit_applied(&self, applied: Applied) {
        for account in applied.profiles {
            let _ = self
                .ctx
                .events
                .send(ClientEvent::ProfileChanged { account });
        }
        if let Some(folders) = applied.folders {
            let _ = self
                .ctx
                .events
                .send(ClientEvent::FoldersChanged { folders });
        }
        if applied.messages.len() <= MAX_MESSAGE_EVENTS {
            self.emit_messages(applied.messages).await;
        }
        let chats: Vec<ChatId> = applied.chats.into_iter().collect();
        self.emit_chats(&chats).await;
    }

    async fn emit_messages(&self, ids: Vec<i64>) {
        let Some(me) = self.auth().map(|a| a.me.id) else {
            return;
        };
        if ids.is_empty() || self.ctx.events.receiver_count() == 0 {
            return;
        }
        match self.ctx.store.messages(me, ids).await {
            Ok(views) => {
                for message in views {
                    let _ = self
                        .ctx
                        .events
                        .send(ClientEvent::MessageUpserted { message });
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot read changed messages"),
        }
    }

    pub(super) async fn emit_chats(&self, chats: &[ChatId]) {
        let Some(me) = self.auth().map(|a| a.me.id) else {
            return;
        };
        if self.ctx.events.receiver_count() == 0 {
            return;
        }
        for chat in chats {
            match self.ctx.store.chat(me, *chat).await {
                Ok(Some(chat)) => {
                    let _ = self.ctx.events.send(ClientEvent::ChatUpdated { chat });
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "cannot read a changed chat"),
            }
        }
    }

    async fn on_sent(
        &mut self,
        chat: ChatId,
        id: ClientMsgId,
        seq: wren_proto::Seq,
        sent_at: u64,
    ) -> Result<(), Exit> {
        self.status.send_modify(|s| s.outbox = self.outbox.len());
        let Some(me) = self.auth().map(|a| a.me.id) else {
            return Ok(());
        };
        let local = self
            .ctx
            .store
            .mark_sent(me, id, seq, sent_at)
            .await
            .map_err(|e| Exit::Disconnected(e.to_string()))?;
        self.emit_messages(local.into_iter().collect()).await;
        self.emit_chats(&[chat]).await;
        Ok(())
    }

    pub(super) async fn on_send_refused(&mut self, chat: ChatId, id: ClientMsgId, body: ErrorBody) {
        let now = Instant::now().into_std();
        if self
            .outbox
            .acknowledge(chat, id, SendOutcome::Refused(body.code), now)
            != AckAction::Failed
        {
            return;
        }
        self.status.send_modify(|s| s.outbox = self.outbox.len());
        let Some(me) = self.auth().map(|a| a.me.id) else {
            return;
        };
        let local = match self.ctx.store.mark_failed(me, id).await {
            Ok(local) => local,
            Err(e) => {
                tracing::error!(error = %e, "cannot mark a message failed");
                None
            }
        };
        let _ = self.ctx.events.send(ClientEvent::MessageFailed {
            chat,
            local_id: local.map(|id| id.to_string()),
            reason: body.to_string(),
        });
        self.emit_messages(local.into_iter().collect()).await;
    }

    async fn signed_out(&mut self) -> Result<(), Exit> {
        tracing::warn!("this device's session is no longer valid");
        if let Err(e) = self.ctx.store.forget_token().await {
            tracing::error!(error = %e, "cannot forget the revoked token");
        }
        self.ctx.auth = None;
        Err(Exit::SignedOut)
    }
}
