//! The [`Store`] of every SQL backend: each query and write is the shared SQL of
//! `store/sql/`, run by a backend's [`Engine`] (its writer and its readers).

use crate::store::sql::{channels, difference, plans, presence, read, sponsored, views, write, Db};
use crate::store::{ChatPage, Credentials, Store, StoreError, TokenOwner, WriteOp, WriteTicket};
use async_trait::async_trait;
use std::future::Future;
use wren_proto::{
    AccountId, AccountInfo, BusinessProfile, CampaignReport, ChannelEarnings, ChannelId,
    ChannelInfo, ChannelPosts, ChatId, ChatInfo, DeviceId, DeviceInfo, DeviceKey, Difference,
    DirectoryQuery, Message, PlanInfo, Privacy, Pts, Seq, SponsoredMessage,
};

/// What a backend provides: reads in one snapshot, writes in commit order.
pub(crate) trait Engine: Send + Sync + 'static {
    /// Runs `read` in one read transaction on a pooled connection.
    fn snapshot<T, F>(&self, read: F) -> impl Future<Output = Result<T, StoreError>> + Send
    where
        T: Send + 'static,
        F: FnOnce(Db<'_>) -> Result<T, StoreError> + Send + 'static;
    /// Queues a write (see [`Store::submit`]).
    fn submit(&self, op: WriteOp) -> impl Future<Output = WriteTicket> + Send;
    /// See [`Store::health`].
    fn health(&self) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// See [`Store::shutdown`].
    fn shutdown(&self) -> impl Future<Output = ()> + Send;
}

/// A [`Store`] on a SQL backend.
pub(crate) struct SqlStore<E> {
    engine: E,
}

impl<E: Engine> SqlStore<E> {
    /// The store run by `engine`.
    pub(crate) fn new(engine: E) -> Self {
        SqlStore { engine }
    }
}

#[async_trait]
impl<E: Engine> Store for SqlStore<E> {
    async fn submit(&self, op: WriteOp) -> WriteTicket {
        self.engine.submit(op).await
    }

    async fn health(&self) -> Result<(), StoreError> {
        self.engine.health().await
    }

    async fn shutdown(&self) {
        self.engine.shutdown().await
    }

    async fn token_owner(&self, token_hash: [u8; 32]) -> Result<Option<TokenOwner>, StoreError> {
        self.engine
            .snapshot(move |db| read::token_owner(db, &token_hash))
            .await
    }

    async fn privacy(&self, account: AccountId) -> Result<Privacy, StoreError> {
        self.engine
            .snapshot(move |db| views::privacy(db, account))
            .await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let username = username.to_owned();
        self.engine
            .snapshot(move |db| read::credentials(db, &username))
            .await
    }

    async fn pts(&self, account: AccountId) -> Result<Pts, StoreError> {
        self.engine
            .snapshot(move |db| views::account_pts(db, account).map(Pts))
            .await
    }

    async fn devices(
        &self,
        account: AccountId,
        current: DeviceId,
    ) -> Result<Vec<DeviceInfo>, StoreError> {
        self.engine
            .snapshot(move |db| read::devices(db, account, current))
            .await
    }

    async fn key_package_count(&self, device: DeviceId) -> Result<u32, StoreError> {
        self.engine
            .snapshot(move |db| read::key_package_count(db, device))
            .await
    }

    async fn device_keys(&self, account: AccountId) -> Result<Vec<DeviceKey>, StoreError> {
        self.engine
            .snapshot(move |db| read::device_keys(db, account))
            .await
    }

    async fn group_info(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<(u64, Option<Vec<u8>>), StoreError> {
        self.engine
            .snapshot(move |db| read::group_info(db, account, chat))
            .await
    }

    async fn sealed_title(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
        self.engine
            .snapshot(move |db| read::sealed_title(db, account, chat))
            .await
    }

    async fn channel(
        &self,
        account: AccountId,
        channel: ChannelId,
    ) -> Result<ChannelInfo, StoreError> {
        self.engine
            .snapshot(move |db| channels::visible(db, account, channel))
            .await
    }

    async fn channel_by_handle(
        &self,
        account: AccountId,
        handle: String,
    ) -> Result<ChannelInfo, StoreError> {
        self.engine
            .snapshot(move |db| channels::by_handle(db, account, &handle))
            .await
    }

    async fn my_channels(&self, account: AccountId) -> Result<Vec<ChannelInfo>, StoreError> {
        self.engine
            .snapshot(move |db| channels::mine(db, account))
            .await
    }

    async fn channel_admins(
        &self,
        account: AccountId,
        channel: ChannelId,
    ) -> Result<Vec<wren_proto::ChannelAdmin>, StoreError> {
        self.engine
            .snapshot(move |db| channels::admins(db, account, channel))
            .await
    }

    async fn channel_ids(&self, account: AccountId) -> Result<Vec<ChannelId>, StoreError> {
        self.engine
            .snapshot(move |db| channels::ids_of(db, account))
            .await
    }

    async fn channel_difference(
        &self,
        account: AccountId,
        channel: ChannelId,
        since: Seq,
        limit: u32,
    ) -> Result<ChannelPosts, StoreError> {
        self.engine
            .snapshot(move |db| channels::difference(db, account, channel, since, limit))
            .await
    }

    async fn channel_history(
        &self,
        account: AccountId,
        channel: ChannelId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<ChannelPosts, StoreError> {
        self.engine
            .snapshot(move |db| channels::history(db, account, channel, before, limit))
            .await
    }

    async fn search_directory(
        &self,
        account: AccountId,
        query: DirectoryQuery,
    ) -> Result<Vec<ChannelInfo>, StoreError> {
        self.engine
            .snapshot(move |db| channels::search(db, account, &query))
            .await
    }

    async fn sponsored(
        &self,
        reader: AccountId,
        channel: ChannelId,
        min_subscribers: u64,
    ) -> Result<Option<SponsoredMessage>, StoreError> {
        self.engine
            .snapshot(move |db| {
                sponsored::serve(
                    db,
                    reader,
                    channel,
                    min_subscribers,
                    crate::store::sql::now_ms(),
                )
            })
            .await
    }

    async fn campaigns(&self, advertiser: AccountId) -> Result<Vec<CampaignReport>, StoreError> {
        self.engine
            .snapshot(move |db| sponsored::mine(db, advertiser, None))
            .await
    }

    async fn channel_earnings(
        &self,
        account: AccountId,
        channel: ChannelId,
    ) -> Result<ChannelEarnings, StoreError> {
        self.engine
            .snapshot(move |db| sponsored::earnings(db, account, channel))
            .await
    }

    async fn plan(&self, account: AccountId) -> Result<PlanInfo, StoreError> {
        self.engine
            .snapshot(move |db| plans::plan(db, account, crate::store::sql::now_ms()))
            .await
    }

    async fn pinned_chats(&self, account: AccountId) -> Result<Vec<ChatId>, StoreError> {
        self.engine
            .snapshot(move |db| write::pinned_chats(db, account))
            .await
    }

    async fn folders(&self, account: AccountId) -> Result<Vec<wren_proto::Folder>, StoreError> {
        self.engine
            .snapshot(move |db| write::folders(db, account))
            .await
    }

    async fn chat_settings(
        &self,
        account: AccountId,
    ) -> Result<Vec<wren_proto::ChatSettings>, StoreError> {
        self.engine
            .snapshot(move |db| write::chat_settings(db, account))
            .await
    }

    async fn presence(
        &self,
        viewer: AccountId,
        accounts: Vec<AccountId>,
    ) -> Result<Vec<crate::store::SeenBy>, StoreError> {
        self.engine
            .snapshot(move |db| presence::seen_by(db, viewer, &accounts))
            .await
    }

    async fn presence_audience(&self, account: AccountId) -> Result<Vec<AccountId>, StoreError> {
        self.engine
            .snapshot(move |db| presence::audience(db, account))
            .await
    }

    async fn profile(&self, account: AccountId) -> Result<Option<wren_proto::Profile>, StoreError> {
        self.engine
            .snapshot(move |db| views::profile(db, account))
            .await
    }

    async fn business_profile(
        &self,
        account: AccountId,
    ) -> Result<Option<BusinessProfile>, StoreError> {
        self.engine
            .snapshot(move |db| plans::profile(db, account, crate::store::sql::now_ms()))
            .await
    }

    async fn lookup_user(&self, username: &str) -> Result<Option<AccountInfo>, StoreError> {
        let username = username.to_owned();
        self.engine
            .snapshot(move |db| read::lookup_user(db, &username))
            .await
    }

    async fn chats(
        &self,
        account: AccountId,
        after: Option<ChatId>,
    ) -> Result<ChatPage, StoreError> {
        self.engine
            .snapshot(move |db| read::chats(db, account, after))
            .await
    }

    async fn chat(&self, account: AccountId, chat: ChatId) -> Result<ChatInfo, StoreError> {
        self.engine
            .snapshot(move |db| read::chat(db, account, chat))
            .await
    }

    async fn member_ids(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<Vec<AccountId>, StoreError> {
        self.engine
            .snapshot(move |db| read::members_of(db, account, chat))
            .await
    }

    async fn history(
        &self,
        account: AccountId,
        chat: ChatId,
        before: Option<Seq>,
        limit: u32,
    ) -> Result<Vec<Message>, StoreError> {
        self.engine
            .snapshot(move |db| read::history(db, account, chat, before, limit))
            .await
    }

    async fn difference(
        &self,
        account: AccountId,
        since: Pts,
        limit: u32,
        max_difference: u64,
    ) -> Result<Difference, StoreError> {
        self.engine
            .snapshot(move |db| difference::difference(db, account, since, limit, max_difference))
            .await
    }
}
