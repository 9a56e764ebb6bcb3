//! Forwards every client event to the web UI as the Tauri event `wren://event`, and feeds
//! the tray's unread count and the notifications on the way.

use crate::state::AppState;
use crate::tray::{self, Unread};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast::error::RecvError;
use wren_core::calls::{Direction, Phase};
use wren_core::{Client, ClientEvent};

/// The Tauri event carrying a `ClientEvent` (`CoreEvent` in the UI).
pub(crate) const EVENT: &str = "wren://event";

/// Starts forwarding `client`'s events until it closes.
pub(crate) fn forward(app: AppHandle, client: Client) {
    let mut events = client.events();
    tauri::async_runtime::spawn(async move {
        let mut unread = match client.chats().await {
            Ok(chats) => Unread::from_chats(&chats),
            Err(_) => Unread::default(),
        };
        // Holding the client would keep its events open after the app closed or locked it.
        drop(client);
        tray::show_unread(&app, unread.total());
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "the UI missed client events");
                    continue;
                }
                Err(RecvError::Closed) => break,
            };
            if unread.apply(&event) {
                tray::show_unread(&app, unread.total());
            }
            match &event {
                ClientEvent::MessageUpserted { message } => {
                    let state = app.state::<AppState>();
                    if state.notifier.worth_announcing(&app, message) {
                        let chat = match state.client().await {
                            Ok(client) => client.chat(message.chat).await.ok().flatten(),
                            Err(_) => None,
                        };
                        state.notifier.on_message(&app, message, chat.as_ref());
                    }
                }
                ClientEvent::CallChanged {
                    call,
                    phase: Phase::Ringing,
                } if call.direction == Direction::Incoming => app
                    .state::<AppState>()
                    .notifier
                    .on_incoming_call(&app, call.video),
                ClientEvent::PostAnnounced {
                    channel_title,
                    post,
                } => app
                    .state::<AppState>()
                    .notifier
                    .on_post(&app, channel_title, post),
                _ => {}
            }
            if let Err(e) = app.emit(EVENT, &event) {
                tracing::warn!(error = %e, "cannot send an event to the UI");
            }
        }
        tracing::info!("client events ended");
    });
}
