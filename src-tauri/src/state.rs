//! The state every command shares: where the profile is, and the open client (none while
//! the profile is locked).

use crate::error::{Error, Result};
use crate::models::ProfileStatus;
use crate::notify::Notifier;
use std::path::PathBuf;
use tauri::AppHandle;
use tokio::sync::{watch, RwLock};
use wren_core::calls::media::MediaSources;
use wren_core::profile::{KeySource, ProfileDir};
use wren_core::{Client, ClientOptions, CoreError, KeyError};

/// Set (to anything): calls send a synthetic voice and test pattern.
const SYNTHETIC_MEDIA: &str = "WREN_SYNTHETIC_MEDIA";

/// Overrides the profile directory (each end-to-end test gives its app its own).
pub(crate) const PROFILE_ENV: &str = "WREN_PROFILE_DIR";
/// Pre-fills the server address on the sign-in screen.
pub(crate) const SERVER_ENV: &str = "WREN_SERVER";
/// Unlocks (or creates) the profile with this passcode without asking (headless tests).
pub(crate) const PASSCODE_ENV: &str = "WREN_PASSCODE";

/// The shell's managed state.
pub(crate) struct AppState {
    profile: ProfileDir,
    default_server: Option<String>,
    client: RwLock<Option<Client>>,
    /// Becomes true once [`AppState::start`] has opened the profile, or given up on it.
    started: watch::Sender<bool>,
    /// Shows native notifications for incoming messages.
    pub(crate) notifier: Notifier,
}

impl AppState {
    /// State for the profile in `profile_dir`, nothing opened yet.
    pub(crate) fn new(profile_dir: PathBuf, default_server: Option<String>) -> AppState {
        AppState {
            profile: ProfileDir::new(profile_dir),
            default_server,
            client: RwLock::new(None),
            started: watch::Sender::new(false),
            notifier: Notifier::default(),
        }
    }

    /// Locks a passcode profile: the client closes, so the database key leaves memory, and
    /// every command but `profile_status` and `unlock` finds the profile locked until the
    /// passcode is given again. A keychain profile cannot be locked (its key would open it
    /// again with no question): the user sets a passcode first.
    pub(crate) async fn lock(&self, app: &AppHandle) -> Result<()> {
        match self.profile.key_source() {
            Ok(Some(KeySource::Passcode { .. })) => {}
            Ok(_) => {
                return Err(Error::Invalid(
                    "set a passcode first: without one, Wren cannot be locked".into(),
                ))
            }
            Err(e) => return Err(Error::Core(e.into())),
        }
        self.close().await;
        crate::tray::show_unread(app, 0);
        tracing::info!("profile locked");
        Ok(())
    }

    /// Stops syncing and closes the store, so that the process exits with no database work
    /// under way. Commands after this find the profile locked.
    pub(crate) async fn close(&self) {
        let client = self.client.write().await.take();
        if let Some(client) = client {
            client.close().await;
        }
    }

    /// The open client, or `Locked` while the passcode has not been entered.
    pub(crate) async fn client(&self) -> Result<Client> {
        self.client.read().await.clone().ok_or(Error::Locked)
    }

    /// Opens the profile at start-up when that needs no user input: with `WREN_PASSCODE`,
    /// with a keychain key, or — for a new profile — with a new keychain key. Otherwise the
    /// profile stays locked and the lock screen asks for the passcode (for a new profile on
    /// a machine without a keychain, the passcode the user types there becomes its
    /// passcode).
    pub(crate) async fn start(&self, app: &AppHandle) {
        /// Marks the start-up done however it ends, so `status` never waits forever.
        struct Done<'a>(&'a watch::Sender<bool>);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                self.0.send_replace(true);
            }
        }
        let _done = Done(&self.started);
        self.open_at_start(app).await;
    }

    async fn open_at_start(&self, app: &AppHandle) {
        let passcode = std::env::var(PASSCODE_ENV).ok().filter(|p| !p.is_empty());
        let source = match self.profile.key_source() {
            Ok(source) => source,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the profile; staying locked");
                return;
            }
        };
        let outcome = match (passcode, source) {
            (Some(passcode), _) => self.open(app, Some(passcode)).await,
            (None, Some(KeySource::Passcode { .. })) => {
                tracing::info!("the profile has a passcode; waiting for it");
                return;
            }
            (None, Some(KeySource::Keychain { .. }) | None) => self.open(app, None).await,
        };
        match outcome {
            Ok(()) => {}
            Err(Error::Core(CoreError::Key(KeyError::NoKeychain(reason)))) => {
                tracing::warn!(%reason, "no OS keychain; the user chooses a passcode");
            }
            Err(e) => tracing::error!(error = %e, "cannot open the profile; staying locked"),
        }
    }

    /// Opens the profile with `passcode` (`None`: the OS keychain) and starts forwarding
    /// its events. Does nothing when it is already open.
    pub(crate) async fn open(&self, app: &AppHandle, passcode: Option<String>) -> Result<()> {
        let mut slot = self.client.write().await;
        if slot.is_some() {
            return Ok(());
        }
        let client = Client::open(ClientOptions {
            profile_dir: self.profile.root().to_path_buf(),
            passcode,
            device_name: format!("Wren Desktop ({})", std::env::consts::OS),
            client_name: concat!("wren-desktop/", env!("CARGO_PKG_VERSION")).into(),
        })
        .await?;
        // For tests on machines without camera and microphone (and for demos): calls send
        // the synthetic voice and test pattern.
        client.use_media_sources(if std::env::var_os(SYNTHETIC_MEDIA).is_some() {
            MediaSources::Synthetic
        } else {
            MediaSources::Devices
        });
        tracing::info!(profile = %self.profile.root().display(), "profile opened");
        crate::events::forward(app.clone(), client.clone());
        *slot = Some(client);
        Ok(())
    }

    /// What the UI shows first: sign-in, lock screen or the chats.
    /// Waits for [`AppState::start`] first, so a profile still opening is not reported as
    /// locked.
    pub(crate) async fn status(&self) -> ProfileStatus {
        let mut started = self.started.subscribe();
        if started.wait_for(|started| *started).await.is_err() {
            tracing::warn!("start-up ended without opening the profile");
        }
        let client = self.client.read().await.clone();
        let (account, server) = match &client {
            Some(client) => (client.account(), client.server_url().await),
            None => (None, None),
        };
        ProfileStatus {
            exists: self.profile.exists(),
            locked: client.is_none(),
            account,
            server_url: server.or_else(|| self.default_server.clone()),
        }
    }
}
