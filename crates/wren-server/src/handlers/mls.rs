//! The MLS delivery service's requests: publishing a commit, fetching the group info.

use super::{bad_request, ready, submit, Reply};
use crate::mls;
use crate::server::AppState;
use crate::store::WriteOp;
use std::sync::Arc;
use wren_proto::rules::MAX_HANDSHAKE_BYTES;
use wren_proto::{AccountId, ChatId, ErrorBody, ErrorCode, Response};

/// What `PublishCommit` carries.
pub(super) struct Published {
    pub(super) commit: Vec<u8>,
    pub(super) group_info: Vec<u8>,
    pub(super) welcome: Option<Vec<u8>>,
}

/// Checks a commit's framing and queues it; the writer accepts it only in its epoch.
pub(super) async fn publish_commit(
    state: &AppState,
    me: AccountId,
    chat: ChatId,
    published: Published,
) -> Reply {
    let size = published.commit.len()
        + published.group_info.len()
        + published.welcome.as_ref().map_or(0, Vec::len);
    if size > MAX_HANDSHAKE_BYTES {
        return ready(Err(ErrorBody::new(
            ErrorCode::TooLarge,
            format!(
                "a commit with its group info and Welcome has at most {} KiB",
                MAX_HANDSHAKE_BYTES / 1024
            ),
        )));
    }
    let epoch = match mls::commit(
        chat,
        &published.commit,
        &published.group_info,
        published.welcome.as_deref(),
    ) {
        Ok(epoch) => epoch,
        Err(e) => return ready(Err(bad_request(e.to_string()))),
    };
    let op = WriteOp::PublishCommit {
        account: me,
        chat,
        epoch,
        commit: published.commit,
        group_info: published.group_info,
        welcome: published.welcome,
    };
    let committed = submit(state, op).await;
    Box::pin(async move { Ok(super::into_response(committed.await?)) })
}

/// The chat's current epoch and group info.
pub(super) fn group_info(state: &AppState, me: AccountId, chat: ChatId) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move {
        let (epoch, group_info) = store.group_info(me, chat).await?;
        Ok(Response::GroupInfo { epoch, group_info })
    })
}
