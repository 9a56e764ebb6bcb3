//! The call commands the web UI invokes: one per `Platform` method, each a thin call into
//! the client engine, the other side's pictures over a channel, and the call's
//! picture-in-picture window. What happens to a call reaches the UI as `call*` events.

use crate::error::Result;
use crate::state::AppState;
use serde::Serialize;
use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::{AppHandle, Manager, State, WebviewUrl, WebviewWindowBuilder};
use wren_core::calls::media::{Controls, MediaDeviceChoice, MediaDevices};
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

/// Sends the other side's pictures of this device's calls to the web UI over `channel`,
/// each as it arrives (the latest one wins): width and height (little-endian u16), then
/// the I420 planes. It stops when the web view is gone.
#[tauri::command]
pub(crate) async fn watch_call_video(
    state: State<'_, AppState>,
    channel: Channel<InvokeResponseBody>,
) -> Result<()> {
    let Some(mut pictures) = state.client().await?.watch_call_pictures().await else {
        return Ok(());
    };
    tauri::async_runtime::spawn(async move {
        while pictures.changed().await.is_ok() {
            let picture = pictures.borrow_and_update().clone();
            if let Some(picture) = picture {
                if channel
                    .send(InvokeResponseBody::Raw(picture.to_bytes()))
                    .is_err()
                {
                    break;
                }
            }
        }
    });
    Ok(())
}

/// The label of the call's picture-in-picture window.
const PIP: &str = "call-pip";

/// Opens the call's picture-in-picture window: small, without frame, above every other
/// window, showing the other side's picture with mute and hang-up.
#[tauri::command]
pub(crate) async fn open_call_window(app: AppHandle) -> Result<()> {
    if let Some(window) = app.get_webview_window(PIP) {
        window.show()?;
        // X11 forgets "above" across hide and show (tauri-apps/tauri#13530): say it again.
        window.set_always_on_top(true)?;
        return Ok(());
    }
    let window = WebviewWindowBuilder::new(&app, PIP, WebviewUrl::App("index.html?pip=1".into()))
        .title("Wren call")
        .inner_size(320.0, 200.0)
        .min_inner_size(200.0, 120.0)
        .decorations(false)
        .always_on_top(true)
        .skip_taskbar(true)
        .resizable(true)
        .maximizable(false)
        .build()?;
    window.set_always_on_top(true)?;
    Ok(())
}

/// Closes the picture-in-picture window and brings the main window back to the front.
#[tauri::command]
pub(crate) async fn close_call_window(app: AppHandle) -> Result<()> {
    if let Some(window) = app.get_webview_window(PIP) {
        window.close()?;
    }
    if let Some(main) = app.get_webview_window("main") {
        main.show()?;
        main.unminimize()?;
        main.set_focus()?;
    }
    Ok(())
}

/// Switches the microphone or camera of the call (`None`: unchanged); the switches now.
#[tauri::command]
pub(crate) async fn switch_call_media(
    state: State<'_, AppState>,
    muted: Option<bool>,
    camera_off: Option<bool>,
) -> Result<Controls> {
    Ok(state
        .client()
        .await?
        .switch_call_media(muted, camera_off)
        .await?)
}

/// The microphones, speakers and cameras this computer has, and which are picked.
#[tauri::command]
pub(crate) async fn list_media_devices(state: State<'_, AppState>) -> Result<MediaDevices> {
    Ok(state.client().await?.media_devices().await?)
}

/// Picks the microphone, speaker and camera (`None`: the system's default); a call in
/// progress switches at once. A device this computer does not have is `not_found`.
#[tauri::command]
pub(crate) async fn choose_media_devices(
    state: State<'_, AppState>,
    microphone: Option<String>,
    speaker: Option<String>,
    camera: Option<String>,
) -> Result<MediaDevices> {
    let choice = MediaDeviceChoice {
        microphone,
        speaker,
        camera,
    };
    Ok(state.client().await?.choose_media_devices(choice).await?)
}

/// Whether the window system lets the picture-in-picture window stay above the others:
/// not under Wayland (GTK uses it when `WAYLAND_DISPLAY` is set, unless `GDK_BACKEND`
/// asks for X11), where an app cannot keep its window on top.
#[tauri::command]
pub(crate) fn pip_stays_on_top() -> bool {
    stays_on_top(
        std::env::var_os("WAYLAND_DISPLAY").is_some(),
        std::env::var("GDK_BACKEND").ok().as_deref(),
    )
}

fn stays_on_top(wayland_display: bool, gdk_backend: Option<&str>) -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    !wayland_display || gdk_backend.is_some_and(|backend| backend.starts_with("x11"))
}

#[cfg(test)]
mod tests {
    use super::stays_on_top;

    #[test]
    #[cfg(target_os = "linux")]
    fn wayland_cannot_keep_the_small_window_on_top_x11_can() {
        assert!(stays_on_top(false, None), "X11");
        assert!(!stays_on_top(true, None), "Wayland");
        assert!(!stays_on_top(true, Some("wayland")), "Wayland asked for");
        assert!(stays_on_top(true, Some("x11")), "XWayland asked for");
    }
}
