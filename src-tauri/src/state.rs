//! The state every command shares: where the profile is, its account slots and their open
//! clients (none while the app is locked), and which one the UI shows.

use crate::accounts::{SlotError, SlotList};
use crate::error::{Error, Result};
use crate::models::{AccountSlot, ProfileStatus};
use crate::notify::Notifier;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::{AppHandle, Emitter};
use tokio::sync::{watch, RwLock};
use wren_core::calls::media::MediaSources;
use wren_core::profile::{KeySource, ProfileDir};
use wren_core::{Client, ClientOptions, CoreError, KeyError};
use zeroize::Zeroizing;

/// Set (to anything): calls send a synthetic voice and test pattern.
const SYNTHETIC_MEDIA: &str = "WREN_SYNTHETIC_MEDIA";

/// Overrides the profile directory (each end-to-end test gives its app its own).
pub(crate) const PROFILE_ENV: &str = "WREN_PROFILE_DIR";
/// Pre-fills the server address on the sign-in screen.
pub(crate) const SERVER_ENV: &str = "WREN_SERVER";
/// Unlocks (or creates) the profile with this passcode without asking (headless tests).
pub(crate) const PASSCODE_ENV: &str = "WREN_PASSCODE";
/// The Tauri event carrying the account slots (`AccountSlot[]` in the UI).
pub(crate) const ACCOUNTS_EVENT: &str = "wren://accounts";

fn slot_error(e: SlotError) -> Error {
    match e {
        SlotError::NotFound(_) => Error::NotFound(e.to_string()),
        SlotError::Full => Error::Invalid(e.to_string()),
        SlotError::Io(_) => Error::Io(e.to_string()),
    }
}

/// One open account: its slot id and its client.
struct OpenAccount {
    slot: String,
    client: Client,
}

/// The slots and their open clients (none while the app is locked).
struct Accounts {
    list: SlotList,
    open: Vec<OpenAccount>,
}

impl Accounts {
    fn client(&self, slot: &str) -> Option<&Client> {
        self.open.iter().find(|a| a.slot == slot).map(|a| &a.client)
    }
}

/// The shell's managed state.
pub(crate) struct AppState {
    root: PathBuf,
    default_server: Option<String>,
    accounts: RwLock<Accounts>,
    /// The active slot's id, readable without waiting (the event forwarders ask per event).
    active: watch::Sender<String>,
    /// The app's passcode while it is unlocked, for a slot added later: the database keys
    /// it opens are in memory just as long, and locking drops both.
    passcode: Mutex<Option<Zeroizing<String>>>,
    /// Unread messages per slot, as the tray counts them.
    unread: Mutex<BTreeMap<String, u64>>,
    /// Becomes true once [`AppState::start`] has opened the profile, or given up on it.
    started: watch::Sender<bool>,
    /// Shows native notifications for incoming messages.
    pub(crate) notifier: Notifier,
}

impl AppState {
    /// State for the profile in `profile_dir`, nothing opened yet.
    pub(crate) fn new(profile_dir: PathBuf, default_server: Option<String>) -> AppState {
        let list = SlotList::load(&profile_dir);
        AppState {
            active: watch::Sender::new(list.active().to_owned()),
            root: profile_dir,
            default_server,
            accounts: RwLock::new(Accounts {
                list,
                open: Vec::new(),
            }),
            passcode: Mutex::new(None),
            unread: Mutex::new(BTreeMap::new()),
            started: watch::Sender::new(false),
            notifier: Notifier::default(),
        }
    }

    fn profile(&self, slot: &str) -> ProfileDir {
        ProfileDir::new(SlotList::dir(&self.root, slot))
    }

    /// Locks a passcode profile: every client closes, so the database keys leave memory,
    /// and every command but `profile_status` and `unlock` finds the profile locked until
    /// the passcode is given again. A keychain profile cannot be locked (its key would open
    /// it again with no question): the user sets a passcode first.
    pub(crate) async fn lock(&self, app: &AppHandle) -> Result<()> {
        let slots = self.accounts.read().await.list.ids().to_vec();
        for slot in &slots {
            match self.profile(slot).key_source() {
                Ok(Some(KeySource::Passcode { .. }) | None) => {}
                Ok(Some(KeySource::Keychain { .. })) => {
                    return Err(Error::Invalid(
                        "set a passcode first: without one, Wren cannot be locked".into(),
                    ))
                }
                Err(e) => return Err(Error::Core(e.into())),
            }
        }
        self.close().await;
        crate::tray::show_unread(app, 0);
        tracing::info!("profile locked");
        Ok(())
    }

    /// Stops syncing and closes every store, so that the process exits with no database
    /// work under way, and forgets the passcode. Commands after this find the app locked.
    pub(crate) async fn close(&self) {
        let open = std::mem::take(&mut self.accounts.write().await.open);
        self.remember_passcode(None);
        self.lock_unread().clear();
        for account in open {
            account.client.close().await;
        }
    }

    fn remember_passcode(&self, passcode: Option<&str>) {
        if let Ok(mut slot) = self.passcode.lock() {
            *slot = passcode.map(|p| Zeroizing::new(p.to_owned()));
        }
    }

    fn remembered_passcode(&self) -> Option<String> {
        self.passcode
            .lock()
            .ok()
            .and_then(|p| p.as_ref().map(|p| p.to_string()))
    }

    fn lock_unread(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, u64>> {
        self.unread.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The active account's client, or `Locked` while the passcode has not been entered.
    pub(crate) async fn client(&self) -> Result<Client> {
        let accounts = self.accounts.read().await;
        accounts
            .client(accounts.list.active())
            .cloned()
            .ok_or(Error::Locked)
    }

    /// The client of slot `slot`, when it is open.
    pub(crate) async fn client_of(&self, slot: &str) -> Option<Client> {
        self.accounts.read().await.client(slot).cloned()
    }

    /// Whether `slot` is the one the UI shows.
    pub(crate) fn is_active(&self, slot: &str) -> bool {
        *self.active.borrow() == slot
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
        let active = self.active.borrow().clone();
        let source = match self.profile(&active).key_source() {
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

    /// Opens every slot with `passcode` (`None`: the OS keychain), the active one first,
    /// and starts forwarding their events. Does nothing when they are already open. A wrong
    /// passcode fails on the active slot and opens nothing; another slot that cannot be
    /// opened is logged and left closed.
    pub(crate) async fn open(&self, app: &AppHandle, passcode: Option<String>) -> Result<()> {
        let mut accounts = self.accounts.write().await;
        if !accounts.open.is_empty() {
            return Ok(());
        }
        let active = accounts.list.active().to_owned();
        let client = self.open_slot(app, &active, passcode.clone()).await?;
        accounts.open.push(OpenAccount {
            slot: active.clone(),
            client,
        });
        self.remember_passcode(passcode.as_deref());
        let others: Vec<String> = accounts
            .list
            .ids()
            .iter()
            .filter(|id| **id != active)
            .cloned()
            .collect();
        for slot in others {
            match self.open_slot(app, &slot, passcode.clone()).await {
                Ok(client) => accounts.open.push(OpenAccount { slot, client }),
                Err(e) => tracing::error!(%slot, error = %e, "cannot open an account; left closed"),
            }
        }
        Ok(())
    }

    async fn open_slot(
        &self,
        app: &AppHandle,
        slot: &str,
        passcode: Option<String>,
    ) -> Result<Client> {
        let profile = self.profile(slot);
        let client = Client::open(ClientOptions {
            profile_dir: profile.root().to_path_buf(),
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
        tracing::info!(%slot, profile = %profile.root().display(), "profile opened");
        crate::events::forward(app.clone(), client.clone(), slot.to_owned());
        Ok(client)
    }

    /// Every slot with its account and unread count, in order.
    pub(crate) async fn slots(&self) -> Result<Vec<AccountSlot>> {
        let accounts = self.accounts.read().await;
        if accounts.open.is_empty() {
            return Err(Error::Locked);
        }
        let unread = self.lock_unread();
        Ok(accounts
            .list
            .ids()
            .iter()
            .map(|id| AccountSlot {
                id: id.clone(),
                account: accounts.client(id).and_then(Client::account),
                unread: unread.get(id).copied().unwrap_or(0),
                active: id == accounts.list.active(),
            })
            .collect())
    }

    /// Records slot `slot`'s unread count; tells the tray (all slots together) and the UI
    /// when it changed.
    pub(crate) async fn set_unread(&self, app: &AppHandle, slot: &str, count: u64) {
        let total = {
            let mut unread = self.lock_unread();
            if unread.insert(slot.to_owned(), count) == Some(count) {
                return;
            }
            unread.values().sum()
        };
        crate::tray::show_unread(app, total);
        self.announce_slots(app).await;
    }

    /// Sends the slot list to the UI.
    pub(crate) async fn announce_slots(&self, app: &AppHandle) {
        if let Ok(slots) = self.slots().await {
            if let Err(e) = app.emit(ACCOUNTS_EVENT, &slots) {
                tracing::warn!(error = %e, "cannot send the account list to the UI");
            }
        }
    }

    /// How a notification names the account `slot` is signed in as, when several are.
    pub(crate) async fn account_label(&self, slot: &str) -> Option<String> {
        let accounts = self.accounts.read().await;
        let signed_in = accounts
            .open
            .iter()
            .filter(|a| a.client.account().is_some())
            .count();
        if signed_in < 2 {
            return None;
        }
        accounts
            .client(slot)
            .and_then(Client::account)
            .map(|a| a.name().to_owned())
    }

    /// Opens a new slot with the app's passcode (or a new keychain key) and makes it
    /// active; the UI shows its sign-in screen.
    pub(crate) async fn add_account(&self, app: &AppHandle) -> Result<()> {
        self.refuse_during_call().await?;
        let mut accounts = self.accounts.write().await;
        if accounts.open.is_empty() {
            return Err(Error::Locked);
        }
        let mut list = accounts.list.clone();
        let slot = list.add().map_err(slot_error)?;
        let client = self
            .open_slot(app, &slot, self.remembered_passcode())
            .await?;
        if let Err(e) = list.save(&self.root) {
            client.close().await;
            let _ = self.profile(&slot).destroy();
            return Err(slot_error(e));
        }
        accounts.open.push(OpenAccount {
            slot: slot.clone(),
            client,
        });
        accounts.list = list;
        self.active.send_replace(slot.clone());
        tracing::info!(%slot, "account slot added");
        drop(accounts);
        self.announce_slots(app).await;
        Ok(())
    }

    /// Makes `slot` active. The slot being left is removed when nobody signed in there.
    pub(crate) async fn switch_account(&self, app: &AppHandle, slot: &str) -> Result<()> {
        self.refuse_during_call().await?;
        let mut accounts = self.accounts.write().await;
        if accounts.open.is_empty() {
            return Err(Error::Locked);
        }
        let left = accounts.list.active().to_owned();
        if left == slot {
            return Ok(());
        }
        let mut list = accounts.list.clone();
        list.activate(slot).map_err(slot_error)?;
        let abandoned = accounts
            .client(&left)
            .is_some_and(|c| c.account().is_none());
        if abandoned {
            list.remove(&left);
        }
        list.save(&self.root).map_err(slot_error)?;
        accounts.list = list;
        self.active.send_replace(slot.to_owned());
        if abandoned {
            self.drop_slot(&mut accounts, &left).await;
        }
        drop(accounts);
        tracing::info!(%slot, "account switched");
        self.announce_slots(app).await;
        Ok(())
    }

    /// Signs the active account out. With other accounts signed in here, its store is
    /// deleted and the first of them becomes active; the last account stays as a
    /// signed-out profile.
    pub(crate) async fn logout(&self, app: &AppHandle) -> Result<()> {
        self.client().await?.logout().await?;
        let mut accounts = self.accounts.write().await;
        let left = accounts.list.active().to_owned();
        let others_signed_in = accounts
            .open
            .iter()
            .any(|a| a.slot != left && a.client.account().is_some());
        if others_signed_in {
            let mut list = accounts.list.clone();
            list.remove(&left);
            list.save(&self.root).map_err(slot_error)?;
            self.active.send_replace(list.active().to_owned());
            accounts.list = list;
            self.drop_slot(&mut accounts, &left).await;
            tracing::info!(slot = %left, "account signed out and its store deleted");
        }
        drop(accounts);
        self.announce_slots(app).await;
        Ok(())
    }

    /// Closes slot `slot`'s client and deletes its store and keychain entry.
    async fn drop_slot(&self, accounts: &mut Accounts, slot: &str) {
        if let Some(at) = accounts.open.iter().position(|a| a.slot == slot) {
            accounts.open.remove(at).client.close().await;
        }
        self.lock_unread().remove(slot);
        if let Err(e) = self.profile(slot).destroy() {
            tracing::error!(%slot, error = %e, "cannot delete a signed-out account's store");
        }
    }

    /// Refuses to sign the active slot in to an account another slot is signed in to.
    pub(crate) async fn refuse_second_sign_in(
        &self,
        server_url: &str,
        username: &str,
    ) -> Result<()> {
        let others: Vec<Client> = {
            let accounts = self.accounts.read().await;
            let active = accounts.list.active();
            accounts
                .open
                .iter()
                .filter(|a| a.slot != active)
                .map(|a| a.client.clone())
                .collect()
        };
        let wanted = username.trim().trim_start_matches('@');
        let server = server_url.trim().trim_end_matches('/');
        for client in others {
            let Some(account) = client.account() else {
                continue;
            };
            let same_server = client
                .server_url()
                .await
                .is_some_and(|url| url.trim_end_matches('/') == server);
            if same_server && account.username.eq_ignore_ascii_case(wanted) {
                return Err(Error::AlreadySignedIn(format!(
                    "@{} is signed in to this app already",
                    account.username
                )));
            }
        }
        Ok(())
    }

    async fn refuse_during_call(&self) -> Result<()> {
        match self.client().await {
            Ok(client) if client.current_call().await.is_some() => {
                Err(Error::Busy("end the call first".into()))
            }
            _ => Ok(()),
        }
    }

    /// Sets a new passcode on every account, or (`None`) moves their keys to the OS
    /// keychain.
    pub(crate) async fn set_passcode(&self, passcode: Option<String>) -> Result<()> {
        let clients: Vec<Client> = {
            let accounts = self.accounts.read().await;
            if accounts.open.is_empty() {
                return Err(Error::Locked);
            }
            accounts.open.iter().map(|a| a.client.clone()).collect()
        };
        for client in clients {
            client.set_passcode(passcode.clone()).await?;
        }
        self.remember_passcode(passcode.as_deref());
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
        let (client, active) = {
            let accounts = self.accounts.read().await;
            let active = accounts.list.active().to_owned();
            (accounts.client(&active).cloned(), active)
        };
        let (account, server) = match &client {
            Some(client) => (client.account(), client.server_url().await),
            None => (None, None),
        };
        ProfileStatus {
            exists: self.profile(&active).exists(),
            locked: client.is_none(),
            account,
            server_url: server.or_else(|| self.default_server.clone()),
        }
    }
}
