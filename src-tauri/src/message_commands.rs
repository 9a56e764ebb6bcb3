//! The commands for what one does with messages beyond sending them: reactions, pins,
//! forwarding, deleting on this device, search in a chat, jumping to a date, and opening
//! a message's links in the system's browser, profiles (display name and bio), presence
//! and chat folders.

use crate::error::{Error, Result};
use crate::models::{LastSeenChoice, PrivacyView};
use crate::state::AppState;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use wren_core::content::entities::is_safe_url;
use wren_core::model::Profile;
use wren_core::{AccountId, ChatId, Folder, MessageView, PresenceOf, SearchHit, Seq};

/// How many hits a search in one chat returns.
const CHAT_SEARCH_LIMIT: u32 = 500;

/// Adds or takes back this account's reaction.
#[tauri::command]
pub(crate) async fn react(
    state: State<'_, AppState>,
    chat: ChatId,
    seq: Seq,
    emoji: String,
    add: bool,
) -> Result<()> {
    Ok(state.client().await?.react(chat, seq, &emoji, add).await?)
}

/// Forwards messages to another chat.
#[tauri::command]
pub(crate) async fn forward(
    state: State<'_, AppState>,
    from_chat: ChatId,
    seqs: Vec<Seq>,
    to_chat: ChatId,
) -> Result<Vec<MessageView>> {
    Ok(state
        .client()
        .await?
        .forward(from_chat, &seqs, to_chat)
        .await?)
}

/// Pins or unpins a message for everyone in the chat.
#[tauri::command]
pub(crate) async fn pin_message(
    state: State<'_, AppState>,
    chat: ChatId,
    seq: Seq,
    pinned: bool,
) -> Result<()> {
    Ok(state.client().await?.pin_message(chat, seq, pinned).await?)
}

/// The chat's pinned messages, the most recently pinned first.
#[tauri::command]
pub(crate) async fn pinned_messages(
    state: State<'_, AppState>,
    chat: ChatId,
) -> Result<Vec<MessageView>> {
    Ok(state.client().await?.pinned_messages(chat).await?)
}

/// Deletes messages on this device only.
#[tauri::command]
pub(crate) async fn delete_for_me(
    state: State<'_, AppState>,
    chat: ChatId,
    local_ids: Vec<String>,
) -> Result<()> {
    let ids = local_ids
        .iter()
        .map(|id| {
            id.parse::<i64>()
                .map_err(|_| Error::Invalid(format!("{id:?} is not a message's local id")))
        })
        .collect::<Result<Vec<i64>>>()?;
    Ok(state.client().await?.delete_for_me(chat, &ids).await?)
}

/// Searches one chat.
#[tauri::command]
pub(crate) async fn search_chat(
    state: State<'_, AppState>,
    chat: ChatId,
    query: String,
) -> Result<Vec<SearchHit>> {
    Ok(state
        .client()
        .await?
        .search_chat(chat, &query, CHAT_SEARCH_LIMIT)
        .await?)
}

/// The first stored message sent at or after `at` (ms since the epoch).
#[tauri::command]
pub(crate) async fn seq_at_date(
    state: State<'_, AppState>,
    chat: ChatId,
    at: u64,
) -> Result<Option<Seq>> {
    Ok(state.client().await?.seq_at_date(chat, at).await?)
}

/// Opens an http, https or mailto link with the system's handler.
#[tauri::command]
pub(crate) async fn open_link(app: AppHandle, url: String) -> Result<()> {
    if !is_safe_url(&url) {
        return Err(Error::Invalid(
            "only http, https and mailto links can be opened".into(),
        ));
    }
    app.opener()
        .open_url(&url, None::<&str>)
        .map_err(|e| Error::Open(e.to_string()))
}

/// Who is online, or when they were last seen, as far as privacy lets this account know.
#[tauri::command]
pub(crate) async fn presence(
    state: State<'_, AppState>,
    accounts: Vec<AccountId>,
) -> Result<Vec<PresenceOf>> {
    Ok(state.client().await?.presence(&accounts).await?)
}

/// Chooses who sees when this account is online and was last seen.
#[tauri::command]
pub(crate) async fn set_last_seen(
    state: State<'_, AppState>,
    visibility: LastSeenChoice,
) -> Result<PrivacyView> {
    let privacy = state
        .client()
        .await?
        .set_last_seen(visibility.into())
        .await?;
    Ok(PrivacyView::from(privacy))
}

/// The account's chat folders, in tab order.
#[tauri::command]
pub(crate) async fn folders(state: State<'_, AppState>) -> Result<Vec<Folder>> {
    Ok(state.client().await?.folders().await?)
}

/// Replaces the account's chat folders (all of its devices get them).
#[tauri::command]
pub(crate) async fn set_folders(
    state: State<'_, AppState>,
    folders: Vec<Folder>,
) -> Result<Vec<Folder>> {
    Ok(state.client().await?.set_folders(folders).await?)
}

/// An account's display name and bio.
#[tauri::command]
pub(crate) async fn profile(state: State<'_, AppState>, account: AccountId) -> Result<Profile> {
    Ok(state.client().await?.profile(account).await?)
}

/// Sets this account's display name and bio.
#[tauri::command]
pub(crate) async fn set_profile(
    state: State<'_, AppState>,
    display_name: String,
    bio: String,
) -> Result<Profile> {
    Ok(state
        .client()
        .await?
        .set_profile(&display_name, &bio)
        .await?)
}
