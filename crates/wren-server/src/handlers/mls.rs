//! The MLS delivery service's requests: publishing a commit, fetching the group info,
//! sealed group titles.

use super::{bad_request, ready, submit, Caller, Reply};
use crate::mls;
use crate::server::AppState;
use crate::store::WriteOp;
use std::sync::Arc;
use wren_proto::rules::{MAX_HANDSHAKE_BYTES, MAX_SEALED_TITLE_BYTES};
use wren_proto::{AccountId, ChatId, ErrorBody, ErrorCode, Response};

/// What `PublishCommit` carries.
pub(super) struct Published {
    pub(super) commit: Vec<u8>,
    pub(super) group_info: Vec<u8>,
    pub(super) welcome: Option<Vec<u8>>,
}

/// Checks a commit's framing and what it does to the group's devices, and queues it; the
/// writer accepts it only in its epoch.
pub(super) async fn publish_commit(
    state: &AppState,
    caller: &Caller,
    chat: ChatId,
    published: Published,
) -> Reply {
    let me = caller.account.id;
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
    if let Err(refused) = check_devices(state, caller, chat, &published.group_info).await {
        return ready(Err(refused));
    }
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

/// The devices a commit brings into the group (those in its new group info that were not
/// in the current one) must be live devices of members, each leaf signed with the identity
/// key the device registered; the caller's own device must be in the group it makes.
/// Membership stays the server's: an admin adds and removes members, and no member can
/// bring in anyone else's device, or a key the server did not vouch for.
async fn check_devices(
    state: &AppState,
    caller: &Caller,
    chat: ChatId,
    group_info: &[u8],
) -> Result<(), ErrorBody> {
    let me = caller.account.id;
    let (_, current) = state.store.group_info(me, chat).await?;
    let members = state.store.member_ids(me, chat).await?;
    let new_info = group_info.to_vec();
    let (new, old) = tokio::task::spawn_blocking(move || {
        let new = mls::group_devices(&new_info)?;
        let old = current.as_deref().map(mls::group_devices).transpose()?;
        Ok::<_, mls::FramingError>((new, old.unwrap_or_default()))
    })
    .await
    .map_err(|e| super::internal("checking a group info", &e))?
    .map_err(|e| bad_request(e.to_string()))?;
    if !new
        .iter()
        .any(|d| d.account == me && d.device == caller.device)
    {
        return Err(forbidden("a commit must keep your own device in the group"));
    }
    for added in new.iter().filter(|d| !old.contains(d)) {
        if !members.contains(&added.account) {
            return Err(forbidden(
                "the commit adds a device of someone who is not a member of this chat",
            ));
        }
        let registered = state.store.device_keys(added.account).await?;
        if !registered
            .iter()
            .any(|k| k.device == added.device && k.identity_key == added.key)
        {
            return Err(forbidden(
                "the commit adds a device, or a key, that its owner did not register",
            ));
        }
    }
    Ok(())
}

fn forbidden(message: &str) -> ErrorBody {
    ErrorBody::new(ErrorCode::Forbidden, message)
}

/// The chat's current epoch and group info.
pub(super) fn group_info(state: &AppState, me: AccountId, chat: ChatId) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move {
        let (epoch, group_info) = store.group_info(me, chat).await?;
        Ok(Response::GroupInfo { epoch, group_info })
    })
}

/// What `SealTitle` carries.
pub(super) struct SealedTitle {
    pub(super) epoch: u64,
    pub(super) sealed: Vec<u8>,
    pub(super) rename: bool,
}

/// Queues a sealed title; the writer takes it from an admin in the group's current epoch.
pub(super) async fn seal_title(
    state: &AppState,
    me: AccountId,
    chat: ChatId,
    title: SealedTitle,
) -> Reply {
    if title.sealed.is_empty() || title.sealed.len() > MAX_SEALED_TITLE_BYTES {
        return ready(Err(bad_request(format!(
            "a sealed title has 1 to {MAX_SEALED_TITLE_BYTES} bytes"
        ))));
    }
    let op = WriteOp::SealTitle {
        actor: me,
        chat,
        epoch: title.epoch,
        sealed: title.sealed,
        rename: title.rename,
    };
    super::write(state, op).await
}

/// The chat's newest sealed title.
pub(super) fn sealed_title(state: &AppState, me: AccountId, chat: ChatId) -> Reply {
    let store = Arc::clone(&state.store);
    Box::pin(async move {
        let (epoch, sealed) = match store.sealed_title(me, chat).await? {
            Some((epoch, sealed)) => (epoch, Some(sealed)),
            None => (0, None),
        };
        Ok(Response::SealedTitle { epoch, sealed })
    })
}
