//! Bringing this device into chats' MLS groups, and former members out of them, beside
//! the driver: one chat at a time, each step a request on the connection and a
//! transaction in the store.
//!
//! For a chat it is asked about, the worker:
//! - joins the group by external commit when the server has one and this device is not in
//!   it (a new device, a new member, a device that lost its state);
//! - creates the group when the server has none and a message waits to be sent: one
//!   commit adds a key package of every device of every member, and its Welcome brings
//!   them in;
//! - removes the leaves of accounts that are no longer members;
//! - then settles the group's title: fetches and opens the sealed title when this device
//!   has none, and (an admin's device) seals the title it shows or was given again when
//!   the group has moved past the epoch that sealed it (see [`crate::store::titles`]).
//!
//! The server takes one commit per epoch. A commit that lost its epoch is dropped and the
//! step is tried again from the new state, a few times, without the user noticing.

use super::verify_key_package;
use crate::connection::Requester;
use crate::connection::Status;
use crate::error::CoreError;
use crate::store::{Me, Store, TitleStep};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use wren_proto::{AccountId, ChatId, ErrorCode, Request, Response};

/// How many times one chat's step is tried when its commits keep losing their epoch.
const ATTEMPTS: u32 = 6;
/// The pause before another attempt grows by this much each time.
const RETRY_STEP: Duration = Duration::from_millis(150);

/// How long a join waits for sync to apply the group's handshakes, and how often it looks.
const SEEN_WAIT: Duration = Duration::from_secs(5);
const SEEN_POLL: Duration = Duration::from_millis(25);

/// A chat to bring up to date; `may_create`: a message waits, so a missing group is made.
pub(crate) type Job = (ChatId, bool);

/// Works through the chats it is sent until the sender is dropped, telling the driver when
/// each one is done. It starts once this device's identity key is on the server: the
/// server takes no commit that brings in a device it has no key for.
pub(crate) async fn run(
    store: Store,
    server: Requester,
    me: Me,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    mut status: watch::Receiver<Status>,
) {
    if status.wait_for(|s| s.keys_published).await.is_err() {
        return;
    }
    while let Some(first) = jobs.recv().await {
        // Coalesce what queued up meanwhile: one pass per chat, one answer per job.
        let mut batch: BTreeMap<ChatId, (bool, usize)> = BTreeMap::new();
        let mut add = |(chat, may_create): Job| {
            let entry = batch.entry(chat).or_default();
            entry.0 |= may_create;
            entry.1 += 1;
        };
        add(first);
        while let Ok(job) = jobs.try_recv() {
            add(job);
        }
        for (chat, (may_create, jobs)) in batch {
            if let Err(e) = reconcile(&store, &server, me, chat, may_create).await {
                tracing::warn!(error = %e, %chat, "cannot update the chat's encryption group");
            }
            for _ in 0..jobs {
                server.group_ready(chat);
            }
        }
    }
}

async fn reconcile(
    store: &Store,
    server: &Requester,
    me: Me,
    chat: ChatId,
    may_create: bool,
) -> Result<(), CoreError> {
    for attempt in 0..ATTEMPTS {
        let Some(handshake) = next_commit(store, server, me, chat, may_create).await? else {
            return settle_title(store, server, me, chat).await;
        };
        let answer = server
            .request(Request::PublishCommit {
                chat,
                commit: handshake.commit,
                group_info: handshake.group_info,
                welcome: handshake.welcome,
            })
            .await;
        match answer {
            Ok(Response::CommitAccepted { .. }) => store.commit_answered(chat, true).await?,
            Err(CoreError::Server(body)) if body.code == ErrorCode::StaleEpoch => {
                store.commit_answered(chat, false).await?;
                tokio::time::sleep(RETRY_STEP * (attempt + 1)).await;
            }
            other => {
                store.commit_answered(chat, false).await?;
                return Err(match other {
                    Err(e) => e,
                    Ok(answer) => unexpected(answer),
                });
            }
        }
    }
    Err(CoreError::Protocol(format!(
        "chat {chat}: the encryption group kept changing; tried {ATTEMPTS} times"
    )))
}

/// Fetches, opens or seals the group's title until there is nothing left to do; a title
/// sealed in an epoch that has passed meanwhile is sealed again, a few times at most.
async fn settle_title(
    store: &Store,
    server: &Requester,
    me: Me,
    chat: ChatId,
) -> Result<(), CoreError> {
    if store.open_kept_title(chat).await? {
        server.chat_changed(chat);
    }
    let mut fetched = false;
    for attempt in 0..ATTEMPTS {
        let step = store.title_step(me, chat).await?;
        tracing::debug!(%chat, device = %me.device, ?step, "the group title's next step");
        match step {
            TitleStep::Nothing => return Ok(()),
            TitleStep::Fetch if fetched => return Ok(()),
            TitleStep::Fetch => {
                fetched = true;
                let Response::SealedTitle { epoch, sealed } =
                    server.request(Request::GetSealedTitle { chat }).await?
                else {
                    return Err(CoreError::Protocol("unexpected answer to a title".into()));
                };
                if store.keep_sealed_title(chat, epoch, sealed).await? {
                    server.chat_changed(chat);
                }
            }
            TitleStep::Seal {
                epoch,
                sealed,
                rename,
            } => {
                let answer = server
                    .request(Request::SealTitle {
                        chat,
                        epoch,
                        sealed: sealed.clone(),
                        rename,
                    })
                    .await;
                match answer {
                    Ok(_) => match store.keep_own_sealed_title(chat, epoch, sealed).await? {
                        Some(true) => server.chat_changed(chat),
                        Some(false) => {}
                        // Sync brought a title of this epoch first; the rest comes through it.
                        None => return Ok(()),
                    },
                    // Another admin's device sealed the title for this epoch first (or
                    // renamed the group meanwhile): it comes through sync.
                    Err(CoreError::Server(body)) if body.code == ErrorCode::Conflict => {
                        return Ok(());
                    }
                    Err(CoreError::Server(body)) if body.code == ErrorCode::StaleEpoch => {
                        // Sync brings the commit that moved the group on; then again.
                        tokio::time::sleep(RETRY_STEP * (attempt + 1)).await;
                    }
                    Err(CoreError::Server(body)) if body.code == ErrorCode::Forbidden => {
                        store.drop_title_to_seal(chat).await?;
                        return Err(CoreError::Server(body));
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(())
}

/// The commit that brings the chat's group closer to its membership, if one is needed.
async fn next_commit(
    store: &Store,
    server: &Requester,
    me: Me,
    chat: ChatId,
    may_create: bool,
) -> Result<Option<crate::e2e::group::Handshake>, CoreError> {
    if store.has_group(chat).await? {
        return Ok(store.prune_group(me, chat).await?);
    }
    match server.request(Request::GetGroupInfo { chat }).await? {
        Response::GroupInfo {
            group_info: Some(info),
            epoch,
        } => {
            // A Welcome for this device may be on its way behind the commits sync has not
            // applied yet: join by itself only when none came.
            if wait_until_seen(store, chat, epoch).await? && store.has_group(chat).await? {
                return Box::pin(next_commit(store, server, me, chat, may_create)).await;
            }
            Ok(Some(store.join_group(me, chat, info).await?))
        }
        Response::GroupInfo { .. } if may_create => {
            let members = store.member_ids(chat).await?;
            let packages = claim_key_packages(server, me, &members).await?;
            Ok(Some(store.create_group(me, chat, packages).await?))
        }
        Response::GroupInfo { .. } => Ok(None),
        other => Err(unexpected(other)),
    }
}

/// One key package of every device of every member (this device left out), each checked
/// to be signed by the identity key the server lists for that device and to name it.
async fn claim_key_packages(
    server: &Requester,
    me: Me,
    members: &[AccountId],
) -> Result<Vec<Vec<u8>>, CoreError> {
    let mut packages = Vec::new();
    for &account in members {
        let Response::KeyPackages(claimed) = server
            .request(Request::ClaimKeyPackages { account })
            .await?
        else {
            return Err(CoreError::Protocol("unexpected answer to a claim".into()));
        };
        for device in claimed {
            if account == me.account && device.device == me.device {
                continue;
            }
            let Some(package) = device.package else {
                continue;
            };
            match verify_key_package(&package) {
                Ok(verified)
                    if verified.identity == super::credential_identity(account, device.device)
                        && verified.signature_key == device.identity_key =>
                {
                    packages.push(package);
                }
                Ok(_) => {
                    tracing::warn!(%account, device = %device.device, "a key package names another device; left out")
                }
                Err(e) => tracing::warn!(error = %e, %account, "an invalid key package; left out"),
            }
        }
    }
    Ok(packages)
}

/// Waits (a few seconds at most) until sync has applied the chat's handshakes up to
/// `epoch`; whether it did.
async fn wait_until_seen(store: &Store, chat: ChatId, epoch: u64) -> Result<bool, CoreError> {
    let deadline = tokio::time::Instant::now() + SEEN_WAIT;
    loop {
        if store.has_seen(chat, epoch).await? {
            return Ok(true);
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(false);
        }
        tokio::time::sleep(SEEN_POLL).await;
    }
}

fn unexpected(answer: Response) -> CoreError {
    CoreError::Protocol(format!("unexpected answer {answer:?}"))
}
