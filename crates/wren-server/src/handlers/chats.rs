//! Chat requests: listing chats, creating groups, renaming.

use super::{bad_request, write, Reply};
use crate::server::AppState;
use crate::store::WriteOp;
use std::sync::Arc;
use wren_proto::rules::{validate_title, MAX_GROUP_MEMBERS};
use wren_proto::{AccountId, ChatId, ErrorBody, ErrorCode, Response};

/// One page of the caller's chats.
pub(super) fn get_chats(state: &AppState, me: AccountId, after: Option<ChatId>) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move {
        let page = store.chats(me, after).await?;
        Ok(Response::Chats {
            chats: page.chats,
            more: page.more,
        })
    })
}

/// One chat of the caller.
pub(super) fn get_chat(state: &AppState, me: AccountId, chat: ChatId) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move { Ok(Response::Chat(store.chat(me, chat).await?)) })
}

/// A new group with the caller as admin. An empty title means that its creator seals the
/// title once the group's encryption group exists (`SealTitle`).
pub(super) async fn create_group(
    state: &AppState,
    me: AccountId,
    title: &str,
    members: Vec<AccountId>,
) -> Reply {
    let title = if title.is_empty() {
        String::new()
    } else {
        match checked_title(title) {
            Ok(title) => title,
            Err(e) => return super::ready(Err(e)),
        }
    };
    if members.len() >= MAX_GROUP_MEMBERS {
        return super::ready(Err(ErrorBody::new(
            ErrorCode::TooManyMembers,
            format!("a group has at most {MAX_GROUP_MEMBERS} members"),
        )));
    }
    let op = WriteOp::CreateGroup {
        creator: me,
        title,
        members,
    };
    write(state, op).await
}

/// Renames a group.
pub(super) async fn rename(state: &AppState, me: AccountId, chat: ChatId, title: &str) -> Reply {
    match checked_title(title) {
        Ok(title) => {
            let op = WriteOp::RenameChat {
                actor: me,
                chat,
                title,
            };
            write(state, op).await
        }
        Err(e) => super::ready(Err(e)),
    }
}

/// The trimmed title, or why it is not acceptable.
fn checked_title(title: &str) -> Result<String, ErrorBody> {
    validate_title(title)
        .map(str::to_owned)
        .map_err(|e| bad_request(format!("this group title cannot be used: {e}")))
}
