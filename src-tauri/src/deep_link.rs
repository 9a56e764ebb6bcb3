//! `wren://` links: `wren://user/NAME` opens the direct chat with a user, `wren://chat/ID`
//! a chat the user is in, `wren://channel/HANDLE` a public channel (a preview until
//! subscribed), and `wren://join/CODE` joins a channel by invite link.
//!
//! A link may arrive before the UI has loaded (the app was started by it) or while the
//! profile is locked, so links wait in [`DeepLinks`] until the UI takes them; the event
//! `linkOpened` on `wren://event` tells a running UI to take them now.

use serde::Serialize;
use std::sync::Mutex;
use tauri::{AppHandle, Emitter, Manager, Url};
use tauri_plugin_deep_link::DeepLinkExt;

/// The scheme Wren registers.
const SCHEME: &str = "wren";
/// Links kept at most while nobody takes them; older ones are dropped first.
const MAX_WAITING: usize = 16;

/// What a `wren://` link asks for (`DeepLink` in the UI contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum DeepLink {
    /// `wren://user/NAME`: the direct chat with this user.
    User {
        /// The username, without a leading `@`.
        username: String,
    },
    /// `wren://chat/ID`: a chat the user already belongs to.
    Chat {
        /// The chat's id.
        id: u64,
    },
    /// `wren://channel/HANDLE`: a public channel.
    Channel {
        /// The handle, without a leading `@`.
        handle: String,
    },
    /// `wren://join/CODE`: joining a chat or channel by invite.
    Invite {
        /// The invite code.
        code: String,
    },
    /// A link this version cannot open.
    Invalid {
        /// The link as it was given.
        url: String,
    },
}

impl DeepLink {
    /// Reads a link; anything unexpected becomes [`DeepLink::Invalid`].
    pub(crate) fn parse(raw: &str) -> DeepLink {
        let invalid = || DeepLink::Invalid {
            url: raw.chars().take(200).collect(),
        };
        let Ok(url) = Url::parse(raw) else {
            return invalid();
        };
        if url.scheme() != SCHEME {
            return invalid();
        }
        let segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        match (url.host_str(), segments.as_slice()) {
            (Some("user"), [name]) => match name.strip_prefix('@').unwrap_or(name) {
                "" => invalid(),
                name => DeepLink::User {
                    username: name.to_string(),
                },
            },
            (Some("chat"), [id]) => id
                .parse()
                .map_or_else(|_| invalid(), |id| DeepLink::Chat { id }),
            (Some("channel"), [handle]) => match handle.strip_prefix('@').unwrap_or(handle) {
                "" => invalid(),
                handle => DeepLink::Channel {
                    handle: handle.to_string(),
                },
            },
            (Some("join"), [code]) => DeepLink::Invite {
                code: (*code).to_string(),
            },
            _ => invalid(),
        }
    }
}

/// Links opened and not yet taken by the UI.
#[derive(Default)]
pub(crate) struct DeepLinks {
    waiting: Mutex<Vec<DeepLink>>,
}

impl DeepLinks {
    fn push(&self, link: DeepLink) {
        if let Ok(mut waiting) = self.waiting.lock() {
            if waiting.len() == MAX_WAITING {
                waiting.remove(0);
            }
            waiting.push(link);
        }
    }

    /// Removes and returns the waiting links, oldest first.
    pub(crate) fn take(&self) -> Vec<DeepLink> {
        self.waiting
            .lock()
            .map(|mut waiting| std::mem::take(&mut *waiting))
            .unwrap_or_default()
    }
}

/// Queues `link` for the UI without telling it: for a page about to load again, which
/// takes the waiting links as it starts (the page being left must not take it).
pub(crate) fn queue(app: &AppHandle, link: DeepLink) {
    app.state::<DeepLinks>().push(link);
}

/// Registers the scheme (when `register` is set) and listens for opened links, including
/// the one the app was started with. Needs [`DeepLinks`] managed.
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
            opened(&handle, url.as_str());
        }
    });
    if let Ok(Some(urls)) = links.get_current() {
        for url in urls {
            opened(app, url.as_str());
        }
    }
}

fn opened(app: &AppHandle, url: &str) {
    let link = DeepLink::parse(url);
    tracing::info!(?link, "wren:// link opened");
    open(app, link);
}

/// Queues `link` for the UI, brings the window forward and tells the UI to take it.
pub(crate) fn open(app: &AppHandle, link: DeepLink) {
    queue(app, link);
    crate::tray::show_window(app);
    let nudge = serde_json::json!({ "type": "linkOpened" });
    if let Err(e) = app.emit(crate::events::EVENT, nudge) {
        tracing::warn!(error = %e, "cannot tell the UI about the link");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_chat_and_join_links_are_read() {
        assert_eq!(
            DeepLink::parse("wren://user/bob"),
            DeepLink::User {
                username: "bob".into()
            }
        );
        assert_eq!(
            DeepLink::parse("wren://user/@bob/"),
            DeepLink::User {
                username: "bob".into()
            }
        );
        assert_eq!(DeepLink::parse("wren://chat/42"), DeepLink::Chat { id: 42 });
        assert_eq!(
            DeepLink::parse("wren://channel/@rust_news"),
            DeepLink::Channel {
                handle: "rust_news".into()
            }
        );
        assert_eq!(
            DeepLink::parse("wren://join/AbC123"),
            DeepLink::Invite {
                code: "AbC123".into()
            }
        );
    }

    #[test]
    fn anything_else_is_invalid_and_kept_short() {
        for raw in [
            "wren://chat/abc",
            "wren://chat/",
            "wren://user/@",
            "wren://channel/",
            "wren://user/a/b",
            "wren://settings",
            "https://user/bob",
            "not a url",
        ] {
            assert_eq!(
                DeepLink::parse(raw),
                DeepLink::Invalid { url: raw.into() },
                "{raw}"
            );
        }
        let long = format!("wren://{}", "x".repeat(500));
        assert!(
            matches!(DeepLink::parse(&long), DeepLink::Invalid { url } if url.chars().count() == 200)
        );
    }

    #[test]
    fn links_wait_in_order_until_taken_and_the_oldest_are_dropped() {
        let links = DeepLinks::default();
        for id in 0..(MAX_WAITING as u64 + 2) {
            links.push(DeepLink::Chat { id });
        }
        let taken = links.take();
        assert_eq!(taken.len(), MAX_WAITING);
        assert_eq!(taken.first(), Some(&DeepLink::Chat { id: 2 }));
        assert!(links.take().is_empty());
    }

    #[test]
    fn links_serialize_as_the_ui_expects() {
        let json = serde_json::to_value(DeepLink::User {
            username: "bob".into(),
        })
        .ok();
        assert_eq!(
            json,
            Some(serde_json::json!({ "kind": "user", "username": "bob" }))
        );
    }
}
