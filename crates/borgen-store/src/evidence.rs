//! Evidence files: the bytes in a content-addressed store (a directory or
//! S3-compatible object storage, through `object_store`), the rows that say
//! which organisation holds which file and to which records it is attached.
//!
//! A file is stored under `sha256/{first two hex digits}/{sha256}`: once,
//! however often and by however many organisations it is attached, and never
//! overwritten (a file already there is not written again). Which
//! organisation may read it is decided by the rows, never by the store.

use crate::{Result, StoreError, exec, run};
use borgen_core::ids::OrgId;
use bytes::Bytes;
use object_store::{ObjectStore, PutPayload, path::Path as ObjectPath};
use std::sync::Arc;

/// Where evidence files are kept.
#[derive(Clone)]
pub struct Blobs {
    inner: Arc<dyn ObjectStore>,
    place: String,
}

impl std::fmt::Debug for Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.place)
    }
}

/// S3-compatible object storage: the endpoint (`http://127.0.0.1:8333`, or
/// empty for AWS itself), bucket, region and credentials.
#[derive(Clone, Debug, Default)]
pub struct S3Settings {
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Keys start with this (a bucket shared with other uses), or none.
    pub prefix: Option<String>,
}

fn blob_error(e: object_store::Error) -> StoreError {
    StoreError::Blob(e.to_string())
}

fn key(sha256: &str) -> ObjectPath {
    ObjectPath::from(format!("sha256/{}/{sha256}", &sha256[..2.min(sha256.len())]))
}

impl Blobs {
    /// Files in `dir` (created when missing).
    pub fn disk(dir: &std::path::Path) -> Result<Blobs> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Blob(format!("cannot create the evidence directory {}: {e}", dir.display())))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(blob_error)?;
        Ok(Blobs { inner: Arc::new(fs), place: format!("directory {}", dir.display()) })
    }

    /// Files in an S3 bucket. Plain `http://` is allowed only for an endpoint
    /// on the loopback address (a store beside the server).
    pub fn s3(s: &S3Settings) -> Result<Blobs> {
        let mut b = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&s.bucket)
            .with_region(&s.region)
            .with_access_key_id(&s.access_key_id)
            .with_secret_access_key(&s.secret_access_key);
        let mut place = format!("S3 bucket {}", s.bucket);
        if let Some(endpoint) = s.endpoint.as_deref().filter(|e| !e.is_empty()) {
            let local =
                ["http://127.0.0.1", "http://localhost", "http://[::1]"].iter().any(|p| endpoint.starts_with(p));
            b = b.with_endpoint(endpoint).with_virtual_hosted_style_request(false).with_allow_http(local);
            place = format!("{place} at {endpoint}");
        }
        let store = b.build().map_err(blob_error)?;
        Ok(match s.prefix.as_deref().map(|p| p.trim_matches('/')).filter(|p| !p.is_empty()) {
            Some(p) => Blobs {
                inner: Arc::new(object_store::prefix::PrefixStore::new(store, p)),
                place: format!("{place}, under {p}/"),
            },
            None => Blobs { inner: Arc::new(store), place },
        })
    }

    /// Files in memory (for tests of code that needs a store but not its bytes).
    pub fn memory() -> Blobs {
        Blobs { inner: Arc::new(object_store::memory::InMemory::new()), place: "memory".into() }
    }

    /// What this store is, for the log and `borgen evidence verify`.
    pub fn place(&self) -> &str {
        &self.place
    }

    /// Stores `bytes` under their hash unless a file is there already;
    /// `true` when it was written now.
    pub async fn put(&self, sha256: &str, bytes: Bytes) -> Result<bool> {
        let k = key(sha256);
        match self.inner.head(&k).await {
            Ok(_) => return Ok(false),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(blob_error(e)),
        }
        self.inner.put(&k, PutPayload::from(bytes)).await.map_err(blob_error)?;
        Ok(true)
    }

    /// The bytes stored under `sha256`, `None` when there is no such file.
    pub async fn get(&self, sha256: &str) -> Result<Option<Bytes>> {
        match self.inner.get(&key(sha256)).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(blob_error)?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(blob_error(e)),
        }
    }
}

/// A file an organisation holds.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct FileRow {
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub uploaded_by: Option<String>,
    pub uploaded_by_label: String,
    pub uploaded_at: String,
}

/// A file attached to a record.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct LinkRow {
    pub id: String,
    pub sha256: String,
    pub entity: String,
    pub record_id: String,
    pub name: String,
    pub note: String,
    pub attached_by: Option<String>,
    pub attached_by_label: String,
    pub attached_at: String,
    pub removed_at: Option<String>,
    pub removed_by_label: Option<String>,
    pub size: i64,
    pub media_type: String,
}

const LINK_COLS: &str = "l.id, l.sha256, l.entity, l.record_id, l.name, l.note, l.attached_by, l.attached_by_label, \
     l.attached_at, l.removed_at, l.removed_by_label, f.size, f.media_type";
const LINK_FROM: &str = "evidence_links l JOIN evidence_files f ON f.org_id = l.org_id AND f.sha256 = l.sha256";

/// Records that the organisation holds a file (nothing when it does already).
pub async fn insert_file(tx: &mut crate::Tx, org: OrgId, f: &FileRow) -> Result<()> {
    exec!(tx, |c| sqlx::query(
        "INSERT INTO evidence_files (org_id, sha256, size, media_type, uploaded_by, uploaded_by_label, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, sha256) DO NOTHING"
    )
    .bind(org.as_text())
    .bind(&f.sha256)
    .bind(f.size)
    .bind(&f.media_type)
    .bind(&f.uploaded_by)
    .bind(&f.uploaded_by_label)
    .bind(&f.uploaded_at)
    .execute(c)
    .await)?;
    Ok(())
}

/// A new attachment (its file row must exist).
pub async fn insert_link(tx: &mut crate::Tx, org: OrgId, l: &LinkRow) -> Result<()> {
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO evidence_links (id, org_id, sha256, entity, record_id, name, note, attached_by, attached_by_label, attached_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(&l.id)
    .bind(org.as_text())
    .bind(&l.sha256)
    .bind(&l.entity)
    .bind(&l.record_id)
    .bind(&l.name)
    .bind(&l.note)
    .bind(&l.attached_by)
    .bind(&l.attached_by_label)
    .bind(&l.attached_at)
    .execute(c)
    .await
    })?;
    Ok(())
}

/// The current attachments of one record, oldest first.
pub async fn links_of(tx: &mut crate::Tx, org: OrgId, entity: &str, record_id: &str) -> Result<Vec<LinkRow>> {
    let sql = format!(
        "SELECT {LINK_COLS} FROM {LINK_FROM} WHERE l.org_id = $1 AND l.entity = $2 AND l.record_id = $3 \
         AND l.removed_at IS NULL ORDER BY l.attached_at, l.id"
    );
    Ok(run!(tx, |c| sqlx::query_as::<_, LinkRow>(&sql)
        .bind(org.as_text())
        .bind(entity)
        .bind(record_id)
        .fetch_all(c)
        .await)?)
}

/// One attachment, current or removed.
pub async fn link(tx: &mut crate::Tx, org: OrgId, id: &str) -> Result<Option<LinkRow>> {
    let sql = format!("SELECT {LINK_COLS} FROM {LINK_FROM} WHERE l.org_id = $1 AND l.id = $2");
    Ok(run!(tx, |c| sqlx::query_as::<_, LinkRow>(&sql).bind(org.as_text()).bind(id).fetch_optional(c).await)?)
}

/// Every attachment (current or removed) of the organisation's file `sha256`.
pub async fn links_of_file(tx: &mut crate::Tx, org: OrgId, sha256: &str) -> Result<Vec<LinkRow>> {
    let sql =
        format!("SELECT {LINK_COLS} FROM {LINK_FROM} WHERE l.org_id = $1 AND l.sha256 = $2 ORDER BY l.attached_at");
    Ok(run!(tx, |c| sqlx::query_as::<_, LinkRow>(&sql).bind(org.as_text()).bind(sha256).fetch_all(c).await)?)
}

/// Marks an attachment removed; `false` when it was already.
pub async fn remove_link(tx: &mut crate::Tx, org: OrgId, id: &str, at: &str, by_label: &str) -> Result<bool> {
    let n = exec!(tx, |c| {
        sqlx::query(
        "UPDATE evidence_links SET removed_at = $3, removed_by_label = $4 WHERE org_id = $1 AND id = $2 AND removed_at IS NULL"
    )
    .bind(org.as_text())
    .bind(id)
    .bind(at)
    .bind(by_label)
    .execute(c)
    .await
    })?;
    Ok(n > 0)
}

/// One file of the organisation.
pub async fn file(tx: &mut crate::Tx, org: OrgId, sha256: &str) -> Result<Option<FileRow>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, FileRow>(
        "SELECT sha256, size, media_type, uploaded_by, uploaded_by_label, uploaded_at FROM evidence_files \
         WHERE org_id = $1 AND sha256 = $2"
    )
    .bind(org.as_text())
    .bind(sha256)
    .fetch_optional(c)
    .await)?)
}

/// A page of the organisation's files, newest first, and how many it holds.
pub async fn files(tx: &mut crate::Tx, org: OrgId, limit: i64, offset: i64) -> Result<(Vec<FileRow>, i64)> {
    let rows = run!(tx, |c| sqlx::query_as::<_, FileRow>(
        "SELECT sha256, size, media_type, uploaded_by, uploaded_by_label, uploaded_at FROM evidence_files \
         WHERE org_id = $1 ORDER BY uploaded_at DESC, sha256 LIMIT $2 OFFSET $3"
    )
    .bind(org.as_text())
    .bind(limit)
    .bind(offset)
    .fetch_all(c)
    .await)?;
    let total: i64 = run!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM evidence_files WHERE org_id = $1")
        .bind(org.as_text())
        .fetch_one(c)
        .await)?;
    Ok((rows, total))
}

/// The current attachments of some of the organisation's files.
pub async fn links_of_files(tx: &mut crate::Tx, org: OrgId, hashes: &[String]) -> Result<Vec<LinkRow>> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (0..hashes.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT {LINK_COLS} FROM {LINK_FROM} WHERE l.org_id = $1 AND l.sha256 IN ({}) AND l.removed_at IS NULL \
         ORDER BY l.attached_at",
        marks.join(", ")
    );
    Ok(run!(tx, |c| {
        let mut q = sqlx::query_as::<_, LinkRow>(&sql).bind(org.as_text());
        for h in hashes {
            q = q.bind(h);
        }
        q.fetch_all(c).await
    })?)
}
