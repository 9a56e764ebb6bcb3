//! Keeping this device's channels up to date, beside the driver: the list of channels the
//! account is in after each sign-in, and each channel's posts pulled with
//! `ChannelDifference` (after sign-in, after a push that skipped changes, after
//! subscribing). Posts are pushed live to online subscribers; the pull is what makes a
//! device that was away, or missed a push, complete.

use super::Requester;
use crate::error::CoreError;
use crate::events::ClientEvent;
use crate::store::Store;
use std::collections::BTreeSet;
use tokio::sync::{broadcast, mpsc};
use wren_proto::rules::MAX_CHANNEL_PAGE;
use wren_proto::{ChannelId, Request, Response};

/// What to bring up to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Job {
    /// The list of channels, then every channel.
    All,
    /// One channel's posts.
    One(ChannelId),
}

/// Works through jobs until the sender is dropped.
pub(crate) async fn run(
    store: Store,
    server: Requester,
    events: broadcast::Sender<ClientEvent>,
    mut jobs: mpsc::UnboundedReceiver<Job>,
) {
    while let Some(first) = jobs.recv().await {
        let mut batch = BTreeSet::from([first]);
        while let Ok(job) = jobs.try_recv() {
            batch.insert(job);
        }
        let result = if batch.contains(&Job::All) {
            refresh_all(&store, &server, &events).await
        } else {
            let mut result = Ok(());
            for job in batch {
                if let Job::One(channel) = job {
                    result = result.and(pull(&store, &server, &events, channel).await);
                }
            }
            result
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "cannot bring channels up to date");
        }
    }
}

async fn refresh_all(
    store: &Store,
    server: &Requester,
    events: &broadcast::Sender<ClientEvent>,
) -> Result<(), CoreError> {
    let Response::Channels(list) = server.request(Request::MyChannels).await? else {
        return Err(CoreError::Protocol(
            "unexpected answer to MyChannels".into(),
        ));
    };
    let ids: Vec<ChannelId> = list.iter().map(|c| c.id).collect();
    for channel in store.replace_channels(list.clone()).await? {
        let _ = events.send(ClientEvent::ChannelRemoved { channel });
    }
    for channel in list {
        let _ = events.send(ClientEvent::ChannelUpdated { channel });
    }
    for channel in ids {
        pull(store, server, events, channel).await?;
    }
    Ok(())
}

/// Pulls a channel's changes until this device has them all.
pub(crate) async fn pull(
    store: &Store,
    server: &Requester,
    events: &broadcast::Sender<ClientEvent>,
    channel: ChannelId,
) -> Result<(), CoreError> {
    loop {
        let Some(since) = store.channel_synced(channel).await? else {
            return Ok(());
        };
        let request = Request::ChannelDifference {
            channel,
            since,
            limit: MAX_CHANNEL_PAGE,
        };
        let Response::ChannelPosts(page) = server.request(request).await? else {
            return Err(CoreError::Protocol(
                "unexpected answer to a channel difference".into(),
            ));
        };
        let applied = store
            .apply_channel_page(channel, page, MAX_CHANNEL_PAGE)
            .await?;
        for post in applied.posts {
            let _ = events.send(ClientEvent::PostUpserted { post });
        }
        if applied.complete {
            if let Some(info) = store.stored_channel(channel).await? {
                let _ = events.send(ClientEvent::ChannelUpdated { channel: info });
            }
            return Ok(());
        }
    }
}
