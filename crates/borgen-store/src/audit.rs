//! The audit-trail writer and reader. Events are only ever inserted; the head
//! row of each chain holds its last sequence number and hash, so that removing
//! the newest event is detected too.

use crate::{Db, Result, Tx, exec, run};
use borgen_core::audit::{EventFields, GENESIS, event_hash};
use borgen_core::time::now_text;

/// Who did something.
#[derive(Clone, Debug)]
pub struct ActorRef {
    pub id: Option<String>,
    pub label: String,
}

/// One change to record.
#[derive(Clone, Debug)]
pub struct NewEvent<'a> {
    pub chain: &'a str,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub chain: String,
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl EventRow {
    fn fields(&self) -> EventFields<'_> {
        EventFields {
            chain: &self.chain,
            seq: self.seq,
            at: &self.at,
            actor_id: self.actor_id.as_deref(),
            actor_label: &self.actor_label,
            action: &self.action,
            entity_type: &self.entity_type,
            entity_id: &self.entity_id,
            before: self.before_json.as_deref(),
            after: self.after_json.as_deref(),
        }
    }
}

/// Appends one event to its chain inside the caller's transaction.
pub async fn append(tx: &mut Tx, actor: &ActorRef, ev: NewEvent<'_>) -> Result<()> {
    let chain = ev.chain;
    append_many(tx, actor, chain, std::slice::from_ref(&ev)).await
}

/// Rows per multi-row insert: 13 values each, well under either database's
/// limit on bound values in one statement.
const EVENTS_PER_INSERT: usize = 500;

/// Appends events to one chain inside the caller's transaction, in order:
/// the chain's head is taken and moved once, and the events are inserted
/// several hundred to a statement (an import of 50,000 records writes its
/// trail in about a hundred statements instead of 150,000).
pub async fn append_many(tx: &mut Tx, actor: &ActorRef, chain: &str, events: &[NewEvent<'_>]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    debug_assert!(events.iter().all(|e| e.chain == chain));
    let n = events.len() as i64;
    // Take the chain's head (this row lock serialises writers on PostgreSQL;
    // SQLite writers are serialised by the one writer connection).
    let head: Option<(i64, String)> = run!(tx, |c| sqlx::query_as(
        "UPDATE audit_heads SET seq = seq + $2 WHERE chain = $1 RETURNING seq, last_hash"
    )
    .bind(chain)
    .bind(n)
    .fetch_optional(c)
    .await)?;
    let (last_seq, mut prev) = match head {
        Some(h) => h,
        None => {
            exec!(tx, |c| sqlx::query("INSERT INTO audit_heads (chain, seq, last_hash) VALUES ($1, $2, $3)")
                .bind(chain)
                .bind(n)
                .bind(GENESIS)
                .execute(c)
                .await)?;
            (n, GENESIS.to_string())
        }
    };
    let at = now_text();
    struct Row {
        id: String,
        seq: i64,
        before: Option<String>,
        after: Option<String>,
        prev: String,
        hash: String,
    }
    let mut rows = Vec::with_capacity(events.len());
    for (i, ev) in events.iter().enumerate() {
        let seq = last_seq - n + 1 + i as i64;
        let before = ev.before.as_ref().map(|v| v.to_string());
        let after = ev.after.as_ref().map(|v| v.to_string());
        let hash = event_hash(
            &prev,
            &EventFields {
                chain,
                seq,
                at: &at,
                actor_id: actor.id.as_deref(),
                actor_label: &actor.label,
                action: ev.action,
                entity_type: ev.entity_type,
                entity_id: ev.entity_id,
                before: before.as_deref(),
                after: after.as_deref(),
            },
        );
        rows.push(Row {
            id: uuid::Uuid::now_v7().to_string(),
            seq,
            before,
            after,
            prev: prev.clone(),
            hash: hash.clone(),
        });
        prev = hash;
    }
    for (events, rows) in events.chunks(EVENTS_PER_INSERT).zip(rows.chunks(EVENTS_PER_INSERT)) {
        let mut sql = format!("INSERT INTO audit_events ({COLS}) VALUES ");
        for i in 0..rows.len() {
            let b = i * 13;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&(1..=13).map(|k| format!("${}", b + k)).collect::<Vec<_>>().join(", "));
            sql.push(')');
        }
        exec!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for (ev, r) in events.iter().zip(rows) {
                q = q
                    .bind(&r.id)
                    .bind(chain)
                    .bind(r.seq)
                    .bind(&at)
                    .bind(actor.id.as_deref())
                    .bind(&actor.label)
                    .bind(ev.action)
                    .bind(ev.entity_type)
                    .bind(ev.entity_id)
                    .bind(r.before.as_deref())
                    .bind(r.after.as_deref())
                    .bind(&r.prev)
                    .bind(&r.hash);
            }
            q.execute(c).await
        })?;
    }
    exec!(tx, |c| sqlx::query("UPDATE audit_heads SET last_hash = $1 WHERE chain = $2")
        .bind(&prev)
        .bind(chain)
        .execute(c)
        .await)?;
    Ok(())
}

/// The sequence number of a chain's newest event (0 for a chain without
/// any). Every change to an organisation's data moves its chain's head, so
/// an unchanged head means nothing changed.
pub async fn head_seq(tx: &mut Tx, chain: &str) -> Result<i64> {
    let seq: Option<i64> = run!(tx, |c| sqlx::query_scalar("SELECT seq FROM audit_heads WHERE chain = $1")
        .bind(chain)
        .fetch_optional(c)
        .await)?;
    Ok(seq.unwrap_or(0))
}

const COLS: &str = "id, chain, seq, at, actor_id, actor_label, action, entity_type, entity_id, before_json, after_json, prev_hash, hash";

/// The newest events of one organisation's chain, a page at a time.
pub async fn list(tx: &mut Tx, chain: &str, limit: i64, offset: i64) -> Result<(Vec<EventRow>, i64)> {
    let sql = format!("SELECT {COLS} FROM audit_events WHERE chain = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3");
    let rows =
        run!(tx, |c| sqlx::query_as::<_, EventRow>(&sql).bind(chain).bind(limit).bind(offset).fetch_all(c).await)?;
    let total: i64 = run!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE chain = $1")
        .bind(chain)
        .fetch_one(c)
        .await)?;
    Ok((rows, total))
}

/// Every event about one record, oldest first.
pub async fn for_entity(tx: &mut Tx, chain: &str, entity_id: &str) -> Result<Vec<EventRow>> {
    let sql = format!("SELECT {COLS} FROM audit_events WHERE chain = $1 AND entity_id = $2 ORDER BY seq");
    Ok(run!(tx, |c| sqlx::query_as::<_, EventRow>(&sql).bind(chain).bind(entity_id).fetch_all(c).await)?)
}

/// What `verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub chains: usize,
    pub events: usize,
    /// The first broken link: chain, sequence number (or event id) and why.
    pub broken: Option<String>,
}

/// Walks every chain from its first event and checks sequence, links, hashes
/// and the head, in one consistent snapshot. Every organisation must have a
/// chain (its creation is its first event), and so must the installation once
/// it has users. Stops at the first broken link.
pub async fn verify(db: &Db) -> Result<Verification> {
    let mut tx = db.snapshot().await?;
    let heads: Vec<(String, i64, String)> =
        run!(&mut tx, |c| sqlx::query_as("SELECT chain, seq, last_hash FROM audit_heads ORDER BY chain")
            .fetch_all(c)
            .await)?;
    let orphan_chains: Vec<String> = run!(&mut tx, |c| sqlx::query_scalar(
        "SELECT DISTINCT chain FROM audit_events WHERE chain NOT IN (SELECT chain FROM audit_heads)"
    )
    .fetch_all(c)
    .await)?;
    let mut out = Verification { chains: heads.len(), events: 0, broken: None };
    if let Some(c) = orphan_chains.first() {
        out.broken = Some(format!("chain {c}: events exist but the chain head is missing"));
        return Ok(out);
    }
    let headless: Vec<String> = run!(&mut tx, |c| {
        sqlx::query_scalar(
        "SELECT slug FROM organisations WHERE id NOT IN (SELECT chain FROM audit_heads WHERE seq >= 1) ORDER BY slug"
    )
    .fetch_all(c)
    .await
    })?;
    if let Some(slug) = headless.first() {
        out.broken = Some(format!("organisation {slug}: its whole audit chain is missing"));
        return Ok(out);
    }
    let users: i64 = run!(&mut tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(c).await)?;
    if users > 0 && !heads.iter().any(|(c, seq, _)| c == borgen_core::audit::INSTALLATION_CHAIN && *seq >= 1) {
        out.broken = Some("the installation chain (users, setup) is missing".into());
        return Ok(out);
    }
    let sql = format!("SELECT {COLS} FROM audit_events WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT 1000");
    for (chain, head_seq, head_hash) in heads {
        let mut prev = GENESIS.to_string();
        let mut expect = 1i64;
        loop {
            let batch = run!(&mut tx, |c| sqlx::query_as::<_, EventRow>(&sql)
                .bind(&chain)
                .bind(expect - 1)
                .fetch_all(c)
                .await)?;
            if batch.is_empty() {
                break;
            }
            for ev in &batch {
                if ev.seq != expect {
                    out.broken = Some(format!(
                        "chain {chain}: event {expect} is missing (next present is {}, id {})",
                        ev.seq, ev.id
                    ));
                    return Ok(out);
                }
                if ev.prev_hash != prev {
                    out.broken = Some(format!(
                        "chain {chain}: event {} (id {}) does not link to the event before it",
                        ev.seq, ev.id
                    ));
                    return Ok(out);
                }
                if event_hash(&prev, &ev.fields()) != ev.hash {
                    out.broken = Some(format!(
                        "chain {chain}: event {} (id {}) was altered: its hash does not match its content",
                        ev.seq, ev.id
                    ));
                    return Ok(out);
                }
                prev = ev.hash.clone();
                expect += 1;
                out.events += 1;
            }
        }
        if expect - 1 != head_seq || prev != head_hash {
            out.broken = Some(format!(
                "chain {chain}: the chain ends at event {} but its head records event {head_seq}: newest events were removed or the head was altered",
                expect - 1
            ));
            return Ok(out);
        }
    }
    Ok(out)
}
