//! Native notifications for new incoming messages while they are not in view (the window
//! is not focused, or they came to an account the window does not show), with the sender
//! (and the group), the account when several are signed in, and, unless hidden in the
//! settings, a preview of the text. Clicking one opens its chat in its account.
//! A muted chat, or a kind of chat switched off on this device, is not announced, except
//! for a message that mentions this account while mentions are on.

use crate::deep_link::DeepLink;
use crate::state::AppState;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::{ActiveNotification, NotificationExt};
use wren_core::{ChatId, ChatKind, ChatSummary, MessageView, Seq};

/// A message older than this when it arrives (catch-up after being offline) is not announced.
const FRESH_MS: u64 = 60_000;
/// How many announced messages are remembered, so an update of one is not announced again.
const REMEMBERED: usize = 256;
/// The longest preview, in characters.
const PREVIEW_CHARS: usize = 120;

/// Which kinds of chats notify on this device (the UI's notification switches).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NotifyKinds {
    /// Direct chats.
    pub(crate) direct: bool,
    /// Groups.
    pub(crate) groups: bool,
    /// Channels' posts.
    pub(crate) channels: bool,
    /// A message that mentions this account notifies whatever the mute and the kinds say.
    pub(crate) mentions: bool,
}

impl Default for NotifyKinds {
    fn default() -> Self {
        NotifyKinds {
            direct: true,
            groups: true,
            channels: true,
            mentions: true,
        }
    }
}

/// Decides which messages to announce, and announces them.
pub(crate) struct Notifier {
    kinds: Mutex<NotifyKinds>,
    preview: AtomicBool,
    /// The body shown instead of the text when previews are hidden, in the UI's language.
    hidden_text: Mutex<String>,
    announced: Mutex<VecDeque<(ChatId, Seq)>>,
}

impl Default for Notifier {
    fn default() -> Notifier {
        Notifier {
            kinds: Mutex::new(NotifyKinds::default()),
            preview: AtomicBool::new(true),
            hidden_text: Mutex::new("New message".into()),
            announced: Mutex::new(VecDeque::new()),
        }
    }
}

impl Notifier {
    /// Chooses which kinds of chats notify.
    pub(crate) fn set_kinds(&self, kinds: NotifyKinds) {
        tracing::info!(?kinds, "notification kinds");
        if let Ok(mut slot) = self.kinds.lock() {
            *slot = kinds;
        }
    }

    fn kinds(&self) -> NotifyKinds {
        self.kinds.lock().map(|k| *k).unwrap_or_default()
    }

    /// Shows or hides the message text in notifications; `hidden_text` stands in for it
    /// when hidden.
    pub(crate) fn set_preview(&self, show: bool, hidden_text: String) {
        tracing::info!(show, "notification preview");
        self.preview.store(show, Ordering::Relaxed);
        if let Ok(mut text) = self.hidden_text.lock() {
            *text = hidden_text;
        }
    }

    /// Whether `message` is a new incoming one, not announced yet, and not in view (the
    /// window is not focused, or the message's account is not the one it shows: `shown`
    /// false): worth looking up its chat for [`Notifier::on_message`].
    pub(crate) fn worth_announcing(
        &self,
        app: &AppHandle,
        message: &MessageView,
        shown: bool,
    ) -> bool {
        let Some(seq) = message.seq else { return false };
        !(message.outgoing
            || message.deleted
            || message.edited_at.is_some()
            || now_ms().saturating_sub(message.sent_at) > FRESH_MS
            || in_view(app, shown))
            && self.first_time(message.chat, seq)
    }

    /// Announces `message` of `chat` unless the chat is muted: in a group, titled with the
    /// group and the text after the sender's name; with `account` (when several are signed
    /// in), the title names the account it came to.
    /// Clicking it opens the chat, in account slot `slot`.
    pub(crate) fn on_message(
        &self,
        app: &AppHandle,
        message: &MessageView,
        chat: Option<&ChatSummary>,
        (slot, account): (&str, Option<&str>),
    ) {
        let (title, text) = match announcement(message, chat, self.kinds()) {
            Some(announcement) => announcement,
            None => return,
        };
        let target = ClickTarget {
            slot: slot.to_owned(),
            chat: message.chat,
        };
        self.show(app, &for_account(&title, account), &text, Some(target));
    }

    /// Announces a new post of a channel this device reads and has not muted, when it is
    /// not in view (the engine sends each live post once).
    pub(crate) fn on_post(
        &self,
        app: &AppHandle,
        channel_title: &str,
        post: &wren_core::Post,
        shown: bool,
        account: Option<&str>,
    ) {
        if !self.kinds().channels
            || now_ms().saturating_sub(post.sent_at) > FRESH_MS
            || in_view(app, shown)
        {
            return;
        }
        self.show(app, &for_account(channel_title, account), &post.text, None);
    }

    /// Announces a call that rings here when it is not in view (a call says no more than
    /// that it rings, so it is shown whatever the preview setting).
    pub(crate) fn on_incoming_call(
        &self,
        app: &AppHandle,
        video: bool,
        shown: bool,
        account: Option<&str>,
    ) {
        if in_view(app, shown) {
            return;
        }
        let body = if video {
            "Incoming video call"
        } else {
            "Incoming call"
        };
        let title = for_account("Wren", account);
        let shown = app.notification().builder().title(title).body(body).show();
        if let Err(e) = shown {
            tracing::warn!(error = %e, "cannot show a notification");
        }
    }

    /// Shows a notification titled `title`: the text, or the stand-in when previews are
    /// hidden; a click on it opens `target`.
    fn show(&self, app: &AppHandle, title: &str, text: &str, target: Option<ClickTarget>) {
        let body = if self.preview.load(Ordering::Relaxed) {
            preview(text)
        } else {
            self.hidden_text
                .lock()
                .map(|text| text.clone())
                .unwrap_or_default()
        };
        let mut builder = app.notification().builder().title(title).body(body);
        if let Some(target) = target {
            builder = builder
                .extra(EXTRA_SLOT, target.slot)
                .extra(EXTRA_CHAT, target.chat.0);
        }
        if let Err(e) = builder.show() {
            tracing::warn!(error = %e, "cannot show a notification");
        }
    }

    fn first_time(&self, chat: ChatId, seq: Seq) -> bool {
        let Ok(mut announced) = self.announced.lock() else {
            return false;
        };
        if announced.contains(&(chat, seq)) {
            return false;
        }
        if announced.len() == REMEMBERED {
            announced.pop_front();
        }
        announced.push_back((chat, seq));
        true
    }
}

/// The title and text announcing `message` of `chat`, or `None` when the chat is muted or
/// its kind switched off, and the message does not get through as a mention. People are
/// named by display name.
fn announcement(
    message: &MessageView,
    chat: Option<&ChatSummary>,
    kinds: NotifyKinds,
) -> Option<(String, String)> {
    let mention = kinds.mentions && message.mentions_me;
    let kind_on = match chat.map(|c| c.kind) {
        Some(ChatKind::Group) => kinds.groups,
        _ => kinds.direct,
    };
    match chat {
        _ if !kind_on && !mention => None,
        Some(chat) if chat.muted_until.is_some() && !mention => None,
        Some(chat) if chat.kind == ChatKind::Group => Some((
            chat.title.clone(),
            format!("{}: {}", message.sender.name(), message.text),
        )),
        _ => Some((message.sender.name().to_owned(), message.text.clone())),
    }
}

/// Where a click on a notification leads: a chat of an account slot.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ClickTarget {
    slot: String,
    chat: ChatId,
}

/// The notification's extra fields that carry its [`ClickTarget`].
const EXTRA_SLOT: &str = "wrenSlot";
const EXTRA_CHAT: &str = "wrenChat";

impl ClickTarget {
    fn of(notification: &ActiveNotification) -> Option<ClickTarget> {
        let extra = notification.extra();
        Some(ClickTarget {
            slot: extra.get(EXTRA_SLOT)?.as_str()?.to_owned(),
            chat: ChatId(extra.get(EXTRA_CHAT)?.as_u64()?),
        })
    }
}

/// Makes a click on a message's notification open its chat: the window comes forward, the
/// app switches to the account the message came to when another one is in view, and the
/// chat opens as a `wren://chat/ID` link does.
pub(crate) fn open_chats_on_click(app: &AppHandle) {
    let handle = app.clone();
    let registered = app.notification().on_action(move |performed| {
        if performed.action_id() != CLICK {
            return;
        }
        let Some(target) = performed.notification().and_then(ClickTarget::of) else {
            return;
        };
        let app = handle.clone();
        tauri::async_runtime::spawn(async move {
            tracing::info!(?target, "notification clicked");
            let state = app.state::<AppState>();
            let link = DeepLink::Chat { id: target.chat.0 };
            if state.is_active(&target.slot) {
                crate::deep_link::open(&app, link);
                return;
            }
            // The page reloads for the other account and takes the link as it starts.
            crate::deep_link::queue(&app, link);
            crate::tray::show_window(&app);
            if let Err(e) = state.switch_account(&app, &target.slot).await {
                tracing::warn!(error = %e, "cannot switch to the notification's account");
            }
        });
    });
    if let Err(e) = registered {
        tracing::warn!(error = %e, "clicks on notifications will not open chats");
    }
}

/// The action a click on the notification itself reports.
const CLICK: &str = "tap";

/// `title`, followed by the account it is for when several are signed in.
fn for_account(title: &str, account: Option<&str>) -> String {
    match account {
        Some(account) => format!("{title} → {account}"),
        None => title.to_owned(),
    }
}

/// The user sees it already: its account is the one shown and the window is in front.
fn in_view(app: &AppHandle, shown: bool) -> bool {
    shown && window_focused(app)
}

fn window_focused(app: &AppHandle) -> bool {
    app.get_webview_window("main")
        .and_then(|w| w.is_focused().ok())
        .unwrap_or(false)
}

fn preview(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(PREVIEW_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_preview_is_cut_on_a_character_boundary() {
        let text = "ش".repeat(PREVIEW_CHARS + 5);
        let out = preview(&text);
        assert_eq!(out.chars().count(), PREVIEW_CHARS + 1);
        assert!(out.ends_with('…'));
        assert_eq!(preview("hi"), "hi");
    }

    fn group(muted: bool) -> ChatSummary {
        ChatSummary {
            id: ChatId(7),
            kind: ChatKind::Group,
            title: "Trip".into(),
            members: Vec::new(),
            unread_count: 1,
            unread_mentions: 0,
            read_seq: Seq(0),
            peers_read_seq: Seq(0),
            last_message: None,
            last_activity_at: 0,
            pinned: false,
            is_member: true,
            draft: String::new(),
            muted_until: muted.then_some(u64::MAX),
            archived: false,
        }
    }

    fn message(text: &str, mentions_me: bool) -> MessageView {
        MessageView {
            chat: ChatId(7),
            seq: Some(Seq(3)),
            local_id: "3".into(),
            sender: wren_core::Account {
                id: wren_core::AccountId(2),
                username: "pia".into(),
                display_name: "Pia".into(),
            },
            outgoing: false,
            text: text.into(),
            undecryptable: false,
            reply_to: None,
            sent_at: 0,
            edited_at: None,
            deleted: false,
            state: wren_core::DeliveryState::Sent,
            call: None,
            entities: Vec::new(),
            reactions: Vec::new(),
            forwarded_from: None,
            pinned: false,
            mentions_me,
        }
    }

    #[test]
    fn mutes_and_kinds_keep_quiet_except_for_a_mention() {
        let all = NotifyKinds::default();
        let named = Some(("Trip".to_string(), "Pia: tent?".to_string()));
        assert_eq!(
            announcement(&message("tent?", false), Some(&group(false)), all),
            named
        );
        assert_eq!(
            announcement(&message("tent?", false), Some(&group(true)), all),
            None
        );
        assert_eq!(
            announcement(&message("tent?", true), Some(&group(true)), all),
            named
        );
        let no_groups = NotifyKinds {
            groups: false,
            ..all
        };
        assert_eq!(
            announcement(&message("tent?", false), Some(&group(false)), no_groups),
            None
        );
        assert_eq!(
            announcement(&message("tent?", true), Some(&group(false)), no_groups),
            named
        );
        let no_mentions = NotifyKinds {
            mentions: false,
            ..all
        };
        assert_eq!(
            announcement(&message("tent?", true), Some(&group(true)), no_mentions),
            None
        );
    }

    #[test]
    fn with_several_accounts_the_title_names_the_account() {
        assert_eq!(for_account("Carol", Some("Bob")), "Carol → Bob");
        assert_eq!(for_account("Carol", None), "Carol");
    }

    #[test]
    fn a_message_is_announced_once() {
        let notifier = Notifier::default();
        assert!(notifier.first_time(ChatId(1), Seq(2)));
        assert!(!notifier.first_time(ChatId(1), Seq(2)));
        assert!(notifier.first_time(ChatId(1), Seq(3)));
    }
}
