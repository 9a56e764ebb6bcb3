//! SQL written once for every backend: statements in the dialect SQLite and PostgreSQL
//! share (`?N` parameters, `ON CONFLICT`, `RETURNING`, `EXISTS`), run on a [`Db`] and
//! read by column index from a [`Row`]. Store code written against these types does not
//! know which database it runs on; a backend adds a variant to [`Db`] and [`Row`].
//!
//! Every store module runs on it, and so does the writer loop (`writer.rs`); the
//! backends' own parts (connections, transactions, migrations) live in `store/sqlite/`
//! and `store/postgres/`, and `postgres.rs` here binds and reads values the way
//! PostgreSQL types them.

pub(crate) mod channels;
pub(crate) mod difference;
pub(crate) mod plans;
pub(crate) mod postgres;
pub(crate) mod presence;
pub(crate) mod read;
pub(crate) mod sponsored;
pub(crate) mod views;
pub(crate) mod write;
pub(crate) mod writer;

pub(crate) use write::SettingsChange;

use crate::store::StoreError;
use postgres::{pg_err, PgConn};
use rusqlite::types::{ToSqlOutput, ValueRef};
use std::borrow::Cow;
use std::cell::RefCell;

/// A connection (or transaction) to run statements on.
#[derive(Clone, Copy)]
pub(crate) enum Db<'c> {
    /// SQLite, through rusqlite (its statement cache included).
    Sqlite(&'c rusqlite::Connection),
    /// PostgreSQL, inside the transaction its owner opened.
    Postgres(&'c RefCell<PgConn>),
}

/// One parameter of a statement: borrowed, or owned when the caller hands over a value
/// it no longer needs (a payload, say), so that nothing is copied.
#[derive(Clone, Debug)]
pub(crate) enum Param<'a> {
    /// NULL.
    Null,
    /// A signed integer.
    Int(i64),
    /// An unsigned integer; refused by the database if it is above `i64::MAX`.
    UInt(u64),
    /// Text.
    Text(Cow<'a, str>),
    /// Bytes.
    Blob(Cow<'a, [u8]>),
    /// A list of integers, for `= ANY(?N)` in statements that only PostgreSQL runs.
    Ints(Vec<i64>),
}

/// The parameters of a statement, in `?1`, `?2`… order: `args![account.0, title]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::store::sql::Param::from($value)),*][..]
    };
}
pub(crate) use args;

/// One row of a result.
pub(crate) enum Row<'r> {
    /// A SQLite row.
    Sqlite(&'r rusqlite::Row<'r>),
    /// A PostgreSQL row.
    Postgres(&'r ::postgres::Row),
}

/// A value that can be read from a column.
pub(crate) trait Column: Sized {
    /// Reads column `index` of a SQLite row.
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Self>;
    /// Reads column `index` of a PostgreSQL row.
    fn from_postgres(row: &::postgres::Row, index: usize) -> Result<Self, StoreError>;
}

impl Row<'_> {
    /// Column `index`, as `T`.
    pub(crate) fn get<T: Column>(&self, index: usize) -> Result<T, StoreError> {
        match self {
            Row::Sqlite(row) => T::from_sqlite(row, index).map_err(sqlite_err),
            Row::Postgres(row) => T::from_postgres(row, index),
        }
    }
}

impl Db<'_> {
    /// Runs a statement; returns the rows it changed.
    pub(crate) fn execute(self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        match self {
            Db::Sqlite(conn) => {
                let changed = conn
                    .prepare_cached(sql)
                    .map_err(sqlite_err)?
                    .execute(rusqlite::params_from_iter(params))
                    .map_err(sqlite_err)?;
                Ok(changed as u64)
            }
            Db::Postgres(conn) => conn.borrow_mut().execute(sql, params),
        }
    }

    /// The first row of a query read by `read`, if there is one.
    pub(crate) fn query_opt<T>(
        self,
        sql: &str,
        params: &[Param<'_>],
        read: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.scan(sql, params, Some(1), read)?.pop())
    }

    /// The first row of a query that always has one (`count(*)`, `MAX`, `EXISTS`).
    pub(crate) fn query_one<T>(
        self,
        sql: &str,
        params: &[Param<'_>],
        read: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.query_opt(sql, params, read)?
            .ok_or_else(|| StoreError::Corrupt(format!("no row from: {sql}")))
    }

    /// Every row of a query, each read by `read`.
    pub(crate) fn query_all<T>(
        self,
        sql: &str,
        params: &[Param<'_>],
        read: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.scan(sql, params, None, read)
    }

    /// The first `limit` rows of a query (all without one), each read by `read`.
    fn scan<T>(
        self,
        sql: &str,
        params: &[Param<'_>],
        limit: Option<usize>,
        mut read: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        match self {
            Db::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql).map_err(sqlite_err)?;
                let mut rows = statement
                    .query(rusqlite::params_from_iter(params))
                    .map_err(sqlite_err)?;
                let mut out = Vec::new();
                while limit.is_none_or(|most| out.len() < most) {
                    let Some(row) = rows.next().map_err(sqlite_err)? else {
                        break;
                    };
                    out.push(read(&Row::Sqlite(row))?);
                }
                Ok(out)
            }
            Db::Postgres(conn) => {
                let rows = conn.borrow_mut().query(sql, params, limit)?;
                rows.iter().map(|row| read(&Row::Postgres(row))).collect()
            }
        }
    }
}

/// The current time in Unix milliseconds.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn sqlite_err(e: rusqlite::Error) -> StoreError {
    StoreError::Database(Box::new(e))
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Param::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Param::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Param::UInt(v) => ToSqlOutput::Borrowed(ValueRef::Integer(
                i64::try_from(*v)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
            )),
            Param::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Param::Blob(v) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
            Param::Ints(_) => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    "integer lists are bound on PostgreSQL only".into(),
                ))
            }
        })
    }
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<u64> for Param<'_> {
    fn from(v: u64) -> Self {
        Param::UInt(v)
    }
}

impl From<usize> for Param<'_> {
    fn from(v: usize) -> Self {
        Param::UInt(u64::try_from(v).unwrap_or(u64::MAX))
    }
}

impl From<u32> for Param<'_> {
    fn from(v: u32) -> Self {
        Param::Int(i64::from(v))
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(Cow::Borrowed(v))
    }
}

impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Int(i64::from(v))
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(Cow::Borrowed(v))
    }
}

impl From<String> for Param<'_> {
    fn from(v: String) -> Self {
        Param::Text(Cow::Owned(v))
    }
}

impl From<Vec<u8>> for Param<'_> {
    fn from(v: Vec<u8>) -> Self {
        Param::Blob(Cow::Owned(v))
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(v: &'a [u8]) -> Self {
        Param::Blob(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a Vec<u8>> for Param<'a> {
    fn from(v: &'a Vec<u8>) -> Self {
        Param::Blob(Cow::Borrowed(v))
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

/// Columns read through rusqlite's own conversions (which check ranges and types) on
/// SQLite, and through `$postgres` on PostgreSQL.
macro_rules! column {
    ($($t:ty => $postgres:expr),* $(,)?) => {
        $(impl Column for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Self> {
                row.get(index)
            }

            fn from_postgres(row: &::postgres::Row, index: usize) -> Result<Self, StoreError> {
                let read: fn(&::postgres::Row, usize) -> Result<$t, StoreError> = $postgres;
                read(row, index)
            }
        })*
    };
}

/// A non-null integer column, converted to `T`.
fn pg_int<T: TryFrom<i64>>(row: &::postgres::Row, index: usize) -> Result<T, StoreError> {
    pg_opt_int(row, index)?.ok_or_else(|| StoreError::Corrupt(format!("column {index} is NULL")))
}

/// A nullable integer column, converted to `T`.
fn pg_opt_int<T: TryFrom<i64>>(
    row: &::postgres::Row,
    index: usize,
) -> Result<Option<T>, StoreError> {
    postgres::int(row, index)?
        .map(|v| T::try_from(v).map_err(|_| StoreError::Corrupt(format!("column {index}: {v}"))))
        .transpose()
}

column!(
    i64 => pg_int,
    u64 => pg_int,
    u32 => pg_int,
    bool => |row, index| Ok(pg_int::<i64>(row, index)? != 0),
    String => |row, index| row.try_get(index).map_err(pg_err),
    Vec<u8> => |row, index| row.try_get(index).map_err(pg_err),
    Option<i64> => pg_opt_int,
    Option<u64> => pg_opt_int,
    Option<String> => |row, index| row.try_get(index).map_err(pg_err),
    Option<Vec<u8>> => |row, index| row.try_get(index).map_err(pg_err),
);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::postgres::PgConn;
    use super::Db;
    use crate::store::pg_cluster::PgCluster;
    use std::cell::RefCell;

    /// The same statements on either backend, after `create` made table `t`.
    fn round_trip(db: Db<'_>, create: &str) {
        db.execute(create, args![]).unwrap();
        let bytes = vec![1u8, 2, 3];
        let name = String::from("أليس");
        let none: Option<u64> = None;
        let first: u64 = db
            .query_one(
                "INSERT INTO t (n, b, s, k) VALUES (?1, ?2, ?3, 1) RETURNING id",
                args![7u64, &bytes, &name],
                |r| r.get(0),
            )
            .unwrap();
        db.execute(
            "INSERT INTO t (n, b, s, k) VALUES (?1, ?2, NULL, 2)",
            args![none, bytes.clone()],
        )
        .unwrap();
        assert_eq!(
            db.execute(
                "INSERT INTO t (n, k) VALUES (?1, 1) ON CONFLICT DO NOTHING",
                args![8u64]
            )
            .unwrap(),
            0,
            "a conflict changes nothing"
        );
        let rows = db
            .query_all(
                "SELECT id, n, b, s IS NOT NULL, s FROM t ORDER BY id",
                args![],
                |r| {
                    Ok((
                        r.get::<u64>(0)?,
                        r.get::<Option<u64>>(1)?,
                        r.get::<Vec<u8>>(2)?,
                        r.get::<bool>(3)?,
                        r.get::<Option<String>>(4)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], (first, Some(7), bytes.clone(), true, Some(name)));
        assert_eq!(
            (rows[1].1, rows[1].3, rows[1].4.clone()),
            (None, false, None)
        );
        let exists: bool = db
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM t WHERE n = ?1)",
                args![7u64],
                |r| r.get(0),
            )
            .unwrap();
        assert!(exists);
        assert_eq!(
            db.query_opt("SELECT n FROM t WHERE n = ?1", args![99u64], |r| r
                .get::<u64>(0))
                .unwrap(),
            None
        );
        assert!(
            db.execute("INSERT INTO t (n, k) VALUES (?1, 3)", args![u64::MAX])
                .is_err(),
            "refused, not wrapped to a negative number"
        );
    }

    #[test]
    fn values_round_trip_on_sqlite() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        round_trip(
            Db::Sqlite(&conn),
            "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, b BLOB, s TEXT, k INTEGER UNIQUE)",
        );
    }

    #[test]
    fn the_same_statements_run_on_postgres() {
        let cluster = PgCluster::start();
        let client = ::postgres::Client::connect(&cluster.url(), ::postgres::NoTls).unwrap();
        let conn = RefCell::new(PgConn::new(client));
        round_trip(
            Db::Postgres(&conn),
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \
             n BIGINT, b BYTEA, s TEXT, k INTEGER UNIQUE)",
        );
    }
}
