//! Risk methodology versions, the
//! risk register with its links, acceptances and tasks. Every function takes
//! the organisation.

use crate::context::{archive_clause, contains_pattern, search_text};
use crate::{Result, StoreError, Tx, decode, exec, run};
use borgen_core::ids::{AcceptanceId, AppliedControlId, OrgId, RiskId, TaskId, UserId};
use borgen_core::risk::*;
use borgen_core::task::*;
use std::collections::{HashMap, HashSet};

// ---------------------------------------------------------------- methodology

#[derive(sqlx::FromRow)]
struct MethodologyRow {
    version: i64,
    body: String,
    note: Option<String>,
    created_by_label: String,
    created_at: String,
    approved_at: Option<String>,
    approved_by_label: Option<String>,
    approval_comment: Option<String>,
}

impl MethodologyRow {
    fn decode(self) -> Result<MethodologyVersion> {
        let methodology: Methodology = serde_json::from_str(&self.body)
            .map_err(|e| StoreError::Corrupt(format!("methodology {}: {e}", self.version)))?;
        Ok(MethodologyVersion {
            version: self.version,
            note: self.note,
            created_by_label: self.created_by_label,
            created_at: self.created_at,
            approval: self.approved_at.map(|at| Approval {
                at,
                by_label: self.approved_by_label.unwrap_or_default(),
                comment: self.approval_comment,
            }),
            methodology,
        })
    }
}

const METHOD_COLS: &str =
    "version, body, note, created_by_label, created_at, approved_at, approved_by_label, approval_comment";

/// The methodology in force (6.1.2 a: criteria the organisation established):
/// the newest version top management approved, or the first version while
/// none is approved yet (there is nothing else to score with). A newer
/// version is a draft until it is approved.
pub async fn current_methodology(tx: &mut Tx, org: OrgId) -> Result<Option<MethodologyVersion>> {
    let sql = format!(
        "SELECT {METHOD_COLS} FROM risk_methodologies WHERE org_id = $1 AND (approved_at IS NOT NULL OR version = 1) \
         ORDER BY version DESC LIMIT 1"
    );
    let row = run!(tx, |c| sqlx::query_as::<_, MethodologyRow>(&sql).bind(org.as_text()).fetch_optional(c).await)?;
    row.map(MethodologyRow::decode).transpose()
}

/// The newest saved version, in force or a draft.
pub async fn latest_methodology(tx: &mut Tx, org: OrgId) -> Result<Option<MethodologyVersion>> {
    let sql = format!("SELECT {METHOD_COLS} FROM risk_methodologies WHERE org_id = $1 ORDER BY version DESC LIMIT 1");
    let row = run!(tx, |c| sqlx::query_as::<_, MethodologyRow>(&sql).bind(org.as_text()).fetch_optional(c).await)?;
    row.map(MethodologyRow::decode).transpose()
}

pub async fn methodology(tx: &mut Tx, org: OrgId, version: i64) -> Result<Option<MethodologyVersion>> {
    let sql = format!("SELECT {METHOD_COLS} FROM risk_methodologies WHERE org_id = $1 AND version = $2");
    let row = run!(tx, |c| sqlx::query_as::<_, MethodologyRow>(&sql)
        .bind(org.as_text())
        .bind(version)
        .fetch_optional(c)
        .await)?;
    row.map(MethodologyRow::decode).transpose()
}

/// Every version, newest first.
pub async fn methodologies(tx: &mut Tx, org: OrgId) -> Result<Vec<MethodologyVersion>> {
    let sql = format!("SELECT {METHOD_COLS} FROM risk_methodologies WHERE org_id = $1 ORDER BY version DESC");
    let rows = run!(tx, |c| sqlx::query_as::<_, MethodologyRow>(&sql).bind(org.as_text()).fetch_all(c).await)?;
    rows.into_iter().map(MethodologyRow::decode).collect()
}

pub async fn insert_methodology(
    tx: &mut Tx,
    org: OrgId,
    version: i64,
    m: &Methodology,
    note: Option<&str>,
    by: &str,
    now: &str,
) -> Result<()> {
    let body = serde_json::to_string(m).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    exec!(tx, |c| sqlx::query(
        "INSERT INTO risk_methodologies (org_id, version, body, note, created_by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(org.as_text())
    .bind(version)
    .bind(body)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(c)
    .await)?;
    Ok(())
}

// ---------------------------------------------------------------- risks

#[derive(sqlx::FromRow)]
struct RiskRow {
    id: String,
    number: i64,
    title: String,
    description: Option<String>,
    threat: Option<String>,
    vulnerability: Option<String>,
    affects_c: bool,
    affects_i: bool,
    affects_a: bool,
    owner_id: Option<String>,
    methodology_version: i64,
    inherent_likelihood: Option<i64>,
    inherent_impact: Option<i64>,
    inherent_level: Option<i64>,
    existing_controls: Option<String>,
    treatment: Option<String>,
    treatment_rationale: Option<String>,
    residual_likelihood: Option<i64>,
    residual_impact: Option<i64>,
    residual_level: Option<i64>,
    status: String,
    next_review: Option<String>,
    archived_at: Option<String>,
    created_at: String,
    updated_at: String,
    no_asset_reason: Option<String>,
}

const RISK_COLS: &str = "id, number, title, description, threat, vulnerability, affects_c, affects_i, affects_a, owner_id, \
     methodology_version, inherent_likelihood, inherent_impact, inherent_level, existing_controls, treatment, \
     treatment_rationale, residual_likelihood, residual_impact, residual_level, status, next_review, archived_at, \
     created_at, updated_at, no_asset_reason";

fn small(v: Option<i64>) -> Option<u8> {
    v.and_then(|v| u8::try_from(v).ok())
}

fn score(l: Option<i64>, i: Option<i64>) -> Option<Score> {
    Some(Score { likelihood: small(l)?, impact: small(i)? })
}

/// The links of a set of risks, by risk id.
#[derive(Default)]
struct Links {
    assets: HashMap<String, Vec<String>>,
    controls: HashMap<String, Vec<String>>,
    applied: HashMap<String, Vec<String>>,
}

fn grouped(rows: Vec<(String, String)>) -> HashMap<String, Vec<String>> {
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    for (risk, x) in rows {
        m.entry(risk).or_default().push(x);
    }
    for v in m.values_mut() {
        v.sort();
    }
    m
}

impl RiskRow {
    fn risk(self, links: &Links) -> Result<Risk> {
        let of = |v: &HashMap<String, Vec<String>>| -> Vec<String> { v.get(&self.id).cloned().unwrap_or_default() };
        let mut control_ids = of(&links.controls);
        control_ids.sort_by_key(|id| borgen_core::catalog::control(id).map(|c| c.order()));
        Ok(Risk {
            id: decode("risk id", &self.id, RiskId::parse)?,
            number: self.number,
            data: RiskInput {
                asset_ids: of(&links.assets),
                no_asset_reason: self.no_asset_reason,
                control_ids,
                applied_control_ids: of(&links.applied),
                title: self.title,
                description: self.description,
                threat: self.threat,
                vulnerability: self.vulnerability,
                affects_c: self.affects_c,
                affects_i: self.affects_i,
                affects_a: self.affects_a,
                owner_id: self.owner_id.as_deref().and_then(UserId::parse),
                inherent: score(self.inherent_likelihood, self.inherent_impact),
                existing_controls: self.existing_controls,
                treatment: self.treatment.as_deref().and_then(Treatment::parse),
                treatment_rationale: self.treatment_rationale,
                residual: score(self.residual_likelihood, self.residual_impact),
                status: decode("risk status", &self.status, RiskStatus::parse)?,
                next_review: self.next_review,
            },
            methodology_version: self.methodology_version,
            inherent_level: small(self.inherent_level),
            residual_level: small(self.residual_level),
            archived: self.archived_at.is_some(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Loads the links of the given risks (all risks of the organisation when
/// `ids` is `None`).
async fn links(tx: &mut Tx, org: OrgId, ids: Option<&[String]>) -> Result<Links> {
    let mut out = Links::default();
    for (table, col, dest) in [
        ("risk_assets", "asset_id", 0),
        ("risk_controls", "control_id", 1),
        ("risk_applied_controls", "applied_control_id", 2),
    ] {
        let rows: Vec<(String, String)> = match ids {
            None => {
                let sql = format!("SELECT risk_id, {col} FROM {table} WHERE org_id = $1 ORDER BY {col}");
                run!(tx, |c| sqlx::query_as(&sql).bind(org.as_text()).fetch_all(c).await)?
            }
            Some(ids) => {
                // In chunks: the engines limit the number of bound parameters.
                let mut all = Vec::new();
                for chunk in ids.chunks(500) {
                    let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
                    let sql = format!(
                        "SELECT risk_id, {col} FROM {table} WHERE org_id = $1 AND risk_id IN ({})",
                        marks.join(", ")
                    );
                    let rows: Vec<(String, String)> = run!(tx, |c| {
                        let mut q = sqlx::query_as(&sql).bind(org.as_text());
                        for id in chunk {
                            q = q.bind(id);
                        }
                        q.fetch_all(c).await
                    })?;
                    all.extend(rows);
                }
                all
            }
        };
        match dest {
            0 => out.assets = grouped(rows),
            1 => out.controls = grouped(rows),
            _ => out.applied = grouped(rows),
        }
    }
    Ok(out)
}

pub async fn get_risk(tx: &mut Tx, org: OrgId, id: RiskId) -> Result<Option<Risk>> {
    let sql = format!("SELECT {RISK_COLS} FROM risks WHERE org_id = $1 AND id = $2");
    let row = run!(tx, |c| sqlx::query_as::<_, RiskRow>(&sql)
        .bind(org.as_text())
        .bind(id.as_text())
        .fetch_optional(c)
        .await)?;
    let Some(row) = row else { return Ok(None) };
    let l = links(tx, org, Some(std::slice::from_ref(&row.id))).await?;
    Ok(Some(row.risk(&l)?))
}

/// The WHERE clause and binds for a filter (binds as text or integers).
fn risk_where(org: OrgId, f: &RiskFilter) -> (String, Vec<Bind>) {
    let mut w = String::from(" WHERE org_id = $1");
    let mut b = vec![Bind::T(org.as_text())];
    w.push_str(archive_clause(f.archived));
    let push = |w: &mut String, b: &mut Vec<Bind>, clause: &str, v: Bind| {
        b.push(v);
        w.push_str(&clause.replace("$?", &format!("${}", b.len())));
    };
    if let Some(q) = f.q.as_deref().filter(|s| !s.trim().is_empty()) {
        push(&mut w, &mut b, " AND search LIKE $? ESCAPE '\\'", Bind::T(contains_pattern(q)));
    }
    if let Some(l) = f.level {
        push(&mut w, &mut b, " AND COALESCE(residual_level, inherent_level) = $?", Bind::I(i64::from(l)));
    }
    if let Some(o) = f.owner {
        push(&mut w, &mut b, " AND owner_id = $?", Bind::T(o.as_text()));
    }
    if let Some(a) = f.asset {
        push(
            &mut w,
            &mut b,
            " AND id IN (SELECT risk_id FROM risk_assets WHERE org_id = $1 AND asset_id = $?)",
            Bind::T(a.as_text()),
        );
    }
    if let Some(a) = f.applied_control {
        push(
            &mut w,
            &mut b,
            " AND id IN (SELECT risk_id FROM risk_applied_controls WHERE org_id = $1 AND applied_control_id = $?)",
            Bind::T(a.as_text()),
        );
    }
    if let Some(t) = &f.threat {
        push(&mut w, &mut b, " AND threat = $?", Bind::T(t.clone()));
    }
    if let Some(t) = f.treatment {
        push(&mut w, &mut b, " AND treatment = $?", Bind::T(t.code().into()));
    }
    if let Some(s) = f.status {
        push(&mut w, &mut b, " AND status = $?", Bind::T(s.code().into()));
    }
    match f.affects {
        Some('c') => w.push_str(" AND affects_c = TRUE"),
        Some('i') => w.push_str(" AND affects_i = TRUE"),
        Some('a') => w.push_str(" AND affects_a = TRUE"),
        _ => {}
    }
    if let Some(d) = &f.overdue_before {
        push(&mut w, &mut b, " AND status <> 'closed' AND next_review < $?", Bind::T(d.clone()));
    }
    if let Some(s) = f.inherent_cell {
        push(&mut w, &mut b, " AND inherent_likelihood = $?", Bind::I(i64::from(s.likelihood)));
        push(&mut w, &mut b, " AND inherent_impact = $?", Bind::I(i64::from(s.impact)));
    }
    if let Some(s) = f.residual_cell {
        push(&mut w, &mut b, " AND residual_likelihood = $?", Bind::I(i64::from(s.likelihood)));
        push(&mut w, &mut b, " AND residual_impact = $?", Bind::I(i64::from(s.impact)));
    }
    if let Some(v) = f.methodology_version {
        push(&mut w, &mut b, " AND methodology_version = $?", Bind::I(v));
    }
    (w, b)
}

enum Bind {
    T(String),
    I(i64),
}

macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                Bind::T(s) => q.bind(s.clone()),
                Bind::I(i) => q.bind(*i),
            };
        }
        q
    }};
}

/// Sort orders of the risk list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RiskSort {
    #[default]
    Number,
    LevelDesc,
    Title,
    Review,
}

impl RiskSort {
    pub fn parse(s: &str) -> Option<RiskSort> {
        match s {
            "" | "number" => Some(RiskSort::Number),
            "level" => Some(RiskSort::LevelDesc),
            "title" => Some(RiskSort::Title),
            "review" => Some(RiskSort::Review),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            RiskSort::Number => "number",
            RiskSort::LevelDesc => "level",
            RiskSort::Title => "title",
            RiskSort::Review => "review",
        }
    }
    fn sql(self) -> &'static str {
        match self {
            RiskSort::Number => "number",
            RiskSort::LevelDesc => "COALESCE(residual_level, inherent_level, -1) DESC, number",
            RiskSort::Title => "LOWER(title), number",
            RiskSort::Review => "CASE WHEN next_review IS NULL THEN 1 ELSE 0 END, next_review, number",
        }
    }
}

/// One page of risks and the total count (counted unless the caller knows it).
pub async fn list_risks(
    tx: &mut Tx,
    org: OrgId,
    f: &RiskFilter,
    sort: RiskSort,
    limit: i64,
    offset: i64,
    known_total: Option<i64>,
) -> Result<(Vec<Risk>, i64)> {
    let (w, binds) = risk_where(org, f);
    let total: i64 = match known_total {
        Some(n) => n,
        None => {
            let count_sql = format!("SELECT COUNT(*) FROM risks{w}");
            run!(tx, |c| bind_all!(sqlx::query_scalar(&count_sql), &binds).fetch_one(c).await)?
        }
    };
    let sql = format!(
        "SELECT {RISK_COLS} FROM risks{w} ORDER BY {} LIMIT {} OFFSET {}",
        sort.sql(),
        limit.clamp(1, 1_000_000),
        offset.max(0)
    );
    let rows: Vec<RiskRow> = run!(tx, |c| bind_all!(sqlx::query_as::<_, RiskRow>(&sql), &binds).fetch_all(c).await)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let l = links(tx, org, Some(&ids)).await?;
    let risks = rows.into_iter().map(|r| r.risk(&l)).collect::<Result<Vec<_>>>()?;
    Ok((risks, total))
}

/// Counts per (likelihood, impact) cell of the live risks: inherent when
/// `residual` is false, else residual.
/// The live register per cell of both heat maps: counts of risks by
/// (methodology version, inherent likelihood, inherent impact, residual
/// likelihood, residual impact), unscored parts as `None`; one index-only scan.
pub async fn heat_grid(tx: &mut Tx, org: OrgId) -> Result<Vec<HeatRow>> {
    let sql = "SELECT methodology_version, inherent_likelihood, inherent_impact, residual_likelihood, residual_impact, \
               COUNT(*) FROM risks WHERE org_id = $1 AND archived_at IS NULL \
               GROUP BY methodology_version, inherent_likelihood, inherent_impact, residual_likelihood, residual_impact";
    type Raw = (i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>, i64);
    let rows: Vec<Raw> = run!(tx, |c| sqlx::query_as(sql).bind(org.as_text()).fetch_all(c).await)?;
    let level = |v: Option<i64>| v.and_then(|v| u8::try_from(v).ok());
    Ok(rows
        .into_iter()
        .map(|(version, il, ii, rl, ri, n)| HeatRow {
            version,
            inherent: level(il).zip(level(ii)),
            residual: level(rl).zip(level(ri)),
            count: n,
        })
        .collect())
}

/// One group of [`heat_grid`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeatRow {
    pub version: i64,
    pub inherent: Option<(u8, u8)>,
    pub residual: Option<(u8, u8)>,
    pub count: i64,
}

/// Counts per cell of one heat map from the grid.
pub fn heat_counts(grid: &[HeatRow], residual: bool) -> Vec<(u8, u8, i64)> {
    let mut cells: std::collections::BTreeMap<(u8, u8), i64> = std::collections::BTreeMap::new();
    for r in grid {
        if let Some(cell) = if residual { r.residual } else { r.inherent } {
            *cells.entry(cell).or_default() += r.count;
        }
    }
    cells.into_iter().map(|((l, i), n)| (l, i, n)).collect()
}

pub async fn next_risk_number(tx: &mut Tx, org: OrgId) -> Result<i64> {
    let n: Option<i64> = run!(tx, |c| sqlx::query_scalar("SELECT MAX(number) FROM risks WHERE org_id = $1")
        .bind(org.as_text())
        .fetch_one(c)
        .await)?;
    Ok(n.unwrap_or(0) + 1)
}

fn risk_search(number: i64, d: &RiskInput) -> String {
    search_text(&[
        Some(&reference(number)),
        Some(&d.title),
        d.description.as_deref(),
        d.vulnerability.as_deref(),
        d.existing_controls.as_deref(),
    ])
}

/// What is written for a risk besides its input.
pub struct Scored {
    pub methodology_version: i64,
    pub inherent_level: Option<u8>,
    pub residual_level: Option<u8>,
}

async fn set_risk_links(tx: &mut Tx, org: OrgId, id: RiskId, d: &RiskInput) -> Result<bool> {
    for table in ["risk_assets", "risk_controls", "risk_applied_controls"] {
        let sql = format!("DELETE FROM {table} WHERE org_id = $1 AND risk_id = $2");
        exec!(tx, |c| sqlx::query(&sql).bind(org.as_text()).bind(id.as_text()).execute(c).await)?;
    }
    add_risk_links(tx, org, id, d).await
}

/// Adds a risk's links; a new risk has none to delete first (deleting would
/// cost a lookup per table for every imported risk, inside the write lock).
async fn add_risk_links(tx: &mut Tx, org: OrgId, id: RiskId, d: &RiskInput) -> Result<bool> {
    for a in &d.asset_ids {
        let n = exec!(tx, |c| {
            sqlx::query(
            "INSERT INTO risk_assets (org_id, risk_id, asset_id) SELECT $1, $2, id FROM assets WHERE org_id = $1 AND id = $3"
        )
        .bind(org.as_text())
        .bind(id.as_text())
        .bind(a)
        .execute(c)
        .await
        })?;
        if n == 0 {
            return Ok(false);
        }
    }
    for ctl in &d.control_ids {
        exec!(tx, |c| sqlx::query("INSERT INTO risk_controls (org_id, risk_id, control_id) VALUES ($1, $2, $3)")
            .bind(org.as_text())
            .bind(id.as_text())
            .bind(ctl)
            .execute(c)
            .await)?;
    }
    for a in &d.applied_control_ids {
        let n = exec!(tx, |c| sqlx::query(
            "INSERT INTO risk_applied_controls (org_id, risk_id, applied_control_id) \
             SELECT $1, $2, id FROM applied_controls WHERE org_id = $1 AND id = $3"
        )
        .bind(org.as_text())
        .bind(id.as_text())
        .bind(a)
        .execute(c)
        .await)?;
        if n == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Inserts a risk; false when a linked asset or applied control is not the
/// organisation's (the caller rolls back).
pub async fn insert_risk(
    tx: &mut Tx,
    org: OrgId,
    id: RiskId,
    number: i64,
    d: &RiskInput,
    s: &Scored,
    now: &str,
) -> Result<bool> {
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO risks (id, org_id, number, title, description, threat, vulnerability, affects_c, affects_i, affects_a, \
         owner_id, methodology_version, inherent_likelihood, inherent_impact, inherent_level, existing_controls, treatment, \
         treatment_rationale, residual_likelihood, residual_impact, residual_level, status, next_review, archived_at, \
         created_at, updated_at, search, no_asset_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, NULL, $24, $24, $25, $26)"
    )
    .bind(id.as_text())
    .bind(org.as_text())
    .bind(number)
    .bind(&d.title)
    .bind(d.description.as_deref())
    .bind(d.threat.as_deref())
    .bind(d.vulnerability.as_deref())
    .bind(d.affects_c)
    .bind(d.affects_i)
    .bind(d.affects_a)
    .bind(d.owner_id.map(|u| u.as_text()))
    .bind(s.methodology_version)
    .bind(d.inherent.map(|x| i64::from(x.likelihood)))
    .bind(d.inherent.map(|x| i64::from(x.impact)))
    .bind(s.inherent_level.map(i64::from))
    .bind(d.existing_controls.as_deref())
    .bind(d.treatment.map(|t| t.code()))
    .bind(d.treatment_rationale.as_deref())
    .bind(d.residual.map(|x| i64::from(x.likelihood)))
    .bind(d.residual.map(|x| i64::from(x.impact)))
    .bind(s.residual_level.map(i64::from))
    .bind(d.status.code())
    .bind(d.next_review.as_deref())
    .bind(now)
    .bind(risk_search(number, d))
    .bind(d.no_asset_reason.as_deref())
    .execute(c)
    .await
    })?;
    add_risk_links(tx, org, id, d).await
}

pub async fn update_risk(
    tx: &mut Tx,
    org: OrgId,
    id: RiskId,
    number: i64,
    d: &RiskInput,
    s: &Scored,
    now: &str,
) -> Result<bool> {
    exec!(tx, |c| {
        sqlx::query(
        "UPDATE risks SET title = $3, description = $4, threat = $5, vulnerability = $6, affects_c = $7, affects_i = $8, \
         affects_a = $9, owner_id = $10, methodology_version = $11, inherent_likelihood = $12, inherent_impact = $13, \
         inherent_level = $14, existing_controls = $15, treatment = $16, treatment_rationale = $17, \
         residual_likelihood = $18, residual_impact = $19, residual_level = $20, status = $21, next_review = $22, \
         updated_at = $23, search = $24, no_asset_reason = $25 WHERE org_id = $1 AND id = $2"
    )
    .bind(org.as_text())
    .bind(id.as_text())
    .bind(&d.title)
    .bind(d.description.as_deref())
    .bind(d.threat.as_deref())
    .bind(d.vulnerability.as_deref())
    .bind(d.affects_c)
    .bind(d.affects_i)
    .bind(d.affects_a)
    .bind(d.owner_id.map(|u| u.as_text()))
    .bind(s.methodology_version)
    .bind(d.inherent.map(|x| i64::from(x.likelihood)))
    .bind(d.inherent.map(|x| i64::from(x.impact)))
    .bind(s.inherent_level.map(i64::from))
    .bind(d.existing_controls.as_deref())
    .bind(d.treatment.map(|t| t.code()))
    .bind(d.treatment_rationale.as_deref())
    .bind(d.residual.map(|x| i64::from(x.likelihood)))
    .bind(d.residual.map(|x| i64::from(x.impact)))
    .bind(s.residual_level.map(i64::from))
    .bind(d.status.code())
    .bind(d.next_review.as_deref())
    .bind(now)
    .bind(risk_search(number, d))
    .bind(d.no_asset_reason.as_deref())
    .execute(c)
    .await
    })?;
    set_risk_links(tx, org, id, d).await
}

pub async fn set_risk_archived(tx: &mut Tx, org: OrgId, id: RiskId, at: Option<&str>, now: &str) -> Result<bool> {
    let n =
        exec!(tx, |c| sqlx::query("UPDATE risks SET archived_at = $3, updated_at = $4 WHERE org_id = $1 AND id = $2")
            .bind(org.as_text())
            .bind(id.as_text())
            .bind(at)
            .bind(now)
            .execute(c)
            .await)?;
    Ok(n > 0)
}

/// The Annex A controls that live risks treat by mitigation, directly or
/// through an applied control, as (control id, risk reference and title).
pub async fn treating_risks(tx: &mut Tx, org: OrgId) -> Result<Vec<(String, String)>> {
    let rows: Vec<(String, i64, String)> = run!(tx, |c| sqlx::query_as(
        "SELECT rc.control_id, r.number, r.title FROM risk_controls rc \
         JOIN risks r ON r.id = rc.risk_id AND r.org_id = rc.org_id \
         WHERE rc.org_id = $1 AND r.archived_at IS NULL AND r.treatment = 'mitigate' \
         UNION SELECT l.control_id, r.number, r.title FROM risk_applied_controls ra \
         JOIN risks r ON r.id = ra.risk_id AND r.org_id = ra.org_id \
         JOIN applied_controls a ON a.id = ra.applied_control_id AND a.org_id = ra.org_id \
         JOIN applied_control_links l ON l.applied_control_id = a.id AND l.org_id = a.org_id \
         WHERE ra.org_id = $1 AND r.archived_at IS NULL AND a.archived_at IS NULL AND r.treatment = 'mitigate' \
         ORDER BY 2"
    )
    .bind(org.as_text())
    .fetch_all(c)
    .await)?;
    Ok(rows.into_iter().map(|(c, n, t)| (c, format!("{} {t}", reference(n)))).collect())
}

// ---------------------------------------------------------------- acceptances

#[derive(sqlx::FromRow)]
struct AcceptanceRow {
    id: String,
    risk_id: String,
    accepted_by: Option<String>,
    accepted_by_label: String,
    accepted_as: String,
    comment: Option<String>,
    basis: String,
    accepted_at: String,
    expires_on: Option<String>,
}

impl AcceptanceRow {
    fn decode(self) -> Result<Acceptance> {
        Ok(Acceptance {
            id: decode("acceptance id", &self.id, AcceptanceId::parse)?,
            risk_id: decode("risk id", &self.risk_id, RiskId::parse)?,
            accepted_by: self.accepted_by.as_deref().and_then(UserId::parse),
            accepted_by_label: self.accepted_by_label,
            accepted_as: decode("accepted as", &self.accepted_as, AcceptBy::parse)?,
            comment: self.comment,
            basis: serde_json::from_str(&self.basis)
                .map_err(|e| StoreError::Corrupt(format!("acceptance basis: {e}")))?,
            accepted_at: self.accepted_at,
            expires_on: self.expires_on,
        })
    }
}

/// Every acceptance of one risk, newest first.
pub async fn acceptances(tx: &mut Tx, org: OrgId, risk: RiskId) -> Result<Vec<Acceptance>> {
    let rows = run!(tx, |c| sqlx::query_as::<_, AcceptanceRow>(
        "SELECT id, risk_id, accepted_by, accepted_by_label, accepted_as, comment, basis, accepted_at, expires_on \
         FROM risk_acceptances WHERE org_id = $1 AND risk_id = $2 ORDER BY accepted_at DESC, id DESC"
    )
    .bind(org.as_text())
    .bind(risk.as_text())
    .fetch_all(c)
    .await)?;
    rows.into_iter().map(AcceptanceRow::decode).collect()
}

/// The newest acceptance of each of the given risks.
pub async fn latest_acceptances(tx: &mut Tx, org: OrgId, risks: &[RiskId]) -> Result<Vec<Acceptance>> {
    let mut out: Vec<Acceptance> = Vec::new();
    let mut seen: HashSet<RiskId> = HashSet::new();
    for chunk in risks.chunks(500) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT id, risk_id, accepted_by, accepted_by_label, accepted_as, comment, basis, accepted_at, expires_on \
             FROM risk_acceptances WHERE org_id = $1 AND risk_id IN ({}) ORDER BY accepted_at DESC, id DESC",
            marks.join(", ")
        );
        let rows = run!(tx, |c| {
            let mut q = sqlx::query_as::<_, AcceptanceRow>(&sql).bind(org.as_text());
            for r in chunk {
                q = q.bind(r.as_text());
            }
            q.fetch_all(c).await
        })?;
        for r in rows {
            let a = r.decode()?;
            if seen.insert(a.risk_id) {
                out.push(a);
            }
        }
    }
    Ok(out)
}

pub async fn insert_acceptance(tx: &mut Tx, org: OrgId, a: &Acceptance) -> Result<()> {
    let basis = serde_json::to_string(&a.basis).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO risk_acceptances (id, org_id, risk_id, accepted_by, accepted_by_label, accepted_as, comment, basis, accepted_at, expires_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(a.id.as_text())
    .bind(org.as_text())
    .bind(a.risk_id.as_text())
    .bind(a.accepted_by.map(|u| u.as_text()))
    .bind(&a.accepted_by_label)
    .bind(a.accepted_as.code())
    .bind(a.comment.as_deref())
    .bind(basis)
    .bind(&a.accepted_at)
    .bind(a.expires_on.as_deref())
    .execute(c)
    .await
    })?;
    Ok(())
}

// ---------------------------------------------------------------- tasks

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: String,
    subject: String,
    subject_id: String,
    title: String,
    description: Option<String>,
    owner_id: Option<String>,
    due_date: Option<String>,
    status: String,
    progress: i64,
    applied_control_id: Option<String>,
    closing_note: Option<String>,
    created_at: String,
    updated_at: String,
    label: Option<String>,
}

impl TaskRow {
    fn task(self) -> Result<Task> {
        Ok(Task {
            id: decode("task id", &self.id, TaskId::parse)?,
            subject: decode("task subject", &self.subject, Subject::parse)?,
            subject_id: self.subject_id,
            subject_label: self.label.unwrap_or_default(),
            data: TaskInput {
                title: self.title,
                description: self.description,
                owner_id: self.owner_id.as_deref().and_then(UserId::parse),
                due_date: self.due_date,
                status: decode("task status", &self.status, TaskStatus::parse)?,
                progress: self.progress.clamp(0, 100) as u8,
                applied_control_id: self.applied_control_id,
                closing_note: self.closing_note,
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Which tasks to list.
#[derive(Clone, Debug, Default)]
pub struct TaskFilter {
    /// One task only.
    pub id: Option<TaskId>,
    pub owner: Option<UserId>,
    pub subject: Option<(Subject, String)>,
    /// Only open and in-progress tasks.
    pub open_only: bool,
}

/// Tasks with the record they serve, overdue and soonest due first.
pub async fn list_tasks(tx: &mut Tx, org: OrgId, f: &TaskFilter) -> Result<Vec<Task>> {
    let mut w = String::from(" WHERE t.org_id = $1");
    let mut binds = vec![org.as_text()];
    if let Some(o) = f.owner {
        binds.push(o.as_text());
        w.push_str(&format!(" AND t.owner_id = ${}", binds.len()));
    }
    if let Some((s, id)) = &f.subject {
        binds.push(s.code().to_string());
        w.push_str(&format!(" AND t.subject = ${}", binds.len()));
        binds.push(id.clone());
        w.push_str(&format!(" AND t.subject_id = ${}", binds.len()));
    }
    if let Some(id) = f.id {
        binds.push(id.as_text());
        w.push_str(&format!(" AND t.id = ${}", binds.len()));
    }
    if f.open_only {
        w.push_str(" AND t.status IN ('open', 'in_progress')");
    }
    // The label of the served record: today only risks have tasks.
    let sql = format!(
        "SELECT t.id, t.subject, t.subject_id, t.title, t.description, t.owner_id, t.due_date, t.status, t.progress, \
         t.applied_control_id, t.closing_note, t.created_at, t.updated_at, r.title AS label, r.number AS number FROM tasks t \
         LEFT JOIN risks r ON t.subject = 'risk' AND r.id = t.subject_id AND r.org_id = t.org_id{w} \
         ORDER BY CASE WHEN t.status IN ('open', 'in_progress') THEN 0 ELSE 1 END, \
         CASE WHEN t.due_date IS NULL THEN 1 ELSE 0 END, t.due_date, t.created_at"
    );
    let rows: Vec<(TaskRow, Option<i64>)> = run!(tx, |c| {
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        let raw = q.fetch_all(c).await?;
        raw.iter()
            .map(|r| {
                use sqlx::{FromRow, Row};
                Ok((TaskRow::from_row(r)?, r.try_get::<Option<i64>, _>("number")?))
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
    })?;
    rows.into_iter()
        .map(|(mut r, n)| {
            if let (Some(n), Some(l)) = (n, r.label.as_ref()) {
                r.label = Some(format!("{} {l}", reference(n)));
            }
            r.task()
        })
        .collect()
}

pub async fn get_task(tx: &mut Tx, org: OrgId, id: TaskId) -> Result<Option<Task>> {
    // One row, not the organisation's whole task list.
    Ok(list_tasks(tx, org, &TaskFilter { id: Some(id), ..Default::default() }).await?.into_iter().next())
}

/// Inserts a task; false when its applied control is not the organisation's.
pub async fn insert_task(
    tx: &mut Tx,
    org: OrgId,
    id: TaskId,
    subject: Subject,
    subject_id: &str,
    d: &TaskInput,
    now: &str,
) -> Result<bool> {
    if !applied_ok(tx, org, d.applied_control_id.as_deref()).await? {
        return Ok(false);
    }
    exec!(tx, |c| sqlx::query(
        "INSERT INTO tasks (id, org_id, subject, subject_id, title, description, owner_id, due_date, status, progress, \
         applied_control_id, closing_note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $12, $12)"
    )
    .bind(id.as_text())
    .bind(org.as_text())
    .bind(subject.code())
    .bind(subject_id)
    .bind(&d.title)
    .bind(d.description.as_deref())
    .bind(d.owner_id.map(|u| u.as_text()))
    .bind(d.due_date.as_deref())
    .bind(d.status.code())
    .bind(i64::from(d.progress))
    .bind(d.applied_control_id.as_deref())
    .bind(now)
    .bind(d.closing_note.as_deref())
    .execute(c)
    .await)?;
    Ok(true)
}

async fn applied_ok(tx: &mut Tx, org: OrgId, id: Option<&str>) -> Result<bool> {
    let Some(id) = id else { return Ok(true) };
    let Some(id) = AppliedControlId::parse(id) else { return Ok(false) };
    let n: i64 =
        run!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM applied_controls WHERE org_id = $1 AND id = $2")
            .bind(org.as_text())
            .bind(id.as_text())
            .fetch_one(c)
            .await)?;
    Ok(n > 0)
}

pub async fn update_task(tx: &mut Tx, org: OrgId, id: TaskId, d: &TaskInput, now: &str) -> Result<bool> {
    if !applied_ok(tx, org, d.applied_control_id.as_deref()).await? {
        return Ok(false);
    }
    exec!(tx, |c| sqlx::query(
        "UPDATE tasks SET title = $3, description = $4, owner_id = $5, due_date = $6, status = $7, progress = $8, \
         applied_control_id = $9, updated_at = $10, closing_note = $11 WHERE org_id = $1 AND id = $2"
    )
    .bind(org.as_text())
    .bind(id.as_text())
    .bind(&d.title)
    .bind(d.description.as_deref())
    .bind(d.owner_id.map(|u| u.as_text()))
    .bind(d.due_date.as_deref())
    .bind(d.status.code())
    .bind(i64::from(d.progress))
    .bind(d.applied_control_id.as_deref())
    .bind(now)
    .bind(d.closing_note.as_deref())
    .execute(c)
    .await)?;
    Ok(true)
}

// ---------------------------------------------------------------- estimates

use borgen_core::fair::{Estimate, Range, Shape};

#[derive(sqlx::FromRow)]
struct EstimateRow {
    risk_id: String,
    freq_min: f64,
    freq_ml: f64,
    freq_max: f64,
    freq_shape: String,
    mag_min: f64,
    mag_ml: f64,
    mag_max: f64,
    mag_shape: String,
}

impl EstimateRow {
    fn decode(self) -> Result<(RiskId, Estimate)> {
        Ok((
            decode("risk id", &self.risk_id, RiskId::parse)?,
            Estimate {
                frequency: Range { min: self.freq_min, ml: self.freq_ml, max: self.freq_max },
                frequency_shape: decode("shape", &self.freq_shape, Shape::parse)?,
                magnitude: Range { min: self.mag_min, ml: self.mag_ml, max: self.mag_max },
                magnitude_shape: decode("shape", &self.mag_shape, Shape::parse)?,
            },
        ))
    }
}

/// The estimates of the organisation's live risks, in risk-number order.
pub async fn estimates(tx: &mut Tx, org: OrgId) -> Result<Vec<(RiskId, Estimate)>> {
    let rows = run!(tx, |c| {
        sqlx::query_as::<_, EstimateRow>(
        "SELECT e.risk_id, e.freq_min, e.freq_ml, e.freq_max, e.freq_shape, e.mag_min, e.mag_ml, e.mag_max, e.mag_shape \
         FROM risk_estimates e JOIN risks r ON r.id = e.risk_id AND r.org_id = e.org_id \
         WHERE e.org_id = $1 AND r.archived_at IS NULL ORDER BY r.number"
    )
    .bind(org.as_text())
    .fetch_all(c)
    .await
    })?;
    rows.into_iter().map(EstimateRow::decode).collect()
}

pub async fn estimate(tx: &mut Tx, org: OrgId, risk: RiskId) -> Result<Option<Estimate>> {
    let row = run!(tx, |c| sqlx::query_as::<_, EstimateRow>(
        "SELECT risk_id, freq_min, freq_ml, freq_max, freq_shape, mag_min, mag_ml, mag_max, mag_shape \
         FROM risk_estimates WHERE org_id = $1 AND risk_id = $2"
    )
    .bind(org.as_text())
    .bind(risk.as_text())
    .fetch_optional(c)
    .await)?;
    Ok(row.map(EstimateRow::decode).transpose()?.map(|(_, e)| e))
}

/// A risk's estimate with its stored simulation (`risk_estimates.result`,
/// JSON of [`borgen_core::fair::StoredOutcome`], NULL until simulated) and the
/// time the estimate was set (to store a result only for the estimate it was
/// computed from).
pub async fn estimate_with_result(
    tx: &mut Tx,
    org: OrgId,
    risk: RiskId,
) -> Result<Option<(Estimate, Option<String>, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        e: EstimateRow,
        result: Option<String>,
        updated_at: String,
    }
    let row = run!(tx, |c| {
        sqlx::query_as::<_, Row>(
        "SELECT risk_id, freq_min, freq_ml, freq_max, freq_shape, mag_min, mag_ml, mag_max, mag_shape, result, updated_at \
         FROM risk_estimates WHERE org_id = $1 AND risk_id = $2"
    )
    .bind(org.as_text())
    .bind(risk.as_text())
    .fetch_optional(c)
    .await
    })?;
    match row {
        None => Ok(None),
        Some(r) => Ok(Some((r.e.decode()?.1, r.result, r.updated_at))),
    }
}

/// Stores a risk's simulated outcome with its estimate, only while the
/// estimate is still the one set at `set_at`. False when no row changed.
pub async fn set_estimate_result(tx: &mut Tx, org: OrgId, risk: RiskId, result: &str, set_at: &str) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "UPDATE risk_estimates SET result = $3 WHERE org_id = $1 AND risk_id = $2 AND updated_at = $4"
    )
    .bind(org.as_text())
    .bind(risk.as_text())
    .bind(result)
    .bind(set_at)
    .execute(c)
    .await)?;
    Ok(n > 0)
}

/// Sets (or with `None` removes) a risk's estimate.
pub async fn set_estimate(tx: &mut Tx, org: OrgId, risk: RiskId, e: Option<&Estimate>, now: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM risk_estimates WHERE org_id = $1 AND risk_id = $2")
        .bind(org.as_text())
        .bind(risk.as_text())
        .execute(c)
        .await)?;
    if let Some(e) = e {
        exec!(tx, |c| sqlx::query(
            "INSERT INTO risk_estimates (risk_id, org_id, freq_min, freq_ml, freq_max, freq_shape, mag_min, mag_ml, \
             mag_max, mag_shape, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        )
        .bind(risk.as_text())
        .bind(org.as_text())
        .bind(e.frequency.min)
        .bind(e.frequency.ml)
        .bind(e.frequency.max)
        .bind(e.frequency_shape.code())
        .bind(e.magnitude.min)
        .bind(e.magnitude.ml)
        .bind(e.magnitude.max)
        .bind(e.magnitude_shape.code())
        .bind(now)
        .execute(c)
        .await)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- runs

use borgen_core::run::{RunInput, RunReason, RunRisk};

/// A stored assessment run (the snapshot stays JSON until asked for).
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct RunRow {
    pub id: String,
    pub number: i64,
    pub title: String,
    pub reason: String,
    pub change_reason: Option<String>,
    pub scope: Option<String>,
    pub participants: Option<String>,
    pub methodology_version: i64,
    #[serde(skip)]
    pub snapshot: String,
    pub taken_at: String,
    pub taken_by_label: String,
    pub approved_at: Option<String>,
    /// The approver's user id (runs approved before this was recorded have none).
    pub approved_by: Option<String>,
    pub approved_by_label: Option<String>,
    pub approval_comment: Option<String>,
}

impl RunRow {
    pub fn risks(&self) -> Result<Vec<RunRisk>> {
        serde_json::from_str(&self.snapshot).map_err(|e| StoreError::Corrupt(format!("run {}: {e}", self.number)))
    }
    pub fn reason(&self) -> Option<RunReason> {
        RunReason::parse(&self.reason)
    }
}

const RUN_COLS: &str = "id, number, title, reason, change_reason, scope, participants, methodology_version, snapshot, \
     taken_at, taken_by_label, approved_at, approved_by, approved_by_label, approval_comment";

pub async fn runs(tx: &mut Tx, org: OrgId) -> Result<Vec<RunRow>> {
    let sql = format!("SELECT {RUN_COLS} FROM risk_runs WHERE org_id = $1 ORDER BY number DESC");
    Ok(run!(tx, |c| sqlx::query_as::<_, RunRow>(&sql).bind(org.as_text()).fetch_all(c).await)?)
}

pub async fn get_run(tx: &mut Tx, org: OrgId, number: i64) -> Result<Option<RunRow>> {
    let sql = format!("SELECT {RUN_COLS} FROM risk_runs WHERE org_id = $1 AND number = $2");
    Ok(run!(tx, |c| sqlx::query_as::<_, RunRow>(&sql).bind(org.as_text()).bind(number).fetch_optional(c).await)?)
}

/// Inserts a run with the next number; returns the number.
pub async fn insert_run(
    tx: &mut Tx,
    org: OrgId,
    d: &RunInput,
    methodology_version: i64,
    risks: &[RunRisk],
    by: &str,
    now: &str,
) -> Result<i64> {
    let n: Option<i64> = run!(tx, |c| sqlx::query_scalar("SELECT MAX(number) FROM risk_runs WHERE org_id = $1")
        .bind(org.as_text())
        .fetch_one(c)
        .await)?;
    let number = n.unwrap_or(0) + 1;
    let snapshot = serde_json::to_string(risks).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO risk_runs (id, org_id, number, title, reason, change_reason, scope, participants, methodology_version, \
         snapshot, taken_at, taken_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    )
    .bind(borgen_core::ids::RunId::new().as_text())
    .bind(org.as_text())
    .bind(number)
    .bind(&d.title)
    .bind(d.reason.code())
    .bind(d.change_reason.as_deref())
    .bind(d.scope.as_deref())
    .bind(d.participants.as_deref())
    .bind(methodology_version)
    .bind(snapshot)
    .bind(now)
    .bind(by)
    .execute(c)
    .await
    })?;
    Ok(number)
}
