//! The call commands the web UI invokes: one per `Platform` method, each a thin call into
//! the client engine. What happens to a call reaches the UI as `call*` events.

use crate::error::Result;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;
use wren_core::calls::{CallId, CallInfo, Phase};
use wren_core::ChatId;

/// The call this device is in, as the UI shows it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CurrentCall {
    call: CallInfo,
    phase: Phase,
    /// The four emojis of the call's key, once known.
    emojis: Option<[&'static str; 4]>,
}

/// Calls the other member of a direct chat.
#[tauri::command]
pub(crate) async fn start_call(
    state: State<'_, AppState>,
    chat: ChatId,
    video: bool,
) -> Result<CallInfo> {
    Ok(state.client().await?.start_call(chat, video).await?)
}

/// Answers the call ringing here.
#[tauri::command]
pub(crate) async fn accept_call(state: State<'_, AppState>, call: CallId) -> Result<()> {
    Ok(state.client().await?.accept_call(call).await?)
}

/// Declines the call ringing here.
#[tauri::command]
pub(crate) async fn decline_call(state: State<'_, AppState>, call: CallId) -> Result<()> {
    Ok(state.client().await?.decline_call(call).await?)
}

/// Cancels, declines or hangs up the call.
#[tauri::command]
pub(crate) async fn hang_up(state: State<'_, AppState>, call: CallId) -> Result<()> {
    Ok(state.client().await?.hang_up(call).await?)
}

/// The call this device is in, if any.
#[tauri::command]
pub(crate) async fn current_call(state: State<'_, AppState>) -> Result<Option<CurrentCall>> {
    let client = state.client().await?;
    let Some((call, phase)) = client.current_call().await else {
        return Ok(None);
    };
    let emojis = client.call_emojis(call.id).await;
    Ok(Some(CurrentCall {
        call,
        phase,
        emojis,
    }))
}
