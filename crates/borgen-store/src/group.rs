//! Group commit for SQLite: concurrent write transactions share one physical
//! transaction, and so one fsync, without giving up durability.
//!
//! One dedicated connection does every write. A write transaction takes it,
//! opens the shared transaction if none is open (`BEGIN IMMEDIATE`) and works
//! inside a savepoint of its own. On commit it releases the savepoint; if
//! other writers are queued it hands the connection on and waits, otherwise
//! (or when the batch is full) it commits the shared transaction and tells
//! every transaction of the batch the outcome. A transaction's commit returns
//! only after the physical `COMMIT` (with `synchronous=FULL`, after the
//! fsync), so a caller never answers before its change is on disk. A
//! transaction dropped without commit rolls back its savepoint only; the rest
//! of the batch is unaffected. Should the queued writer that was handed the
//! batch go away, a waiting member commits the batch itself after a short
//! wait, so no commit is lost.

use crate::{Generation, Result, StoreError};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Executor, SqliteConnection};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

/// The most transactions one physical commit carries.
const MAX_BATCH: usize = 64;
/// How long a member waits for the writer it handed the batch to before it
/// commits the batch itself.
const HANDOVER_WAIT: Duration = Duration::from_millis(200);

type Outcome = Option<std::result::Result<(), String>>;

struct State {
    conn: SqliteConnection,
    /// The shared transaction is open.
    open: bool,
    /// Transactions released into the open batch.
    members: usize,
    /// Counts physical commits; a batch is known by the generation it started in.
    generation: u64,
    /// Where the open batch's outcome is announced.
    batch: Arc<watch::Sender<Outcome>>,
    /// The writer's commit counter, bumped before a batch hears its outcome.
    committed: Generation,
}

/// The writer of one SQLite database.
pub struct Writer {
    state: Arc<Mutex<State>>,
    queued: AtomicUsize,
    /// Bumped after each physical commit.
    committed: Generation,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("queued", &self.queued.load(Ordering::Relaxed)).finish()
    }
}

fn new_batch() -> Arc<watch::Sender<Outcome>> {
    Arc::new(watch::channel(None).0)
}

/// Counts a writer in the queue until it holds the connection (or gives up).
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Writer {
    pub async fn connect(opts: &SqliteConnectOptions) -> Result<Writer> {
        let conn = opts.connect().await?;
        let committed = Generation::default();
        let state =
            State { conn, open: false, members: 0, generation: 0, batch: new_batch(), committed: committed.clone() };
        Ok(Writer { state: Arc::new(Mutex::new(state)), queued: AtomicUsize::new(0), committed })
    }

    /// Counts the physical commits (see [`Generation`]).
    pub fn generation(&self) -> &Generation {
        &self.committed
    }

    /// Starts a write transaction (waits for the connection).
    pub async fn begin(self: &Arc<Self>) -> Result<GroupTx> {
        let w = self.clone();
        detach(async move {
            w.queued.fetch_add(1, Ordering::SeqCst);
            let queued = Queued(&w.queued);
            let mut st = w.state.clone().lock_owned().await;
            drop(queued);
            if !st.open {
                st.conn.execute("BEGIN IMMEDIATE").await?;
                st.open = true;
            }
            if let Err(e) = st.conn.execute("SAVEPOINT w").await {
                w.finish(&mut st).await;
                return Err(e.into());
            }
            Ok(GroupTx { writer: w.clone(), st: Some(st) })
        })
        .await
    }

    /// Commits the shared transaction and announces the outcome to its batch.
    async fn flush(st: &mut State) -> std::result::Result<(), String> {
        if !st.open {
            return Ok(());
        }
        let r = st.conn.execute("COMMIT").await.map(|_| ()).map_err(|e| e.to_string());
        if r.is_err() {
            let _ = st.conn.execute("ROLLBACK").await;
        }
        Self::end_batch(st, r.clone());
        r
    }

    /// The shared transaction is over: tell its batch how it ended.
    fn end_batch(st: &mut State, r: std::result::Result<(), String>) {
        // Every end counts as a change, so cached reads are counted again.
        st.committed.bump();
        st.open = false;
        st.members = 0;
        st.generation += 1;
        let batch = std::mem::replace(&mut st.batch, new_batch());
        batch.send_replace(Some(r));
    }

    /// After a transaction leaves the connection: commit the batch unless a
    /// queued writer will carry it on; an empty shared transaction is ended.
    async fn finish(&self, st: &mut State) {
        if self.queued.load(Ordering::SeqCst) > 0 && st.members < MAX_BATCH {
            return;
        }
        if st.members == 0 {
            if st.open {
                let _ = st.conn.execute("ROLLBACK").await;
                st.open = false;
            }
        } else {
            let _ = Self::flush(st).await;
        }
    }

    /// Rolls back one transaction's savepoint. If that fails, SQLite has
    /// already rolled back the whole shared transaction (some errors do): the
    /// batch has failed, and its members are told so.
    async fn undo(&self, st: &mut State) {
        let intact = st.conn.execute("ROLLBACK TO w").await.is_ok() && st.conn.execute("RELEASE w").await.is_ok();
        if intact {
            self.finish(st).await;
        } else {
            let _ = st.conn.execute("ROLLBACK").await;
            Self::end_batch(st, Err("the shared transaction was rolled back after an error".into()));
        }
    }

    /// Waits for the batch of `generation` to be committed; commits it
    /// itself when the writer it was handed to does not.
    async fn wait(self: &Arc<Self>, batch: Arc<watch::Sender<Outcome>>, generation: u64) -> Result<()> {
        let mut rx = batch.subscribe();
        loop {
            let seen: Outcome = match tokio::time::timeout(HANDOVER_WAIT, rx.wait_for(Option::is_some)).await {
                Ok(Ok(outcome)) => (*outcome).clone(),
                Ok(Err(_)) => return Err(StoreError::Commit("the writer went away".into())),
                Err(_) => None,
            };
            if let Some(outcome) = seen {
                return outcome.map_err(StoreError::Commit);
            }
            let w = self.clone();
            let outcome = detach(async move {
                let mut st = w.state.clone().lock_owned().await;
                if st.generation == generation { Ok(Some(Self::flush(&mut st).await)) } else { Ok(None) }
            })
            .await?;
            if let Some(r) = outcome {
                return r.map_err(StoreError::Commit);
            }
        }
    }
}

/// Runs a step of the writer's protocol as a task of its own, so that a
/// caller that goes away (a cancelled request) cannot stop it half-way and
/// leave the connection and the writer's state disagreeing.
async fn detach<T: Send + 'static>(step: impl Future<Output = Result<T>> + Send + 'static) -> Result<T> {
    tokio::spawn(step).await.map_err(|e| StoreError::Commit(format!("the writer's task failed: {e}")))?
}

/// A write transaction on SQLite (a savepoint in the shared transaction).
pub struct GroupTx {
    writer: Arc<Writer>,
    st: Option<OwnedMutexGuard<State>>,
}

impl GroupTx {
    pub fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.st.as_mut().expect("an open transaction").conn
    }

    /// Makes the transaction's changes durable (with those of its batch).
    pub async fn commit(mut self) -> Result<()> {
        let mut st = self.st.take().expect("an open transaction");
        let w = self.writer.clone();
        let handed = detach(async move {
            if let Err(e) = st.conn.execute("RELEASE w").await {
                w.undo(&mut st).await;
                return Err(e.into());
            }
            st.members += 1;
            if w.queued.load(Ordering::SeqCst) == 0 || st.members >= MAX_BATCH {
                Writer::flush(&mut st).await.map_err(StoreError::Commit)?;
                return Ok(None);
            }
            Ok(Some((st.batch.clone(), st.generation)))
        })
        .await?;
        match handed {
            None => Ok(()),
            Some((batch, generation)) => self.writer.wait(batch, generation).await,
        }
    }
}

impl Drop for GroupTx {
    /// Dropped without commit: its savepoint is rolled back (on the runtime,
    /// since that needs the connection), the rest of the batch goes on.
    fn drop(&mut self) {
        if let Some(mut st) = self.st.take() {
            let writer = self.writer.clone();
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move { writer.undo(&mut st).await });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    async fn writer(dir: &std::path::Path) -> (Arc<Writer>, SqliteConnectOptions) {
        let opts = SqliteConnectOptions::new()
            .filename(dir.join("t.db"))
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Full);
        let w = Arc::new(Writer::connect(&opts).await.unwrap());
        let mut tx = w.begin().await.unwrap();
        tx.conn().execute("CREATE TABLE t (n INTEGER PRIMARY KEY)").await.unwrap();
        tx.commit().await.unwrap();
        (w, opts)
    }

    async fn stored(opts: &SqliteConnectOptions) -> Vec<i64> {
        let mut c = opts.connect().await.unwrap();
        sqlx::query("SELECT n FROM t ORDER BY n").fetch_all(&mut c).await.unwrap().iter().map(|r| r.get(0)).collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_commits_share_batches_and_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let (w, opts) = writer(dir.path()).await;
        let mut tasks = Vec::new();
        for n in 0..200i64 {
            let w = w.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = w.begin().await.unwrap();
                sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(tx.conn()).await.unwrap();
                if n % 10 == 3 {
                    drop(tx); // rolled back: the others still land
                } else {
                    tx.commit().await.unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let want: Vec<i64> = (0..200).filter(|n| n % 10 != 3).collect();
        assert_eq!(stored(&opts).await, want, "every committed row is on disk, no rolled-back row is");
        let generation = w.state.lock().await.generation;
        assert!(generation < 181, "some commits were shared: {generation} physical commits for 180 transactions");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_that_go_away_midway_leave_the_writer_working() {
        let dir = tempfile::tempdir().unwrap();
        let (w, opts) = writer(dir.path()).await;
        for n in 0..60i64 {
            let w2 = w.clone();
            let caller = tokio::spawn(async move {
                let mut tx = w2.begin().await.unwrap();
                sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(tx.conn()).await.unwrap();
                tx.commit().await.unwrap();
            });
            // Cancel the caller at a different point each time (or not at all).
            tokio::time::sleep(Duration::from_micros((n as u64 * 53) % 700)).await;
            caller.abort();
            let _ = caller.await;
        }
        let mut tx = tokio::time::timeout(Duration::from_secs(5), w.begin()).await.expect("not stuck").unwrap();
        sqlx::query("INSERT INTO t (n) VALUES (1000)").execute(tx.conn()).await.unwrap();
        tokio::time::timeout(Duration::from_secs(5), tx.commit()).await.expect("not stuck").unwrap();
        assert!(stored(&opts).await.contains(&1000));
        let st = w.state.lock().await;
        assert!(!st.open && st.members == 0, "no transaction left open");
    }

    #[tokio::test]
    async fn a_failed_statement_spoils_only_its_own_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let (w, opts) = writer(dir.path()).await;
        let mut a = w.begin().await.unwrap();
        sqlx::query("INSERT INTO t (n) VALUES (1)").execute(a.conn()).await.unwrap();
        a.commit().await.unwrap();
        let mut b = w.begin().await.unwrap();
        assert!(sqlx::query("INSERT INTO t (n) VALUES (1)").execute(b.conn()).await.is_err());
        drop(b);
        let mut c = w.begin().await.unwrap();
        sqlx::query("INSERT INTO t (n) VALUES (2)").execute(c.conn()).await.unwrap();
        c.commit().await.unwrap();
        assert_eq!(stored(&opts).await, [1, 2]);
    }
}
