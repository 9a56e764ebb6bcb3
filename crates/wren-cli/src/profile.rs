//! Opening the profile: the local passcode or OS keychain, and turning CHAT arguments
//! into chats.

use crate::secrets;
use anyhow::{anyhow, bail, Context, Result};
use std::io::IsTerminal;
use std::path::PathBuf;
use wren_core::profile::{KeySource, ProfileDir};
use wren_core::{ChatId, ChatKind, Client, ClientOptions, CoreError, KeyError};

/// The profile directory: `--profile`, else the platform's data directory.
pub(crate) fn profile_dir(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir);
    }
    let dirs = directories::ProjectDirs::from("org", "Wren", "wren")
        .ok_or_else(|| anyhow!("no home directory; pass --profile DIR"))?;
    Ok(dirs.data_dir().join("cli-profile"))
}

/// Opens the profile, asking for what its key needs.
pub(crate) async fn open(dir: PathBuf) -> Result<Client> {
    let profile = ProfileDir::new(&dir);
    let passcode = match (secrets::passcode_from_env(), profile.key_source()?) {
        (Some(passcode), _) => Some(passcode),
        (None, Some(KeySource::Passcode { .. })) => Some(secrets::prompt_passcode(false)?),
        (None, _) => None,
    };
    let options = ClientOptions {
        profile_dir: dir.clone(),
        passcode,
        device_name: device_name(),
        client_name: format!("wren-cli/{}", env!("CARGO_PKG_VERSION")),
    };
    match Client::open(options.clone()).await {
        Err(CoreError::Key(KeyError::NoKeychain(reason))) if std::io::stdin().is_terminal() => {
            eprintln!("No OS keychain ({reason}); choose a passcode for this profile.");
            let passcode = secrets::prompt_passcode(true)?;
            Ok(Client::open(ClientOptions {
                passcode: Some(passcode),
                ..options
            })
            .await?)
        }
        Err(CoreError::Key(KeyError::NoKeychain(reason))) => {
            bail!("no OS keychain ({reason}); set WREN_PASSCODE to protect this profile with a passcode")
        }
        other => other.with_context(|| format!("opening profile {}", dir.display())),
    }
}

fn device_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "computer".into());
    format!("wren-cli on {host}")
}

/// CHAT: `@username` for the direct chat with that user, or a chat id.
pub(crate) async fn resolve_chat(client: &Client, spec: &str) -> Result<ChatId> {
    if let Some(name) = spec.strip_prefix('@') {
        let name = name.to_ascii_lowercase();
        let local = client
            .chats()
            .await?
            .into_iter()
            .find(|c| c.kind == ChatKind::Direct && c.title == name);
        if let Some(chat) = local {
            return Ok(chat.id);
        }
        return Ok(client
            .open_direct(&name)
            .await
            .with_context(|| format!("opening the chat with @{name}"))?
            .id);
    }
    let id: u64 = spec
        .parse()
        .map_err(|_| anyhow!("{spec:?} is not a chat: use @username or a group id"))?;
    Ok(ChatId(id))
}
