//! Storage of every register declared with the mechanism
//! ([`borgen_core::register`]), on both engines, from the declaration alone.
//!
//! The SQL is built from the declaration's constants (table and column names
//! never come from input) and every value is bound. Each function that serves
//! a request takes the organisation and puts `org_id = $1` first in its
//! `WHERE`: there is no way to query a register table without it from a use
//! case. The two start-up functions ([`check_tables`], [`fill_derived`])
//! take no input and work on whole tables.

use crate::context::{archive_clause, contains_pattern};
use crate::{Result, StoreError, Tx, exec, run};
use borgen_core::ids::OrgId;
use borgen_core::register::{Field, Kind, ListQuery, Record, RecordId, Register, Sort, Value};
use borgen_core::text::sort_key;
use sqlx::Row;

/// The columns every register table has besides its fields.
const META: &str = "id, archived_at, created_at, updated_at";

/// The fields kept in the register's own table, in declaration order (the
/// many-valued ones are in link tables).
fn columns(reg: &Register) -> impl Iterator<Item = &'static Field> + '_ {
    reg.fields.iter().filter(|f| f.is_column())
}

fn field_cols(reg: &Register) -> String {
    columns(reg).map(|f| f.name).collect::<Vec<_>>().join(", ")
}

/// The values of the column fields, in [`columns`] order.
fn column_values<'a>(reg: &'a Register, values: &'a [Value]) -> impl Iterator<Item = &'a Value> + 'a {
    reg.fields.iter().zip(values).filter(|(f, _)| f.is_column()).map(|(_, v)| v)
}

fn select_cols(reg: &Register) -> String {
    format!("{META}, {}", field_cols(reg))
}

/// The derived columns written with the fields: a sort key per sortable text
/// field, then the search text.
fn derived(reg: &Register, values: &[Value]) -> (Vec<&'static str>, Vec<Value>) {
    let mut cols = Vec::new();
    let mut vals = Vec::new();
    for (f, v) in reg.fields.iter().zip(values).filter(|(f, _)| f.has_sort_key()) {
        cols.push(f.name);
        vals.push(v.as_text().map(|s| Value::Text(sort_key(s))).unwrap_or(Value::Null));
    }
    vals.push(Value::Text(reg.search_text(values)));
    (cols, vals)
}

/// Binds a list of values to a query, whatever their kind.
macro_rules! bind_all {
    ($q:expr, $vals:expr) => {{
        let mut q = $q;
        for v in $vals {
            q = match v {
                Value::Null => q.bind(None::<String>),
                Value::Text(s) => q.bind(s.as_str()),
                Value::Bool(b) => q.bind(*b),
                Value::Int(n) => q.bind(*n),
                // Kept in a link table, never bound as a column.
                Value::List(_) => q.bind(None::<String>),
            };
        }
        q
    }};
}

fn decode_row<R: Row>(reg: &Register, row: &R) -> Result<Record>
where
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    let corrupt = |e: sqlx::Error| StoreError::Corrupt(format!("{}: {e}", reg.table));
    let id: String = row.try_get(0).map_err(corrupt)?;
    let archived_at: Option<String> = row.try_get(1).map_err(corrupt)?;
    let mut values = Vec::with_capacity(reg.fields.len());
    let mut col = 4;
    for f in reg.fields {
        if !f.is_column() {
            // Filled from its link table by `load_links`.
            values.push(Value::List(Vec::new()));
            continue;
        }
        values.push(match f.kind {
            Kind::Bool => Value::Bool(row.try_get(col).map_err(corrupt)?),
            Kind::Level { .. } => Value::Int(row.try_get(col).map_err(corrupt)?),
            _ => match row.try_get::<Option<String>, _>(col).map_err(corrupt)? {
                Some(s) => Value::Text(s),
                None => Value::Null,
            },
        });
        col += 1;
    }
    Ok(Record {
        id: crate::decode("record id", &id, RecordId::parse)?,
        values,
        effective: Default::default(),
        archived: archived_at.is_some(),
        created_at: row.try_get(2).map_err(corrupt)?,
        updated_at: row.try_get(3).map_err(corrupt)?,
    })
}

/// The `ORDER BY` expression of one sort: text by its folded key, compared
/// byte by byte on both engines (SQLite's default; `COLLATE "C"` on
/// PostgreSQL, whose default follows the server's locale).
fn order_by(tx: &Tx, reg: &Register, sort: Sort, desc: bool) -> String {
    let dir = if desc { "DESC" } else { "ASC" };
    let bytes = if matches!(tx, Tx::Postgres(..)) { " COLLATE \"C\"" } else { "" };
    let title = reg.field(reg.title).filter(|f| f.has_sort_key()).map(|f| format!("{}_key{bytes}, ", f.name));
    let then = title.unwrap_or_default();
    match sort {
        Sort::Updated => format!("updated_at {dir}, id"),
        Sort::Field(i) => {
            let f = &reg.fields[i];
            if f.has_sort_key() {
                format!("{}_key{bytes} {dir}, id", f.name)
            } else {
                // Empty values last, whichever the direction.
                format!("CASE WHEN {0} IS NULL THEN 1 ELSE 0 END, {0} {dir}, {then}id", f.name)
            }
        }
    }
}

/// One page of records matching the query, and how many match in all.
pub async fn list(tx: &mut Tx, reg: &Register, org: OrgId, q: &ListQuery) -> Result<(Vec<Record>, i64)> {
    let mut filter = String::from(" WHERE org_id = $1");
    let mut binds: Vec<Value> = vec![Value::Text(org.as_text())];
    filter.push_str(archive_clause(q.archived));
    for (i, v) in &q.filters {
        binds.push(v.clone());
        let f = &reg.fields[*i];
        match f.links() {
            Some(t) => filter.push_str(&format!(
                " AND id IN (SELECT {} FROM {} WHERE org_id = $1 AND {} = ${})",
                t.own,
                t.table,
                t.other,
                binds.len()
            )),
            None => filter.push_str(&format!(" AND {} = ${}", f.name, binds.len())),
        }
    }
    if let Some(text) = q.q.as_deref().filter(|s| !s.trim().is_empty()) {
        binds.push(Value::Text(contains_pattern(text)));
        filter.push_str(&format!(" AND search LIKE ${} ESCAPE '\\'", binds.len()));
    }
    let per_page = q.per_page.clamp(1, 10_000) as i64;
    let offset = q.page.saturating_sub(1) as i64 * per_page;
    let sql = format!(
        "SELECT {} FROM {}{filter} ORDER BY {} LIMIT ${} OFFSET ${}",
        select_cols(reg),
        reg.table,
        order_by(tx, reg, q.sort, q.desc),
        binds.len() + 1,
        binds.len() + 2,
    );
    let rows = run!(tx, |c| bind_all!(sqlx::query(&sql), &binds)
        .bind(per_page)
        .bind(offset)
        .fetch_all(c)
        .await
        .map(|rows| rows.iter().map(|r| decode_row(reg, r)).collect::<Vec<_>>()))?;
    let count_sql = format!("SELECT COUNT(*) FROM {}{filter}", reg.table);
    let total: i64 = run!(tx, |c| bind_all!(sqlx::query_scalar(&count_sql), &binds).fetch_one(c).await)?;
    let mut recs = rows.into_iter().collect::<Result<Vec<_>>>()?;
    load_links(tx, reg, org, &mut recs).await?;
    Ok((recs, total))
}

/// Whether a current record other than `id` holds the same values in every
/// field of `reg.unique` (false when any of them is empty).
pub async fn duplicate(tx: &mut Tx, reg: &Register, org: OrgId, id: RecordId, values: &[Value]) -> Result<bool> {
    let mut vals = Vec::new();
    let mut conds = Vec::new();
    for name in reg.unique {
        let Some(i) = reg.index(name) else { return Ok(false) };
        match &values[i] {
            Value::Null | Value::List(_) => return Ok(false),
            v => {
                vals.push(v.clone());
                conds.push(format!("{name} = ${}", vals.len() + 2));
            }
        }
    }
    if conds.is_empty() {
        return Ok(false);
    }
    let sql = format!(
        "SELECT COUNT(*) FROM {} WHERE org_id = $1 AND id <> $2 AND archived_at IS NULL AND {}",
        reg.table,
        conds.join(" AND ")
    );
    let n: i64 = run!(tx, |c| bind_all!(sqlx::query_scalar(&sql).bind(org.as_text()).bind(id.as_text()), &vals)
        .fetch_one(c)
        .await)?;
    Ok(n > 0)
}

/// How many records are not archived.
pub async fn count_active(tx: &mut Tx, reg: &Register, org: OrgId) -> Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM {} WHERE org_id = $1 AND archived_at IS NULL", reg.table);
    Ok(run!(tx, |c| sqlx::query_scalar(&sql).bind(org.as_text()).fetch_one(c).await)?)
}

pub async fn get(tx: &mut Tx, reg: &Register, org: OrgId, id: RecordId) -> Result<Option<Record>> {
    let sql = format!("SELECT {} FROM {} WHERE org_id = $1 AND id = $2", select_cols(reg), reg.table);
    let row = run!(tx, |c| sqlx::query(&sql)
        .bind(org.as_text())
        .bind(id.as_text())
        .fetch_optional(c)
        .await
        .map(|r| r.map(|r| decode_row(reg, &r))))?;
    let mut recs: Vec<Record> = row.transpose()?.into_iter().collect();
    load_links(tx, reg, org, &mut recs).await?;
    Ok(recs.pop())
}

/// How many ids one `IN (…)` list binds at most.
const CHUNK: usize = 500;

/// Fills the many-valued fields of `recs` from their link tables: one query
/// per field and [`CHUNK`] records, on the link table's primary key.
async fn load_links(tx: &mut Tx, reg: &Register, org: OrgId, recs: &mut [Record]) -> Result<()> {
    for (i, f) in reg.fields.iter().enumerate() {
        let Some(t) = f.links() else { continue };
        let mut by_id: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for chunk in recs.chunks(CHUNK) {
            let holes: Vec<String> = (0..chunk.len()).map(|n| format!("${}", n + 2)).collect();
            let sql = format!(
                "SELECT {}, {} FROM {} WHERE org_id = $1 AND {} IN ({})",
                t.own,
                t.other,
                t.table,
                t.own,
                holes.join(", ")
            );
            let ids: Vec<Value> = chunk.iter().map(|r| Value::Text(r.id.as_text())).collect();
            let rows: Vec<(String, String)> =
                run!(tx, |c| bind_all!(sqlx::query_as(&sql).bind(org.as_text()), &ids).fetch_all(c).await)?;
            for (own, other) in rows {
                by_id.entry(own).or_default().push(other);
            }
        }
        for rec in recs.iter_mut() {
            let mut values = by_id.remove(&rec.id.as_text()).unwrap_or_default();
            sort_values(f, &mut values);
            rec.values[i] = Value::List(values);
        }
    }
    load_effective(tx, reg, org, recs).await
}

/// Fills the effective value of each level raised through links
/// ([`Field::raised_by`]): the highest over the record and every current
/// record it reaches through the links, current ones only (an archived
/// record neither passes a level on nor is raised; its effective level is
/// its own). `UNION` drops repeated (root, record) pairs, so a loop ends.
/// One query per such field and [`CHUNK`] records, reading only what the
/// records reach.
async fn load_effective(tx: &mut Tx, reg: &Register, org: OrgId, recs: &mut [Record]) -> Result<()> {
    for (i, f) in reg.fields.iter().enumerate() {
        let Some(t) = f.raised_by.and_then(|through| reg.field(through)).and_then(Field::links) else { continue };
        let mut best: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        for chunk in recs.chunks(CHUNK) {
            let holes: Vec<String> = (0..chunk.len()).map(|n| format!("${}", n + 2)).collect();
            let sql = format!(
                "WITH RECURSIVE reach(root, id) AS ( \
                     SELECT id, id FROM {table} WHERE org_id = $1 AND archived_at IS NULL AND id IN ({holes}) \
                     UNION \
                     SELECT r.root, l.{other} FROM reach r \
                     JOIN {links} l ON l.org_id = $1 AND l.{own} = r.id \
                     JOIN {table} s ON s.org_id = $1 AND s.id = l.{other} AND s.archived_at IS NULL \
                 ) \
                 SELECT r.root, MAX(x.{field}) FROM reach r \
                 JOIN {table} x ON x.org_id = $1 AND x.id = r.id GROUP BY r.root",
                table = reg.table,
                holes = holes.join(", "),
                other = t.other,
                own = t.own,
                links = t.table,
                field = f.name,
            );
            let ids: Vec<Value> = chunk.iter().map(|r| Value::Text(r.id.as_text())).collect();
            let rows: Vec<(String, i64)> =
                run!(tx, |c| bind_all!(sqlx::query_as(&sql).bind(org.as_text()), &ids).fetch_all(c).await)?;
            best.extend(rows);
        }
        for rec in recs.iter_mut() {
            let own = rec.values[i].as_int().unwrap_or(0);
            let v = best.get(&rec.id.as_text()).copied().unwrap_or(own).max(own);
            rec.effective.insert(f.name, v);
        }
    }
    Ok(())
}

/// Every link of a many-record field in the organisation, as (record,
/// linked records): what a loop check reads.
pub async fn links_of(
    tx: &mut Tx,
    org: OrgId,
    field: &Field,
) -> Result<std::collections::BTreeMap<String, Vec<String>>> {
    let Some(t) = field.links() else { return Ok(Default::default()) };
    let sql = format!("SELECT {}, {} FROM {} WHERE org_id = $1", t.own, t.other, t.table);
    let rows: Vec<(String, String)> = run!(tx, |c| sqlx::query_as(&sql).bind(org.as_text()).fetch_all(c).await)?;
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (own, other) in rows {
        out.entry(own).or_default().push(other);
    }
    Ok(out)
}

/// The order a many-valued field shows its values in: Annex A ids in the
/// standard's order.
fn sort_values(f: &Field, values: &mut [String]) {
    match f.kind {
        Kind::Controls(_) => {
            values.sort_by_key(|id| borgen_core::catalog::control(id).map(|c| c.order()).unwrap_or((u32::MAX, 0)))
        }
        _ => values.sort(),
    }
}

/// Replaces the rows of each many-valued field of one record (a new record,
/// `fresh`, has none to delete).
async fn write_links(
    tx: &mut Tx,
    reg: &Register,
    org: OrgId,
    id: RecordId,
    values: &[Value],
    fresh: bool,
) -> Result<()> {
    for (f, v) in reg.fields.iter().zip(values) {
        let Some(t) = f.links() else { continue };
        if !fresh {
            let del = format!("DELETE FROM {} WHERE org_id = $1 AND {} = $2", t.table, t.own);
            exec!(tx, |c| sqlx::query(&del).bind(org.as_text()).bind(id.as_text()).execute(c).await)?;
        }
        let ins = match f.kind {
            // Only a record of the organisation can be linked.
            Kind::Records { register, .. } => {
                let target = borgen_core::registers::by_key(register).map(|r| r.table).unwrap_or(reg.table);
                format!(
                    "INSERT INTO {} (org_id, {}, {}) SELECT $1, $2, id FROM {target} WHERE org_id = $1 AND id = $3",
                    t.table, t.own, t.other
                )
            }
            _ => format!("INSERT INTO {} (org_id, {}, {}) VALUES ($1, $2, $3)", t.table, t.own, t.other),
        };
        for other in v.as_list() {
            exec!(tx, |c| sqlx::query(&ins).bind(org.as_text()).bind(id.as_text()).bind(other).execute(c).await)?;
        }
    }
    Ok(())
}

pub async fn insert(tx: &mut Tx, reg: &Register, org: OrgId, id: RecordId, values: &[Value], now: &str) -> Result<()> {
    let (keys, extra) = derived(reg, values);
    let mut cols: Vec<String> = columns(reg).map(|f| f.name.to_string()).collect();
    cols.extend(keys.iter().map(|k| format!("{k}_key")));
    cols.push("search".into());
    let holes: Vec<String> = (0..cols.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "INSERT INTO {} (id, org_id, created_at, updated_at, archived_at, {}) VALUES ($1, $2, $3, $3, NULL, {})",
        reg.table,
        cols.join(", "),
        holes.join(", ")
    );
    let all: Vec<&Value> = column_values(reg, values).chain(&extra).collect();
    exec!(tx, |c| bind_all!(sqlx::query(&sql).bind(id.as_text()).bind(org.as_text()).bind(now), all.iter().copied())
        .execute(c)
        .await)?;
    write_links(tx, reg, org, id, values, true).await
}

/// Writes every field of a record; `false` when there is no such record.
pub async fn update(
    tx: &mut Tx,
    reg: &Register,
    org: OrgId,
    id: RecordId,
    values: &[Value],
    now: &str,
) -> Result<bool> {
    let (keys, extra) = derived(reg, values);
    let mut cols: Vec<String> = columns(reg).map(|f| f.name.to_string()).collect();
    cols.extend(keys.iter().map(|k| format!("{k}_key")));
    cols.push("search".into());
    let sets: Vec<String> = cols.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 4)).collect();
    let sql = format!("UPDATE {} SET updated_at = $3, {} WHERE org_id = $1 AND id = $2", reg.table, sets.join(", "));
    let all: Vec<&Value> = column_values(reg, values).chain(&extra).collect();
    let n = exec!(tx, |c| bind_all!(
        sqlx::query(&sql).bind(org.as_text()).bind(id.as_text()).bind(now),
        all.iter().copied()
    )
    .execute(c)
    .await)?;
    if n > 0 {
        write_links(tx, reg, org, id, values, false).await?;
    }
    Ok(n > 0)
}

/// Archives (`Some(now)`) or restores (`None`) a record.
pub async fn set_archived(
    tx: &mut Tx,
    reg: &Register,
    org: OrgId,
    id: RecordId,
    at: Option<&str>,
    now: &str,
) -> Result<bool> {
    let sql = format!("UPDATE {} SET archived_at = $3, updated_at = $4 WHERE org_id = $1 AND id = $2", reg.table);
    let n =
        exec!(tx, |c| sqlx::query(&sql).bind(org.as_text()).bind(id.as_text()).bind(at).bind(now).execute(c).await)?;
    Ok(n > 0)
}

/// Checks that each register's table has the columns its declaration needs,
/// so that a migration that does not match fails at start-up with the name
/// of the register, not at the first request.
pub async fn check_tables(tx: &mut Tx, regs: &[&Register]) -> Result<()> {
    for reg in regs {
        let mut cols = vec![select_cols(reg), "org_id".into(), "search".into()];
        cols.extend(reg.fields.iter().filter(|f| f.has_sort_key()).map(|f| format!("{}_key", f.name)));
        let sql = format!("SELECT {} FROM {} WHERE 1 = 0", cols.join(", "), reg.table);
        run!(tx, |c| sqlx::query(&sql).fetch_all(c).await.map(|r| r.len())).map_err(|e| {
            StoreError::Corrupt(format!("the table of register {} does not match its declaration: {e}", reg.key))
        })?;
        for (f, t) in reg.fields.iter().filter_map(|f| f.links().map(|t| (f, t))) {
            let sql = format!("SELECT org_id, {}, {} FROM {} WHERE 1 = 0", t.own, t.other, t.table);
            run!(tx, |c| sqlx::query(&sql).fetch_all(c).await.map(|r| r.len())).map_err(|e| {
                StoreError::Corrupt(format!("the link table of {}.{} does not match: {e}", reg.key, f.name))
            })?;
        }
    }
    Ok(())
}

/// Fills the sort keys and search text a migration added to an existing
/// table (a register moved onto the mechanism), since both are computed in
/// Rust: rows where one is missing get them here. Does nothing once all are set.
pub async fn fill_derived(tx: &mut Tx, reg: &Register) -> Result<u64> {
    let mut missing: Vec<String> =
        reg.fields.iter().filter(|f| f.has_sort_key()).map(|f| format!("{}_key IS NULL", f.name)).collect();
    missing.push("search IS NULL".into());
    let sql = format!("SELECT org_id, id FROM {} WHERE {}", reg.table, missing.join(" OR "));
    let rows: Vec<(String, String)> = run!(tx, |c| sqlx::query_as(&sql).fetch_all(c).await)?;
    let mut by_org: std::collections::BTreeMap<String, Vec<RecordId>> = Default::default();
    for (org, id) in rows {
        by_org.entry(org).or_default().push(crate::decode("record id", &id, RecordId::parse)?);
    }
    let mut n = 0;
    for (org, ids) in by_org {
        let org = crate::decode("organisation id", &org, OrgId::parse)?;
        // Read as a request would, many-valued fields and all.
        for chunk in ids.chunks(CHUNK) {
            for rec in get_many(tx, reg, org, chunk).await? {
                let (keys, vals) = derived(reg, &rec.values);
                let mut sets: Vec<String> =
                    keys.iter().enumerate().map(|(i, k)| format!("{k}_key = ${}", i + 2)).collect();
                sets.push(format!("search = ${}", keys.len() + 2));
                let update = format!("UPDATE {} SET {} WHERE id = $1", reg.table, sets.join(", "));
                n += exec!(tx, |c| bind_all!(sqlx::query(&update).bind(rec.id.as_text()), &vals).execute(c).await)?;
            }
        }
    }
    Ok(n)
}

/// The records of `reg` whose column `col` is one of `ids` (archived too),
/// in the given order (within each chunk of [`CHUNK`] ids).
async fn where_in(
    tx: &mut Tx,
    reg: &Register,
    org: OrgId,
    col: &str,
    ids: &[RecordId],
    order: &str,
) -> Result<Vec<Record>> {
    let mut recs = Vec::new();
    // In chunks: an IN list of user-sized length stays under both engines' bind limits.
    for chunk in ids.chunks(CHUNK) {
        let holes: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE org_id = $1 AND {col} IN ({}){order}",
            select_cols(reg),
            reg.table,
            holes.join(", ")
        );
        let vals: Vec<Value> = chunk.iter().map(|id| Value::Text(id.as_text())).collect();
        let rows = run!(tx, |c| bind_all!(sqlx::query(&sql).bind(org.as_text()), &vals)
            .fetch_all(c)
            .await
            .map(|rows| rows.iter().map(|r| decode_row(reg, r)).collect::<Vec<_>>()))?;
        for r in rows {
            recs.push(r?);
        }
    }
    load_links(tx, reg, org, &mut recs).await?;
    Ok(recs)
}

/// The records of `reg` that belong to any of `parents` (through its parent
/// field), archived or not, in the register's default order.
pub async fn children(tx: &mut Tx, reg: &Register, org: OrgId, parents: &[RecordId]) -> Result<Vec<Record>> {
    let Some(col) = reg.parent else { return Ok(Vec::new()) };
    let default = reg.index(reg.default_sort).map(Sort::Field).unwrap_or(Sort::Updated);
    let order = format!(" ORDER BY {}", order_by(tx, reg, default, reg.default_desc));
    where_in(tx, reg, org, col, parents, &order).await
}

/// The records of `reg` with these ids (archived too), in no particular order.
pub async fn get_many(tx: &mut Tx, reg: &Register, org: OrgId, ids: &[RecordId]) -> Result<Vec<Record>> {
    where_in(tx, reg, org, "id", ids, "").await
}

/// The titles of the records of `reg` with these ids (archived too), by id.
pub async fn titles(
    tx: &mut Tx,
    reg: &Register,
    org: OrgId,
    ids: &[String],
) -> Result<std::collections::BTreeMap<String, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let holes: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!("SELECT id, {} FROM {} WHERE org_id = $1 AND id IN ({})", reg.title, reg.table, holes.join(", "));
    let vals: Vec<Value> = ids.iter().map(|s| Value::Text(s.clone())).collect();
    let rows: Vec<(String, String)> =
        run!(tx, |c| bind_all!(sqlx::query_as(&sql).bind(org.as_text()), &vals).fetch_all(c).await)?;
    Ok(rows.into_iter().collect())
}

/// The active records of `reg` as (id, title), in title order: the choices
/// of a link field. At most [`borgen_core::register::EXPORT_MAX`].
pub async fn choices(tx: &mut Tx, reg: &Register, org: OrgId) -> Result<Vec<(String, String)>> {
    let sort = reg.index(reg.title).map(Sort::Field).unwrap_or(Sort::Updated);
    let sql = format!(
        "SELECT id, {} FROM {} WHERE org_id = $1 AND archived_at IS NULL ORDER BY {} LIMIT {}",
        reg.title,
        reg.table,
        order_by(tx, reg, sort, false),
        borgen_core::register::EXPORT_MAX
    );
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(org.as_text()).fetch_all(c).await)?)
}

/// Every record of `reg` (archived ones when `archived`), in title order, up
/// to [`borgen_core::register::EXPORT_MAX`]: what other registers offer and
/// resolve names against.
pub async fn all(tx: &mut Tx, reg: &Register, org: OrgId, archived: bool) -> Result<Vec<Record>> {
    let q = ListQuery {
        q: None,
        filters: Vec::new(),
        archived: if archived {
            borgen_core::context::ArchiveFilter::All
        } else {
            borgen_core::context::ArchiveFilter::Active
        },
        sort: reg.index(reg.title).map(Sort::Field).unwrap_or(Sort::Updated),
        desc: false,
        page: 1,
        per_page: borgen_core::register::EXPORT_MAX,
    };
    Ok(list(tx, reg, org, &q).await?.0)
}

/// Every applied control (archived too), as risks, tasks and imports read them.
pub async fn applied_refs(tx: &mut Tx, org: OrgId) -> Result<Vec<borgen_core::registers::AppliedRef>> {
    let recs = all(tx, &borgen_core::registers::APPLIED_CONTROLS, org, true).await?;
    Ok(recs.iter().map(borgen_core::registers::AppliedRef::of).collect())
}

/// Every asset (archived too, however many), in name order, as risks,
/// imports and exports name them: their columns only, no links or levels.
pub async fn asset_refs(tx: &mut Tx, org: OrgId) -> Result<Vec<borgen_core::registers::AssetRef>> {
    let reg = &borgen_core::registers::ASSETS;
    let sql = format!(
        "SELECT id, name, asset_type, archived_at FROM {} WHERE org_id = $1 ORDER BY {}",
        reg.table,
        order_by(tx, reg, reg.index(reg.title).map(Sort::Field).unwrap_or(Sort::Updated), false)
    );
    let rows: Vec<(String, String, String, Option<String>)> =
        run!(tx, |c| sqlx::query_as(&sql).bind(org.as_text()).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, asset_type, archived)| borgen_core::registers::AssetRef {
            id,
            name,
            asset_type,
            archived: archived.is_some(),
        })
        .collect())
}

/// Every own threat (archived too), in name order, as risks, imports and exports read them.
pub async fn threat_refs(tx: &mut Tx, org: OrgId) -> Result<Vec<borgen_core::registers::ThreatRef>> {
    let recs = all(tx, &borgen_core::registers::OWN_THREATS, org, true).await?;
    Ok(recs.iter().map(borgen_core::registers::ThreatRef::of).collect())
}
