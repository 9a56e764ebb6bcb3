//! `wren://` links, reserved for joining chats and channels. Joining is not built yet: a
//! link is logged and handed to the UI as the Tauri event `wren://deep-link`.

use tauri::{AppHandle, Emitter};
use tauri_plugin_deep_link::DeepLinkExt;

/// The Tauri event carrying an opened `wren://` URL as a string.
const EVENT: &str = "wren://deep-link";

/// Registers the scheme (when `register` is set) and listens for opened links, including
/// the one the app was started with.
pub(crate) fn listen(app: &AppHandle, register: bool) {
    let links = app.deep_link();
    if register {
        #[cfg(any(target_os = "linux", windows))]
        if let Err(e) = links.register_all() {
            tracing::warn!(error = %e, "cannot register the wren:// scheme");
        }
    }
    let handle = app.clone();
    links.on_open_url(move |event| {
        for url in event.urls() {
            forward(&handle, url.as_str());
        }
    });
    if let Ok(Some(urls)) = links.get_current() {
        for url in urls {
            forward(app, url.as_str());
        }
    }
}

fn forward(app: &AppHandle, url: &str) {
    tracing::info!(%url, "wren:// link opened (joining is not built yet)");
    crate::tray::show_window(app);
    if let Err(e) = app.emit(EVENT, url) {
        tracing::warn!(error = %e, "cannot send the link to the UI");
    }
}
