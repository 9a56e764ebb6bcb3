//! [`Client`]: the engine's public face. One per profile; cheap to clone.

mod calls;
mod channels;
mod messages;
mod plans;
mod profiles;
mod sponsored;

use crate::connection::{transport, Auth, Connection, Context, Status};
use crate::content;
use crate::e2e::SafetyNumber;
use crate::error::{CoreError, KeyError, StoreError};
use crate::events::{ClientEvent, ConnectionState};
use crate::model::{Account, ChatSummary, MessageView, SearchHit};
use crate::outbox::OutboxItem;
use crate::profile::ProfileDir;
use crate::store::{Coverage, SavedSession, Store};
use ring::rand::{SecureRandom, SystemRandom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::{broadcast, watch, Mutex};
use wren_proto::rules::{self, MAX_HISTORY_PAGE};
use wren_proto::{
    AccountId, AccountInfo, ChatId, ClaimedKeyPackage, ClientMsgId, DeviceId, DeviceInfo,
    DeviceKey, GroupAdds, Privacy, Request, Response, Seq,
};
use zeroize::Zeroizing;

/// How long signing in waits for this device's encryption keys to reach the server.
const KEYS_PUBLISHED_WAIT: Duration = Duration::from_secs(15);

/// How long closing waits for the group worker to finish what it was given.
const GROUP_WORK_WAIT: Duration = Duration::from_secs(5);

/// How to open a client.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// The profile directory (one account per directory).
    pub profile_dir: PathBuf,
    /// The local passcode; `None` uses the OS keychain.
    pub passcode: Option<String>,
    /// This device's name in the account's device list.
    pub device_name: String,
    /// This program's name and version, for the server's logs.
    pub client_name: String,
}

struct Inner {
    options: ClientOptions,
    store: Store,
    events: broadcast::Sender<ClientEvent>,
    connection: Mutex<Option<Connection>>,
    me: RwLock<Option<AccountInfo>>,
    /// The user allowed signing in over `ws://` to a host other than this computer.
    insecure_allowed: AtomicBool,
    /// The call task's inputs (see [`crate::calls::task`]).
    calls: tokio::sync::mpsc::UnboundedSender<crate::calls::task::Input>,
    /// Where calls' media comes from.
    media_sources: std::sync::Mutex<crate::calls::media::MediaSources>,
}

/// The Wren client engine for one profile.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl Client {
    /// Unlocks (or creates) the profile and, if it has a session, starts syncing.
    pub async fn open(mut options: ClientOptions) -> Result<Client, CoreError> {
        let profile = ProfileDir::new(&options.profile_dir);
        // The passcode is wiped from memory once the key is derived.
        let passcode = options.passcode.take().map(Zeroizing::new);
        let store = open_store(&profile, passcode).await?;
        let session = store.session().await?;
        let (events, _) = broadcast::channel(1024);
        let (calls, call_inputs) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(crate::calls::task::run(
            store.clone(),
            events.clone(),
            call_inputs,
            calls.downgrade(),
        ));
        let client = Client {
            inner: Arc::new(Inner {
                options,
                store,
                events,
                connection: Mutex::new(None),
                me: RwLock::new(None),
                insecure_allowed: AtomicBool::new(false),
                calls,
                media_sources: std::sync::Mutex::default(),
            }),
        };
        if let Some(session) = session {
            // The display name comes with the server's answer to resuming.
            client.set_me(Some(AccountInfo {
                id: session.account,
                username: session.username.clone(),
                display_name: String::new(),
            }));
            let auth = Auth {
                me: AccountInfo {
                    id: session.account,
                    username: session.username,
                    display_name: String::new(),
                },
                device: session.device,
                token: session.token,
            };
            client.connect(&session.server_url, Some(auth)).await;
        }
        Ok(client)
    }

    /// Changes how the store's key is protected: a new passcode (which must pass
    /// [`validate_passcode`](crate::profile::validate_passcode)), or (`None`) the OS
    /// keychain. The database is re-encrypted; a crash midway loses nothing, the next
    /// open finishes or abandons the change.
    pub async fn set_passcode(&self, passcode: Option<String>) -> Result<(), CoreError> {
        let passcode = passcode.map(Zeroizing::new);
        let profile = ProfileDir::new(&self.inner.options.profile_dir);
        let key = blocking({
            let profile = profile.clone();
            move || profile.begin_key_change(passcode.as_ref().map(|p| p.as_str()))
        })
        .await?;
        self.inner.store.rekey(key).await?;
        blocking(move || profile.finish_key_change()).await?;
        Ok(())
    }

    /// The signed-in account.
    pub fn account(&self) -> Option<Account> {
        self.me_info().map(Account::from)
    }

    /// Subscribes to events for a UI.
    pub fn events(&self) -> broadcast::Receiver<ClientEvent> {
        self.inner.events.subscribe()
    }

    /// The connection's current state.
    pub async fn connection_state(&self) -> ConnectionState {
        match self.status().await {
            Some(status) => status.borrow().connection,
            None => ConnectionState::Offline,
        }
    }

    /// The server this profile uses, if it has signed in.
    pub async fn server_url(&self) -> Option<String> {
        self.inner
            .connection
            .lock()
            .await
            .as_ref()
            .map(|c| c.url().to_string())
    }

    /// Whether signing in may use an unencrypted address (`ws://`, `http://`) to a host
    /// other than this computer. Off by default: the password and the session token would
    /// cross the network readable. Only the user may turn it on, knowingly.
    pub fn allow_insecure(&self, allowed: bool) {
        self.inner
            .insecure_allowed
            .store(allowed, Ordering::Relaxed);
    }

    /// Creates an account on `server` and signs this profile in as it. An address without
    /// a scheme uses TLS; see [`websocket_url`](crate::websocket_url).
    pub async fn register(
        &self,
        server: &str,
        username: &str,
        password: &str,
    ) -> Result<Account, CoreError> {
        let username = rules::normalize_username(username);
        rules::validate_username(&username).map_err(|e| CoreError::Invalid(e.to_string()))?;
        rules::validate_password(password).map_err(|e| CoreError::Invalid(e.to_string()))?;
        self.sign_in(
            server,
            &username,
            Request::Register {
                username: username.clone(),
                password: password.into(),
                device_name: self.inner.options.device_name.clone(),
            },
        )
        .await
    }

    /// Signs this profile in to an existing account on `server`.
    pub async fn login(
        &self,
        server: &str,
        username: &str,
        password: &str,
    ) -> Result<Account, CoreError> {
        let username = rules::normalize_username(username);
        self.sign_in(
            server,
            &username,
            Request::Login {
                username: username.clone(),
                password: password.into(),
                device_name: self.inner.options.device_name.clone(),
            },
        )
        .await
    }

    async fn sign_in(
        &self,
        server: &str,
        username: &str,
        request: Request,
    ) -> Result<Account, CoreError> {
        if let Some((_, owner)) = self.inner.store.owner().await? {
            if owner != username {
                return Err(CoreError::ProfileInUse(owner));
            }
        }
        let allow_insecure = self.inner.insecure_allowed.load(Ordering::Relaxed);
        let url = transport::websocket_url(server, allow_insecure)?;
        self.connect(&url, None).await;
        let session = match self.request(request).await? {
            Response::Session(session) => session,
            other => return Err(unexpected(other)),
        };
        self.inner
            .store
            .save_session(SavedSession {
                server_url: url,
                account: session.account.id,
                username: session.account.username.clone(),
                device: session.device,
                token: session.token.clone(),
            })
            .await?;
        self.set_me(Some(session.account.clone()));
        let connection = self.inner.connection.lock().await;
        if let Some(connection) = connection.as_ref() {
            connection.signed_in(Auth {
                me: session.account.clone(),
                device: session.device,
                token: session.token,
            })?;
        }
        drop(connection);
        // Others can start end-to-end chats with this device once its keys are published:
        // signing in ends there (or, if that takes too long, goes on; the upkeep retries).
        if let Err(e) = self
            .wait_status(KEYS_PUBLISHED_WAIT, |s| s.keys_published)
            .await
        {
            tracing::warn!(error = %e, "this device's encryption keys are not published yet");
        }
        Ok(Account::from(session.account))
    }

    /// Signs this device out (revoking its token on the server when reachable).
    pub async fn logout(&self) -> Result<(), CoreError> {
        if let Err(e) = self.request(Request::Logout).await {
            tracing::warn!(error = %e, "the server did not confirm the sign-out");
        }
        self.inner.store.forget_token().await?;
        self.set_me(None);
        if let Some(connection) = self.inner.connection.lock().await.take() {
            connection.shutdown().await;
        }
        Ok(())
    }

    /// Stops syncing and closes the store.
    pub async fn close(self) {
        // A join or a group change under way is finished first (briefly), so that a
        // short-lived process does not leave its chats without this device.
        if let Err(e) = self
            .wait_status(GROUP_WORK_WAIT, |s| s.groups_pending == 0)
            .await
        {
            tracing::debug!(error = %e, "closing with encryption group work left");
        }
        if let Some(connection) = self.inner.connection.lock().await.take() {
            connection.shutdown().await;
        }
        self.inner.store.close().await;
    }

    /// Waits until the store has everything the server has (or fails after `timeout`).
    pub async fn wait_synced(&self, timeout: Duration) -> Result<(), CoreError> {
        self.wait_status(timeout, |s| {
            s.connection == ConnectionState::Online && s.caught_up
        })
        .await
    }

    /// Waits until every queued message has been stored by the server.
    pub async fn wait_outbox_empty(&self, timeout: Duration) -> Result<(), CoreError> {
        let pushed = match self.inner.connection.lock().await.as_ref() {
            Some(connection) => connection.pushed(),
            None => return Err(CoreError::NotSignedIn),
        };
        self.wait_status(timeout, |s| s.outbox == 0 && s.outbox_seen >= pushed)
            .await
    }

    /// How many messages wait in the outbox.
    pub async fn outbox_len(&self) -> usize {
        match self.status().await {
            Some(status) => status.borrow().outbox,
            None => 0,
        }
    }

    async fn wait_status(
        &self,
        timeout: Duration,
        done: impl Fn(&Status) -> bool,
    ) -> Result<(), CoreError> {
        let mut status = self.status().await.ok_or(CoreError::NotSignedIn)?;
        // The watch borrow must end before the last error can be read.
        let outcome = {
            let wait = status.wait_for(|s| done(s) || s.signed_out);
            match tokio::time::timeout(timeout, wait).await {
                Ok(Ok(s)) if s.signed_out => Err(CoreError::NotSignedIn),
                Ok(Ok(_)) => Ok(true),
                Ok(Err(_)) => Err(CoreError::Closed),
                Err(_) => Ok(false),
            }
        };
        match outcome {
            Ok(true) => Ok(()),
            Err(e) => Err(e),
            Ok(false) => {
                let last = status.borrow().last_error.clone();
                Err(CoreError::Offline(last.unwrap_or_else(|| {
                    "the server did not answer in time".into()
                })))
            }
        }
    }

    /// The chat list, pinned first, then by last activity.
    pub async fn chats(&self) -> Result<Vec<ChatSummary>, CoreError> {
        let me = self.me()?;
        Ok(self.inner.store.chats(me).await?)
    }

    /// One chat of the list.
    pub async fn chat(&self, chat: ChatId) -> Result<Option<ChatSummary>, CoreError> {
        let me = self.me()?;
        Ok(self.inner.store.chat(me, chat).await?)
    }

    /// Messages older than `before` (or the newest), newest first. Reads the store, and asks
    /// the server first when the store may be missing some of them and the server is
    /// reachable.
    pub async fn history(
        &self,
        chat: ChatId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<Vec<MessageView>, CoreError> {
        let me = self.me()?;
        let limit = limit.clamp(1, MAX_HISTORY_PAGE);
        if self.inner.store.coverage(chat, before, limit).await? == Coverage::Incomplete
            && self.connection_state().await == ConnectionState::Online
        {
            match self
                .request(Request::GetHistory {
                    chat,
                    before,
                    limit,
                })
                .await
            {
                Ok(Response::History(page)) => {
                    self.inner
                        .store
                        .store_history(chat, before, limit, page)
                        .await?;
                }
                Ok(other) => return Err(unexpected(other)),
                Err(CoreError::Offline(_) | CoreError::Timeout) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.inner.store.history(me, chat, before, limit).await?)
    }

    /// Queues a message of text as it is (links, mentions and hashtags recognized); it is
    /// saved before this returns and delivered exactly once, even across crashes and
    /// outages. [`Client::send_rich`] sends formatting.
    pub async fn send(
        &self,
        chat: ChatId,
        text: &str,
        reply_to: Option<Seq>,
    ) -> Result<MessageView, CoreError> {
        let body = content::compose(text, content::Format::Plain);
        self.send_rich(chat, content::RichText { reply_to, ..body })
            .await
    }

    /// Queues a message with its entities, reply and origin, as [`Client::send`] does.
    pub async fn send_rich(
        &self,
        chat: ChatId,
        body: content::RichText,
    ) -> Result<MessageView, CoreError> {
        check_text(&body)?;
        match self.inner.store.is_member(chat).await? {
            Some(true) => {}
            Some(false) => return Err(CoreError::NotMember(chat)),
            None => return Err(CoreError::Invalid(format!("there is no chat {chat}"))),
        }
        let item = OutboxItem::rich(chat, ClientMsgId(random_u64()?), &body);
        self.enqueue(item).await
    }

    /// Saves an item in the outbox, hands it to the connection, and tells the UI.
    async fn enqueue(&self, item: OutboxItem) -> Result<MessageView, CoreError> {
        let me = self.me()?;
        let chat = item.chat;
        let local = self.inner.store.enqueue(me, item.clone(), now_ms()).await?;
        if let Some(connection) = self.inner.connection.lock().await.as_ref() {
            connection.push_outbox(item)?;
        }
        let view = self
            .inner
            .store
            .messages(me, vec![local])
            .await?
            .pop()
            .ok_or_else(|| {
                CoreError::Invalid(format!("chat {chat} is gone: you are no longer in it"))
            })?;
        let _ = self.inner.events.send(ClientEvent::MessageUpserted {
            message: view.clone(),
        });
        if let Some(chat) = self.inner.store.chat(me, chat).await? {
            let _ = self.inner.events.send(ClientEvent::ChatUpdated { chat });
        }
        Ok(view)
    }

    /// The chat's end-to-end encryption group as this device has it, once the device is
    /// in it (`None` before): what it sends there is encrypted for the listed devices
    /// only, and it reads what they send from then on.
    pub async fn encryption(
        &self,
        chat: ChatId,
    ) -> Result<Option<crate::e2e::GroupState>, CoreError> {
        Ok(self.inner.store.group_state(chat).await?)
    }

    /// The safety number of this account and `peer`, to compare with theirs: from the
    /// keys in your direct chat's encryption group, or (no direct chat yet) the keys the
    /// server lists for both accounts' devices.
    pub async fn safety_number(&self, peer: AccountId) -> Result<SafetyNumber, CoreError> {
        let me = self.me()?;
        if peer == me {
            return Err(CoreError::Invalid(
                "a safety number is between you and someone else".into(),
            ));
        }
        let (mine, theirs, from_chat) = match self.inner.store.direct_chat_keys(me, peer).await? {
            Some((mine, theirs)) if !theirs.is_empty() => (mine, theirs, true),
            _ => (
                self.identity_keys(me).await?,
                self.identity_keys(peer).await?,
                false,
            ),
        };
        let contact_devices = theirs.len();
        let digits = crate::e2e::safety_number((me, mine), (peer, theirs));
        let stored = self.inner.store.verified_number(peer).await?;
        Ok(SafetyNumber {
            verified: stored.as_deref() == Some(digits.as_str()),
            changed: stored.is_some_and(|s| s != digits),
            digits,
            contact_devices,
            from_chat,
        })
    }

    /// Marks `peer`'s current safety number as verified (after comparing it with theirs),
    /// or clears the mark.
    pub async fn set_verified(
        &self,
        peer: AccountId,
        verified: bool,
    ) -> Result<SafetyNumber, CoreError> {
        let number = self.safety_number(peer).await?;
        self.inner
            .store
            .set_verified_number(peer, verified.then(|| number.digits.clone()))
            .await?;
        Ok(SafetyNumber {
            verified,
            changed: false,
            ..number
        })
    }

    async fn identity_keys(&self, account: AccountId) -> Result<Vec<Vec<u8>>, CoreError> {
        Ok(self
            .account_devices(account)
            .await?
            .into_iter()
            .map(|d| d.identity_key)
            .collect())
    }

    /// Replaces the text of one of this account's messages with text as it is.
    pub async fn edit(&self, chat: ChatId, seq: Seq, text: &str) -> Result<(), CoreError> {
        self.edit_rich(chat, seq, content::compose(text, content::Format::Plain))
            .await
    }

    /// Replaces the text and entities of one of this account's messages.
    pub async fn edit_rich(
        &self,
        chat: ChatId,
        seq: Seq,
        body: content::RichText,
    ) -> Result<(), CoreError> {
        check_text(&body)?;
        self.check_member(chat).await?;
        let session = self.saved_session().await?;
        let me = crate::store::Me {
            account: session.account,
            device: session.device,
        };
        let payload = self
            .inner
            .store
            .seal(me, chat, content::encode_rich(&body), now_ms())
            .await?
            .ok_or_else(|| {
                CoreError::Invalid(
                    "this chat's end-to-end encryption is still being set up on this device; \
                     try again in a moment"
                        .into(),
                )
            })?;
        self.done(Request::EditMessage { chat, seq, payload }).await
    }

    /// Deletes a message for everyone.
    pub async fn delete(&self, chat: ChatId, seq: Seq) -> Result<(), CoreError> {
        self.check_member(chat).await?;
        self.done(Request::DeleteMessage { chat, seq }).await
    }

    /// Marks a chat read up to and including `up_to`. In a chat this account is no longer
    /// a member of, only this device's mark moves.
    pub async fn mark_read(&self, chat: ChatId, up_to: Seq) -> Result<(), CoreError> {
        if self.inner.store.is_member(chat).await? == Some(false) {
            let me = self.me()?;
            self.inner.store.mark_read_locally(chat, up_to).await?;
            if let Some(chat) = self.inner.store.chat(me, chat).await? {
                let _ = self.inner.events.send(ClientEvent::ChatUpdated { chat });
            }
            return Ok(());
        }
        self.done(Request::MarkRead { chat, up_to }).await
    }

    /// Tells the other members this account is typing.
    pub async fn typing(&self, chat: ChatId) -> Result<(), CoreError> {
        self.check_member(chat).await?;
        self.done(Request::SetTyping { chat }).await
    }

    /// Finds an account by username.
    pub async fn lookup(&self, username: &str) -> Result<Account, CoreError> {
        match self
            .request(Request::LookupUser {
                username: username.into(),
            })
            .await?
        {
            Response::User(user) => Ok(Account::from(user)),
            other => Err(unexpected(other)),
        }
    }

    /// The direct chat with a user, created when it does not exist yet.
    pub async fn open_direct(&self, username: &str) -> Result<ChatSummary, CoreError> {
        let peer = self.lookup(username).await?;
        self.store_chat_answer(Request::OpenDirect { peer: peer.id })
            .await
    }

    /// A new group with this account as admin.
    pub async fn create_group(
        &self,
        title: &str,
        usernames: &[String],
    ) -> Result<ChatSummary, CoreError> {
        let title = rules::validate_title(title)
            .map_err(|e| CoreError::Invalid(format!("this group title cannot be used: {e}")))?;
        let mut members = Vec::with_capacity(usernames.len());
        for name in usernames {
            members.push(self.lookup(name).await?.id);
        }
        // The server gets no title: this device seals it once the group's encryption
        // group exists.
        let chat = self
            .store_chat_answer(Request::CreateGroup {
                title: String::new(),
                members,
            })
            .await?;
        self.seal_title(chat.id, title).await?;
        let me = self.me()?;
        self.inner
            .store
            .chat(me, chat.id)
            .await?
            .ok_or_else(|| CoreError::Protocol("the new chat was not stored".into()))
    }

    /// Shows `title` for the group here at once, and has the group worker create the
    /// group's encryption group if needed and seal the title for it.
    async fn seal_title(&self, chat: ChatId, title: &str) -> Result<(), CoreError> {
        self.inner
            .store
            .set_title_to_seal(chat, title.to_owned())
            .await?;
        if let Some(connection) = self.inner.connection.lock().await.as_ref() {
            connection.check_groups(vec![chat], true)?;
        }
        let _ = self.inner.events.send(ClientEvent::ChatUpdated {
            chat: self
                .inner
                .store
                .chat(self.me()?, chat)
                .await?
                .ok_or(CoreError::NotMember(chat))?,
        });
        Ok(())
    }

    /// Adds a user to a group (admins only).
    pub async fn add_member(&self, chat: ChatId, username: &str) -> Result<(), CoreError> {
        let account = self.lookup(username).await?.id;
        self.done(Request::AddMember { chat, account }).await
    }

    /// Removes a member from a group (admins only).
    pub async fn remove_member(&self, chat: ChatId, account: AccountId) -> Result<(), CoreError> {
        self.done(Request::RemoveMember { chat, account }).await
    }

    /// Leaves a group, and deletes it with its history from this device (as other
    /// messengers do). A group this account was removed from is only deleted here.
    pub async fn leave(&self, chat: ChatId) -> Result<(), CoreError> {
        if self.inner.store.is_member(chat).await? != Some(false) {
            self.done(Request::LeaveChat { chat }).await?;
        }
        self.inner.store.forget_chat(chat).await?;
        let _ = self.inner.events.send(ClientEvent::ChatRemoved { chat });
        Ok(())
    }

    /// Renames a group (admins only). The title follows the server's rule for names
    /// others see: 1 to [`rules::MAX_TITLE_CHARS`] characters, none of them invisible or
    /// text-reordering.
    pub async fn rename(&self, chat: ChatId, title: &str) -> Result<(), CoreError> {
        let title = rules::validate_title(title)
            .map_err(|e| CoreError::Invalid(format!("this group title cannot be used: {e}")))?;
        self.check_member(chat).await?;
        let me = self.me()?;
        if !self.inner.store.is_admin(me, chat).await? {
            return Err(CoreError::Server(wren_proto::ErrorBody::new(
                wren_proto::ErrorCode::Forbidden,
                "only admins can rename the group",
            )));
        }
        self.seal_title(chat, title).await
    }

    /// Pins or unpins a chat on all of this account's devices. The server refuses a pin
    /// past the plan's limit (with the limit); offline, the pin is kept here and sent when
    /// the device is next online.
    pub async fn set_pinned(&self, chat: ChatId, pinned: bool) -> Result<(), CoreError> {
        self.check_member(chat).await?;
        let confirmed = match self.done(Request::SetChatPinned { chat, pinned }).await {
            Ok(()) => true,
            Err(CoreError::Offline(_) | CoreError::NotSignedIn) => false,
            Err(e) => return Err(e),
        };
        self.inner.store.set_pinned(chat, pinned, confirmed).await?;
        if let Some(chat) = self.inner.store.chat(self.me()?, chat).await? {
            let _ = self.inner.events.send(ClientEvent::ChatUpdated { chat });
        }
        Ok(())
    }

    /// Mutes a chat's announcements on all of this account's devices until `until` (ms
    /// since the epoch; [`MUTED_FOR_EVER`]: for ever), or unmutes it (`None`). Its messages
    /// still arrive and count as unread; they are not announced. Needs the server.
    pub async fn set_muted(&self, chat: ChatId, until: Option<u64>) -> Result<(), CoreError> {
        self.check_member(chat).await?;
        self.change_settings(Request::SetChatMuted { chat, until })
            .await
    }

    /// Puts a chat in this account's archive (on all of its devices), or takes it out. A
    /// new message takes an archived chat out again unless it is muted. Needs the server.
    pub async fn set_archived(&self, chat: ChatId, archived: bool) -> Result<(), CoreError> {
        self.check_member(chat).await?;
        self.change_settings(Request::SetChatArchived { chat, archived })
            .await
    }

    async fn change_settings(&self, request: Request) -> Result<(), CoreError> {
        let settings = match self.request(request).await? {
            Response::ChatSettings(settings) => settings,
            other => return Err(unexpected(other)),
        };
        self.inner.store.apply_settings(settings).await?;
        if let Some(chat) = self.inner.store.chat(self.me()?, settings.chat).await? {
            let _ = self.inner.events.send(ClientEvent::ChatUpdated { chat });
        }
        Ok(())
    }

    /// Saves what the user typed in a chat's composer and has not sent (empty clears it),
    /// in the encrypted store: a draft is never kept anywhere in the clear.
    pub async fn set_draft(&self, chat: ChatId, text: &str) -> Result<(), CoreError> {
        if text.len() > rules::MAX_PAYLOAD_BYTES {
            return Err(CoreError::Invalid(format!(
                "a draft has at most {} KiB",
                rules::MAX_PAYLOAD_BYTES / 1024
            )));
        }
        Ok(self.inner.store.set_draft(chat, text.into()).await?)
    }

    /// Searches stored messages, newest first.
    pub async fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>, CoreError> {
        let me = self.me()?;
        Ok(self
            .inner
            .store
            .search(me, query.into(), limit, None)
            .await?)
    }

    /// The devices signed in to this account.
    pub async fn devices(&self) -> Result<Vec<DeviceInfo>, CoreError> {
        match self.request(Request::ListDevices).await? {
            Response::Devices(devices) => Ok(devices),
            other => Err(unexpected(other)),
        }
    }

    /// This device's MLS identity (Ed25519) public key, once it has been made (at the first
    /// sign-in of this device).
    pub async fn identity_key(&self) -> Result<Option<Vec<u8>>, CoreError> {
        let session = self.saved_session().await?;
        Ok(self.inner.store.identity_public_key(session.device).await?)
    }

    /// The devices of an account that published an MLS identity key, with that key.
    pub async fn account_devices(&self, account: AccountId) -> Result<Vec<DeviceKey>, CoreError> {
        match self
            .request(Request::ListAccountDevices { account })
            .await?
        {
            Response::AccountDevices(devices) => Ok(devices),
            other => Err(unexpected(other)),
        }
    }

    /// Takes one key package of every device of an account from the server (each is handed
    /// out once; check them with [`verify_key_package`](crate::e2e::verify_key_package)).
    pub async fn claim_key_packages(
        &self,
        account: AccountId,
    ) -> Result<Vec<ClaimedKeyPackage>, CoreError> {
        match self.request(Request::ClaimKeyPackages { account }).await? {
            Response::KeyPackages(packages) => Ok(packages),
            other => Err(unexpected(other)),
        }
    }

    /// How many one-time key packages of this device the server still holds.
    pub async fn key_package_count(&self) -> Result<u32, CoreError> {
        match self.request(Request::GetKeyPackageCount).await? {
            Response::KeyPackageCount { remaining } => Ok(remaining),
            other => Err(unexpected(other)),
        }
    }

    /// Signs another device of this account out, and removes it from the encryption group
    /// of every chat (one commit per chat).
    pub async fn revoke_device(&self, device: DeviceId) -> Result<(), CoreError> {
        self.done(Request::RevokeDevice { device }).await?;
        // Its leaves go from every chat's encryption group: what is sent from now on is
        // not for it.
        let me = self.me()?;
        let chats = self.inner.store.device_revoked(me, device).await?;
        if let Some(connection) = self.inner.connection.lock().await.as_ref() {
            connection.check_groups(chats, false)?;
        }
        Ok(())
    }

    /// This account's privacy settings, as the server keeps and enforces them.
    pub async fn privacy(&self) -> Result<Privacy, CoreError> {
        self.privacy_answer(Request::GetPrivacy).await
    }

    /// Chooses who may add this account to groups, and returns the settings now in force.
    /// With [`GroupAdds::Nobody`] the server refuses others' attempts to add this account
    /// (`Forbidden`, naming the user); groups it is already in are not affected.
    pub async fn set_group_adds(&self, allowed: GroupAdds) -> Result<Privacy, CoreError> {
        self.privacy_answer(Request::SetGroupAdds { allowed }).await
    }

    async fn privacy_answer(&self, request: Request) -> Result<Privacy, CoreError> {
        match self.request(request).await? {
            Response::Privacy(privacy) => Ok(privacy),
            other => Err(unexpected(other)),
        }
    }

    async fn store_chat_answer(&self, request: Request) -> Result<ChatSummary, CoreError> {
        let me = self.me()?;
        let info = match self.request(request).await? {
            Response::Chat(info) => info,
            other => return Err(unexpected(other)),
        };
        let id = info.id;
        self.inner.store.store_chat(info).await?;
        self.inner
            .store
            .chat(me, id)
            .await?
            .ok_or_else(|| CoreError::Protocol("the new chat was not stored".into()))
    }

    /// Refuses, without asking the server, to act in a chat this account was removed from.
    async fn check_member(&self, chat: ChatId) -> Result<(), CoreError> {
        match self.inner.store.is_member(chat).await? {
            Some(false) => Err(CoreError::NotMember(chat)),
            Some(true) | None => Ok(()),
        }
    }

    async fn done(&self, request: Request) -> Result<(), CoreError> {
        match self.request(request).await? {
            Response::Done => Ok(()),
            other => Err(unexpected(other)),
        }
    }

    async fn request(&self, request: Request) -> Result<Response, CoreError> {
        let connection = self.inner.connection.lock().await;
        let connection = connection.as_ref().ok_or(CoreError::NotSignedIn)?;
        let answer = connection.request(request);
        answer.await
    }

    /// Starts (or restarts, for another server) the connection task.
    async fn connect(&self, url: &str, auth: Option<Auth>) {
        let mut slot = self.inner.connection.lock().await;
        if slot.as_ref().is_some_and(|c| c.url() == url) {
            return;
        }
        if let Some(old) = slot.take() {
            old.shutdown().await;
        }
        *slot = Some(Connection::start(Context {
            url: url.into(),
            client_name: self.inner.options.client_name.clone(),
            store: self.inner.store.clone(),
            events: self.inner.events.clone(),
            calls: self.inner.calls.clone(),
            auth,
            seed: random_u64().unwrap_or(1),
        }));
    }

    async fn status(&self) -> Option<watch::Receiver<Status>> {
        self.inner
            .connection
            .lock()
            .await
            .as_ref()
            .map(Connection::status)
    }

    fn me_info(&self) -> Option<AccountInfo> {
        self.inner.me.read().ok().and_then(|me| me.clone())
    }

    async fn saved_session(&self) -> Result<SavedSession, CoreError> {
        self.inner
            .store
            .session()
            .await?
            .ok_or(CoreError::NotSignedIn)
    }

    fn me(&self) -> Result<AccountId, CoreError> {
        self.me_info().map(|me| me.id).ok_or(CoreError::NotSignedIn)
    }

    fn set_me(&self, me: Option<AccountInfo>) {
        if let Ok(mut slot) = self.inner.me.write() {
            *slot = me;
        }
    }
}

/// Refuses an empty, oversize or badly formatted message.
fn check_text(body: &content::RichText) -> Result<(), CoreError> {
    if body.text.trim().is_empty() {
        return Err(CoreError::Invalid("a message cannot be empty".into()));
    }
    if content::encode_rich(body).len() > rules::MAX_PAYLOAD_BYTES {
        return Err(CoreError::Invalid(format!(
            "a message has at most {} KiB",
            rules::MAX_PAYLOAD_BYTES / 1024
        )));
    }
    content::entities::validate(&body.text, &body.entities)
        .map_err(|e| CoreError::Invalid(e.to_string()))
}

/// Opens the store with the profile's key, finishing or abandoning a key change that a
/// crash interrupted.
async fn open_store(
    profile: &ProfileDir,
    passcode: Option<Zeroizing<String>>,
) -> Result<Store, CoreError> {
    let (key, pending) = blocking({
        let profile = profile.clone();
        move || {
            let passcode = passcode.as_ref().map(|p| p.as_str());
            let key = profile.unlock_or_create(passcode)?;
            let pending = profile.pending_key(passcode)?;
            Ok((key, pending))
        }
    })
    .await?;
    match (Store::open(profile.database(), key).await, pending) {
        (Ok(store), None) => Ok(store),
        (Ok(store), Some(_)) => {
            let profile = profile.clone();
            blocking(move || profile.abandon_key_change()).await?;
            Ok(store)
        }
        (Err(StoreError::WrongKey), Some(pending)) => {
            let store = Store::open(profile.database(), pending).await?;
            let profile = profile.clone();
            blocking(move || profile.finish_key_change()).await?;
            Ok(store)
        }
        (Err(e), _) => Err(e.into()),
    }
}

/// Runs key work (Argon2id, keychain, files) off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, KeyError> + Send + 'static,
) -> Result<T, CoreError> {
    Ok(tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| CoreError::Closed)??)
}

fn unexpected(answer: Response) -> CoreError {
    CoreError::Protocol(format!("unexpected answer {answer:?}"))
}

fn random_u64() -> Result<u64, CoreError> {
    let mut bytes = [0u8; 8];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| CoreError::Invalid("the system random generator failed".into()))?;
    Ok(u64::from_le_bytes(bytes))
}

/// The mute of a chat muted for ever (the latest time the store keeps).
pub const MUTED_FOR_EVER: u64 = i64::MAX as u64;

/// The wall-clock time in Unix milliseconds.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    use wren_proto::{ChatInfo, ChatKind, Member, Pts, Role, Update, UpdateEnvelope};

    fn options(dir: &std::path::Path, passcode: &str) -> ClientOptions {
        ClientOptions {
            profile_dir: dir.to_path_buf(),
            passcode: Some(passcode.into()),
            device_name: "test".into(),
            client_name: "test".into(),
        }
    }

    async fn opens(dir: &std::path::Path, passcode: &str) -> Result<(), CoreError> {
        Client::open(options(dir, passcode)).await?.close().await;
        Ok(())
    }

    #[tokio::test]
    async fn a_new_passcode_reencrypts_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let client = Client::open(options(dir.path(), "first passcode"))
            .await
            .expect("create");
        assert!(matches!(
            client.set_passcode(Some("short".into())).await,
            Err(CoreError::Key(KeyError::WeakPasscode(_)))
        ));
        client
            .set_passcode(Some("second passcode".into()))
            .await
            .expect("change");
        client.close().await;
        assert!(matches!(
            opens(dir.path(), "first passcode").await,
            Err(CoreError::Store(StoreError::WrongKey))
        ));
        opens(dir.path(), "second passcode")
            .await
            .expect("the new passcode opens it");
    }

    #[tokio::test]
    async fn a_change_interrupted_before_the_rekey_is_abandoned() {
        let dir = tempfile::tempdir().expect("tempdir");
        opens(dir.path(), "first passcode").await.expect("create");
        let profile = ProfileDir::new(dir.path());
        profile
            .begin_key_change(Some("never applied"))
            .expect("begin");
        opens(dir.path(), "first passcode")
            .await
            .expect("the old passcode still opens it");
        assert!(profile
            .pending_key(Some("never applied"))
            .expect("read")
            .is_none());
    }

    #[tokio::test]
    async fn a_change_interrupted_after_the_rekey_is_finished() {
        let dir = tempfile::tempdir().expect("tempdir");
        let client = Client::open(options(dir.path(), "first passcode"))
            .await
            .expect("create");
        let profile = ProfileDir::new(dir.path());
        let key = profile
            .begin_key_change(Some("second passcode"))
            .expect("begin");
        client.inner.store.rekey(key).await.expect("rekey");
        client.close().await;
        opens(dir.path(), "second passcode")
            .await
            .expect("the pending key opens it");
        assert!(profile
            .pending_key(Some("second passcode"))
            .expect("read")
            .is_none());
        assert!(matches!(
            opens(dir.path(), "first passcode").await,
            Err(CoreError::Store(StoreError::WrongKey))
        ));
    }

    /// A profile signed in as account 1 to a server that is not there.
    async fn signed_in(dir: &std::path::Path) -> Client {
        let client = Client::open(options(dir, "first passcode"))
            .await
            .expect("create");
        client
            .inner
            .store
            .save_session(SavedSession {
                server_url: "ws://127.0.0.1:9/ws".into(),
                account: AccountId(1),
                username: "me".into(),
                device: DeviceId(1),
                token: "token".into(),
            })
            .await
            .expect("session");
        client.close().await;
        Client::open(options(dir, "first passcode"))
            .await
            .expect("reopen")
    }

    #[tokio::test]
    async fn a_group_this_account_was_removed_from_is_read_only_and_refuses_sends_locally() {
        let dir = tempfile::tempdir().expect("tempdir");
        let client = signed_in(dir.path()).await;
        let me = AccountId(1);
        let chat = ChatId(10);
        let member = |id: u64, name: &str| Member {
            account: AccountInfo {
                id: AccountId(id),
                username: name.into(),
                display_name: String::new(),
            },
            role: Role::Member,
        };
        let info = ChatInfo {
            id: chat,
            kind: ChatKind::Group,
            title: "Plans".into(),
            members: vec![member(1, "me"), member(2, "bob")],
            last_seq: Seq(0),
            read_seq: Seq(0),
            peers_read_seq: Seq(0),
            created_at: 1,
        };
        let updates = vec![
            UpdateEnvelope {
                pts: Pts(1),
                update: Update::ChatJoined(info),
            },
            UpdateEnvelope {
                pts: Pts(2),
                update: Update::MemberRemoved {
                    chat,
                    log_seq: Seq(1),
                    account: me,
                },
            },
        ];
        client.inner.store.apply(me, updates).await.expect("apply");
        let summary = client.chat(chat).await.expect("read").expect("kept");
        assert!(!summary.is_member);

        assert!(matches!(
            client.send(chat, "hello?", None).await,
            Err(CoreError::NotMember(c)) if c == chat
        ));
        assert_eq!(client.outbox_len().await, 0);
        assert!(client
            .history(chat, None, 50)
            .await
            .expect("history")
            .is_empty());
        assert!(matches!(
            client.typing(chat).await,
            Err(CoreError::NotMember(_))
        ));
        client
            .mark_read(chat, Seq(1))
            .await
            .expect("marked on this device");

        // Deleting it needs no server either.
        let mut events = client.events();
        client.leave(chat).await.expect("delete");
        assert!(client.chat(chat).await.expect("read").is_none());
        assert_eq!(
            events.recv().await.ok(),
            Some(ClientEvent::ChatRemoved { chat })
        );
        client.close().await;
    }

    #[tokio::test]
    async fn titles_and_addresses_are_checked_before_anything_is_sent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let client = Client::open(options(dir.path(), "first passcode"))
            .await
            .expect("create");
        assert!(matches!(
            client.rename(ChatId(1), "invoice\u{202E}fdp.exe").await,
            Err(CoreError::Invalid(_))
        ));
        assert!(matches!(
            client
                .register("ws://chat.example.org", "alice", "a long password")
                .await,
            Err(CoreError::Insecure(_))
        ));
        assert!(matches!(
            client
                .login("http://10.0.0.5:8080", "alice", "a long password")
                .await,
            Err(CoreError::Insecure(_))
        ));
        client.close().await;
    }
}
