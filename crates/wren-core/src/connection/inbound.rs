//! What the driver does with frames from the server and with the sync engine's actions.

use super::driver::{Driver, Exit, Pending};
use super::transport::Socket;
use crate::content;
use crate::events::ClientEvent;
use crate::model::Account;
use crate::outbox::{AckAction, SendOutcome};
use crate::store::Applied;
use crate::sync::SyncAction;
use tokio::time::Instant;
use wren_proto::{
    ChatId, ClientMsgId, ErrorBody, ErrorCode, Request, Response, ServerFrame, UpdateEnvelope,
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
            ServerFrame::Response { id, result } => match self.pending.remove(&id) {
                Some(pending) => self.on_response(socket, pending, result).await,
                None => Ok(()),
            },
            ServerFrame::Update(envelope) => {
                let envelope = open_update(self, envelope);
                let actions = self.sync.on_update(envelope, Instant::now().into_std());
                self.run_sync_actions(socket, actions).await
            }
            ServerFrame::Typing(notice) => {
                let _ = self.ctx.events.send(ClientEvent::Typing {
                    chat: notice.chat,
                    account: Account {
                        id: notice.account.id,
                        username: notice.account.username,
                    },
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
            (Pending::User { reply, .. }, result) => {
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
            (Pending::Heartbeat, Ok(Response::Pong { pts })) => {
                self.sync.on_remote_pts(pts, now);
                Ok(())
            }
            (Pending::Difference, Ok(Response::Difference(difference))) => {
                let difference = open_difference(self, difference);
                let actions = self.sync.on_difference(difference, now);
                self.run_sync_actions(socket, actions).await
            }
            (Pending::Difference, other) => {
                tracing::warn!(answer = ?other.err(), "difference request failed");
                self.sync.on_difference_failed(now);
                Ok(())
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
            (Pending::Reset { current }, Ok(Response::Chats(list))) => {
                let applied = self
                    .ctx
                    .store
                    .reset(list, current)
                    .await
                    .map_err(|e| Exit::Disconnected(e.to_string()))?;
                self.emit_applied(applied).await;
                let actions = self.sync.on_reset(current, now);
                self.run_sync_actions(socket, actions).await
            }
            (Pending::FetchChat, Ok(Response::Chat(info))) => {
                let chat = info.id;
                self.ctx
                    .store
                    .store_chat(info)
                    .await
                    .map_err(|e| Exit::Disconnected(e.to_string()))?;
                self.emit_chats(&[chat]).await;
                Ok(())
            }
            (_, Err(body)) => {
                tracing::warn!(%body, "an internal request failed");
                Ok(())
            }
            (_, Ok(answer)) => Err(Exit::Disconnected(format!("unexpected answer {answer:?}"))),
        }
    }

    pub(super) async fn run_sync_actions(
        &mut self,
        socket: &mut Socket,
        actions: Vec<SyncAction>,
    ) -> Result<(), Exit> {
        for action in actions {
            match action {
                SyncAction::Apply(batch) => self.apply(socket, batch).await?,
                SyncAction::RequestDifference { since, limit } => {
                    self.send(
                        socket,
                        Request::GetDifference { since, limit },
                        Pending::Difference,
                    )
                    .await?;
                }
                SyncAction::Reset { current } => {
                    tracing::info!(%current, "too far behind; refetching the chat list");
                    self.send(socket, Request::GetChats, Pending::Reset { current })
                        .await?;
                }
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

    async fn apply(&mut self, socket: &mut Socket, batch: Vec<UpdateEnvelope>) -> Result<(), Exit> {
        let Some(me) = self.auth().map(|a| a.me.id) else {
            return Ok(());
        };
        let applied = match self.ctx.store.apply(me, batch).await {
            Ok(applied) => applied,
            Err(e) => {
                // Nothing of the batch was stored: start over from what the store has.
                tracing::error!(error = %e, "cannot store updates");
                return Err(Exit::Disconnected(format!("local store: {e}")));
            }
        };
        for chat in applied.unknown_chats.clone() {
            self.send(socket, Request::GetChat { chat }, Pending::FetchChat)
                .await?;
        }
        self.emit_applied(applied).await;
        Ok(())
    }

    async fn emit_applied(&self, applied: Applied) {
        for chat in &applied.removed {
            let _ = self
                .ctx
                .events
                .send(ClientEvent::ChatRemoved { chat: *chat });
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

fn open_update(driver: &Driver, mut envelope: UpdateEnvelope) -> UpdateEnvelope {
    content::open_update(driver.ctx.cipher.as_ref(), &mut envelope.update);
    envelope
}

fn open_difference(
    driver: &Driver,
    mut difference: wren_proto::Difference,
) -> wren_proto::Difference {
    if let wren_proto::Difference::Updates { updates, .. } = &mut difference {
        for envelope in updates {
            content::open_update(driver.ctx.cipher.as_ref(), &mut envelope.update);
        }
    }
    difference
}
