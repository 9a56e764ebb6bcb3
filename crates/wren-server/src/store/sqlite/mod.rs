//! The SQLite store: one writer thread with group commit, a pool of readers, WAL mode.

mod difference;
mod read;
mod reader;
mod schema;
mod views;
mod write;
mod writer;

use crate::store::{
    Credentials, OpenStoreError, Store, StoreError, UpdateSink, WriteOp, WriteTicket,
};
use async_trait::async_trait;
use reader::ReaderPool;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use wren_proto::{
    AccountId, AccountInfo, ChatId, ChatInfo, DeviceId, DeviceInfo, Difference, Message, Pts, Seq,
};
use writer::Command;

/// The database file inside the data directory.
const DB_FILE: &str = "wren.db";
/// How many read connections to keep.
const READERS: usize = 4;

/// Wraps a SQLite error.
fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Database(Box::new(e))
}

/// A [`Store`] on one SQLite file.
#[derive(Debug)]
pub(crate) struct SqliteStore {
    commands: mpsc::UnboundedSender<Command>,
    readers: Arc<ReaderPool>,
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
        let path = data_dir.join(DB_FILE);
        let open_err = |e: StoreError| OpenStoreError::Database(Box::new(e));
        let mut conn = schema::open_connection(&path).map_err(open_err)?;
        schema::migrate(&mut conn)?;
        let readers = ReaderPool::open(&path, READERS).map_err(open_err)?;
        let (commands, rx) = mpsc::unbounded_channel();
        std::thread::Builder::new()
            .name("wren-store-writer".into())
            .spawn(move || writer::run(conn, rx, sink, batch_cap.max(1)))?;
        Ok(SqliteStore { commands, readers })
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn write(&self, op: WriteOp) -> WriteTicket {
        let (reply, ticket) = WriteTicket::new();
        // If the writer is gone the reply is dropped and the ticket resolves to `Closed`.
        let _ = self.commands.send(Command::Write(op, reply));
        ticket
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let username = username.to_owned();
        self.readers
            .with(move |c| read::credentials(c, &username))
            .await
    }

    async fn pts(&self, account: AccountId) -> Result<Pts, StoreError> {
        self.readers
            .with(move |c| views::account_pts(c, account).map(Pts))
            .await
    }

    async fn devices(
        &self,
        account: AccountId,
        current: DeviceId,
    ) -> Result<Vec<DeviceInfo>, StoreError> {
        self.readers
            .with(move |c| read::devices(c, account, current))
            .await
    }

    async fn lookup_user(&self, username: &str) -> Result<Option<AccountInfo>, StoreError> {
        let username = username.to_owned();
        self.readers
            .with(move |c| read::lookup_user(c, &username))
            .await
    }

    async fn chats(&self, account: AccountId) -> Result<Vec<ChatInfo>, StoreError> {
        self.readers.with(move |c| read::chats(c, account)).await
    }

    async fn chat(&self, account: AccountId, chat: ChatId) -> Result<ChatInfo, StoreError> {
        self.readers
            .with(move |c| read::chat(c, account, chat))
            .await
    }

    async fn member_ids(
        &self,
        account: AccountId,
        chat: ChatId,
    ) -> Result<Vec<AccountId>, StoreError> {
        self.readers
            .with(move |c| read::members_of(c, account, chat))
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
            .with(move |c| read::history(c, account, chat, before, limit))
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
            .with(move |c| difference::difference(c, account, since, limit, max_difference))
            .await
    }

    async fn health(&self) -> Result<(), StoreError> {
        self.readers
            .with(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(db_err))
            .await
    }

    async fn shutdown(&self) {
        let (done, stopped) = oneshot::channel();
        if self.commands.send(Command::Stop(done)).is_ok() {
            let _ = stopped.await;
        }
    }
}

#[cfg(test)]
mod tests;
