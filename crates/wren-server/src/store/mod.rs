//! Server storage behind a trait, so that request handling does not know the backend.
//!
//! Writes are queued in call order and applied by one writer with group commit; each
//! committed write hands its account-log updates to an [`UpdateSink`] in commit order, which
//! is what keeps live pushes in `pts` order. Reads run concurrently.

mod channels;
mod error;
#[cfg(test)]
pub(crate) mod pg_cluster;
pub(crate) mod postgres;
pub(crate) mod sql;
pub(crate) mod sql_store;
pub(crate) mod sqlite;
#[cfg(test)]
pub(crate) mod suite;

pub(crate) use channels::{ChannelOp, ChannelOutcome, ChannelSettings};

pub use error::OpenStoreError;
pub(crate) use error::StoreError;

use async_trait::async_trait;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::oneshot;
use wren_proto::{
    AccountId, AccountInfo, BusinessProfile, CampaignId, CampaignReport, ChannelEarnings,
    ChannelId, ChannelInfo, ChannelPosts, ChannelPush, ChatId, ChatInfo, ClaimedKeyPackage,
    ClientMsgId, DeviceId, DeviceInfo, DeviceKey, Difference, DirectoryQuery, GroupAdds, Message,
    NewCampaign, PlanInfo, Privacy, Pts, Seq, SponsoredAction, SponsoredMessage, Update,
};

/// A device being signed in: its name and the SHA-256 of its token.
#[derive(Clone, Debug)]
pub(crate) struct NewDevice {
    /// The name shown in the device list.
    pub(crate) name: String,
    /// SHA-256 of the bearer token.
    pub(crate) token_hash: [u8; 32],
}

/// A state change, applied atomically by the writer.
#[derive(Clone, Debug)]
pub(crate) enum WriteOp {
    /// Create an account with its first device.
    Register {
        /// Normalized, validated username.
        username: String,
        /// Argon2id PHC string.
        password_hash: String,
        /// The first device.
        device: NewDevice,
    },
    /// Sign a new device in to an existing account.
    AddDevice {
        /// The account.
        account: AccountId,
        /// The device.
        device: NewDevice,
    },
    /// Find the live device with this token hash and mark it seen.
    Resume {
        /// SHA-256 of the bearer token.
        token_hash: [u8; 32],
    },
    /// Revoke a device of `account`.
    RevokeDevice {
        /// The caller's account.
        account: AccountId,
        /// The device to revoke.
        device: DeviceId,
    },
    /// Find or create the direct chat of two accounts.
    OpenDirect {
        /// The caller.
        me: AccountId,
        /// The other person.
        peer: AccountId,
    },
    /// Create a group with `creator` as admin.
    CreateGroup {
        /// The caller.
        creator: AccountId,
        /// Validated, trimmed title.
        title: String,
        /// Other initial members.
        members: Vec<AccountId>,
    },
    /// Add a member to a group.
    AddMember {
        /// The caller.
        actor: AccountId,
        /// The group.
        chat: ChatId,
        /// Who to add.
        account: AccountId,
    },
    /// Remove a member from a group (`account == actor` means leaving).
    RemoveMember {
        /// The caller.
        actor: AccountId,
        /// The group.
        chat: ChatId,
        /// Who to remove.
        account: AccountId,
    },
    /// Rename a group.
    RenameChat {
        /// The caller.
        actor: AccountId,
        /// The group.
        chat: ChatId,
        /// Validated, trimmed title.
        title: String,
    },
    /// Append a message to a chat (idempotent on sender and client message id).
    SendMessage {
        /// The caller.
        sender: AccountId,
        /// The chat.
        chat: ChatId,
        /// The sender's idempotency key.
        client_msg_id: ClientMsgId,
        /// The content.
        payload: Vec<u8>,
        /// The MLS epoch the payload was encrypted in; `None` for a plaintext payload.
        epoch: Option<u64>,
        /// The message replied to.
        reply_to: Option<Seq>,
    },
    /// Replace a message's payload.
    EditMessage {
        /// The caller.
        editor: AccountId,
        /// The chat.
        chat: ChatId,
        /// The message.
        seq: Seq,
        /// The new content.
        payload: Vec<u8>,
        /// The MLS epoch the payload was encrypted in; `None` for a plaintext payload.
        epoch: Option<u64>,
    },
    /// Delete a message for everyone.
    DeleteMessage {
        /// The caller.
        actor: AccountId,
        /// The chat.
        chat: ChatId,
        /// The message.
        seq: Seq,
    },
    /// Move the caller's read mark forward.
    MarkRead {
        /// The caller.
        reader: AccountId,
        /// The chat.
        chat: ChatId,
        /// The position read up to.
        up_to: Seq,
    },
    /// Delete update-log rows more than `keep` behind their account's newest `pts` (a
    /// client that far behind is told to start over, so nobody can ask for them), going
    /// through the accounts after `after` by id and stopping after `batch` rows, so that
    /// pruning never holds the writer for long. Answers [`WriteOutcome::Pruned`].
    PruneUpdates {
        /// How many of each account's newest updates to keep.
        keep: u64,
        /// Start with the accounts after this one (`AccountId(0)`: from the first).
        after: AccountId,
        /// The most rows one op deletes.
        batch: u64,
    },
    /// Change who sees the account's online status and last seen time.
    SetLastSeen {
        /// The caller.
        account: AccountId,
        /// The new setting.
        visibility: wren_proto::LastSeenVisibility,
    },
    /// The account's last connection closed at `at` (ms since the epoch).
    Seen {
        /// Whose.
        account: AccountId,
        /// When.
        at: u64,
    },
    /// Change who may add the account to groups.
    SetGroupAdds {
        /// The caller.
        account: AccountId,
        /// The new setting.
        allowed: GroupAdds,
    },
    /// Set a live device's identity key, once (the same key again is a no-op).
    SetIdentityKey {
        /// The caller's account.
        account: AccountId,
        /// The caller's device.
        device: DeviceId,
        /// The Ed25519 public key.
        key: [u8; 32],
    },
    /// Add key packages to a live device's pool (checked for size and count by the
    /// handler; the pool limit is checked here). Answers [`WriteOutcome::KeyPackageCount`].
    UploadKeyPackages {
        /// The caller's account.
        account: AccountId,
        /// The caller's device.
        device: DeviceId,
        /// The packages, in the order they are to be handed out.
        packages: Vec<Vec<u8>>,
        /// The device's new last-resort package, if any.
        last_resort: Option<Vec<u8>>,
    },
    /// Take one key package of every live device of `account` that has an identity key.
    /// Answers [`WriteOutcome::KeyPackages`].
    ClaimKeyPackages {
        /// Whose devices.
        account: AccountId,
    },
    /// Accept a chat's MLS commit if it was made in the group's current epoch (framing
    /// already checked). Answers [`WriteOutcome::CommitAccepted`].
    PublishCommit {
        /// The caller, a member.
        account: AccountId,
        /// The chat.
        chat: ChatId,
        /// The epoch the commit was made in.
        epoch: u64,
        /// The serialized commit.
        commit: Vec<u8>,
        /// The group info of the epoch the commit starts.
        group_info: Vec<u8>,
        /// The Welcome for the devices it adds.
        welcome: Option<Vec<u8>>,
    },
    /// Set a group's sealed title (admins only) if it was sealed in the group's current
    /// epoch. Answers [`WriteOutcome::Done`].
    SealTitle {
        /// The caller, an admin.
        actor: AccountId,
        /// The group.
        chat: ChatId,
        /// The epoch whose exported key sealed it.
        epoch: u64,
        /// The sealed title.
        sealed: Vec<u8>,
        /// A new title; `false`: sealed again, refused if one is sealed for `epoch`.
        rename: bool,
    },
    /// A write to channels.
    Channel(ChannelOp),
    /// Set an account's display name and bio, and tell everyone it shares a chat with.
    SetProfile {
        /// Whose.
        account: AccountId,
        /// Checked display name ("" for none).
        display_name: String,
        /// Checked bio ("" for none).
        bio: String,
    },
    /// Replace an account's chat folders (checked) for all of its devices.
    SetFolders {
        /// Whose.
        account: AccountId,
        /// In tab order.
        folders: Vec<wren_proto::Folder>,
    },
    /// Change a member's settings of a chat (muted, archived) for all of its devices.
    ChangeChatSettings {
        /// The member.
        account: AccountId,
        /// The chat.
        chat: ChatId,
        /// What changes.
        change: crate::store::sql::SettingsChange,
    },
    /// Pin or unpin a chat for all of a member's devices (within its plan's limit).
    SetChatPinned {
        /// The member.
        account: AccountId,
        /// The chat.
        chat: ChatId,
        /// Pinned or not.
        pinned: bool,
    },
    /// Set an account's business profile (Business plan only).
    SetBusinessProfile {
        /// Whose.
        account: AccountId,
        /// The validated profile.
        profile: BusinessProfile,
    },
    /// Start a campaign. Answers [`WriteOutcome::Campaign`].
    CreateCampaign {
        /// Who pays for it.
        advertiser: AccountId,
        /// The validated campaign.
        campaign: NewCampaign,
    },
    /// Stop one of the advertiser's campaigns.
    StopCampaign {
        /// Who pays for it.
        advertiser: AccountId,
        /// The campaign.
        campaign: CampaignId,
    },
    /// Count a sponsored message's impression, click or report. `reader` only decides
    /// whether the channel shows it sponsored messages; it is written nowhere.
    SponsoredEvent {
        /// Who saw it.
        reader: AccountId,
        /// The campaign.
        campaign: CampaignId,
        /// Where.
        channel: ChannelId,
        /// What happened.
        action: SponsoredAction,
        /// The server's eligibility threshold.
        min_subscribers: u64,
    },
}

impl WriteOp {
    /// A stable short name for metrics.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            WriteOp::Channel(ChannelOp::Create { .. }) => "create_channel",
            WriteOp::Channel(ChannelOp::Subscribe { .. } | ChannelOp::JoinByInvite { .. }) => {
                "subscribe"
            }
            WriteOp::Channel(ChannelOp::Leave { .. }) => "leave_channel",
            WriteOp::Channel(ChannelOp::Publish { .. }) => "publish_post",
            WriteOp::Channel(ChannelOp::Change { .. } | ChannelOp::Pin { .. }) => "change_post",
            WriteOp::Channel(
                ChannelOp::CreateInvite { .. }
                | ChannelOp::RevokeInvite { .. }
                | ChannelOp::SetAdmin { .. },
            ) => "channel_settings",
            WriteOp::Channel(ChannelOp::RecordViews { .. }) => "record_views",
            WriteOp::SendMessage { .. } => "send_message",
            _ => "other",
        }
    }
}

/// One account's last seen time as a viewer may know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SeenBy {
    /// Whose.
    pub(crate) account: AccountId,
    /// Whether its privacy lets the viewer know.
    pub(crate) shown: bool,
    /// When its last connection closed (ms since the epoch; 0: never).
    pub(crate) last_seen: u64,
}

/// What a committed write returns to its caller.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum WriteOutcome {
    /// A device is signed in.
    SignedIn {
        /// The account.
        account: AccountInfo,
        /// The device.
        device: DeviceId,
        /// The account's newest `pts`.
        pts: Pts,
    },
    /// A chat as the caller now sees it.
    Chat(ChatInfo),
    /// Where a message is stored.
    Sent {
        /// The chat.
        chat: ChatId,
        /// Its position.
        seq: Seq,
        /// When it was stored.
        sent_at: u64,
        /// False when this was a resend answered with the original position.
        fresh: bool,
    },
    /// Done, nothing to return.
    Done,
    /// What one [`WriteOp::PruneUpdates`] did.
    Pruned {
        /// Rows deleted.
        deleted: u64,
        /// Where the next op continues; `None` once every account is done.
        resume_after: Option<AccountId>,
    },
    /// The account's privacy settings after the change.
    Privacy(Privacy),
    /// A member's settings of a chat, as they are now.
    ChatSettings(wren_proto::ChatSettings),
    /// An account's chat folders, as they are now.
    Folders(Vec<wren_proto::Folder>),
    /// Key packages left in a device's pool.
    KeyPackageCount(u32),
    /// One claimed key package per device.
    KeyPackages(Vec<ClaimedKeyPackage>),
    /// A commit was accepted.
    CommitAccepted {
        /// The group's new epoch.
        epoch: u64,
        /// The commit's position in the chat's log.
        log_seq: Seq,
    },
    /// What a channel write did.
    Channel(ChannelOutcome),
    /// A campaign as its advertiser sees it.
    Campaign(CampaignReport),
}

/// One page of an account's chats.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ChatPage {
    /// By ascending id.
    pub(crate) chats: Vec<ChatInfo>,
    /// Whether more chats follow the last one.
    pub(crate) more: bool,
}

/// A device found by its token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TokenOwner {
    /// The account.
    pub(crate) account: AccountId,
    /// The device.
    pub(crate) device: DeviceId,
}

/// One account-log update to push to the account's online devices.
#[derive(Clone, Debug)]
pub(crate) struct Delivery {
    /// Whose log it was appended to.
    pub(crate) account: AccountId,
    /// Its position in that log.
    pub(crate) pts: Pts,
    /// The update, shared by every recipient.
    pub(crate) update: Arc<Update>,
}

/// Receives the updates of every committed write, in commit order.
pub(crate) trait UpdateSink: Send + Sync {
    /// Called once per committed write with its updates; must not block.
    fn publish(&self, deliveries: &[Delivery]);
    /// Called once per group commit with the number of writes it applied.
    fn committed(&self, writes: usize);
    /// Called once per committed write that changed a channel's posts; must not block.
    fn publish_channel(&self, push: &Arc<ChannelPush>);
    /// Called once per committed write with the rows it inserted, changed or deleted.
    fn rows_written(&self, op: &'static str, rows: u64);
}

/// An account's stored credentials.
#[derive(Clone, Debug)]
pub(crate) struct Credentials {
    /// The account.
    pub(crate) account: AccountInfo,
    /// Argon2id PHC string.
    pub(crate) password_hash: String,
}

/// A queued write; resolves when it is committed (or refused).
#[derive(Debug)]
pub(crate) struct WriteTicket(oneshot::Receiver<Result<WriteOutcome, StoreError>>);

impl WriteTicket {
    /// A ticket and the sender that completes it.
    pub(crate) fn new() -> (oneshot::Sender<Result<WriteOutcome, StoreError>>, Self) {
        let (tx, rx) = oneshot::channel();
        (tx, WriteTicket(rx))
    }
}

impl Future for WriteTicket {
    type Output = Result<WriteOutcome, StoreError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|r| r.unwrap_or(Err(StoreError::Closed)))
    }
}

/// Everything request handling needs from storage.
#[async_trait]
pub(crate) trait Store: Send + Sync {
    /// Queues `op`, waiting while the write queue is full (that wait is the back-pressure
    /// on connections); writes submitted in order are applied in order. The ticket
    /// resolves once the write is durably committed.
    async fn submit(&self, op: WriteOp) -> WriteTicket;
    /// Queues `op` and waits for its commit.
    async fn write(&self, op: WriteOp) -> Result<WriteOutcome, StoreError> {
        self.submit(op).await.await
    }
    /// The live device whose token has this SHA-256, if any.
    async fn token_owner(&self, token_hash: [u8; 32]) -> Result<Option<TokenOwner>, StoreError>;
    /// The account's privacy settings.
    async fn privacy(&self, account: AccountId) -> Result<Privacy, StoreError>;
    /// The credentials of a (normalized) username.
    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError>;
    /// The account's newest `pts`.
    async fn pts(&self, account: AccountId) -> Result<Pts, StoreError>;
    /// The account's live devices, `current` flagged.
    async fn devices(
        &self,
        account: AccountId,
        current: DeviceId,
    ) -> Result<Vec<DeviceInfo>, StoreError>;
    /// How many key packages are left in a device's pool.
    async fn key_package_count(&self, device: DeviceId) -> Result<u32, StoreError>;
    /// The live devices of an account that have an identity key, by id (`NotFound` for an
    /// unknown account).
    async fn device_keys(&self, account: AccountId) -> Result<Vec<DeviceKey>, StoreError>;
    /// The MLS epoch and group info of a chat the account is in (a rejection otherwise).
    async fn group_info(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<(u64, Option<Vec<u8>>), StoreError>;
    /// The newest sealed title of a group the account is in (a rejection otherwise): the
    /// epoch that sealed it and the sealed bytes.
    async fn sealed_title(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<Option<(u64, Vec<u8>)>, StoreError>;
    /// An account by (normalized) username.
    async fn lookup_user(&self, username: &str) -> Result<Option<AccountInfo>, StoreError>;
    /// The account's chats with ids above `after`, by ascending id, cut to fit a frame.
    async fn chats(
        &self,
        account: AccountId,
        after: Option<ChatId>,
    ) -> Result<ChatPage, StoreError>;
    /// One chat the account is in (a rejection otherwise).
    async fn chat(&self, account: AccountId, chat: ChatId) -> Result<ChatInfo, StoreError>;
    /// A channel the account is in, or a public one (`NotFound` otherwise).
    async fn channel(
        &self,
        account: AccountId,
        channel: ChannelId,
    ) -> Result<ChannelInfo, StoreError>;
    /// A public channel by handle (`NotFound` otherwise).
    async fn channel_by_handle(
        &self,
        account: AccountId,
        handle: String,
    ) -> Result<ChannelInfo, StoreError>;
    /// The channels the account is in, by id.
    async fn my_channels(&self, account: AccountId) -> Result<Vec<ChannelInfo>, StoreError>;
    /// The account's plan now.
    async fn plan(&self, account: AccountId) -> Result<PlanInfo, StoreError>;
    /// The account's pinned chats, in the order they were pinned.
    async fn pinned_chats(&self, account: AccountId) -> Result<Vec<ChatId>, StoreError>;
    /// What `viewer` may know of each account's presence: whether it is shown to them, and
    /// when it was last seen (0: never); in the order asked, unknown accounts left out.
    async fn presence(
        &self,
        viewer: AccountId,
        accounts: Vec<AccountId>,
    ) -> Result<Vec<SeenBy>, StoreError>;
    /// Who may see `account`'s presence among those who share a chat with it.
    async fn presence_audience(&self, account: AccountId) -> Result<Vec<AccountId>, StoreError>;
    /// The account's chat folders, in tab order.
    async fn folders(&self, account: AccountId) -> Result<Vec<wren_proto::Folder>, StoreError>;
    /// The account's chats whose settings (muted, archived) are not the defaults.
    async fn chat_settings(
        &self,
        account: AccountId,
    ) -> Result<Vec<wren_proto::ChatSettings>, StoreError>;
    /// An account's profile, if the account exists.
    async fn profile(&self, account: AccountId) -> Result<Option<wren_proto::Profile>, StoreError>;
    /// An account's business profile while its plan is Business.
    async fn business_profile(
        &self,
        account: AccountId,
    ) -> Result<Option<BusinessProfile>, StoreError>;
    /// The sponsored message a channel shows `reader` now, if any.
    async fn sponsored(
        &self,
        reader: AccountId,
        channel: ChannelId,
        min_subscribers: u64,
    ) -> Result<Option<SponsoredMessage>, StoreError>;
    /// The advertiser's campaigns, newest first.
    async fn campaigns(&self, advertiser: AccountId) -> Result<Vec<CampaignReport>, StoreError>;
    /// What sponsored messages earned a channel (owner and admins).
    async fn channel_earnings(
        &self,
        account: AccountId,
        channel: ChannelId,
    ) -> Result<ChannelEarnings, StoreError>;
    /// A channel's owner and admins (owner and admins may ask).
    async fn channel_admins(
        &self,
        account: AccountId,
        channel: ChannelId,
    ) -> Result<Vec<wren_proto::ChannelAdmin>, StoreError>;
    /// The ids of the channels the account is in.
    async fn channel_ids(&self, account: AccountId) -> Result<Vec<ChannelId>, StoreError>;
    /// The posts of a channel the account may read that changed after `since`.
    async fn channel_difference(
        &self,
        account: AccountId,
        channel: ChannelId,
        since: Seq,
        limit: u32,
    ) -> Result<ChannelPosts, StoreError>;
    /// Posts of a channel the account may read before `before`, newest first.
    async fn channel_history(
        &self,
        account: AccountId,
        channel: ChannelId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<ChannelPosts, StoreError>;
    /// Public channels matching the query, most subscribers first.
    async fn search_directory(
        &self,
        account: AccountId,
        query: DirectoryQuery,
    ) -> Result<Vec<ChannelInfo>, StoreError>;
    /// The members of a chat the account is in (a rejection otherwise).
    async fn member_ids(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<Vec<AccountId>, StoreError>;
    /// Messages older than `before`, newest first, at most `limit`, cut to fit a frame.
    async fn history(
        &self,
        account: AccountId,
        chat: ChatId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<Vec<Message>, StoreError>;
    /// The account's updates after `since`, oldest first, or `TooFarBehind`.
    async fn difference(
        &self,
        account: AccountId,
        since: Pts,
        limit: u32,
        max_difference: u64,
    ) -> Result<Difference, StoreError>;
    /// Succeeds when the store answers queries; uses a connection of its own, so that a
    /// flood of user reads cannot make a healthy server look dead.
    async fn health(&self) -> Result<(), StoreError>;
    /// Applies every queued write, stops the writer and flushes to disk.
    async fn shutdown(&self);
}
