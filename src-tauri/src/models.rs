//! The shapes the shell adds to the UI contract (`ui/src/platform/types.ts`); the core's
//! own view types already serialize as the UI expects.

use serde::{Deserialize, Serialize};
use wren_core::{Account, DeviceInfo, GroupAdds, LastSeenVisibility, Privacy};

/// `ProfileStatus` in the UI contract.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProfileStatus {
    /// A local profile exists on this machine.
    pub(crate) exists: bool,
    /// The profile waits for its passcode.
    pub(crate) locked: bool,
    /// The signed-in account.
    pub(crate) account: Option<Account>,
    /// The profile's server, else the `WREN_SERVER` default.
    pub(crate) server_url: Option<String>,
}

/// `AccountSlot` in the UI contract: one account of the app.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountSlot {
    /// Stable on this device.
    pub(crate) id: String,
    /// Who is signed in there; `None` while a new slot is not signed in yet.
    pub(crate) account: Option<Account>,
    /// Unread messages in its chats (what the tray counts for it).
    pub(crate) unread: u64,
    /// The slot the UI shows.
    pub(crate) active: bool,
}

/// `Device` in the UI contract.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Device {
    id: u64,
    name: String,
    created_at: u64,
    last_seen_at: u64,
    current: bool,
}

impl From<DeviceInfo> for Device {
    fn from(d: DeviceInfo) -> Device {
        Device {
            id: d.id.0,
            name: d.name,
            created_at: d.created_at,
            last_seen_at: d.last_seen_at,
            current: d.current,
        }
    }
}

/// `GroupAdds` in the UI contract: who may add the account to groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum GroupAddsChoice {
    /// Anyone who knows the username.
    Everybody,
    /// Nobody.
    Nobody,
}

impl From<GroupAddsChoice> for GroupAdds {
    fn from(choice: GroupAddsChoice) -> GroupAdds {
        match choice {
            GroupAddsChoice::Everybody => GroupAdds::Everybody,
            GroupAddsChoice::Nobody => GroupAdds::Nobody,
        }
    }
}

/// `LastSeenVisibility` in the UI contract: who sees when the account is online.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum LastSeenChoice {
    /// Everyone who shares a chat.
    Everybody,
    /// People with a direct chat.
    Contacts,
    /// Nobody (and then nobody else's either).
    Nobody,
}

impl From<LastSeenChoice> for LastSeenVisibility {
    fn from(choice: LastSeenChoice) -> LastSeenVisibility {
        match choice {
            LastSeenChoice::Everybody => LastSeenVisibility::Everybody,
            LastSeenChoice::Contacts => LastSeenVisibility::Contacts,
            LastSeenChoice::Nobody => LastSeenVisibility::Nobody,
        }
    }
}

impl From<LastSeenVisibility> for LastSeenChoice {
    fn from(visibility: LastSeenVisibility) -> LastSeenChoice {
        match visibility {
            LastSeenVisibility::Everybody => LastSeenChoice::Everybody,
            LastSeenVisibility::Contacts => LastSeenChoice::Contacts,
            LastSeenVisibility::Nobody => LastSeenChoice::Nobody,
        }
    }
}

/// `Privacy` in the UI contract.
#[derive(Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PrivacyView {
    group_adds: GroupAddsChoice,
    last_seen: LastSeenChoice,
}

impl From<Privacy> for PrivacyView {
    fn from(p: Privacy) -> PrivacyView {
        PrivacyView {
            group_adds: match p.group_adds {
                GroupAdds::Everybody => GroupAddsChoice::Everybody,
                GroupAdds::Nobody => GroupAddsChoice::Nobody,
            },
            last_seen: p.last_seen.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privacy_crosses_to_the_ui_in_its_shapes() {
        let view = PrivacyView::from(Privacy {
            group_adds: GroupAdds::Nobody,
            last_seen: LastSeenVisibility::Contacts,
        });
        let json = serde_json::to_string(&view).ok();
        assert_eq!(
            json.as_deref(),
            Some(r#"{"groupAdds":"nobody","lastSeen":"contacts"}"#)
        );
        let choice: Option<GroupAddsChoice> = serde_json::from_str(r#""everybody""#).ok();
        assert_eq!(choice.map(GroupAdds::from), Some(GroupAdds::Everybody));
    }
}
