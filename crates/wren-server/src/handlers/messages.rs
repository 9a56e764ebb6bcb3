//! Message requests: send, edit, history, typing, call signals.

use super::{ready, submit, write, Caller, Reply};
use crate::mls;
use crate::server::AppState;
use crate::store::{WriteOp, WriteOutcome};
use std::sync::Arc;
use wren_proto::rules::{MAX_CALL_SIGNAL_BYTES, MAX_HISTORY_PAGE, MAX_PAYLOAD_BYTES};
use wren_proto::{
    AccountId, CallSignalNotice, ChatId, ClientMsgId, ErrorBody, ErrorCode, Response, Seq,
    TypingNotice,
};

/// Stores a message (or returns the original place of a resend).
pub(super) async fn send(
    state: &AppState,
    me: AccountId,
    chat: ChatId,
    client_msg_id: ClientMsgId,
    payload: Vec<u8>,
    reply_to: Option<Seq>,
) -> Reply {
    let epoch = match check_payload(chat, &payload) {
        Ok(epoch) => epoch,
        Err(e) => return super::ready(Err(e)),
    };
    let committed = submit(
        state,
        WriteOp::SendMessage {
            sender: me,
            chat,
            client_msg_id,
            payload,
            epoch,
            reply_to,
        },
    )
    .await;
    let metrics = Arc::clone(&state.metrics);
    Box::pin(async move {
        let outcome = committed.await?;
        if let WriteOutcome::Sent { fresh: true, .. } = outcome {
            metrics.message_stored();
        }
        Ok(super::into_response(outcome))
    })
}

/// Replaces the payload of one of the caller's messages.
pub(super) async fn edit(
    state: &AppState,
    me: AccountId,
    chat: ChatId,
    seq: Seq,
    payload: Vec<u8>,
) -> Reply {
    let epoch = match check_payload(chat, &payload) {
        Ok(epoch) => epoch,
        Err(e) => return super::ready(Err(e)),
    };
    let op = WriteOp::EditMessage {
        editor: me,
        chat,
        seq,
        payload,
        epoch,
    };
    write(state, op).await
}

/// A page of history, newest first.
pub(super) fn history(
    state: &AppState,
    me: AccountId,
    chat: ChatId,
    before: Option<Seq>,
    limit: u32,
) -> Reply {
    let store = Arc::clone(&state.store);
    let limit = limit.min(MAX_HISTORY_PAGE);
    Box::pin(async move {
        Ok(Response::History(
            store.history(me, chat, before, limit).await?,
        ))
    })
}

/// Tells the other members' online devices that the caller is typing.
pub(super) fn typing(state: &AppState, caller: &Caller, chat: ChatId) -> Reply {
    let store = Arc::clone(&state.store);
    let hub = Arc::clone(&state.hub);
    let account = caller.account.clone();
    Box::pin(async move {
        let mut members = store.member_ids(account.id, chat).await?;
        members.retain(|m| *m != account.id);
        hub.typing(&members, &TypingNotice { chat, account });
        Ok(Response::Done)
    })
}

/// Forwards a sealed call signal to the other online devices of the chat's members.
pub(super) fn call_signal(
    state: &AppState,
    caller: &Caller,
    chat: ChatId,
    epoch: u64,
    sealed: Vec<u8>,
) -> Reply {
    if sealed.is_empty() || sealed.len() > MAX_CALL_SIGNAL_BYTES {
        return ready(Err(ErrorBody::new(
            ErrorCode::BadRequest,
            format!("a call signal has 1 to {MAX_CALL_SIGNAL_BYTES} bytes"),
        )));
    }
    let store = Arc::clone(&state.store);
    let hub = Arc::clone(&state.hub);
    let notice = CallSignalNotice {
        chat,
        account: caller.account.id,
        device: caller.device,
        epoch,
        sealed,
    };
    Box::pin(async move {
        let members = store.member_ids(notice.account, chat).await?;
        hub.call_signal(&members, &notice);
        Ok(Response::Done)
    })
}

/// Refuses payloads over the protocol limit.
/// Checks a payload's size and, for an MLS message, its framing; returns its MLS epoch
/// (`None` for plaintext).
fn check_payload(chat: ChatId, payload: &[u8]) -> Result<Option<u64>, ErrorBody> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(ErrorBody::new(
            ErrorCode::TooLarge,
            format!("a message has at most {} KiB", MAX_PAYLOAD_BYTES / 1024),
        ));
    }
    match mls::payload(chat, payload) {
        Ok(mls::Payload::Plain) => Ok(None),
        Ok(mls::Payload::Mls { epoch }) => Ok(Some(epoch)),
        Err(e) => Err(super::bad_request(e.to_string())),
    }
}
