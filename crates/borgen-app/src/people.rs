//! 5.3, 7.2 and 7.3 read across the people, roles, competence and awareness
//! registers: the two responsibilities the standard names, the RACI matrix,
//! the competence matrix, the awareness rates and the import of a completion
//! list. The rules are [`borgen_core::competence`] and
//! [`borgen_core::awareness`]; here the current records are read.

use crate::{App, AppError, OrgCtx, Result};
use borgen_core::awareness::{self, Campaign, CampaignRate, Completion};
use borgen_core::competence::{self, Duty, Holding, Matrix, Person, Proof, Required, Role};
use borgen_core::import::ImportError;
use borgen_core::register::{EXPORT_MAX, ListQuery, Record, RecordId, Register, Value, Values};
use borgen_core::registers::{
    CAMPAIGNS, COMPETENCE_EVIDENCE, COMPETENCES, COMPLETIONS, ISMS_PROCESSES, ORG_ROLES, PEOPLE, RACI, ROLE_HOLDERS,
};
use borgen_store::{Tx, register as repo};
use std::collections::BTreeMap;

/// The records of `reg` that are not archived, every one.
async fn current(tx: &mut Tx, ctx: &OrgCtx, reg: &'static Register) -> Result<Vec<Record>> {
    let q = reg.query(&Default::default()).map_err(|_| AppError::NotFound)?;
    every(tx, ctx, reg, q).await
}

/// Every record `q` selects, page by page of [`EXPORT_MAX`].
async fn every(tx: &mut Tx, ctx: &OrgCtx, reg: &'static Register, mut q: ListQuery) -> Result<Vec<Record>> {
    q.per_page = EXPORT_MAX;
    let mut out = Vec::new();
    for page in 1.. {
        q.page = page;
        let (recs, total) = repo::list(tx, reg, ctx.org.id, &q).await?;
        let last = recs.is_empty() || out.len() + recs.len() >= usize::try_from(total).unwrap_or(0);
        out.extend(recs);
        if last {
            break;
        }
    }
    Ok(out)
}

fn text(reg: &Register, rec: &Record, name: &str) -> Option<String> {
    Values { reg, values: &rec.values }.text(name).map(str::to_string)
}

fn req(reg: &Register, rec: &Record, name: &str) -> String {
    text(reg, rec, name).unwrap_or_default()
}

/// The people, roles and holdings as the rules read them.
async fn staffing(tx: &mut Tx, ctx: &OrgCtx) -> Result<(Vec<Person>, Vec<Role>, Vec<Holding>)> {
    let people = current(tx, ctx, &PEOPLE)
        .await?
        .iter()
        .map(|r| Person {
            id: r.id.as_text(),
            name: req(&PEOPLE, r, "name"),
            department: text(&PEOPLE, r, "department"),
            end_date: text(&PEOPLE, r, "end_date"),
        })
        .collect();
    let roles = current(tx, ctx, &ORG_ROLES)
        .await?
        .iter()
        .map(|r| {
            let v = Values { reg: &ORG_ROLES, values: &r.values };
            let duties = competence::DUTIES.iter().copied().filter(|d| v.get(d) == &Value::Bool(true)).collect();
            Role { id: r.id.as_text(), name: req(&ORG_ROLES, r, "name"), duties }
        })
        .collect();
    let holdings = current(tx, ctx, &ROLE_HOLDERS)
        .await?
        .iter()
        .map(|r| Holding {
            role_id: req(&ROLE_HOLDERS, r, "role_id"),
            person_id: req(&ROLE_HOLDERS, r, "person_id"),
            since: req(&ROLE_HOLDERS, r, "since"),
            until: text(&ROLE_HOLDERS, r, "until"),
        })
        .collect();
    Ok((people, roles, holdings))
}

impl App {
    /// The two responsibilities of 5.3 and who holds them today.
    pub async fn isms_duties(&self, ctx: &OrgCtx) -> Result<Vec<Duty>> {
        if !ORG_ROLES.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let (people, roles, holdings) = staffing(&mut tx, ctx).await?;
        Ok(competence::duties(&ctx.today(), &people, &roles, &holdings))
    }

    /// People × the competences their current roles require, as of today.
    pub async fn competence_matrix(&self, ctx: &OrgCtx) -> Result<Matrix> {
        if !COMPETENCES.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let (people, roles, holdings) = staffing(&mut tx, ctx).await?;
        let required: Vec<Required> = current(&mut tx, ctx, &COMPETENCES)
            .await?
            .iter()
            .map(|r| Required {
                id: r.id.as_text(),
                role_id: req(&COMPETENCES, r, "role_id"),
                name: req(&COMPETENCES, r, "name"),
            })
            .collect();
        let proofs: Vec<Proof> = current(&mut tx, ctx, &COMPETENCE_EVIDENCE)
            .await?
            .iter()
            .map(|r| Proof {
                person_id: req(&COMPETENCE_EVIDENCE, r, "person_id"),
                competence_id: req(&COMPETENCE_EVIDENCE, r, "competence_id"),
                obtained: req(&COMPETENCE_EVIDENCE, r, "obtained"),
                expires: text(&COMPETENCE_EVIDENCE, r, "expires"),
            })
            .collect();
        Ok(competence::matrix(&ctx.today(), &people, &roles, &holdings, &required, &proofs))
    }
}

/// The ISMS processes against the roles: the letters each role has for each
/// process (5.3).
#[derive(Clone, Debug, Default)]
pub struct RaciMatrix {
    /// (id, name, clause) in clause order.
    pub processes: Vec<(String, String, Option<String>)>,
    /// (id, name) of the roles that have a letter anywhere, in name order.
    pub roles: Vec<(String, String)>,
    /// The letters (codes of `RACI_LETTERS`, in that order) by (process, role).
    pub cells: BTreeMap<(String, String), Vec<String>>,
}

impl RaciMatrix {
    /// How many roles are accountable for a process.
    pub fn accountable(&self, process: &str) -> usize {
        self.cells.iter().filter(|((p, _), l)| p == process && l.iter().any(|x| x == "a")).count()
    }
}

/// The awareness campaigns' completion, the same per department, as of today.
#[derive(Clone, Debug, Default)]
pub struct Awareness {
    pub campaigns: Vec<CampaignRate>,
    pub per_department: Vec<(String, borgen_core::awareness::Rate)>,
}

/// What a completion list did: how many people were added to the campaign,
/// how many changed; or the addresses that name nobody.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Imported {
    Done { added: usize, updated: usize },
    Unknown(Vec<String>),
}

/// A clause ("6.1.2") or Annex A control ("A.5.24") as numbers to sort by;
/// controls after clauses, anything else last.
fn clause_order(c: Option<&str>) -> (u8, Vec<u32>) {
    let Some(c) = c.map(str::trim).filter(|c| !c.is_empty()) else { return (3, Vec::new()) };
    let (group, rest) = match c.strip_prefix("A.").or_else(|| c.strip_prefix("a.")) {
        Some(rest) => (1, rest),
        None => (0, c),
    };
    match rest.split('.').map(str::parse::<u32>).collect::<std::result::Result<Vec<u32>, _>>() {
        Ok(n) => (group, n),
        Err(_) => (2, Vec::new()),
    }
}

fn campaign_of(r: &Record) -> Campaign {
    Campaign {
        id: r.id.as_text(),
        title: req(&CAMPAIGNS, r, "title"),
        kind: req(&CAMPAIGNS, r, "kind"),
        audience: req(&CAMPAIGNS, r, "audience"),
        role_id: text(&CAMPAIGNS, r, "audience_role"),
        department: text(&CAMPAIGNS, r, "audience_department"),
    }
}

fn completion_of(r: &Record) -> Completion {
    Completion {
        campaign_id: req(&COMPLETIONS, r, "campaign_id"),
        person_id: req(&COMPLETIONS, r, "person_id"),
        status: req(&COMPLETIONS, r, "status"),
    }
}

impl App {
    /// The RACI matrix of the current processes and roles.
    pub async fn raci_matrix(&self, ctx: &OrgCtx) -> Result<RaciMatrix> {
        if !RACI.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let processes: Vec<(String, String, Option<String>)> = current(&mut tx, ctx, &ISMS_PROCESSES)
            .await?
            .iter()
            .map(|r| (r.id.as_text(), req(&ISMS_PROCESSES, r, "name"), text(&ISMS_PROCESSES, r, "clause")))
            .collect();
        let all_roles: Vec<(String, String)> = current(&mut tx, ctx, &ORG_ROLES)
            .await?
            .iter()
            .map(|r| (r.id.as_text(), req(&ORG_ROLES, r, "name")))
            .collect();
        // In the standard's order: clauses by number, then Annex A controls.
        let mut processes = processes;
        processes.sort_by_key(|(_, name, clause)| (clause_order(clause.as_deref()), borgen_core::text::sort_key(name)));
        let mut m = RaciMatrix { processes, ..Default::default() };
        for r in current(&mut tx, ctx, &RACI).await? {
            let (p, role, letter) = (req(&RACI, &r, "process_id"), req(&RACI, &r, "role_id"), req(&RACI, &r, "letter"));
            if m.processes.iter().any(|x| x.0 == p) && all_roles.iter().any(|x| x.0 == role) {
                m.cells.entry((p, role)).or_default().push(letter);
            }
        }
        let order = |l: &String| competence::RACI_LETTERS.iter().position(|x| x == l).unwrap_or(usize::MAX);
        for letters in m.cells.values_mut() {
            letters.sort_by_key(order);
            letters.dedup();
        }
        m.roles = all_roles.into_iter().filter(|(id, _)| m.cells.keys().any(|(_, r)| r == id)).collect();
        Ok(m)
    }

    /// The completion of every current campaign, newest first, and per department.
    pub async fn awareness(&self, ctx: &OrgCtx) -> Result<Awareness> {
        if !CAMPAIGNS.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let (people, _, holdings) = staffing(&mut tx, ctx).await?;
        let campaigns: Vec<Campaign> = current(&mut tx, ctx, &CAMPAIGNS).await?.iter().map(campaign_of).collect();
        let done: Vec<Completion> = current(&mut tx, ctx, &COMPLETIONS).await?.iter().map(completion_of).collect();
        let rates = awareness::rates(&campaigns, &people, &holdings, &done, &ctx.today());
        Ok(Awareness { per_department: awareness::per_department(&rates), campaigns: rates })
    }

    /// Records a completion list of campaign `id` (a header line, then a line
    /// per person; see [`awareness::read`]): each listed person's completion
    /// added or changed, one audit event each, all in one transaction. Any
    /// problem in the file, or an address that names nobody, writes nothing.
    pub async fn import_completions(
        &self,
        ctx: &OrgCtx,
        id: RecordId,
        table: Vec<Vec<String>>,
    ) -> Result<std::result::Result<Imported, Vec<ImportError>>> {
        // The campaign exists (404), the member may edit it (403), it is current (409).
        let campaign = self.reg_parent_for_adding(ctx, &COMPLETIONS, id).await?;
        let phishing = text(&CAMPAIGNS, &campaign.rec, "kind").as_deref() == Some("phishing");
        // The file is read against the people as they are, off the async workers and
        // before the write lock.
        let people = {
            let mut tx = self.db.read().await?;
            current(&mut tx, ctx, &PEOPLE).await?
        };
        let pairs: Vec<(String, String)> =
            people.iter().filter_map(|r| text(&PEOPLE, r, "email").map(|m| (m, r.id.as_text()))).collect();
        let read = self
            .cpu(move || {
                let addresses = awareness::Addresses::of(pairs.iter().map(|(m, id)| (m.as_str(), id.as_str())));
                awareness::read(&table, &addresses, phishing)
            })
            .await?;
        let read = match read {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        if !read.unknown.is_empty() {
            return Ok(Ok(Imported::Unknown(read.unknown)));
        }
        let mut tx = self.db.write().await?;
        // One import (or completion) of the organisation at a time (PostgreSQL).
        borgen_store::orgs::lock(&mut tx, ctx.org.id).await?;
        // Checked again where it is written: archived or rights changed since.
        let (_, editor, archived) = crate::register::rights_in(&mut tx, ctx, &CAMPAIGNS, id).await?;
        if !editor {
            return Err(AppError::Forbidden);
        }
        if archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        // The campaign's completions as they are, by person.
        let (ci, pi) = (COMPLETIONS.index("campaign_id"), COMPLETIONS.index("person_id"));
        let mut q = COMPLETIONS.query(&Default::default()).map_err(|_| AppError::NotFound)?;
        if let Some(ci) = ci {
            q.filters = vec![(ci, Value::Text(id.as_text()))];
        }
        let existing = every(&mut tx, ctx, &COMPLETIONS, q).await?;
        let by_person: BTreeMap<&str, &Record> =
            existing.iter().filter_map(|r| pi.and_then(|i| r.values[i].as_text()).map(|p| (p, r))).collect();
        let of = |person: &str| by_person.get(person).copied();
        // The people the file names are still current (not archived since it was read).
        let still: std::collections::BTreeSet<String> =
            current(&mut tx, ctx, &PEOPLE).await?.iter().map(|r| r.id.as_text()).collect();
        if read.lines.iter().any(|l| !still.contains(&l.person_id)) {
            return Err(AppError::Conflict("error.import_busy"));
        }
        let today = ctx.today();
        let (mut added, mut updated) = (0, 0);
        for line in &read.lines {
            let before = of(&line.person_id);
            // Done on the day the file says; else the day already recorded; else today.
            let kept = before
                .filter(|b| text(&COMPLETIONS, b, "status").as_deref() == Some("done"))
                .and_then(|b| text(&COMPLETIONS, b, "completed_on"));
            let date = match line.status {
                "done" => line.date.clone().or(kept).unwrap_or_else(|| today.clone()),
                _ => String::new(),
            };
            let mut raw: BTreeMap<String, String> = BTreeMap::new();
            raw.insert("campaign_id".into(), id.as_text());
            raw.insert("person_id".into(), line.person_id.clone());
            raw.insert("status".into(), line.status.into());
            raw.insert("completed_on".into(), date);
            if let Some(note) = before.and_then(|b| text(&COMPLETIONS, b, "note")) {
                raw.insert("note".into(), note);
            }
            let values = COMPLETIONS.parse(&raw).map_err(AppError::Invalid)?;
            if crate::register::write_in(&mut tx, ctx, &COMPLETIONS, before, &values, "import").await? {
                if before.is_some() { updated += 1 } else { added += 1 }
            }
        }
        tx.commit().await?;
        Ok(Ok(Imported::Done { added, updated }))
    }
}
