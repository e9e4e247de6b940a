//! Evidence files attached to records: attach (the kind checked by content,
//! stored once by hash), take off, list, download, the organisation's index,
//! and the check that every stored file still has its hash.
//!
//! A file belongs to an organisation only through its rows; reading it needs
//! the right to read a record it is attached to, so another organisation's
//! file is not found (404) even by its hash. Attaching and taking off are
//! changes to the record: they need the right to edit it (403), not while it
//! is archived (409), and write one audit event on the record.

use crate::{App, AppError, OrgCtx, Result, record};
use borgen_core::FieldErrors;
use borgen_core::evidence::{self, FileKind};
use borgen_core::ids::RiskId;
use borgen_core::register::{RecordId, Register};
use borgen_core::role::Permission;
use borgen_core::time::now_text;
use borgen_store::Tx;
use borgen_store::evidence::{self as repo, FileRow, LinkRow};
use bytes::Bytes;
use std::collections::BTreeMap;

/// The record a file is attached to.
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    /// A record of a declared register.
    Record(&'static Register, RecordId),
    Risk(RiskId),
    /// A version of a document: its files are its content beside (or
    /// instead of) its text, and change only while it is a draft.
    DocVersion(RecordId),
}

impl Subject {
    /// From the entity and id in a path (`applied_control`, a UUID).
    pub fn parse(entity: &str, id: &str) -> Option<Subject> {
        match entity {
            "risk" => RiskId::parse(id).map(Subject::Risk),
            "document_version" => RecordId::parse(id).map(Subject::DocVersion),
            key => Some(Subject::Record(borgen_core::registers::by_key(key)?, RecordId::parse(id)?)),
        }
    }
    /// The audit trail's entity type of the record.
    pub fn entity(&self) -> &'static str {
        match self {
            Subject::Record(reg, _) => reg.key,
            Subject::Risk(_) => "risk",
            Subject::DocVersion(_) => "document_version",
        }
    }
    pub fn id_text(&self) -> String {
        match self {
            Subject::Record(_, id) | Subject::DocVersion(id) => id.as_text(),
            Subject::Risk(id) => id.as_text(),
        }
    }
    /// The record's page under `/o/{slug}/`.
    pub fn path(&self) -> String {
        match self {
            Subject::Record(reg, id) => format!("{}/{id}", reg.path),
            Subject::Risk(id) => format!("risks/{}", id.as_text()),
            // Resolved to the document's version page by its number.
            Subject::DocVersion(id) => format!("support/documents/versions/{}", id.as_text()),
        }
    }
}

/// What the acting member may do with a record's evidence, and its name.
#[derive(Clone, Debug)]
pub struct Rights {
    pub edit: bool,
    /// Read only now: archived, or a document version past its draft.
    pub archived: bool,
    /// Why a change is refused while `archived` (a locale key).
    pub read_only: &'static str,
    pub title: String,
}

/// An attached file with the record it is attached to, for the index.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Attached {
    #[serde(flatten)]
    pub link: LinkRow,
    /// The record's name ("R-004 Phishing", "Back-up"); records the member
    /// may not read are left out of the index.
    pub record_title: String,
    /// The record's page under `/o/{slug}/`.
    #[serde(skip)]
    pub record_path: String,
}

/// A file of the organisation with its current attachments.
#[derive(Clone, Debug, serde::Serialize)]
pub struct IndexRow {
    #[serde(flatten)]
    pub file: FileRow,
    pub attached_to: Vec<Attached>,
}

/// A file as downloaded: the name to save it under, its type, its bytes.
#[derive(Clone, Debug)]
pub struct Download {
    pub name: String,
    pub media_type: String,
    pub bytes: Bytes,
}

/// A stored file that no longer matches what was recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Damage {
    Missing,
    Changed,
}

/// One file `verify_evidence` found wrong.
#[derive(Clone, Debug)]
pub struct Damaged {
    pub org_slug: String,
    pub sha256: String,
    pub damage: Damage,
}

/// What a member may do with `s`'s evidence (404 when the record is not
/// the organisation's, 403 when they may not read it).
async fn rights(tx: &mut Tx, ctx: &OrgCtx, s: Subject) -> Result<Rights> {
    match s {
        Subject::Record(reg, id) => {
            let (rec, edit, archived) = crate::register::rights_in(tx, ctx, reg, id).await?;
            if reg.key == borgen_core::registers::DOCUMENTS.key && !crate::document::may_read_text(ctx, &rec, edit) {
                return Err(AppError::Forbidden);
            }
            let title = match (reg.title_link(&rec), reg.field(reg.title).map(|f| f.kind)) {
                (Some(link), Some(borgen_core::register::Kind::Link(key))) => match borgen_core::registers::by_key(key)
                {
                    Some(target) => borgen_store::register::titles(tx, target, ctx.org.id, &[link.to_string()])
                        .await?
                        .remove(link)
                        .unwrap_or_default(),
                    None => String::new(),
                },
                _ => reg.title_of(&rec).to_string(),
            };
            Ok(Rights { edit, archived, read_only: "error.archived_read_only", title })
        }
        Subject::Risk(id) => {
            ctx.require(Permission::ReadRegisters)?;
            // The risk's own row: its owner and archive are all the rights need.
            let r = borgen_store::risk::get_risk(tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
            Ok(Rights {
                edit: ctx.can_edit_owned(r.data.owner_id),
                archived: r.archived,
                read_only: "error.archived_read_only",
                title: format!("{} {}", r.reference(), r.data.title),
            })
        }
        Subject::DocVersion(id) => crate::document::version_rights(tx, ctx, id).await,
    }
}

/// Refuses a change to `s`'s evidence the member may not make.
async fn may_change(tx: &mut Tx, ctx: &OrgCtx, s: Subject) -> Result<Rights> {
    let r = rights(tx, ctx, s).await?;
    if !r.edit {
        return Err(AppError::Forbidden);
    }
    if r.archived {
        return Err(AppError::Conflict(r.read_only));
    }
    Ok(r)
}

fn file_error(key: &'static str) -> AppError {
    let mut e = FieldErrors::default();
    e.add("file", key);
    AppError::Invalid(e)
}

fn event_json(l: &LinkRow) -> Option<serde_json::Value> {
    Some(serde_json::json!({
        "file": l.name, "sha256": l.sha256, "size": l.size, "media_type": l.media_type, "note": l.note,
    }))
}

impl App {
    /// What the member may do with `s`'s evidence, and the files attached
    /// to it now (one read).
    pub async fn evidence_of(&self, ctx: &OrgCtx, s: Subject) -> Result<(Rights, Vec<LinkRow>)> {
        let mut tx = self.db.read().await?;
        let r = rights(&mut tx, ctx, s).await?;
        Ok((r, repo::links_of(&mut tx, ctx.org.id, s.entity(), &s.id_text()).await?))
    }

    /// Attaches a file to `s`. The file is refused (422, on the field `file`)
    /// when it is empty, over the size limit, not of an accepted kind by its
    /// content, or named as another kind; the same file twice on one record
    /// is refused (409). The bytes are stored before the rows are written: a
    /// stored file without rows is never shown and is stored only once.
    pub async fn attach_evidence(
        &self,
        ctx: &OrgCtx,
        s: Subject,
        name: &str,
        note: &str,
        bytes: Bytes,
    ) -> Result<LinkRow> {
        {
            let mut tx = self.db.read().await?;
            may_change(&mut tx, ctx, s).await?;
        }
        let mut e = FieldErrors::default();
        let name = match evidence::clean_name(name) {
            Ok(n) => n,
            Err(r) => return Err(file_error(r.key())),
        };
        let note = borgen_core::text::optional(&mut e, "note", Some(note), 500).unwrap_or_default();
        let kind = evidence::sniff(&bytes, &name, self.config.evidence_max_bytes).map_err(|r| e.add("file", r.key()));
        e.finish(())?;
        let Ok(kind): std::result::Result<FileKind, ()> = kind else { return Err(file_error("evidence.error.kind")) };
        let sha = {
            let b = bytes.clone();
            self.cpu(move || evidence::sha256_hex(&b)).await?
        };
        let size = bytes.len() as i64;
        self.evidence.put(&sha, bytes).await?;

        let mut tx = self.db.write().await?;
        // Under the organisation's lock: an archive or a second upload of the
        // same file cannot slip between the checks and the insert.
        borgen_store::orgs::lock(&mut tx, ctx.org.id).await?;
        may_change(&mut tx, ctx, s).await?;
        let (entity, rid) = (s.entity(), s.id_text());
        if repo::links_of(&mut tx, ctx.org.id, entity, &rid).await?.iter().any(|l| l.sha256 == sha) {
            return Err(AppError::Conflict("evidence.error.already_attached"));
        }
        let who = ctx.actor.audit_ref();
        let at = now_text();
        let file = FileRow {
            sha256: sha.clone(),
            size,
            media_type: kind.media_type().to_string(),
            uploaded_by: who.id.clone(),
            uploaded_by_label: who.label.clone(),
            uploaded_at: at.clone(),
        };
        repo::insert_file(&mut tx, ctx.org.id, &file).await?;
        let link = LinkRow {
            id: uuid::Uuid::now_v7().to_string(),
            sha256: sha,
            entity: entity.to_string(),
            record_id: rid.clone(),
            name,
            note,
            attached_by: who.id,
            attached_by_label: who.label,
            attached_at: at,
            removed_at: None,
            removed_by_label: None,
            size,
            media_type: file.media_type,
        };
        match repo::insert_link(&mut tx, ctx.org.id, &link).await {
            Err(e) if e.is_unique_violation() => return Err(AppError::Conflict("evidence.error.already_attached")),
            r => r?,
        }
        record(&mut tx, &ctx.actor, &ctx.chain(), "attach", entity, &rid, None, event_json(&link)).await?;
        tx.commit().await?;
        Ok(link)
    }

    /// Takes a file off `s` (the attachment stays in the history).
    pub async fn detach_evidence(&self, ctx: &OrgCtx, s: Subject, link_id: &str) -> Result<()> {
        let mut tx = self.db.write().await?;
        borgen_store::orgs::lock(&mut tx, ctx.org.id).await?;
        may_change(&mut tx, ctx, s).await?;
        let l = repo::link(&mut tx, ctx.org.id, link_id)
            .await?
            .filter(|l| l.entity == s.entity() && l.record_id == s.id_text() && l.removed_at.is_none())
            .ok_or(AppError::NotFound)?;
        repo::remove_link(&mut tx, ctx.org.id, &l.id, &now_text(), &ctx.actor.audit_ref().label).await?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "detach", &l.entity, &l.record_id, event_json(&l), None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An attached file, for a member who may read its record.
    pub async fn evidence_download(&self, ctx: &OrgCtx, link_id: &str) -> Result<Download> {
        let mut tx = self.db.read().await?;
        let l = repo::link(&mut tx, ctx.org.id, link_id).await?.ok_or(AppError::NotFound)?;
        let s = Subject::parse(&l.entity, &l.record_id).ok_or(AppError::NotFound)?;
        rights(&mut tx, ctx, s).await?;
        drop(tx);
        self.fetch(&l.sha256, l.name, l.media_type).await
    }

    /// The organisation's file `sha256`, for a member who may read a record
    /// it is (or was) attached to; `NotFound` otherwise, also for another
    /// organisation's file.
    pub async fn evidence_file(&self, ctx: &OrgCtx, sha256: &str) -> Result<Download> {
        if !evidence::is_sha256(sha256) {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db.read().await?;
        let file = repo::file(&mut tx, ctx.org.id, sha256).await?.ok_or(AppError::NotFound)?;
        let mut readable = None;
        for l in repo::links_of_file(&mut tx, ctx.org.id, sha256).await? {
            let Some(s) = Subject::parse(&l.entity, &l.record_id) else { continue };
            if rights(&mut tx, ctx, s).await.is_ok() {
                readable = Some(l);
                break;
            }
        }
        let l = readable.ok_or(AppError::NotFound)?;
        drop(tx);
        self.fetch(sha256, l.name, file.media_type).await
    }

    async fn fetch(&self, sha256: &str, name: String, media_type: String) -> Result<Download> {
        let bytes = self
            .evidence
            .get(sha256)
            .await?
            .ok_or_else(|| AppError::Internal(format!("evidence file {sha256} is missing from the store")))?;
        let b = bytes.clone();
        if self.cpu(move || evidence::sha256_hex(&b)).await? != sha256 {
            return Err(AppError::Internal(format!("evidence file {sha256} has changed in the store")));
        }
        Ok(Download { name, media_type, bytes })
    }

    /// A page of the organisation's files, newest first, each with the
    /// records it is attached to now (named where the member may read
    /// them), and how many files there are.
    pub async fn evidence_index(&self, ctx: &OrgCtx, limit: i64, offset: i64) -> Result<(Vec<IndexRow>, i64)> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        let (files, total) = repo::files(&mut tx, ctx.org.id, limit, offset).await?;
        let hashes: Vec<String> = files.iter().map(|f| f.sha256.clone()).collect();
        let links = repo::links_of_files(&mut tx, ctx.org.id, &hashes).await?;
        // A record the member may not read (a document of a classification
        // their role does not read) is left out, and so is a file attached
        // only to such records.
        let mut titles: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
        for l in &links {
            let k = (l.entity.clone(), l.record_id.clone());
            if titles.contains_key(&k) {
                continue;
            }
            let title = match Subject::parse(&l.entity, &l.record_id) {
                Some(s) => rights(&mut tx, ctx, s).await.ok().map(|r| r.title),
                None => None,
            };
            titles.insert(k, title);
        }
        let mut by_file: BTreeMap<String, Vec<Attached>> = BTreeMap::new();
        let mut hidden: std::collections::BTreeSet<String> = Default::default();
        for l in links {
            let Some(title) = titles.get(&(l.entity.clone(), l.record_id.clone())).cloned().flatten() else {
                hidden.insert(l.sha256.clone());
                continue;
            };
            let path = Subject::parse(&l.entity, &l.record_id).map(|s| s.path()).unwrap_or_default();
            by_file.entry(l.sha256.clone()).or_default().push(Attached {
                link: l,
                record_title: title,
                record_path: path,
            });
        }
        let rows = files
            .into_iter()
            .filter_map(|f| {
                let attached_to = by_file.remove(&f.sha256).unwrap_or_default();
                (!attached_to.is_empty() || !hidden.contains(&f.sha256)).then_some(IndexRow { file: f, attached_to })
            })
            .collect();
        Ok((rows, total))
    }

    /// Reads every file every organisation holds back from the store and
    /// names those that are missing or whose bytes no longer have their
    /// hash (`borgen evidence verify`). Returns how many were checked.
    pub async fn verify_evidence(&self) -> Result<(usize, Vec<Damaged>)> {
        let mut tx = self.db.read().await?;
        let orgs = borgen_store::orgs::list_all(&mut tx).await?;
        let mut wanted = Vec::new();
        for o in &orgs {
            let mut offset = 0;
            loop {
                let (page, total) = repo::files(&mut tx, o.id, 500, offset).await?;
                offset += page.len() as i64;
                wanted.extend(page.into_iter().map(|f| (o.slug.clone(), f.sha256)));
                if offset >= total {
                    break;
                }
            }
        }
        drop(tx);
        let mut checked: BTreeMap<String, Option<Damage>> = BTreeMap::new();
        let mut damaged = Vec::new();
        for (slug, sha) in &wanted {
            if !checked.contains_key(sha) {
                let d = match self.evidence.get(sha).await? {
                    None => Some(Damage::Missing),
                    Some(b) => {
                        let want = sha.clone();
                        self.cpu(move || evidence::sha256_hex(&b) != want).await?.then_some(Damage::Changed)
                    }
                };
                checked.insert(sha.clone(), d);
            }
            if let Some(d) = checked[sha].clone() {
                damaged.push(Damaged { org_slug: slug.clone(), sha256: sha.clone(), damage: d });
            }
        }
        Ok((wanted.len(), damaged))
    }
}
