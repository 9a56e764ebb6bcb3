//! The PostgreSQL store: the shared store suite, each test on a database of its own in a
//! throwaway cluster.

#![allow(clippy::unwrap_used)]

use super::PostgresStore;
use crate::store::pg_cluster::PgCluster;
use crate::store::sql_store::SqlStore;
use crate::store::suite::{store_suite, Backend};
use crate::store::{Store, UpdateSink};
use std::sync::Arc;

/// A throwaway cluster and the URL of its database.
struct Postgres {
    cluster: PgCluster,
}

impl Postgres {
    fn url(&self) -> String {
        self.cluster.url()
    }
}

impl Backend for Postgres {
    async fn open(&self, sink: Arc<dyn UpdateSink>) -> Arc<dyn Store> {
        let url = self.url();
        let store = tokio::task::spawn_blocking(move || PostgresStore::open(&url, sink, 64))
            .await
            .unwrap()
            .unwrap();
        Arc::new(SqlStore::new(store))
    }

    async fn count_rows(&self, table: &str) -> u64 {
        let url = self.url();
        let sql = format!("SELECT count(*) FROM {table}");
        tokio::task::spawn_blocking(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            let n: i64 = client.query_one(sql.as_str(), &[]).unwrap().get(0);
            u64::try_from(n).unwrap()
        })
        .await
        .unwrap()
    }
}

fn postgres() -> Postgres {
    Postgres {
        cluster: PgCluster::start(),
    }
}

store_suite!(postgres());
