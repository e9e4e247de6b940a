//! Reading and confirming published documents (7.3 awareness of the policy,
//! 7.5.3 availability): a published version asks a group of members to read
//! it; each confirms once; the rate counts the members it asks now. Every
//! member may read the documents in force that are theirs to read
//! ([`borgen_core::document::Rules::may_read`]).

use crate::{App, AppError, OrgCtx, Result, record};
use borgen_core::FieldErrors;
use borgen_core::document::{Audience, Rate, State};
use borgen_core::register::RecordId;
use borgen_core::role::Permission;
use borgen_core::time::now_text;
use borgen_store::Tx;
use borgen_store::document::{self as repo, AckRequestRow, AckRow, InForceRow};
use borgen_store::orgs::Member;

/// A member, by id and the name they are shown by.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    pub user_id: String,
    pub label: String,
}

fn person(m: &Member) -> Person {
    let label = if m.name.trim().is_empty() { m.email.clone() } else { m.name.clone() };
    Person { user_id: m.user_id.as_text(), label }
}

/// A version's request to be read, as asked.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Asked {
    #[serde(flatten)]
    pub audience: Audience,
    pub due_on: Option<String>,
    pub requested_at: String,
    pub requested_by_label: String,
}

/// Where the reading of a published version stands.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct AckStatus {
    /// `None`: nobody was asked to read it.
    pub request: Option<Asked>,
    pub rate: Rate,
    /// The members asked who have not confirmed yet.
    pub waiting: Vec<Person>,
    /// Every confirmation, also of people who have since left.
    pub confirmed: Vec<AckRow>,
    /// Whether the acting member may ask (again).
    pub may_ask: bool,
    /// Whether the request asks the acting member, and whether they confirmed.
    pub asks_me: bool,
    pub i_confirmed: bool,
}

/// A document in force a member may read, with whether it asks them to
/// confirm it and whether they did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ToRead {
    pub document_id: String,
    pub number: i64,
    pub code: String,
    pub title: String,
    pub published_at: Option<String>,
    pub asked: bool,
    pub due_on: Option<String>,
    pub confirmed_at: Option<String>,
}

/// The version in force of a document, as a member reads it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Reading {
    #[serde(flatten)]
    pub doc: ToRead,
    pub content: String,
    /// The files of the version (beside or instead of its text).
    pub files: Vec<borgen_store::evidence::LinkRow>,
    pub approved_by_label: Option<String>,
    pub approved_at: Option<String>,
}

fn audience_of(r: &AckRequestRow, people: Vec<String>) -> Option<Audience> {
    Audience::from_parts(&r.audience, r.role.as_deref(), people)
}

/// The current members a request asks, each with whether they confirmed.
fn tally(audience: &Audience, members: &[Member], acks: &[AckRow]) -> (Rate, Vec<Person>) {
    let asked: Vec<(Person, bool)> = members
        .iter()
        .filter(|m| audience.reaches(&m.user_id.as_text(), &m.roles))
        .map(|m| (person(m), acks.iter().any(|a| a.user_id == m.user_id.as_text())))
        .collect();
    let rate = Rate::of(asked.iter().map(|(p, done)| (p.user_id.as_str(), *done)));
    (rate, asked.into_iter().filter(|(_, done)| !done).map(|(p, _)| p).collect())
}

async fn status_of(tx: &mut Tx, ctx: &OrgCtx, version: &str, members: &[Member], may_ask: bool) -> Result<AckStatus> {
    let acks = repo::acks(tx, ctx.org.id, version).await?;
    let Some((row, people)) = repo::ack_request(tx, ctx.org.id, version).await? else {
        return Ok(AckStatus { confirmed: acks, may_ask, ..Default::default() });
    };
    let Some(audience) = audience_of(&row, people) else {
        return Ok(AckStatus { confirmed: acks, may_ask, ..Default::default() });
    };
    let (rate, waiting) = tally(&audience, members, &acks);
    let me = me(ctx);
    let asks_me = audience.reaches(&me, &ctx.roles);
    let i_confirmed = acks.iter().any(|a| a.user_id == me);
    let request = Asked {
        audience,
        due_on: row.due_on,
        requested_at: row.requested_at,
        requested_by_label: row.requested_by_label,
    };
    Ok(AckStatus { request: Some(request), rate, waiting, confirmed: acks, may_ask, asks_me, i_confirmed })
}

fn me(ctx: &OrgCtx) -> String {
    ctx.actor.user_id().map(|u| u.as_text()).unwrap_or_default()
}

/// What the acting member may read of what is in force, with their part.
pub(crate) fn readable(ctx: &OrgCtx, row: &InForceRow, people: Vec<String>, acks: &[AckRow]) -> Option<ToRead> {
    let me = me(ctx);
    let asked = row
        .audience
        .as_deref()
        .and_then(|a| Audience::from_parts(a, row.role.as_deref(), people))
        .is_some_and(|a| a.reaches(&me, &ctx.roles));
    let owner = ctx.can_edit_owned(row.owner_id.as_deref().and_then(borgen_core::ids::UserId::parse));
    if !asked && !owner && !ctx.org.document_rules.may_read(&row.classification, &ctx.roles) {
        return None;
    }
    Some(ToRead {
        document_id: row.document_id.clone(),
        number: row.number,
        code: row.code.clone(),
        title: row.title.clone(),
        published_at: row.published_at.clone(),
        asked,
        due_on: if asked { row.due_on.clone() } else { None },
        confirmed_at: acks.iter().find(|a| a.user_id == me).map(|a| a.acked_at.clone()),
    })
}

impl App {
    /// Where the reading of version `n` stands (who reads the registers).
    pub async fn doc_ack_status(&self, ctx: &OrgCtx, doc: RecordId, n: i64) -> Result<AckStatus> {
        let mut tx = self.db.read().await?;
        let (_, editor, archived) =
            crate::register::rights_in(&mut tx, ctx, &borgen_core::registers::DOCUMENTS, doc).await?;
        let row = repo::version(&mut tx, ctx.org.id, &doc.as_text(), n).await?.ok_or(AppError::NotFound)?;
        let members = borgen_store::orgs::members(&mut tx, ctx.org.id).await?;
        let published = row.state == State::Published.code();
        status_of(&mut tx, ctx, &row.id, &members, editor && !archived && published).await
    }

    /// Asks `audience` to read the published version `n` and confirm it,
    /// by `due_on` if given (who may edit the document). Asked again, the
    /// new request replaces the old one; confirmations stay.
    pub async fn doc_ask(
        &self,
        ctx: &OrgCtx,
        doc: RecordId,
        n: i64,
        audience: Option<Audience>,
        due_on: Option<&str>,
    ) -> Result<AckStatus> {
        let mut e = FieldErrors::default();
        let due_on = borgen_core::text::optional_date(&mut e, "due_on", due_on);
        let mut tx = self.db.write().await?;
        let (_, editor, archived) =
            crate::register::rights_in(&mut tx, ctx, &borgen_core::registers::DOCUMENTS, doc).await?;
        if !editor {
            return Err(AppError::Forbidden);
        }
        if archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        let row = repo::version(&mut tx, ctx.org.id, &doc.as_text(), n).await?.ok_or(AppError::NotFound)?;
        if row.state != State::Published.code() {
            return Err(AppError::Conflict("document.error.ask_not_published"));
        }
        let members = borgen_store::orgs::members(&mut tx, ctx.org.id).await?;
        let Some(audience) = audience else {
            e.add("audience", "document.error.audience");
            return Err(AppError::Invalid(e));
        };
        let mut names = Vec::new();
        if let Audience::People { people } = &audience {
            for p in people {
                match members.iter().find(|m| m.user_id.as_text() == *p) {
                    Some(m) => names.push(person(m).label),
                    None => {
                        e.add("people", "document.error.not_member");
                        break;
                    }
                }
            }
        }
        e.finish(())?;
        let people = match &audience {
            Audience::People { people } => {
                let mut p = people.clone();
                p.sort();
                p.dedup();
                p
            }
            _ => Vec::new(),
        };
        let by = ctx.actor.audit_ref().label;
        let req = AckRequestRow {
            version_id: row.id.clone(),
            audience: audience.code().to_string(),
            role: match &audience {
                Audience::Role { role } => Some(role.code().to_string()),
                _ => None,
            },
            due_on: due_on.clone(),
            requested_at: now_text(),
            requested_by_label: by,
        };
        repo::set_ack_request(&mut tx, ctx.org.id, &req, &people).await?;
        let after = serde_json::json!({ "number": n, "audience": req.audience, "role": req.role,
            "people": names.join(", "), "due_on": due_on });
        record(&mut tx, &ctx.actor, &ctx.chain(), "ask_ack", "document_version", &row.id, None, Some(after)).await?;
        let status = status_of(&mut tx, ctx, &row.id, &members, true).await?;
        tx.commit().await?;
        Ok(status)
    }

    /// The acting member confirms they read version `n`, the version in
    /// force that asks them to (403 when it does not ask them, 409 when it
    /// is no longer in force). Confirming twice changes nothing.
    pub async fn doc_acknowledge(&self, ctx: &OrgCtx, doc: RecordId, n: i64) -> Result<ToRead> {
        let Some(user) = ctx.actor.user_id() else { return Err(AppError::Forbidden) };
        let mut tx = self.db.write().await?;
        let row = repo::version(&mut tx, ctx.org.id, &doc.as_text(), n).await?.ok_or(AppError::NotFound)?;
        let in_force = repo::in_force(&mut tx, ctx.org.id, Some(&doc.as_text())).await?;
        let Some((current, people, acks)) = in_force.into_iter().find(|(c, _, _)| c.version_id == row.id) else {
            return Err(AppError::Conflict("document.error.not_in_force"));
        };
        let mine = readable(ctx, &current, people, &acks).filter(|r| r.asked).ok_or(AppError::Forbidden)?;
        if mine.confirmed_at.is_some() {
            return Ok(mine);
        }
        let members = borgen_store::orgs::members(&mut tx, ctx.org.id).await?;
        let label = members.iter().find(|m| m.user_id == user).map(|m| person(m).label).unwrap_or_default();
        let at = now_text();
        if repo::insert_ack(&mut tx, ctx.org.id, &row.id, &user.as_text(), &label, &at).await? {
            let after = serde_json::json!({ "number": n, "confirmed_by": label });
            record(&mut tx, &ctx.actor, &ctx.chain(), "acknowledge", "document_version", &row.id, None, Some(after))
                .await?;
        }
        tx.commit().await?;
        Ok(ToRead { confirmed_at: Some(at), ..mine })
    }

    /// The documents in force the acting member may read, those asking them
    /// to confirm first (unconfirmed before confirmed), then by code.
    pub async fn to_read(&self, ctx: &OrgCtx) -> Result<Vec<ToRead>> {
        if !ctx.can(Permission::ReadPublished) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let mut out: Vec<ToRead> = Vec::new();
        for (row, people, acks) in repo::in_force(&mut tx, ctx.org.id, None).await? {
            out.extend(readable(ctx, &row, people, &acks));
        }
        out.sort_by_key(|r| (!(r.asked && r.confirmed_at.is_none()), !r.asked));
        Ok(out)
    }

    /// The version in force of a document, for a member who may read it
    /// (404 when none is in force or it is not theirs to read).
    pub async fn read_in_force(&self, ctx: &OrgCtx, doc: RecordId) -> Result<Reading> {
        let mut tx = self.db.read().await?;
        let (row, people, acks) = repo::in_force(&mut tx, ctx.org.id, Some(&doc.as_text()))
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?;
        let doc_read = readable(ctx, &row, people, &acks).ok_or(AppError::NotFound)?;
        let v = repo::version(&mut tx, ctx.org.id, &doc.as_text(), row.number).await?.ok_or(AppError::NotFound)?;
        let files = borgen_store::evidence::links_of(&mut tx, ctx.org.id, "document_version", &v.id).await?;
        Ok(Reading {
            doc: doc_read,
            content: v.content,
            files,
            approved_by_label: v.approved_by_label,
            approved_at: v.approved_at,
        })
    }
}

/// The document of a type that matters to the whole ISMS (the policy, the
/// scope) as it stands: the version in force, who approved it, how many of
/// those asked confirmed it, when it is to be reviewed.
#[derive(Clone, Debug, serde::Serialize)]
pub struct KeyDocument {
    pub document_id: String,
    pub code: String,
    pub title: String,
    pub number: i64,
    pub published_at: Option<String>,
    pub approved_by_label: Option<String>,
    pub approved_at: Option<String>,
    pub next_review: Option<String>,
    /// `None`: nobody was asked to read it.
    pub rate: Option<Rate>,
}

impl App {
    /// The current document of `doc_type` in force with the lowest code
    /// (who reads the registers); `None` when none is in force.
    pub async fn key_document(&self, ctx: &OrgCtx, doc_type: &str) -> Result<Option<KeyDocument>> {
        if !ctx.can(Permission::ReadRegisters) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let rows = repo::in_force(&mut tx, ctx.org.id, None).await?;
        let Some((row, people, acks)) = rows.into_iter().find(|(r, _, _)| r.doc_type == doc_type) else {
            return Ok(None);
        };
        let v = repo::version(&mut tx, ctx.org.id, &row.document_id, row.number).await?.ok_or(AppError::NotFound)?;
        let rate = match row.audience.as_deref().and_then(|a| Audience::from_parts(a, row.role.as_deref(), people)) {
            Some(audience) => {
                let members = borgen_store::orgs::members(&mut tx, ctx.org.id).await?;
                Some(tally(&audience, &members, &acks).0)
            }
            None => None,
        };
        Ok(Some(KeyDocument {
            document_id: row.document_id,
            code: row.code,
            title: row.title,
            number: row.number,
            published_at: row.published_at,
            approved_by_label: v.approved_by_label,
            approved_at: v.approved_at,
            next_review: row.next_review,
            rate,
        }))
    }
}
