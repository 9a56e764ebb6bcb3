//! Requests a client makes and the responses it gets.

use crate::{
    AccountId, AccountInfo, ChannelId, ChatId, ChatInfo, ClaimedKeyPackage, ClientMsgId, DeviceId,
    DeviceInfo, DeviceKey, Message, Profile, Pts, Seq, Session, UpdateEnvelope,
};
use serde::{Deserialize, Serialize};

/// Everything a client can ask. Only `Register`, `Login`, `Resume` and `Ping` work before
/// the connection is signed in; everything else needs a signed-in device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Create an account and sign this device in.
    Register {
        /// See [`crate::rules::validate_username`].
        username: String,
        /// See [`crate::rules::validate_password`].
        password: String,
        /// Shown in the device list.
        device_name: String,
    },
    /// Sign a new device in with username and password.
    Login {
        /// The account's username (case-insensitive).
        username: String,
        /// The account's password.
        password: String,
        /// Shown in the device list.
        device_name: String,
    },
    /// Sign this connection in with a device token from an earlier `Register` or `Login`.
    Resume {
        /// The device's bearer token.
        token: String,
    },
    /// Revoke this device's token and sign the connection out.
    Logout,
    /// The devices of the caller's account.
    ListDevices,
    /// Revoke one of the caller's own devices; it is disconnected at once.
    RevokeDevice {
        /// The device to revoke.
        device: DeviceId,
    },
    /// Find an account by username.
    LookupUser {
        /// The username, with or without a leading `@`.
        username: String,
    },
    /// Heartbeat; the answer carries the account's current `pts` so clients notice gaps.
    Ping,
    /// One page of the chats the caller is in, by ascending id, cut to fit one frame.
    GetChats {
        /// Only chats with a larger id; `None` for the first page.
        after: Option<ChatId>,
    },
    /// One chat the caller is in.
    GetChat {
        /// The chat.
        chat: ChatId,
    },
    /// The direct chat with a peer, created if it does not exist yet.
    OpenDirect {
        /// The other person.
        peer: AccountId,
    },
    /// A new group with the caller as admin.
    CreateGroup {
        /// The group's title.
        title: String,
        /// Initial members besides the caller.
        members: Vec<AccountId>,
    },
    /// Add a member to a group (admins only).
    AddMember {
        /// The group.
        chat: ChatId,
        /// Who to add.
        account: AccountId,
    },
    /// Remove a member from a group (admins only).
    RemoveMember {
        /// The group.
        chat: ChatId,
        /// Who to remove.
        account: AccountId,
    },
    /// Leave a group.
    LeaveChat {
        /// The group.
        chat: ChatId,
    },
    /// Rename a group (admins only).
    RenameChat {
        /// The group.
        chat: ChatId,
        /// The new title.
        title: String,
    },
    /// Send a message. Sending the same `client_msg_id` again returns the original result.
    SendMessage {
        /// Where.
        chat: ChatId,
        /// The sender's idempotency key.
        client_msg_id: ClientMsgId,
        /// Opaque content, at most [`crate::rules::MAX_PAYLOAD_BYTES`].
        #[serde(with = "serde_bytes")]
        payload: Vec<u8>,
        /// The message this replies to.
        reply_to: Option<Seq>,
    },
    /// Replace the payload of one of the caller's own messages.
    EditMessage {
        /// Where.
        chat: ChatId,
        /// Which message.
        seq: Seq,
        /// The new content.
        #[serde(with = "serde_bytes")]
        payload: Vec<u8>,
    },
    /// Delete one of the caller's own messages for everyone (group admins may delete any).
    DeleteMessage {
        /// Where.
        chat: ChatId,
        /// Which message.
        seq: Seq,
    },
    /// Mark a chat read up to and including `up_to`.
    MarkRead {
        /// The chat.
        chat: ChatId,
        /// The newest position read.
        up_to: Seq,
    },
    /// Tell the other members the caller is typing (not stored).
    SetTyping {
        /// The chat.
        chat: ChatId,
    },
    /// Messages of a chat older than `before` (or the newest ones), newest first.
    GetHistory {
        /// The chat.
        chat: ChatId,
        /// Exclusive upper bound; `None` means from the newest message.
        before: Option<Seq>,
        /// At most this many (the server caps it at [`crate::rules::MAX_HISTORY_PAGE`]).
        limit: u32,
    },
    /// The updates after `since` in the caller's update log, oldest first.
    GetDifference {
        /// The last `pts` the client has applied.
        since: Pts,
        /// At most this many (the server caps it at [`crate::rules::MAX_DIFFERENCE_PAGE`]).
        limit: u32,
    },
    /// Who may add the caller to groups (see [`crate::GroupAdds`]).
    SetGroupAdds {
        /// The new setting.
        allowed: crate::GroupAdds,
    },
    /// The caller's privacy settings.
    GetPrivacy,
    /// Set the calling device's Ed25519 identity (signature) public key. It is set once:
    /// the same key again is `Done`, a different one is `Conflict`.
    SetIdentityKey {
        /// Exactly [`crate::rules::IDENTITY_KEY_BYTES`] bytes.
        #[serde(with = "serde_bytes")]
        key: Vec<u8>,
    },
    /// Add MLS key packages (opaque to the server) to the calling device's pool. Needs the
    /// device's identity key first.
    UploadKeyPackages {
        /// At most [`crate::rules::MAX_KEY_PACKAGES_PER_UPLOAD`], each 1 to
        /// [`crate::rules::MAX_KEY_PACKAGE_BYTES`] bytes.
        packages: Vec<Vec<u8>>,
        /// Replaces the device's last-resort package, handed out when its pool is empty.
        #[serde(with = "serde_bytes")]
        last_resort: Option<Vec<u8>>,
    },
    /// Take one key package of every live device of an account, atomically.
    ClaimKeyPackages {
        /// Whose devices.
        account: AccountId,
    },
    /// How many key packages the calling device has left in its pool.
    GetKeyPackageCount,
    /// The live devices of an account that have an identity key, with that key.
    ListAccountDevices {
        /// Whose devices.
        account: AccountId,
    },
    /// Publish an MLS commit (a `PublicMessage`) to a chat's group, with the group info of
    /// the epoch it starts and, when it adds devices, their Welcome. The server accepts
    /// exactly one commit per epoch: one made in an older epoch is `StaleEpoch`.
    PublishCommit {
        /// The chat whose group this is.
        chat: ChatId,
        /// The serialized commit.
        #[serde(with = "serde_bytes")]
        commit: Vec<u8>,
        /// The serialized group info of the new epoch (with its ratchet tree), handed to
        /// devices that join by external commit.
        #[serde(with = "serde_bytes")]
        group_info: Vec<u8>,
        /// The serialized Welcome for the devices the commit adds; it reaches every member
        /// through the update log and only those devices can open it.
        #[serde(with = "serde_bytes")]
        welcome: Option<Vec<u8>>,
    },
    /// A chat's current MLS group info, for a device that joins by external commit.
    GetGroupInfo {
        /// The chat.
        chat: ChatId,
    },
    /// Set a group's title, sealed with a key its MLS group exports in `epoch` (admins
    /// only; the server never sees the title). Taken only in the group's current epoch
    /// (an older one is `StaleEpoch`); the server drops any plaintext title it kept.
    SealTitle {
        /// The group.
        chat: ChatId,
        /// The epoch whose exported key sealed it.
        epoch: u64,
        /// The sealed title, at most [`crate::rules::MAX_SEALED_TITLE_BYTES`].
        #[serde(with = "serde_bytes")]
        sealed: Vec<u8>,
        /// A new title (renaming, or the first one). `false`: the same title sealed again
        /// for a later epoch, refused (`Conflict`) once a title is sealed for `epoch`, so
        /// that it never overwrites a rename made meanwhile.
        rename: bool,
    },
    /// A group's newest sealed title.
    GetSealedTitle {
        /// The group.
        chat: ChatId,
    },
    /// Create a channel with the caller as its owner.
    CreateChannel(crate::NewChannel),
    /// A channel the caller is in, or a public one (a preview).
    GetChannel {
        /// The channel.
        channel: ChannelId,
    },
    /// A public channel by its handle (a preview until subscribed).
    ResolveChannel {
        /// The handle, with or without `@`.
        handle: String,
    },
    /// Subscribe to a public channel.
    Subscribe {
        /// The channel.
        channel: ChannelId,
    },
    /// Subscribe to a channel with an invite link.
    JoinByInvite {
        /// The link, `wren://join/TOKEN`.
        link: String,
    },
    /// Stop reading a channel (its owner cannot).
    LeaveChannel {
        /// The channel.
        channel: ChannelId,
    },
    /// The channels the caller is in.
    MyChannels,
    /// Publish a post (owner and admins). Sending the same `client_msg_id` again returns
    /// the original post.
    PublishPost(crate::NewPost),
    /// Replace a post's text (owner and admins).
    EditPost {
        /// The channel.
        channel: ChannelId,
        /// The post.
        seq: Seq,
        /// The new text.
        text: String,
    },
    /// Delete a post (owner and admins).
    DeletePost {
        /// The channel.
        channel: ChannelId,
        /// The post.
        seq: Seq,
    },
    /// Pin a post, or unpin with `None` (owner and admins).
    PinPost {
        /// The channel.
        channel: ChannelId,
        /// The post.
        seq: Option<Seq>,
    },
    /// The posts that changed after `since`, oldest change first (subscribers, and anyone
    /// for a public channel).
    ChannelDifference {
        /// The channel.
        channel: ChannelId,
        /// The newest log position the caller has.
        since: Seq,
        /// At most this many (capped at [`crate::rules::MAX_CHANNEL_PAGE`]).
        limit: u32,
    },
    /// Posts before `before` (all when `None`), newest first.
    ChannelHistory {
        /// The channel.
        channel: ChannelId,
        /// Only posts older than this.
        before: Option<Seq>,
        /// At most this many (capped at [`crate::rules::MAX_CHANNEL_PAGE`]).
        limit: u32,
    },
    /// Public channels, most subscribers first.
    SearchDirectory(crate::DirectoryQuery),
    /// The caller had these posts on screen; each account counts once per post.
    ReportViews {
        /// The channel.
        channel: ChannelId,
        /// The posts, at most [`crate::rules::MAX_VIEWS_PER_REPORT`].
        seqs: Vec<Seq>,
    },
    /// A new invite link (owner and admins).
    CreateInvite {
        /// The channel.
        channel: ChannelId,
    },
    /// Revoke an invite link: it stops working at once.
    RevokeInvite {
        /// The channel.
        channel: ChannelId,
        /// The link.
        link: String,
    },
    /// Make a subscriber an admin, or an admin a subscriber again (owner only).
    SetChannelAdmin(crate::AdminChange),
    /// The caller's plan and what it allows.
    GetPlan,
    /// Set the caller's business profile (Business plan only).
    SetBusinessProfile(crate::BusinessProfile),
    /// An account's business profile, if it has one and its plan allows it.
    GetBusinessProfile {
        /// Whose.
        account: AccountId,
    },
    /// Start a campaign paid by the caller.
    CreateCampaign(crate::NewCampaign),
    /// Stop one of the caller's campaigns.
    StopCampaign {
        /// The campaign.
        campaign: crate::CampaignId,
    },
    /// The caller's campaigns with their counts.
    MyCampaigns,
    /// The sponsored message to show in a channel now, if any (the same for every reader
    /// of the channel at that moment).
    GetSponsored {
        /// The channel.
        channel: ChannelId,
    },
    /// Count what a reader did with a sponsored message (no record of who).
    SponsoredEvent {
        /// The campaign.
        campaign: crate::CampaignId,
        /// Where it was shown.
        channel: ChannelId,
        /// What happened.
        action: crate::SponsoredAction,
    },
    /// What sponsored messages earned a channel (owner and admins).
    ChannelEarnings {
        /// The channel.
        channel: ChannelId,
    },
    /// A channel's owner and admins (owner and admins may ask).
    ChannelAdmins {
        /// The channel.
        channel: ChannelId,
    },
    /// Pin a chat to the top of the caller's chat list on all their devices, or unpin it
    /// (members only; how many may be pinned depends on the plan).
    SetChatPinned {
        /// The chat.
        chat: ChatId,
        /// Pinned or not.
        pinned: bool,
    },
    /// The caller's pinned chats, in the order they were pinned.
    GetPinnedChats,
    /// Forward a call signal, sealed for the chat's MLS group, to the other online devices
    /// of the chat's members (not stored; members only).
    CallSignal {
        /// The chat.
        chat: ChatId,
        /// The MLS epoch whose exported key sealed it.
        epoch: u64,
        /// The sealed signal, at most [`crate::rules::MAX_CALL_SIGNAL_BYTES`].
        #[serde(with = "serde_bytes")]
        sealed: Vec<u8>,
    },
    /// Where the server's media relay is (`NotFound` when it runs none).
    GetMediaRelay,
    /// Who sees when the caller is online and was last seen; answered with `Privacy`.
    SetLastSeen {
        /// The new setting.
        visibility: crate::LastSeenVisibility,
    },
    /// The presence of these accounts (at most [`crate::rules::MAX_PRESENCE_QUERY`]), as
    /// the caller may know it.
    GetPresence {
        /// Whose.
        accounts: Vec<AccountId>,
    },
    /// Mute a chat for all of the caller's devices until a time (ms since the epoch;
    /// `i64::MAX`: for ever), or unmute it (`None`). Answered with the settings now.
    SetChatMuted {
        /// The chat.
        chat: ChatId,
        /// Until when.
        until: Option<u64>,
    },
    /// Put a chat in the caller's archive, or take it out. Answered with the settings now.
    SetChatArchived {
        /// The chat.
        chat: ChatId,
        /// In the archive or not.
        archived: bool,
    },
    /// The caller's chats whose settings are not the defaults (muted or archived).
    GetChatSettings,
    /// Replace the caller's chat folders, in tab order; all of its devices get them.
    SetFolders {
        /// The folders (see [`crate::rules::validate_folders`]).
        folders: Vec<crate::Folder>,
    },
    /// The caller's chat folders, in tab order.
    GetFolders,
    /// Set the caller's display name and bio ("" clears one); everyone who shares a chat
    /// with the caller hears `ProfileChanged`.
    SetProfile {
        /// The display name (see [`crate::rules::normalize_display_name`]).
        display_name: String,
        /// The bio (see [`crate::rules::normalize_bio`]).
        bio: String,
    },
    /// An account's profile.
    GetProfile {
        /// Whose.
        account: AccountId,
    },
}

impl Request {
    /// Whether every id and position in the request is at most `i64::MAX`, the largest
    /// value a server stores. A request that fails this names nothing that can exist, so a
    /// server refuses it as `BadRequest` before touching storage.
    pub fn ids_in_range(&self) -> bool {
        fn ok(v: u64) -> bool {
            i64::try_from(v).is_ok()
        }
        match self {
            Request::RevokeDevice { device } => ok(device.0),
            Request::GetChats { after } => after.is_none_or(|c| ok(c.0)),
            Request::GetChat { chat }
            | Request::LeaveChat { chat }
            | Request::RenameChat { chat, .. }
            | Request::SetTyping { chat }
            | Request::SetChatPinned { chat, .. }
            | Request::SetChatMuted { chat, .. }
            | Request::SetChatArchived { chat, .. }
            | Request::CallSignal { chat, .. } => ok(chat.0),
            Request::OpenDirect { peer } | Request::GetProfile { account: peer } => ok(peer.0),
            Request::SetFolders { folders } => folders
                .iter()
                .all(|f| f.include.iter().chain(&f.exclude).all(|c| ok(c.0))),
            Request::GetPresence { accounts } => {
                accounts.len() <= crate::rules::MAX_PRESENCE_QUERY
                    && accounts.iter().all(|a| ok(a.0))
            }
            Request::CreateGroup { members, .. } => members.iter().all(|m| ok(m.0)),
            Request::AddMember { chat, account } | Request::RemoveMember { chat, account } => {
                ok(chat.0) && ok(account.0)
            }
            Request::SendMessage { chat, reply_to, .. } => {
                ok(chat.0) && reply_to.is_none_or(|s| ok(s.0))
            }
            Request::EditMessage { chat, seq, .. } | Request::DeleteMessage { chat, seq } => {
                ok(chat.0) && ok(seq.0)
            }
            Request::MarkRead { chat, up_to } => ok(chat.0) && ok(up_to.0),
            Request::GetHistory { chat, before, .. } => {
                ok(chat.0) && before.is_none_or(|s| ok(s.0))
            }
            Request::GetDifference { since, .. } => ok(since.0),
            Request::ClaimKeyPackages { account } | Request::ListAccountDevices { account } => {
                ok(account.0)
            }
            Request::PublishCommit { chat, .. }
            | Request::GetGroupInfo { chat }
            | Request::SealTitle { chat, .. }
            | Request::GetSealedTitle { chat } => ok(chat.0),
            Request::GetChannel { channel }
            | Request::Subscribe { channel }
            | Request::LeaveChannel { channel }
            | Request::CreateInvite { channel }
            | Request::RevokeInvite { channel, .. } => ok(channel.0),
            Request::PublishPost(post) => ok(post.channel.0),
            Request::EditPost { channel, seq, .. } | Request::DeletePost { channel, seq } => {
                ok(channel.0) && ok(seq.0)
            }
            Request::PinPost { channel, seq } => ok(channel.0) && seq.is_none_or(|s| ok(s.0)),
            Request::ChannelDifference { channel, since, .. } => ok(channel.0) && ok(since.0),
            Request::ChannelHistory {
                channel, before, ..
            } => ok(channel.0) && before.is_none_or(|s| ok(s.0)),
            Request::ReportViews { channel, seqs } => ok(channel.0) && seqs.iter().all(|s| ok(s.0)),
            Request::SetChannelAdmin(change) => ok(change.channel.0) && ok(change.account.0),
            Request::GetBusinessProfile { account } => ok(account.0),
            Request::StopCampaign { campaign } => ok(campaign.0),
            Request::GetSponsored { channel }
            | Request::ChannelEarnings { channel }
            | Request::ChannelAdmins { channel } => ok(channel.0),
            Request::SponsoredEvent {
                campaign, channel, ..
            } => ok(campaign.0) && ok(channel.0),
            Request::CreateCampaign(_) | Request::MyCampaigns => true,
            Request::GetPlan
            | Request::SetBusinessProfile(_)
            | Request::GetPinnedChats
            | Request::GetChatSettings
            | Request::GetFolders
            | Request::SetProfile { .. }
            | Request::GetMediaRelay => true,
            Request::CreateChannel(_)
            | Request::ResolveChannel { .. }
            | Request::JoinByInvite { .. }
            | Request::MyChannels
            | Request::SearchDirectory(_) => true,
            Request::Register { .. }
            | Request::Login { .. }
            | Request::Resume { .. }
            | Request::Logout
            | Request::ListDevices
            | Request::LookupUser { .. }
            | Request::Ping
            | Request::SetGroupAdds { .. }
            | Request::SetLastSeen { .. }
            | Request::GetPrivacy
            | Request::SetIdentityKey { .. }
            | Request::UploadKeyPackages { .. }
            | Request::GetKeyPackageCount => true,
        }
    }

    /// A stable short name for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            Request::Register { .. } => "register",
            Request::Login { .. } => "login",
            Request::Resume { .. } => "resume",
            Request::Logout => "logout",
            Request::ListDevices => "list_devices",
            Request::RevokeDevice { .. } => "revoke_device",
            Request::LookupUser { .. } => "lookup_user",
            Request::Ping => "ping",
            Request::GetChats { .. } => "get_chats",
            Request::SetGroupAdds { .. } => "set_group_adds",
            Request::GetPrivacy => "get_privacy",
            Request::GetChat { .. } => "get_chat",
            Request::OpenDirect { .. } => "open_direct",
            Request::CreateGroup { .. } => "create_group",
            Request::AddMember { .. } => "add_member",
            Request::RemoveMember { .. } => "remove_member",
            Request::LeaveChat { .. } => "leave_chat",
            Request::RenameChat { .. } => "rename_chat",
            Request::SendMessage { .. } => "send_message",
            Request::EditMessage { .. } => "edit_message",
            Request::DeleteMessage { .. } => "delete_message",
            Request::MarkRead { .. } => "mark_read",
            Request::SetTyping { .. } => "set_typing",
            Request::GetHistory { .. } => "get_history",
            Request::GetDifference { .. } => "get_difference",
            Request::SetIdentityKey { .. } => "set_identity_key",
            Request::UploadKeyPackages { .. } => "upload_key_packages",
            Request::ClaimKeyPackages { .. } => "claim_key_packages",
            Request::GetKeyPackageCount => "get_key_package_count",
            Request::ListAccountDevices { .. } => "list_account_devices",
            Request::PublishCommit { .. } => "publish_commit",
            Request::GetGroupInfo { .. } => "get_group_info",
            Request::SealTitle { .. } => "seal_title",
            Request::GetSealedTitle { .. } => "get_sealed_title",
            Request::CreateChannel(_) => "create_channel",
            Request::GetChannel { .. } => "get_channel",
            Request::ResolveChannel { .. } => "resolve_channel",
            Request::Subscribe { .. } => "subscribe",
            Request::JoinByInvite { .. } => "join_by_invite",
            Request::LeaveChannel { .. } => "leave_channel",
            Request::MyChannels => "my_channels",
            Request::PublishPost(_) => "publish_post",
            Request::EditPost { .. } => "edit_post",
            Request::DeletePost { .. } => "delete_post",
            Request::PinPost { .. } => "pin_post",
            Request::ChannelDifference { .. } => "channel_difference",
            Request::ChannelHistory { .. } => "channel_history",
            Request::SearchDirectory(_) => "search_directory",
            Request::ReportViews { .. } => "report_views",
            Request::CreateInvite { .. } => "create_invite",
            Request::RevokeInvite { .. } => "revoke_invite",
            Request::SetChannelAdmin(_) => "set_channel_admin",
            Request::GetPlan => "get_plan",
            Request::SetBusinessProfile(_) => "set_business_profile",
            Request::GetBusinessProfile { .. } => "get_business_profile",
            Request::CreateCampaign(_) => "create_campaign",
            Request::StopCampaign { .. } => "stop_campaign",
            Request::MyCampaigns => "my_campaigns",
            Request::GetSponsored { .. } => "get_sponsored",
            Request::SponsoredEvent { .. } => "sponsored_event",
            Request::ChannelEarnings { .. } => "channel_earnings",
            Request::ChannelAdmins { .. } => "channel_admins",
            Request::SetChatPinned { .. } => "set_chat_pinned",
            Request::SetLastSeen { .. } => "set_last_seen",
            Request::SetChatMuted { .. } | Request::SetChatArchived { .. } => "chat_settings",
            Request::GetChatSettings => "get_chat_settings",
            Request::SetFolders { .. } => "set_folders",
            Request::GetFolders => "get_folders",
            Request::GetPresence { .. } => "get_presence",
            Request::SetProfile { .. } => "set_profile",
            Request::GetProfile { .. } => "get_profile",
            Request::GetPinnedChats => "get_pinned_chats",
            Request::CallSignal { .. } => "call_signal",
            Request::GetMediaRelay => "get_media_relay",
        }
    }
}

/// The result of a [`Request::GetDifference`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Difference {
    /// The next page of updates, oldest first.
    Updates {
        /// Consecutive updates starting at `since + 1`.
        updates: Vec<UpdateEnvelope>,
        /// The account's newest `pts`; more pages follow while the last update is below it.
        current: Pts,
    },
    /// The client is so far behind that replaying is worse than starting over: it should
    /// refetch its chat list and continue from `current`.
    TooFarBehind {
        /// The account's newest `pts`.
        current: Pts,
    },
}

/// Successful answers. Which variant answers which request is listed in `docs/PROTOCOL.md`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// To `Register` and `Login`: the new device session.
    Session(Session),
    /// To `Resume`: who this connection now acts as, and the account's newest `pts`.
    Resumed {
        /// The account.
        account: AccountInfo,
        /// This device.
        device: DeviceId,
        /// The account's newest `pts`.
        pts: Pts,
    },
    /// The request was carried out and there is nothing to return.
    Done,
    /// To `ListDevices`.
    Devices(Vec<DeviceInfo>),
    /// To `LookupUser`.
    User(AccountInfo),
    /// To `Ping`: the account's newest `pts` (zero before sign-in).
    Pong {
        /// The account's newest `pts`.
        pts: Pts,
    },
    /// To `GetChats`: one page, by ascending id.
    Chats {
        /// The chats of this page.
        chats: Vec<ChatInfo>,
        /// Whether more chats follow: ask again with `after` = the last id of this page.
        more: bool,
    },
    /// To `GetPrivacy` and `SetGroupAdds`: the caller's privacy settings.
    Privacy(crate::Privacy),
    /// To `GetChat`, `OpenDirect` and `CreateGroup`.
    Chat(ChatInfo),
    /// To `SendMessage`: where the message was stored (the original place on a resend).
    Sent {
        /// The chat.
        chat: ChatId,
        /// The message's position.
        seq: Seq,
        /// When it was stored, in Unix milliseconds.
        sent_at: u64,
    },
    /// To `GetHistory`: newest first.
    History(Vec<Message>),
    /// To `GetDifference`.
    Difference(Difference),
    /// To `UploadKeyPackages` and `GetKeyPackageCount`: the calling device's pool.
    KeyPackageCount {
        /// Key packages left (the last-resort one not counted).
        remaining: u32,
    },
    /// To `ClaimKeyPackages`: one entry per live device with an identity key, by id.
    KeyPackages(Vec<ClaimedKeyPackage>),
    /// To `ListAccountDevices`: by device id.
    AccountDevices(Vec<DeviceKey>),
    /// To `PublishCommit`: the commit is the chat's handshake at `log_seq` and the group is
    /// now in `epoch`.
    CommitAccepted {
        /// The epoch the commit started.
        epoch: u64,
        /// The commit's position in the chat's log.
        log_seq: Seq,
    },
    /// To `GetGroupInfo`.
    GroupInfo {
        /// The group's current epoch (0 while no commit was accepted).
        epoch: u64,
        /// The group info of that epoch; `None` while the chat has no MLS group.
        #[serde(with = "serde_bytes")]
        group_info: Option<Vec<u8>>,
    },
    /// To `GetSealedTitle`.
    SealedTitle {
        /// The epoch whose exported key sealed it (0 with no sealed title).
        epoch: u64,
        /// The sealed title; `None` while the group has none (a group made before titles
        /// were sealed keeps its plaintext title in [`crate::ChatInfo::title`]).
        #[serde(with = "serde_bytes")]
        sealed: Option<Vec<u8>>,
    },
    /// To `CreateChannel`, `GetChannel`, `ResolveChannel`, `Subscribe` and `JoinByInvite`.
    Channel(crate::ChannelInfo),
    /// To `MyChannels` (by id) and `SearchDirectory` (most subscribers first).
    Channels(Vec<crate::ChannelInfo>),
    /// To `PublishPost`: where the post was stored (the original place on a resend).
    Posted {
        /// The channel.
        channel: ChannelId,
        /// The post's position.
        seq: Seq,
        /// When it was stored, in Unix milliseconds.
        sent_at: u64,
    },
    /// To `ChannelDifference` and `ChannelHistory`.
    ChannelPosts(crate::ChannelPosts),
    /// To `CreateInvite`.
    Invite(crate::Invite),
    /// To `GetPlan`.
    Plan(crate::PlanInfo),
    /// To `GetBusinessProfile`: `None` when the account has none (or no Business plan).
    BusinessProfile(Option<crate::BusinessProfile>),
    /// To `CreateCampaign`.
    Campaign(crate::CampaignReport),
    /// To `MyCampaigns`, newest first.
    Campaigns(Vec<crate::CampaignReport>),
    /// To `GetSponsored`: `None` where none is shown.
    Sponsored(Option<crate::SponsoredMessage>),
    /// To `ChannelEarnings`.
    Earnings(crate::ChannelEarnings),
    /// To `ChannelAdmins`: the owner first, then admins by id.
    ChannelAdmins(Vec<crate::ChannelAdmin>),
    /// To `GetPinnedChats`: the pinned chats, in the order they were pinned.
    PinnedChats(Vec<ChatId>),
    /// To `GetMediaRelay`.
    MediaRelay(crate::MediaRelayInfo),
    /// To `GetProfile`.
    Profile(Profile),
    /// To `SetChatMuted` and `SetChatArchived`.
    ChatSettings(crate::ChatSettings),
    /// To `GetChatSettings`.
    AllChatSettings(Vec<crate::ChatSettings>),
    /// To `SetFolders` and `GetFolders`: the folders now, in tab order.
    Folders(Vec<crate::Folder>),
    /// To `GetPresence`, in the order asked.
    Presence(Vec<crate::PresenceInfo>),
}
