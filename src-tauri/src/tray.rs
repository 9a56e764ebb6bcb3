//! The tray icon: shows the unread count, brings the window back, quits.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use wren_core::{ChatId, ClientEvent};

const TRAY_ID: &str = "wren";

/// The tray menu's items, kept to relabel them in the UI's language, and the tooltip the
/// UI gave for an unread count.
pub(crate) struct TrayMenu {
    show: MenuItem<Wry>,
    quit: MenuItem<Wry>,
    /// The count on the icon now.
    shown: AtomicU64,
    /// The UI's tooltip for one count, in its language.
    tooltip: Mutex<Option<(u64, String)>>,
}

impl TrayMenu {
    /// Relabels the items.
    pub(crate) fn set_texts(&self, show: &str, quit: &str) -> tauri::Result<()> {
        self.show.set_text(show)?;
        self.quit.set_text(quit)
    }

    /// Takes the UI's tooltip for `count` unread messages, and shows it when that is the
    /// count on the icon.
    pub(crate) fn set_unread_tooltip(&self, app: &AppHandle, count: u64, tooltip: String) {
        if let Ok(mut slot) = self.tooltip.lock() {
            *slot = Some((count, tooltip));
        }
        if self.shown.load(Ordering::Relaxed) == count {
            show_unread(app, count);
        }
    }

    /// The UI's tooltip for `count`, when it gave one for that count.
    fn tooltip_for(&self, count: u64) -> Option<String> {
        let slot = self.tooltip.lock().ok()?;
        slot.as_ref()
            .filter(|(for_count, _)| *for_count == count)
            .map(|(_, text)| text.clone())
    }
}

/// Creates the tray icon with its menu (in English until the UI gives its language).
pub(crate) fn create(app: &AppHandle) -> tauri::Result<TrayMenu> {
    let show = MenuItem::with_id(app, "show", "Show Wren", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &quit])?;
    let mut tray = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Wren")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "show" => show_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(TrayMenu {
        show,
        quit,
        shown: AtomicU64::new(0),
        tooltip: Mutex::new(None),
    })
}

/// Shows, unminimizes and focuses the main window.
pub(crate) fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let shown = window
            .show()
            .and_then(|()| window.unminimize())
            .and_then(|()| window.set_focus());
        if let Err(e) = shown {
            tracing::warn!(error = %e, "cannot show the window");
        }
    }
}

/// Unread counts per chat, kept up to date from the client's events.
#[derive(Default)]
pub(crate) struct Unread {
    per_chat: HashMap<ChatId, u64>,
}

impl Unread {
    /// Starts from the chat list.
    pub(crate) fn from_chats(chats: &[wren_core::ChatSummary]) -> Unread {
        Unread {
            per_chat: chats.iter().map(|c| (c.id, c.unread_count)).collect(),
        }
    }

    /// Applies an event; true when the total may have changed.
    pub(crate) fn apply(&mut self, event: &ClientEvent) -> bool {
        match event {
            ClientEvent::ChatUpdated { chat } => {
                self.per_chat.insert(chat.id, chat.unread_count) != Some(chat.unread_count)
            }
            ClientEvent::ChatRemoved { chat } => self.per_chat.remove(chat).is_some(),
            ClientEvent::SignedOut => {
                self.per_chat.clear();
                true
            }
            _ => false,
        }
    }

    /// Unread messages in all chats.
    pub(crate) fn total(&self) -> u64 {
        self.per_chat.values().sum()
    }
}

/// Shows the unread total on the tray icon: as its label, and in its tooltip, in the
/// UI's language once the UI has given the text for this count (English until then).
pub(crate) fn show_unread(app: &AppHandle, total: u64) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let menu = app.try_state::<TrayMenu>();
    if let Some(menu) = &menu {
        menu.shown.store(total, Ordering::Relaxed);
    }
    let localized = menu.and_then(|menu| menu.tooltip_for(total));
    let (title, tooltip) = match total {
        0 => (None, localized.unwrap_or_else(|| "Wren".into())),
        n => (
            Some(n.to_string()),
            localized.unwrap_or_else(|| format!("Wren: {n} unread")),
        ),
    };
    if let Err(e) = tray
        .set_title(title.as_deref())
        .and_then(|()| tray.set_tooltip(Some(tooltip)))
    {
        tracing::warn!(error = %e, "cannot update the tray icon");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wren_core::{ChatKind, ChatSummary, Seq};

    fn chat(id: u64, unread: u64) -> ChatSummary {
        ChatSummary {
            id: ChatId(id),
            kind: ChatKind::Direct,
            title: format!("chat {id}"),
            members: Vec::new(),
            unread_count: unread,
            unread_mentions: 0,
            read_seq: Seq(0),
            peers_read_seq: Seq(0),
            last_message: None,
            last_activity_at: 0,
            pinned: false,
            is_member: true,
            draft: String::new(),
            muted_until: None,
            archived: false,
        }
    }

    #[test]
    fn the_unread_total_follows_chat_updates_removals_and_sign_out() {
        let mut unread = Unread::from_chats(&[chat(1, 2), chat(2, 0)]);
        assert_eq!(unread.total(), 2);
        assert!(unread.apply(&ClientEvent::ChatUpdated { chat: chat(2, 3) }));
        assert_eq!(unread.total(), 5);
        assert!(!unread.apply(&ClientEvent::ChatUpdated { chat: chat(2, 3) }));
        assert!(unread.apply(&ClientEvent::ChatRemoved { chat: ChatId(1) }));
        assert_eq!(unread.total(), 3);
        assert!(unread.apply(&ClientEvent::SignedOut));
        assert_eq!(unread.total(), 0);
    }
}
