//! The SQLite store: one writer thread with group commit, a pool of readers, WAL mode.

mod lock;
mod maintenance;
mod reader;
mod schema;
mod writer;

pub use maintenance::{backup, migrate, restore, CopyProgress, Migrated, Restored};

use crate::store::sql::{channels, difference, plans, presence, read, sponsored, views, write, Db};
use crate::store::{
    ChatPage, Credentials, OpenStoreError, Store, StoreError, TokenOwner, UpdateSink, WriteOp,
    WriteTicket,
};
use async_trait::async_trait;
use reader::ReaderPool;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use wren_proto::{
    AccountId, AccountInfo, BusinessProfile, CampaignReport, ChannelEarnings, ChannelId,
    ChannelInfo, ChannelPosts, ChatId, ChatInfo, DeviceId, DeviceInfo, DeviceKey, Difference,
    DirectoryQuery, Message, PlanInfo, Privacy, Pts, Seq, SponsoredMessage,
};
use writer::Command;

/// The database file inside the data directory.
const DB_FILE: &str = "wren.db";
/// How many read connections to keep.
const READERS: usize = 4;
/// Writes queued for the writer before submitters wait (back-pressure).
pub(super) const WRITE_QUEUE: usize = 1024;

/// Wraps a SQLite error.
fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Database(Box::new(e))
}

/// A [`Store`] on one SQLite file.
#[derive(Debug)]
pub(crate) struct SqliteStore {
    commands: mpsc::Sender<Command>,
    readers: Arc<ReaderPool>,
    /// The health check's own connection, outside the reader pool.
    health: Arc<Mutex<rusqlite::Connection>>,
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) the store in `data_dir` and starts its
    /// writer, which publishes committed updates to `sink`.
    pub(crate) fn open(
        data_dir: &Path,
        sink: Arc<dyn UpdateSink>,
        batch_cap: usize,
    ) -> Result<Self, OpenStoreError> {
        std::fs::create_dir_all(data_dir)?;
        let lock = lock::DirLock::acquire(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let open_err = |e: StoreError| OpenStoreError::Database(Box::new(e));
        let mut conn = schema::open_connection(&path).map_err(open_err)?;
        schema::migrate(&mut conn)?;
        let readers = ReaderPool::open(&path, READERS).map_err(open_err)?;
        let health = Arc::new(Mutex::new(
            schema::open_connection(&path).map_err(open_err)?,
        ));
        let (commands, rx) = mpsc::channel(WRITE_QUEUE);
        std::thread::Builder::new()
            .name("wren-store-writer".into())
            .spawn(move || writer::run(conn, rx, sink, batch_cap.max(1), lock))?;
        Ok(SqliteStore {
            commands,
            readers,
            health,
        })
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn submit(&self, op: WriteOp) -> WriteTicket {
        let (reply, ticket) = WriteTicket::new();
        // If the writer is gone the reply is dropped and the ticket resolves to `Closed`.
        let _ = self.commands.send(Command::Write(op, reply)).await;
        ticket
    }

    async fn token_owner(&self, token_hash: [u8; 32]) -> Result<Option<TokenOwner>, StoreError> {
        self.readers
            .snapshot(move |db| read::token_owner(db, &token_hash))
            .await
    }

    async fn privacy(&self, account: AccountId) -> Result<Privacy, StoreError> {
        self.readers
            .snapshot(move |db| views::privacy(db, account))
            .await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let username = username.to_owned();
        self.readers
            .snapshot(move |db| read::credentials(db, &username))
            .await
    }

    async fn pts(&self, account: AccountId) -> Result<Pts, StoreError> {
        self.readers
            .snapshot(move |db| views::account_pts(db, account).map(Pts))
            .await
    }

    async fn devices(
        &self,
        account: AccountId,
        current: DeviceId,
    ) -> Result<Vec<DeviceInfo>, StoreError> {
        self.readers
            .snapshot(move |db| read::devices(db, account, current))
            .await
    }

    async fn key_package_count(&self, device: DeviceId) -> Result<u32, StoreError> {
        self.readers
            .snapshot(move |db| read::key_package_count(db, device))
            .await
    }

    async fn device_keys(&self, account: AccountId) -> Result<Vec<DeviceKey>, StoreError> {
        self.readers
            .snapshot(move |db| read::device_keys(db, account))
            .await
    }

    async fn group_info(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<(u64, Option<Vec<u8>>), StoreError> {
        self.readers
            .snapshot(move |db| read::group_info(db, account, chat))
            .await
    }

    async fn sealed_title(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
        self.readers
            .snapshot(move |db| read::sealed_title(db, account, chat))
            .await
    }

    async fn channel(
        &self,
        account: AccountId,
        channel: ChannelId,
    ) -> Result<ChannelInfo, StoreError> {
        self.readers
            .snapshot(move |db| channels::visible(db, account, channel))
            .await
    }

    async fn channel_by_handle(
        &self,
        account: AccountId,
        handle: String,
    ) -> Result<ChannelInfo, StoreError> {
        self.readers
            .snapshot(move |db| channels::by_handle(db, account, &handle))
            .await
    }

    async fn my_channels(&self, account: AccountId) -> Result<Vec<ChannelInfo>, StoreError> {
        self.readers
            .snapshot(move |db| channels::mine(db, account))
            .await
    }

    async fn channel_admins(
        &self,
        account: AccountId,
        channel: ChannelId,
    ) -> Result<Vec<wren_proto::ChannelAdmin>, StoreError> {
        self.readers
            .snapshot(move |db| channels::admins(db, account, channel))
            .await
    }

    async fn channel_ids(&self, account: AccountId) -> Result<Vec<ChannelId>, StoreError> {
        self.readers
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
        self.readers
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
        self.readers
            .snapshot(move |db| channels::history(db, account, channel, before, limit))
            .await
    }

    async fn search_directory(
        &self,
        account: AccountId,
        query: DirectoryQuery,
    ) -> Result<Vec<ChannelInfo>, StoreError> {
        self.readers
            .snapshot(move |db| channels::search(db, account, &query))
            .await
    }

    async fn sponsored(
        &self,
        reader: AccountId,
        channel: ChannelId,
        min_subscribers: u64,
    ) -> Result<Option<SponsoredMessage>, StoreError> {
        self.readers
            .snapshot(move |db| {
                sponsored::serve(db, reader, channel, min_subscribers, writer::now_ms())
            })
            .await
    }

    async fn campaigns(&self, advertiser: AccountId) -> Result<Vec<CampaignReport>, StoreError> {
        self.readers
            .snapshot(move |db| sponsored::mine(db, advertiser, None))
            .await
    }

    async fn channel_earnings(
        &self,
        account: AccountId,
        channel: ChannelId,
    ) -> Result<ChannelEarnings, StoreError> {
        self.readers
            .snapshot(move |db| sponsored::earnings(db, account, channel))
            .await
    }

    async fn plan(&self, account: AccountId) -> Result<PlanInfo, StoreError> {
        self.readers
            .snapshot(move |db| plans::plan(db, account, writer::now_ms()))
            .await
    }

    async fn pinned_chats(&self, account: AccountId) -> Result<Vec<ChatId>, StoreError> {
        self.readers
            .snapshot(move |db| write::pinned_chats(db, account))
            .await
    }

    async fn folders(&self, account: AccountId) -> Result<Vec<wren_proto::Folder>, StoreError> {
        self.readers
            .snapshot(move |db| write::folders(db, account))
            .await
    }

    async fn chat_settings(
        &self,
        account: AccountId,
    ) -> Result<Vec<wren_proto::ChatSettings>, StoreError> {
        self.readers
            .snapshot(move |db| write::chat_settings(db, account))
            .await
    }

    async fn presence(
        &self,
        viewer: AccountId,
        accounts: Vec<AccountId>,
    ) -> Result<Vec<crate::store::SeenBy>, StoreError> {
        self.readers
            .snapshot(move |db| presence::seen_by(db, viewer, &accounts))
            .await
    }

    async fn presence_audience(&self, account: AccountId) -> Result<Vec<AccountId>, StoreError> {
        self.readers
            .snapshot(move |db| presence::audience(db, account))
            .await
    }

    async fn profile(&self, account: AccountId) -> Result<Option<wren_proto::Profile>, StoreError> {
        self.readers
            .snapshot(move |db| views::profile(db, account))
            .await
    }

    async fn business_profile(
        &self,
        account: AccountId,
    ) -> Result<Option<BusinessProfile>, StoreError> {
        self.readers
            .snapshot(move |db| plans::profile(db, account, writer::now_ms()))
            .await
    }

    async fn lookup_user(&self, username: &str) -> Result<Option<AccountInfo>, StoreError> {
        let username = username.to_owned();
        self.readers
            .snapshot(move |db| read::lookup_user(db, &username))
            .await
    }

    async fn chats(
        &self,
        account: AccountId,
        after: Option<ChatId>,
    ) -> Result<ChatPage, StoreError> {
        self.readers
            .snapshot(move |db| read::chats(db, account, after))
            .await
    }

    async fn chat(&self, account: AccountId, chat: ChatId) -> Result<ChatInfo, StoreError> {
        self.readers
            .snapshot(move |db| read::chat(db, account, chat))
            .await
    }

    async fn member_ids(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<Vec<AccountId>, StoreError> {
        self.readers
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
        self.readers
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
        self.readers
            .snapshot(move |db| difference::difference(db, account, since, limit, max_difference))
            .await
    }

    async fn health(&self) -> Result<(), StoreError> {
        let health = Arc::clone(&self.health);
        tokio::task::spawn_blocking(move || {
            let conn = health
                .lock()
                .map_err(|_| StoreError::Corrupt("health connection poisoned".into()))?;
            conn.query_row("SELECT 1", [], |_| Ok(())).map_err(db_err)
        })
        .await
        .map_err(|e| StoreError::Database(Box::new(e)))?
    }

    async fn shutdown(&self) {
        let (done, stopped) = oneshot::channel();
        if self.commands.send(Command::Stop(done)).await.is_ok() {
            let _ = stopped.await;
        }
    }
}

#[cfg(test)]
mod tests;

/// Grants the Business plan to `username` until `until` (Unix ms; `None`: no end), or
/// revokes it, in the database of the server's data directory (`wren-server admin plan`;
/// a running server sees the change at once).
pub fn set_plan(
    data_dir: &Path,
    username: &str,
    grant: bool,
    until: Option<u64>,
) -> Result<AccountId, OpenStoreError> {
    let open_err = |e: StoreError| OpenStoreError::Database(Box::new(e));
    let mut conn = schema::open_connection(&data_dir.join(DB_FILE)).map_err(open_err)?;
    schema::migrate(&mut conn)?;
    plans::set_plan(Db::Sqlite(&conn), username, grant, until).map_err(open_err)
}
