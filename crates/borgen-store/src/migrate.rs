//! The one migration set. Each step is plain SQL that both engines accept.

use crate::{Db, Result, exec, run};

const STEPS: &[(i64, &str, &str)] = &[(1, "foundation", include_str!("../migrations/0001_foundation.sql"))];

/// Applies every step not yet applied; returns how many ran.
pub async fn migrate(db: &Db) -> Result<usize> {
    let mut tx = db.write().await?;
    exec!(&mut tx, |c| {
        sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    .execute(c)
    .await
    })?;
    let done: Vec<i64> =
        run!(&mut tx, |c| sqlx::query_scalar("SELECT version FROM schema_migrations").fetch_all(c).await)?;
    let mut ran = 0;
    for (version, name, sql) in STEPS {
        if done.contains(version) {
            continue;
        }
        for stmt in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            exec!(&mut tx, |c| sqlx::query(stmt).execute(c).await)?;
        }
        exec!(&mut tx, |c| sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"
        )
        .bind(version)
        .bind(name)
        .bind(borgen_core::time::now_text())
        .execute(c)
        .await)?;
        ran += 1;
    }
    tx.commit().await?;
    Ok(ran)
}
