//! The shapes the shell adds to the UI contract (`ui/src/platform/types.ts`); the core's
//! own view types already serialize as the UI expects.

use serde::Serialize;
use wren_core::{Account, DeviceInfo};

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
