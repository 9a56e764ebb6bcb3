//! Pinned chats and chat settings after each sign-in: pins set here while offline go to
//! the server (one the server refuses, past the plan's limit, is undone here), then the
//! server's lists of muted and archived chats and of pins are taken for every other chat,
//! so a device that was away shows what the account did elsewhere.

use super::Requester;
use crate::error::CoreError;
use crate::events::ClientEvent;
use crate::store::Store;
use tokio::sync::broadcast;
use wren_proto::{Request, Response};

/// Sends this device's waiting pins, then takes the server's lists of settings, folders
/// and pins.
pub(super) async fn sync(store: Store, server: Requester, events: broadcast::Sender<ClientEvent>) {
    if let Err(e) = send_pending(&store, &server).await {
        tracing::debug!(error = %e, "pins not sent; again at the next sign-in");
        return;
    }
    match server.request(Request::GetChatSettings).await {
        Ok(Response::AllChatSettings(list)) => match store.replace_settings(list).await {
            Ok(changed) => {
                for chat in changed {
                    server.chat_changed(chat);
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot keep the chat settings"),
        },
        Ok(other) => tracing::warn!(?other, "unexpected answer to the chat settings"),
        Err(e) => tracing::debug!(error = %e, "cannot fetch the chat settings"),
    }
    match server.request(Request::GetFolders).await {
        Ok(Response::Folders(folders)) => match store.replace_folders(folders.clone()).await {
            Ok(true) => {
                let _ = events.send(ClientEvent::FoldersChanged { folders });
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "cannot keep the folders"),
        },
        Ok(other) => tracing::warn!(?other, "unexpected answer to the folders"),
        Err(e) => tracing::debug!(error = %e, "cannot fetch the folders"),
    }
    match server.request(Request::GetPinnedChats).await {
        Ok(Response::PinnedChats(pinned)) => match store.replace_pins(pinned).await {
            Ok(changed) => {
                for chat in changed {
                    server.chat_changed(chat);
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot keep the pinned chats"),
        },
        Ok(other) => tracing::warn!(?other, "unexpected answer to the pinned chats"),
        Err(e) => tracing::debug!(error = %e, "cannot fetch the pinned chats"),
    }
}

async fn send_pending(store: &Store, server: &Requester) -> Result<(), CoreError> {
    for (chat, pinned) in store.pending_pins().await? {
        match server
            .request(Request::SetChatPinned { chat, pinned })
            .await
        {
            Ok(_) => store.set_pinned(chat, pinned, true).await?,
            Err(CoreError::Server(body)) => {
                tracing::warn!(%chat, reason = %body.message, "the server refused a pin; undone");
                store.set_pinned(chat, !pinned, true).await?;
                server.chat_changed(chat);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
