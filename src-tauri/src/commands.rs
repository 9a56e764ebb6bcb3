//! The commands the web UI invokes: one per `Platform` method, named in snake_case, each a
//! thin call into the client engine.

use crate::deep_link::{DeepLink, DeepLinks};
use crate::error::{Error, Result};
use crate::models::{AccountSlot, Device, GroupAddsChoice, PrivacyView, ProfileStatus};
use crate::state::AppState;
use crate::tray::TrayMenu;
use tauri::{AppHandle, Manager, State};
use wren_core::content::{self, Format, RichText};
use wren_core::e2e::{GroupState, SafetyNumber};
use wren_core::{Account, AccountId, ChatId, ChatSummary, DeviceId, MessageView, SearchHit, Seq};

/// How many hits a search returns.
const SEARCH_LIMIT: u32 = 100;

/// Whether a profile exists, is locked, and who is signed in.
#[tauri::command]
pub(crate) async fn profile_status(state: State<'_, AppState>) -> Result<ProfileStatus> {
    Ok(state.status().await)
}

/// Opens a passcode profile (or creates a new one with this passcode, which must have at
/// least [`MIN_PASSCODE_CHARS`](wren_core::profile::MIN_PASSCODE_CHARS) characters).
#[tauri::command]
pub(crate) async fn unlock(
    app: AppHandle,
    state: State<'_, AppState>,
    passcode: String,
) -> Result<()> {
    if passcode.is_empty() {
        return Err(Error::Invalid("enter the passcode".into()));
    }
    state.open(&app, Some(passcode)).await
}

/// Locks the app until the passcode is given again (see [`AppState::lock`]).
#[tauri::command]
pub(crate) async fn lock(app: AppHandle, state: State<'_, AppState>) -> Result<()> {
    state.lock(&app).await
}

/// Creates an account on a server and signs in. `allow_insecure`: the user ticked "allow
/// an unencrypted connection" for a `ws://` or `http://` address to another computer.
#[tauri::command]
pub(crate) async fn register(
    state: State<'_, AppState>,
    server_url: String,
    username: String,
    password: String,
    allow_insecure: bool,
) -> Result<Account> {
    let client = state.client().await?;
    client.allow_insecure(allow_insecure);
    client
        .register(&server_url, &username, &password)
        .await
        .map_err(Error::on_register)
}

/// Signs in to an existing account (`allow_insecure` as for [`register`]).
#[tauri::command]
pub(crate) async fn login(
    state: State<'_, AppState>,
    server_url: String,
    username: String,
    password: String,
    allow_insecure: bool,
) -> Result<Account> {
    state.refuse_second_sign_in(&server_url, &username).await?;
    let client = state.client().await?;
    client.allow_insecure(allow_insecure);
    Ok(client.login(&server_url, &username, &password).await?)
}

/// Signs the active account out (see [`AppState::logout`]).
#[tauri::command]
pub(crate) async fn logout(app: AppHandle, state: State<'_, AppState>) -> Result<()> {
    state.logout(&app).await
}

/// Every account slot of the app, in Ctrl+1..3 order.
#[tauri::command]
pub(crate) async fn account_slots(state: State<'_, AppState>) -> Result<Vec<AccountSlot>> {
    state.slots().await
}

/// Opens a new account slot and makes it active (see [`AppState::add_account`]).
#[tauri::command]
pub(crate) async fn add_account(app: AppHandle, state: State<'_, AppState>) -> Result<()> {
    state.add_account(&app).await
}

/// Makes slot `id` active (see [`AppState::switch_account`]).
#[tauri::command]
pub(crate) async fn switch_account(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<()> {
    state.switch_account(&app, &id).await
}

/// The chat list.
#[tauri::command]
pub(crate) async fn chats(state: State<'_, AppState>) -> Result<Vec<ChatSummary>> {
    Ok(state.client().await?.chats().await?)
}

/// Messages older than `before`, newest first.
#[tauri::command]
pub(crate) async fn history(
    state: State<'_, AppState>,
    chat: ChatId,
    before: Option<Seq>,
    limit: u32,
) -> Result<Vec<MessageView>> {
    Ok(state.client().await?.history(chat, before, limit).await?)
}

/// Queues a message; unless `plain`, its Markdown-style marks become formatting.
#[tauri::command]
pub(crate) async fn send(
    state: State<'_, AppState>,
    chat: ChatId,
    text: String,
    reply_to: Option<Seq>,
    plain: Option<bool>,
) -> Result<MessageView> {
    let body = RichText {
        reply_to,
        ..content::compose(&text, format(plain))
    };
    Ok(state.client().await?.send_rich(chat, body).await?)
}

/// Replaces the text of an own message, read as `send` reads it.
#[tauri::command]
pub(crate) async fn edit(
    state: State<'_, AppState>,
    chat: ChatId,
    seq: Seq,
    text: String,
    plain: Option<bool>,
) -> Result<()> {
    let body = content::compose(&text, format(plain));
    Ok(state.client().await?.edit_rich(chat, seq, body).await?)
}

fn format(plain: Option<bool>) -> Format {
    if plain.unwrap_or(false) {
        Format::Plain
    } else {
        Format::Markdown
    }
}

/// Deletes a message for everyone.
#[tauri::command]
pub(crate) async fn remove(state: State<'_, AppState>, chat: ChatId, seq: Seq) -> Result<()> {
    Ok(state.client().await?.delete(chat, seq).await?)
}

/// Marks a chat read up to `up_to`.
#[tauri::command]
pub(crate) async fn mark_read(state: State<'_, AppState>, chat: ChatId, up_to: Seq) -> Result<()> {
    Ok(state.client().await?.mark_read(chat, up_to).await?)
}

/// Tells the chat this account is typing.
#[tauri::command]
pub(crate) async fn typing(state: State<'_, AppState>, chat: ChatId) -> Result<()> {
    Ok(state.client().await?.typing(chat).await?)
}

/// The direct chat with a user (created if needed).
#[tauri::command]
pub(crate) async fn open_direct(
    state: State<'_, AppState>,
    username: String,
) -> Result<ChatSummary> {
    Ok(state.client().await?.open_direct(&username).await?)
}

/// A new group.
#[tauri::command]
pub(crate) async fn create_group(
    state: State<'_, AppState>,
    title: String,
    usernames: Vec<String>,
) -> Result<ChatSummary> {
    Ok(state
        .client()
        .await?
        .create_group(&title, &usernames)
        .await?)
}

/// Adds a user to a group.
#[tauri::command]
pub(crate) async fn add_member(
    state: State<'_, AppState>,
    chat: ChatId,
    username: String,
) -> Result<()> {
    Ok(state.client().await?.add_member(chat, &username).await?)
}

/// Removes a member from a group.
#[tauri::command]
pub(crate) async fn remove_member(
    state: State<'_, AppState>,
    chat: ChatId,
    account: AccountId,
) -> Result<()> {
    Ok(state.client().await?.remove_member(chat, account).await?)
}

/// Leaves a group.
#[tauri::command]
pub(crate) async fn leave(state: State<'_, AppState>, chat: ChatId) -> Result<()> {
    Ok(state.client().await?.leave(chat).await?)
}

/// Renames a group.
#[tauri::command]
pub(crate) async fn rename(state: State<'_, AppState>, chat: ChatId, title: String) -> Result<()> {
    Ok(state.client().await?.rename(chat, &title).await?)
}

/// Pins or unpins a chat.
#[tauri::command]
pub(crate) async fn set_pinned(
    state: State<'_, AppState>,
    chat: ChatId,
    pinned: bool,
) -> Result<()> {
    Ok(state.client().await?.set_pinned(chat, pinned).await?)
}

/// Mutes a chat's notifications on this device until `until` (ms since the epoch), or
/// unmutes it (`None`).
#[tauri::command]
pub(crate) async fn set_chat_muted(
    state: State<'_, AppState>,
    chat: ChatId,
    until: Option<u64>,
) -> Result<()> {
    Ok(state.client().await?.set_muted(chat, until).await?)
}

/// Puts a chat in the account's archive, or takes it out.
#[tauri::command]
pub(crate) async fn set_chat_archived(
    state: State<'_, AppState>,
    chat: ChatId,
    archived: bool,
) -> Result<()> {
    Ok(state.client().await?.set_archived(chat, archived).await?)
}

/// Searches stored messages.
#[tauri::command]
pub(crate) async fn search(state: State<'_, AppState>, query: String) -> Result<Vec<SearchHit>> {
    Ok(state.client().await?.search(&query, SEARCH_LIMIT).await?)
}

/// The account's signed-in devices.
#[tauri::command]
pub(crate) async fn devices(state: State<'_, AppState>) -> Result<Vec<Device>> {
    let devices = state.client().await?.devices().await?;
    Ok(devices.into_iter().map(Device::from).collect())
}

/// Signs another device out.
#[tauri::command]
pub(crate) async fn revoke_device(state: State<'_, AppState>, id: u64) -> Result<()> {
    Ok(state.client().await?.revoke_device(DeviceId(id)).await?)
}

/// The account's privacy settings; with `group_adds`, first sets who may add the account
/// to groups.
#[tauri::command]
pub(crate) async fn privacy(
    state: State<'_, AppState>,
    group_adds: Option<GroupAddsChoice>,
) -> Result<PrivacyView> {
    let client = state.client().await?;
    let privacy = match group_adds {
        Some(allowed) => client.set_group_adds(allowed.into()).await?,
        None => client.privacy().await?,
    };
    Ok(privacy.into())
}

/// Saves the unsent text of a chat's composer in the encrypted store ("" clears it).
#[tauri::command]
pub(crate) async fn set_draft(
    state: State<'_, AppState>,
    chat: ChatId,
    text: String,
) -> Result<()> {
    Ok(state.client().await?.set_draft(chat, &text).await?)
}

/// The chat's end-to-end encryption as this device has it (`None` until it is in the
/// chat's group): its epoch and devices, for the lock mark and the chat info.
#[tauri::command]
pub(crate) async fn chat_encryption(
    state: State<'_, AppState>,
    chat: ChatId,
) -> Result<Option<GroupState>> {
    Ok(state.client().await?.encryption(chat).await?)
}

/// The safety number with `peer`; with `verified`, first marks it verified or clears the
/// mark.
#[tauri::command]
pub(crate) async fn safety_number(
    state: State<'_, AppState>,
    peer: AccountId,
    verified: Option<bool>,
) -> Result<SafetyNumber> {
    let client = state.client().await?;
    Ok(match verified {
        Some(verified) => client.set_verified(peer, verified).await?,
        None => client.safety_number(peer).await?,
    })
}

/// Sets a new passcode on every account, or (`None`) moves their keys to the OS keychain.
#[tauri::command]
pub(crate) async fn set_passcode(
    state: State<'_, AppState>,
    passcode: Option<String>,
) -> Result<()> {
    if passcode.as_deref() == Some("") {
        return Err(Error::Invalid("a passcode cannot be empty".into()));
    }
    state.set_passcode(passcode).await
}

/// Shows or hides the message text in notifications; `hidden_text` (in the UI's language)
/// stands in for it when hidden.
#[tauri::command]
pub(crate) fn set_notification_preview(
    state: State<'_, AppState>,
    show: bool,
    hidden_text: String,
) {
    state.notifier.set_preview(show, hidden_text);
}

/// Chooses which kinds of chats notify on this device.
#[tauri::command]
pub(crate) fn set_notify_kinds(state: State<'_, AppState>, kinds: crate::notify::NotifyKinds) {
    state.notifier.set_kinds(kinds);
}

/// Labels the tray menu's items in the UI's language.
#[tauri::command]
pub(crate) fn set_tray_texts(app: AppHandle, show: String, quit: String) {
    let Some(menu) = app.try_state::<TrayMenu>() else {
        return;
    };
    if let Err(e) = menu.set_texts(&show, &quit) {
        tracing::warn!(error = %e, "cannot relabel the tray menu");
    }
}

/// The tray tooltip for `count` unread messages, in the UI's language.
#[tauri::command]
pub(crate) fn set_tray_unread(app: AppHandle, count: u64, tooltip: String) {
    if let Some(menu) = app.try_state::<TrayMenu>() {
        menu.set_unread_tooltip(&app, count, tooltip);
    }
}

/// The `wren://` links opened since the UI last asked, oldest first.
#[tauri::command]
pub(crate) fn take_deep_links(links: State<'_, DeepLinks>) -> Vec<DeepLink> {
    links.take()
}
