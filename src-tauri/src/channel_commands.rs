//! The channel, sponsored-message and plan commands the web UI invokes: one per
//! `Platform` method, each a thin call into the client engine.

use crate::error::Result;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;
use wren_core::{
    AccountId, BusinessProfile, CampaignId, ChannelId, ChannelInfo, DirectoryQuery, NewChannel,
    PlanInfo, Post, Seq, SponsoredAction, SponsoredMessage,
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
