//! Channel requests: creating and finding channels, subscribing, posting, reading, views,
//! invite links. Authorization is the store's (roles are checked in the write's
//! transaction); this module checks the arguments and keeps the hub's list of who gets a
//! channel's pushes in step with subscriptions.

use super::{bad_request, ready, submit, write, Reply};
use crate::auth::{new_token, token_hash};
use crate::server::AppState;
use crate::store::{ChannelOp, ChannelOutcome, ChannelSettings, WriteOp, WriteOutcome};
use std::sync::Arc;
use wren_proto::rules::{
    validate_description, validate_handle, validate_language, validate_post, validate_title,
    validate_topic, MAX_VIEWS_PER_REPORT,
};
use wren_proto::{
    AccountId, ChannelId, DirectoryQuery, ErrorBody, ErrorCode, NewChannel, NewPost, Response, Seq,
};

/// The scheme and path of invite links.
const INVITE_PREFIX: &str = "wren://join/";
/// The longest directory search text, in characters.
const MAX_QUERY_CHARS: usize = 64;

/// A new channel owned by the caller.
pub(super) async fn create(state: &AppState, me: AccountId, new: NewChannel) -> Reply {
    let settings = match settings(new) {
        Ok(settings) => settings,
        Err(e) => return ready(Err(e)),
    };
    let op = ChannelOp::Create {
        owner: me,
        settings,
    };
    write(state, WriteOp::Channel(op)).await
}

fn settings(new: NewChannel) -> Result<ChannelSettings, ErrorBody> {
    let title = validate_title(&new.title)
        .map_err(|e| bad_request(format!("this channel title cannot be used: {e}")))?;
    let handle = new
        .handle
        .as_deref()
        .map(validate_handle)
        .transpose()
        .map_err(|e| bad_request(e.to_string()))?;
    let description = validate_description(&new.description)
        .map_err(|e| bad_request(e.to_string()))?
        .to_owned();
    validate_topic(&new.topic).map_err(|e| bad_request(e.to_string()))?;
    validate_language(&new.language).map_err(|e| bad_request(e.to_string()))?;
    Ok(ChannelSettings {
        title: title.to_owned(),
        handle,
        description,
        topic: new.topic,
        language: new.language,
    })
}

/// Subscribing or leaving: after the commit, the hub pushes the channel's posts to the
/// account's connections, or stops.
pub(super) async fn membership(state: &AppState, op: ChannelOp) -> Reply {
    let committed = submit(state, WriteOp::Channel(op)).await;
    let hub = Arc::clone(&state.hub);
    Box::pin(async move {
        let outcome = committed.await?;
        if let WriteOutcome::Channel(ChannelOutcome::Membership {
            account,
            channel,
            joined,
            ..
        }) = &outcome
        {
            hub.channel_membership(*account, *channel, *joined);
        }
        Ok(super::into_response(outcome))
    })
}

/// Subscribing with an invite link.
pub(super) async fn join_by_invite(state: &AppState, me: AccountId, link: &str) -> Reply {
    match invite_token(link) {
        Ok(token) => {
            let op = ChannelOp::JoinByInvite {
                account: me,
                token_hash: token_hash(token),
            };
            membership(state, op).await
        }
        Err(e) => ready(Err(e)),
    }
}

/// A post, checked.
pub(super) async fn publish(state: &AppState, me: AccountId, post: NewPost) -> Reply {
    match validate_post(&post.text) {
        Ok(text) => {
            let op = ChannelOp::Publish {
                author: me,
                channel: post.channel,
                client_msg_id: post.client_msg_id,
                text: text.to_owned(),
            };
            write(state, WriteOp::Channel(op)).await
        }
        Err(e) => ready(Err(bad_request(format!("this post cannot be sent: {e}")))),
    }
}

/// An edit (`Some`) or a delete (`None`).
pub(super) async fn change(
    state: &AppState,
    me: AccountId,
    channel: ChannelId,
    seq: Seq,
    text: Option<String>,
) -> Reply {
    let text = match text.as_deref().map(validate_post).transpose() {
        Ok(text) => text.map(str::to_owned),
        Err(e) => return ready(Err(bad_request(format!("this post cannot be sent: {e}")))),
    };
    let op = ChannelOp::Change {
        actor: me,
        channel,
        seq,
        text,
    };
    write(state, WriteOp::Channel(op)).await
}

/// A public channel by handle.
pub(super) fn resolve(state: &AppState, me: AccountId, handle: &str) -> Reply {
    let handle = match validate_handle(handle) {
        Ok(handle) => handle,
        Err(_) => return ready(Err(ErrorBody::new(ErrorCode::NotFound, "no such channel"))),
    };
    let store = Arc::clone(&state.store);
    Box::pin(async move {
        Ok(Response::Channel(
            store.channel_by_handle(me, handle).await?,
        ))
    })
}

/// The directory, checked.
pub(super) fn search(state: &AppState, me: AccountId, query: DirectoryQuery) -> Reply {
    if query.text.chars().count() > MAX_QUERY_CHARS {
        return ready(Err(bad_request(format!(
            "a directory search has at most {MAX_QUERY_CHARS} characters"
        ))));
    }
    if let Some(topic) = &query.topic {
        if let Err(e) = validate_topic(topic) {
            return ready(Err(bad_request(e.to_string())));
        }
    }
    if let Some(language) = &query.language {
        if let Err(e) = validate_language(language) {
            return ready(Err(bad_request(e.to_string())));
        }
    }
    let store = Arc::clone(&state.store);
    Box::pin(async move { Ok(Response::Channels(store.search_directory(me, query).await?)) })
}

/// Views of posts the caller may read, counted at the next flush.
pub(super) fn report_views(
    state: &AppState,
    me: AccountId,
    channel: ChannelId,
    seqs: Vec<Seq>,
) -> Reply {
    if seqs.len() > MAX_VIEWS_PER_REPORT {
        return ready(Err(bad_request(format!(
            "one report names at most {MAX_VIEWS_PER_REPORT} posts"
        ))));
    }
    let state = Arc::clone(state);
    Box::pin(async move {
        let info = state.store.channel(me, channel).await?;
        let seen: Vec<Seq> = seqs.into_iter().filter(|s| *s <= info.last_seq).collect();
        state.views.report(me, channel, &seen);
        Ok(Response::Done)
    })
}

/// A new invite link of the channel.
pub(super) async fn create_invite(state: &AppState, me: AccountId, channel: ChannelId) -> Reply {
    let (token, hash) = match new_token() {
        Ok(made) => made,
        Err(e) => return ready(Err(super::internal("making an invite link", &e))),
    };
    let op = ChannelOp::CreateInvite {
        actor: me,
        channel,
        token_hash: hash,
    };
    let committed = submit(state, WriteOp::Channel(op)).await;
    Box::pin(async move {
        committed.await?;
        Ok(Response::Invite(wren_proto::Invite {
            link: format!("{INVITE_PREFIX}{token}"),
        }))
    })
}

/// Revokes an invite link.
pub(super) async fn revoke_invite(
    state: &AppState,
    me: AccountId,
    channel: ChannelId,
    link: &str,
) -> Reply {
    match invite_token(link) {
        Ok(token) => {
            let op = ChannelOp::RevokeInvite {
                actor: me,
                channel,
                token_hash: token_hash(token),
            };
            write(state, WriteOp::Channel(op)).await
        }
        Err(e) => ready(Err(e)),
    }
}

/// The token of a `wren://join/TOKEN` link (or of a bare token).
fn invite_token(link: &str) -> Result<&str, ErrorBody> {
    let token = link.trim();
    let token = token.strip_prefix(INVITE_PREFIX).unwrap_or(token);
    if token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(token)
    } else {
        Err(bad_request(format!(
            "an invite link looks like {INVITE_PREFIX} followed by 64 hex digits"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::invite_token;

    #[test]
    fn invite_links_are_parsed_strictly() {
        let token = "ab".repeat(32);
        assert_eq!(
            invite_token(&format!("wren://join/{token}")),
            Ok(token.as_str())
        );
        assert_eq!(invite_token(&format!("  {token} ")), Ok(token.as_str()));
        assert!(invite_token("wren://join/xyz").is_err());
        assert!(invite_token(&format!("https://join/{token}")).is_err());
    }
}
