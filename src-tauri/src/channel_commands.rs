//! The channel, sponsored-message and plan commands the web UI invokes: one per
//! `Platform` method, each a thin call into the client engine.

use crate::error::Result;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;
use wren_core::{
    AccountId, BusinessProfile, CampaignId, ChannelAdmin, ChannelEarnings, ChannelId, ChannelInfo,
    DirectoryQuery, NewChannel, PlanInfo, Post, Seq, SponsoredAction, SponsoredMessage,
};

/// An invite link, as the UI shows it.
#[derive(Serialize)]
pub(crate) struct InviteLink {
    link: String,
}

/// The channels this account is in.
#[tauri::command]
pub(crate) async fn channels(state: State<'_, AppState>) -> Result<Vec<ChannelInfo>> {
    Ok(state.client().await?.channels().await?)
}

/// Posts of a channel stored on this device, newest first.
#[tauri::command]
pub(crate) async fn channel_posts(
    state: State<'_, AppState>,
    channel: ChannelId,
    before: Option<Seq>,
    limit: u32,
) -> Result<Vec<Post>> {
    Ok(state
        .client()
        .await?
        .channel_posts(channel, before, limit)
        .await?)
}

/// Posts of a channel fetched from the server (fresh view counts), newest first.
#[tauri::command]
pub(crate) async fn refresh_posts(
    state: State<'_, AppState>,
    channel: ChannelId,
    before: Option<Seq>,
    limit: u32,
) -> Result<Vec<Post>> {
    Ok(state
        .client()
        .await?
        .refresh_posts(channel, before, limit)
        .await?)
}

/// Public channels, most subscribers first.
#[tauri::command]
pub(crate) async fn directory(
    state: State<'_, AppState>,
    query: DirectoryQuery,
) -> Result<Vec<ChannelInfo>> {
    Ok(state.client().await?.directory(query).await?)
}

/// A public channel by handle (a preview when not subscribed).
#[tauri::command]
pub(crate) async fn find_channel(
    state: State<'_, AppState>,
    handle: String,
) -> Result<ChannelInfo> {
    Ok(state.client().await?.find_channel(&handle).await?)
}

/// The newest posts of a channel this account is not in.
#[tauri::command]
pub(crate) async fn preview_posts(
    state: State<'_, AppState>,
    channel: ChannelId,
    limit: u32,
) -> Result<Vec<Post>> {
    Ok(state.client().await?.preview_posts(channel, limit).await?)
}

/// Subscribes to a public channel.
#[tauri::command]
pub(crate) async fn subscribe(
    state: State<'_, AppState>,
    channel: ChannelId,
) -> Result<ChannelInfo> {
    Ok(state.client().await?.subscribe(channel).await?)
}

/// Joins a channel with an invite link.
#[tauri::command]
pub(crate) async fn join_channel(state: State<'_, AppState>, link: String) -> Result<ChannelInfo> {
    Ok(state.client().await?.join_channel(&link).await?)
}

/// Leaves a channel.
#[tauri::command]
pub(crate) async fn leave_channel(state: State<'_, AppState>, channel: ChannelId) -> Result<()> {
    Ok(state.client().await?.leave_channel(channel).await?)
}

/// Creates a channel owned by this account.
#[tauri::command]
pub(crate) async fn create_channel(
    state: State<'_, AppState>,
    new: NewChannel,
) -> Result<ChannelInfo> {
    Ok(state.client().await?.create_channel(new).await?)
}

/// Publishes a post; returns its position.
#[tauri::command]
pub(crate) async fn post(
    state: State<'_, AppState>,
    channel: ChannelId,
    text: String,
) -> Result<Seq> {
    Ok(state.client().await?.post(channel, &text).await?)
}

/// Reports posts that were on screen (each counted once per device).
#[tauri::command]
pub(crate) async fn report_views(
    state: State<'_, AppState>,
    channel: ChannelId,
    seqs: Vec<Seq>,
) -> Result<()> {
    Ok(state.client().await?.report_views(channel, seqs).await?)
}

/// A new invite link of a channel.
#[tauri::command]
pub(crate) async fn create_invite(
    state: State<'_, AppState>,
    channel: ChannelId,
) -> Result<InviteLink> {
    let invite = state.client().await?.create_invite(channel).await?;
    Ok(InviteLink { link: invite.link })
}

/// The sponsored message a channel shows now, if any.
#[tauri::command]
pub(crate) async fn sponsored(
    state: State<'_, AppState>,
    channel: ChannelId,
) -> Result<Option<SponsoredMessage>> {
    Ok(state.client().await?.sponsored(channel).await?)
}

/// Counts that a sponsored message was shown, clicked or reported.
#[tauri::command]
pub(crate) async fn sponsored_event(
    state: State<'_, AppState>,
    campaign: CampaignId,
    channel: ChannelId,
    action: SponsoredAction,
) -> Result<()> {
    Ok(state
        .client()
        .await?
        .sponsored_event(campaign, channel, action)
        .await?)
}

/// This account's plan and what it allows.
#[tauri::command]
pub(crate) async fn plan(state: State<'_, AppState>) -> Result<PlanInfo> {
    Ok(state.client().await?.plan().await?)
}

/// An account's business profile, if it shows one.
#[tauri::command]
pub(crate) async fn business_profile(
    state: State<'_, AppState>,
    account: AccountId,
) -> Result<Option<BusinessProfile>> {
    Ok(state.client().await?.business_profile(account).await?)
}

/// Sets this account's business profile (Business plan only).
#[tauri::command]
pub(crate) async fn set_business_profile(
    state: State<'_, AppState>,
    profile: BusinessProfile,
) -> Result<()> {
    Ok(state.client().await?.set_business_profile(profile).await?)
}

/// Replaces a post's text (owner and admins).
#[tauri::command]
pub(crate) async fn edit_post(
    state: State<'_, AppState>,
    channel: ChannelId,
    seq: Seq,
    text: String,
) -> Result<()> {
    Ok(state.client().await?.edit_post(channel, seq, &text).await?)
}

/// Deletes a post for everyone (owner and admins).
#[tauri::command]
pub(crate) async fn delete_post(
    state: State<'_, AppState>,
    channel: ChannelId,
    seq: Seq,
) -> Result<()> {
    Ok(state.client().await?.delete_post(channel, seq).await?)
}

/// Pins a post, or unpins with `None` (owner and admins).
#[tauri::command]
pub(crate) async fn pin_post(
    state: State<'_, AppState>,
    channel: ChannelId,
    seq: Option<Seq>,
) -> Result<()> {
    Ok(state.client().await?.pin_post(channel, seq).await?)
}

/// Revokes an invite link.
#[tauri::command]
pub(crate) async fn revoke_invite(
    state: State<'_, AppState>,
    channel: ChannelId,
    link: String,
) -> Result<()> {
    Ok(state.client().await?.revoke_invite(channel, &link).await?)
}

/// A channel's owner and admins.
#[tauri::command]
pub(crate) async fn channel_admins(
    state: State<'_, AppState>,
    channel: ChannelId,
) -> Result<Vec<ChannelAdmin>> {
    Ok(state.client().await?.channel_admins(channel).await?)
}

/// Makes a subscriber (by username) an admin, or an admin a subscriber (owner only).
#[tauri::command]
pub(crate) async fn set_channel_admin(
    state: State<'_, AppState>,
    channel: ChannelId,
    username: String,
    admin: bool,
) -> Result<()> {
    let client = state.client().await?;
    let account = client.lookup(username.trim_start_matches('@')).await?;
    Ok(client.set_channel_admin(channel, account.id, admin).await?)
}

/// What sponsored messages earned a channel (owner and admins).
#[tauri::command]
pub(crate) async fn channel_earnings(
    state: State<'_, AppState>,
    channel: ChannelId,
) -> Result<ChannelEarnings> {
    Ok(state.client().await?.channel_earnings(channel).await?)
}

/// The channels muted on this device.
#[tauri::command]
pub(crate) async fn muted_channels(state: State<'_, AppState>) -> Result<Vec<ChannelId>> {
    Ok(state.client().await?.muted_channels().await?)
}

/// Mutes or unmutes a channel on this device.
#[tauri::command]
pub(crate) async fn set_channel_muted(
    state: State<'_, AppState>,
    channel: ChannelId,
    muted: bool,
) -> Result<()> {
    Ok(state
        .client()
        .await?
        .set_channel_muted(channel, muted)
        .await?)
}
