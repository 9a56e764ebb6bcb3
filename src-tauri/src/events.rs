//! Forwards the active account's client events to the web UI as the Tauri event
//! `wren://event`, and feeds the tray's unread count, the account list and the
//! notifications on the way, for every account.

use crate::state::AppState;
use crate::tray::Unread;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast::error::RecvError;
use wren_core::calls::{Direction, Phase};
use wren_core::{Client, ClientEvent};

/// The Tauri event carrying a `ClientEvent` (`CoreEvent` in the UI).
pub(crate) const EVENT: &str = "wren://event";

/// Starts forwarding the events of `client`, the account in slot `slot`, until it closes:
/// to the UI while the slot is active; its unread count to the tray and the account list
/// always; and notifications, which name the account when several are signed in. An
/// account the UI does not show announces its messages even while the window is in front.
pub(crate) fn forward(app: AppHandle, client: Client, slot: String) {
    let mut events = client.events();
    tauri::async_runtime::spawn(async move {
        let mut unread = match client.chats().await {
            Ok(chats) => Unread::from_chats(&chats),
            Err(_) => Unread::default(),
        };
        // Holding the client would keep its events open after the app closed or locked it.
        drop(client);
        let state = app.state::<AppState>();
        state.set_unread(&app, &slot, unread.total()).await;
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
                state.set_unread(&app, &slot, unread.total()).await;
            }
            let shown = state.is_active(&slot);
            announce(&app, &state, &slot, shown, &event).await;
            if shown {
                if let Err(e) = app.emit(EVENT, &event) {
                    tracing::warn!(error = %e, "cannot send an event to the UI");
                }
            } else if matches!(event, ClientEvent::SignedOut) {
                state.announce_slots(&app).await;
            }
        }
        tracing::info!(%slot, "client events ended");
    });
}

/// Shows the notification `event` deserves, if any.
async fn announce(app: &AppHandle, state: &AppState, slot: &str, shown: bool, event: &ClientEvent) {
    let notifier = &state.notifier;
    match event {
        ClientEvent::MessageUpserted { message }
            if notifier.worth_announcing(app, message, shown) =>
        {
            let chat = match state.client_of(slot).await {
                Some(client) => client.chat(message.chat).await.ok().flatten(),
                None => None,
            };
            let account = state.account_label(slot).await;
            notifier.on_message(app, message, chat.as_ref(), (slot, account.as_deref()));
        }
        ClientEvent::CallChanged {
            call,
            phase: Phase::Ringing,
        } if call.direction == Direction::Incoming => {
            let account = state.account_label(slot).await;
            notifier.on_incoming_call(app, call.video, shown, account.as_deref());
        }
        ClientEvent::PostAnnounced {
            channel_title,
            post,
        } => {
            let account = state.account_label(slot).await;
            notifier.on_post(app, channel_title, post, shown, account.as_deref());
        }
        _ => {}
    }
}
