//! The PostgreSQL side of the SQL layer: a connection with its prepared statements, `?N`
//! parameters rewritten to `$N`, each parameter bound as the type the server inferred for
//! it, and columns read back whatever integer width or boolean the schema gave them.

use super::Param;
use crate::store::StoreError;
use postgres::types::{ToSql, Type};
use std::collections::HashMap;

/// A PostgreSQL connection and the statements prepared on it, by their `?N` text.
pub(crate) struct PgConn {
    client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
    /// Rows changed through [`PgConn::execute`] so far.
    changes: u64,
}

impl PgConn {
    /// Wraps a connected client.
    pub(crate) fn new(client: postgres::Client) -> Self {
        PgConn {
            client,
            statements: HashMap::new(),
            changes: 0,
        }
    }

    /// Runs statements without parameters (`BEGIN`, `SAVEPOINT`, a migration).
    pub(crate) fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.client.batch_execute(sql).map_err(pg_err)
    }

    /// Rows changed by statements run through the layer so far.
    pub(crate) fn changes(&self) -> u64 {
        self.changes
    }

    /// Runs a statement; returns the rows it changed.
    pub(super) fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        let statement = self.statement(sql)?;
        let values = bind(params, statement.params())?;
        let changed = self
            .client
            .execute(&statement, &refs(&values))
            .map_err(pg_err)?;
        self.changes += changed;
        Ok(changed)
    }

    /// Every row of a query (the first `limit` when given).
    pub(super) fn query(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        limit: Option<usize>,
    ) -> Result<Vec<postgres::Row>, StoreError> {
        let statement = self.statement(sql)?;
        let values = bind(params, statement.params())?;
        let mut rows = self
            .client
            .query(&statement, &refs(&values))
            .map_err(pg_err)?;
        if let Some(most) = limit {
            rows.truncate(most);
        }
        Ok(rows)
    }

    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&dollar_params(sql)).map_err(pg_err)?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

/// `?N` parameters as PostgreSQL writes them (`$N`), outside string literals.
pub(super) fn dollar_params(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_string = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_string = !in_string;
                out.push(c);
            }
            '?' if !in_string && chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

/// A parameter converted to the Rust type its inferred SQL type takes.
type Bound = Box<dyn ToSql + Sync>;

/// Converts each parameter to what the statement expects at its position.
fn bind(params: &[Param<'_>], types: &[Type]) -> Result<Vec<Bound>, StoreError> {
    if params.len() != types.len() {
        return Err(StoreError::Corrupt(format!(
            "{} parameters for a statement that takes {}",
            params.len(),
            types.len()
        )));
    }
    params
        .iter()
        .zip(types)
        .map(|(p, t)| bind_one(p, t))
        .collect()
}

fn bind_one(param: &Param<'_>, ty: &Type) -> Result<Bound, StoreError> {
    let mismatch = || StoreError::Corrupt(format!("cannot bind {param:?} as {ty}"));
    let int = |v: i64| -> Result<Bound, StoreError> {
        Ok(match *ty {
            Type::INT8 => Box::new(v),
            Type::INT4 => Box::new(i32::try_from(v).map_err(|_| mismatch())?),
            Type::INT2 => Box::new(i16::try_from(v).map_err(|_| mismatch())?),
            Type::BOOL => Box::new(v != 0),
            _ => return Err(mismatch()),
        })
    };
    match param {
        Param::Null => Ok(match *ty {
            Type::INT8 => Box::new(None::<i64>),
            Type::INT4 => Box::new(None::<i32>),
            Type::INT2 => Box::new(None::<i16>),
            Type::BOOL => Box::new(None::<bool>),
            Type::BYTEA => Box::new(None::<Vec<u8>>),
            _ => Box::new(None::<String>),
        }),
        Param::Int(v) => int(*v),
        Param::UInt(v) => int(i64::try_from(*v).map_err(|_| mismatch())?),
        Param::Text(v) => match *ty {
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                Ok(Box::new(v.to_string()))
            }
            _ => Err(mismatch()),
        },
        Param::Blob(v) => match *ty {
            Type::BYTEA => Ok(Box::new(v.to_vec())),
            _ => Err(mismatch()),
        },
        Param::Ints(v) => match *ty {
            Type::INT8_ARRAY => Ok(Box::new(v.clone())),
            _ => Err(mismatch()),
        },
    }
}

fn refs(values: &[Bound]) -> Vec<&(dyn ToSql + Sync)> {
    values
        .iter()
        .map(|v| v.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// Column `index` of a row as an `i64`, whatever its integer width (or a boolean).
pub(super) fn int(row: &postgres::Row, index: usize) -> Result<Option<i64>, StoreError> {
    let ty = row
        .columns()
        .get(index)
        .ok_or_else(|| StoreError::Corrupt(format!("no column {index}")))?
        .type_()
        .clone();
    Ok(match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(index).map_err(pg_err)?,
        Type::INT4 => row
            .try_get::<_, Option<i32>>(index)
            .map_err(pg_err)?
            .map(i64::from),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(index)
            .map_err(pg_err)?
            .map(i64::from),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(index)
            .map_err(pg_err)?
            .map(i64::from),
        other => {
            return Err(StoreError::Corrupt(format!(
                "column {index} is {other}, not an integer"
            )))
        }
    })
}

/// Wraps a PostgreSQL error; a conflict with another writer is told apart (see
/// [`StoreError::Conflict`]).
pub(crate) fn pg_err(e: postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    let conflict = [
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::UNIQUE_VIOLATION,
    ];
    if e.code().is_some_and(|code| conflict.contains(code)) {
        StoreError::Conflict(Box::new(e))
    } else {
        StoreError::Database(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::dollar_params;

    #[test]
    fn question_mark_parameters_become_dollar_ones_outside_strings() {
        assert_eq!(
            dollar_params("SELECT ?1, '?2' FROM t WHERE a = ?12 AND b = '?'"),
            "SELECT $1, '?2' FROM t WHERE a = $12 AND b = '?'"
        );
    }
}
