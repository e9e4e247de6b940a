//! Persistence for SQLite and PostgreSQL from one code path.
//!
//! Every query is written once, in the SQL both engines understand (`$1`
//! placeholders, TEXT/BIGINT/BOOLEAN columns, timestamps as RFC 3339 text), and
//! run through the [`run!`] macro, which expands the same code for each backend.
//! Every repository function takes the organisation it works in.

pub mod audit;
pub mod context;
pub mod document;
pub mod evidence;
pub mod group;
pub mod migrate;
pub mod orgs;
pub mod register;
pub mod risk;
pub mod security;
pub mod sessions;
pub mod soa;
pub mod tokens;
pub mod totp;
pub mod users;
pub mod version;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("unsupported database url (use sqlite:// or postgres://)")]
    BadUrl,
    #[error("the commit failed: {0}")]
    Commit(String),
    #[error("evidence store: {0}")]
    Blob(String),
}

impl StoreError {
    /// True when the error is a unique-constraint violation.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Db(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A connection pool to one of the two supported engines.
#[derive(Clone, Debug)]
pub enum Db {
    /// Reads go through the pool; writes through the one group-committing writer.
    Sqlite(SqlitePool, std::sync::Arc<group::Writer>),
    Postgres(PgPool, Generation),
}

/// Counts the write transactions this process has committed: a value read
/// before a query and unchanged afterwards means this process has changed
/// nothing since (what other processes write, it cannot see).
#[derive(Clone, Debug, Default)]
pub struct Generation(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl Generation {
    pub fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
    pub(crate) fn bump(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A transaction on either engine.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    /// A write transaction on SQLite, committed with its batch.
    Group(group::GroupTx),
    /// On PostgreSQL; a write transaction carries the counter its commit bumps.
    Postgres(Transaction<'static, Postgres>, Option<Generation>),
}

/// Runs the same expression against whichever engine `$tx` holds; `$c` is the
/// connection inside the expression. The expression is type-checked once per
/// engine, so one query string serves both.
#[macro_export]
macro_rules! run {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::Tx::Group(t) => {
                let $c = t.conn();
                $body
            }
            $crate::Tx::Postgres(t, _) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Like [`run!`] for statements: evaluates to the number of rows affected.
#[macro_export]
macro_rules! exec {
    ($tx:expr, |$c:ident| $body:expr) => {
        $crate::run!($tx, |$c| ($body).map(|r| r.rows_affected()))
    };
}

impl Db {
    /// Opens the SQLite database file `borgen.db` under `data_dir`, creating both.
    pub async fn open_sqlite_dir(data_dir: &Path) -> Result<Db> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StoreError::Corrupt(format!("cannot create {}: {e}", data_dir.display())))?;
        let opts = SqliteConnectOptions::new().filename(data_dir.join("borgen.db")).create_if_missing(true);
        Self::open_sqlite(opts).await
    }

    async fn open_sqlite(opts: SqliteConnectOptions) -> Result<Db> {
        let opts = opts
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts.clone()).await?;
        let writer = group::Writer::connect(&opts).await?;
        Ok(Db::Sqlite(pool, std::sync::Arc::new(writer)))
    }

    /// Connects by URL: `postgres://…` or `sqlite://path`.
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Db::Postgres(pool, Generation::default()))
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?.create_if_missing(true);
            Self::open_sqlite(opts).await
        } else {
            Err(StoreError::BadUrl)
        }
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(..) => "postgres",
        }
    }

    /// A transaction for reading.
    pub async fn read(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p, _) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p, _) => Tx::Postgres(p.begin().await?, None),
        })
    }

    /// How many write transactions this process has committed so far.
    pub fn generation(&self) -> u64 {
        match self {
            Db::Sqlite(_, w) => w.generation().get(),
            Db::Postgres(_, g) => g.get(),
        }
    }

    /// A read transaction that sees one consistent snapshot for all its
    /// statements (REPEATABLE READ on PostgreSQL; a SQLite read transaction in
    /// WAL mode already does).
    pub async fn snapshot(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p, _) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p, _) => {
                let mut t = p.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *t).await?;
                Tx::Postgres(t, None)
            }
        })
    }

    /// Opens an existing SQLite database in `data_dir` without creating
    /// anything (for commands that only read, such as `audit verify`).
    pub async fn open_existing_sqlite_dir(data_dir: &Path) -> Result<Db> {
        let file = data_dir.join("borgen.db");
        if !file.is_file() {
            return Err(StoreError::Corrupt(format!("no Borgen database at {}", file.display())));
        }
        Self::open_sqlite(SqliteConnectOptions::new().filename(file).create_if_missing(false)).await
    }

    /// A transaction for writing. On SQLite, writers queue for the one write
    /// connection and concurrent commits share an fsync (see [`group`]).
    pub async fn write(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(_, w) => Tx::Group(w.begin().await?),
            Db::Postgres(p, g) => Tx::Postgres(p.begin().await?, Some(g.clone())),
        })
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        let mut tx = self.read().await?;
        let _: i64 = run!(&mut tx, |c| sqlx::query_scalar("SELECT CAST(1 AS BIGINT)").fetch_one(c).await)?;
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p, _) => p.close().await,
            Db::Postgres(p, _) => p.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Group(t) => t.commit().await?,
            Tx::Postgres(t, g) => {
                t.commit().await?;
                if let Some(g) = g {
                    g.bump();
                }
            }
        }
        Ok(())
    }
}

/// Converts a stored code back into its enum, or reports corrupt data.
pub(crate) fn decode<T>(what: &str, v: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    parse(v).ok_or_else(|| StoreError::Corrupt(format!("{what}: {v:?}")))
}
