//! The one migration set. Each step is plain SQL that both engines accept.

use crate::{Db, Result, exec, run};

const STEPS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/0001_foundation.sql")),
    (2, "statement of applicability", include_str!("../migrations/0002_soa.sql")),
    (3, "risk management", include_str!("../migrations/0003_risk.sql")),
    (4, "read indexes", include_str!("../migrations/0004_read_indexes.sql")),
    (5, "security hardening", include_str!("../migrations/0005_security.sql")),
    (6, "registers 5.1, 6.3, 7.4", include_str!("../migrations/0006_registers.sql")),
    (7, "second factor", include_str!("../migrations/0007_totp.sql")),
    (8, "stored simulation outcomes", include_str!("../migrations/0008_estimate_result.sql")),
    (9, "context issues on the register mechanism", include_str!("../migrations/0009_context_issue_keys.sql")),
    (10, "approvals named as a person", include_str!("../migrations/0010_run_approver.sql")),
    (11, "interested parties on the register mechanism", include_str!("../migrations/0011_parties_keys.sql")),
    (12, "methodology versions approved", include_str!("../migrations/0012_methodology_approval.sql")),
    (13, "applied controls on the register mechanism", include_str!("../migrations/0013_applied_keys.sql")),
    (14, "own threats on the register mechanism", include_str!("../migrations/0014_threat_keys.sql")),
    (15, "assets on the register mechanism", include_str!("../migrations/0015_asset_keys.sql")),
    (16, "opportunities beside the risks (6.1.1)", include_str!("../migrations/0016_opportunities.sql")),
    (17, "acceptances that expire", include_str!("../migrations/0017_acceptance_expiry.sql")),
    (18, "a done task says what was done", include_str!("../migrations/0018_task_closing_note.sql")),
    (
        19,
        "versions of the treatment plan, signed off by the risk owners",
        include_str!("../migrations/0019_treatment_plans.sql"),
    ),
    (20, "the organisation's time zone", include_str!("../migrations/0020_org_time_zone.sql")),
    (21, "why a risk concerns no asset", include_str!("../migrations/0021_risk_no_asset_reason.sql")),
    (22, "evidence files and their attachments", include_str!("../migrations/0022_evidence.sql")),
    (23, "documents and their versions", include_str!("../migrations/0023_documents.sql")),
    (
        24,
        "acknowledgement of documents; the issues and requirements they take into account",
        include_str!("../migrations/0024_acknowledgements.sql"),
    ),
    (25, "document control settings; the scope's parts", include_str!("../migrations/0025_document_rules.sql")),
    (
        26,
        "people, organisational roles and their holders, competences and their evidence",
        include_str!("../migrations/0026_people_roles.sql"),
    ),
    (
        27,
        "objectives and their progress, resources, the RACI of the ISMS processes, awareness campaigns",
        include_str!("../migrations/0027_objectives_raci_awareness.sql"),
    ),
];

/// Splits a migration file into statements: `--` comments are dropped first
/// (so a `;` in a comment cannot split a statement); migrations hold no
/// string literals with `--` or `;`.
fn statements(sql: &str) -> Vec<String> {
    let without_comments: String =
        sql.lines().map(|l| l.split_once("--").map_or(l, |(code, _)| code)).collect::<Vec<_>>().join("\n");
    without_comments.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

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
        for stmt in statements(sql) {
            exec!(&mut tx, |c| sqlx::query(&stmt).execute(c).await)?;
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
    // Each declared register's table matches its declaration (a mismatch
    // fails here, naming the register); then the sort keys and search text
    // of registers moved onto the mechanism, computed in Rust, in the same
    // transaction as the step that added them.
    crate::register::check_tables(&mut tx, borgen_core::registers::ALL).await?;
    if ran > 0 {
        for reg in borgen_core::registers::ALL {
            crate::register::fill_derived(&mut tx, reg).await?;
        }
    }
    tx.commit().await?;
    Ok(ran)
}

#[cfg(test)]
mod tests {
    #[test]
    fn comments_cannot_split_statements() {
        let s = super::statements("-- a; b\nCREATE TABLE x (a TEXT); -- c;\nCREATE TABLE y (b TEXT)\n");
        assert_eq!(s, ["CREATE TABLE x (a TEXT)", "CREATE TABLE y (b TEXT)"]);
        for (_, _, sql) in super::STEPS {
            for stmt in super::statements(sql) {
                assert!(
                    stmt.starts_with("CREATE")
                        || stmt.starts_with("DROP INDEX")
                        || (stmt.starts_with("ALTER TABLE") && stmt.contains(" ADD COLUMN ")),
                    "{stmt}"
                );
            }
        }
    }
}
