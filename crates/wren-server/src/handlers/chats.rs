//! Chat requests: listing chats, creating groups, renaming.

use super::{bad_request, write, Reply};
use crate::server::AppState;
use crate::store::WriteOp;
use std::sync::Arc;
use wren_proto::rules::{validate_title, MAX_GROUP_MEMBERS, MAX_TITLE_CHARS};
use wren_proto::{AccountId, ChatId, ErrorBody, ErrorCode, Response};

/// Every chat of the caller.
pub(super) fn get_chats(state: &AppState, me: AccountId) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move { Ok(Response::Chats(store.chats(me).await?)) })
}

/// One chat of the caller.
pub(super) fn get_chat(state: &AppState, me: AccountId, chat: ChatId) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move { Ok(Response::Chat(store.chat(me, chat).await?)) })
}

/// A new group with the caller as admin.
pub(super) fn create_group(
    state: &AppState,
    me: AccountId,
    title: &str,
    members: Vec<AccountId>,
) -> Reply {
    let title = match checked_title(title) {
        Ok(title) => title,
        Err(e) => return super::ready(Err(e)),
    };
    if members.len() >= MAX_GROUP_MEMBERS {
        return super::ready(Err(ErrorBody::new(
            ErrorCode::TooManyMembers,
            format!("a group has at most {MAX_GROUP_MEMBERS} members"),
        )));
    }
    write(
        state,
        WriteOp::CreateGroup {
            creator: me,
            title,
            members,
        },
    )
}

/// Renames a group.
pub(super) fn rename(state: &AppState, me: AccountId, chat: ChatId, title: &str) -> Reply {
    match checked_title(title) {
        Ok(title) => write(
            state,
            WriteOp::RenameChat {
                actor: me,
                chat,
                title,
            },
        ),
        Err(e) => super::ready(Err(e)),
    }
}

/// The trimmed title, or why it is not acceptable.
fn checked_title(title: &str) -> Result<String, ErrorBody> {
    if validate_title(title) {
        Ok(title.trim().to_owned())
    } else {
        Err(bad_request(format!(
            "a group title has 1 to {MAX_TITLE_CHARS} characters"
        )))
    }
}
