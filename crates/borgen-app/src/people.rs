//! 5.3, 7.2 and 7.3 read across the people, roles, competence and awareness
//! registers: the two responsibilities the standard names, the RACI matrix,
//! the competence matrix, the awareness rates and the import of a completion
//! list. The rules are [`borgen_core::competence`] and
//! [`borgen_core::awareness`]; here the current records are read.

use crate::{App, AppError, OrgCtx, Result};
use borgen_core::awareness::{self, Campaign, CampaignRate, Completion};
use borgen_core::competence::{self, Duty, Holding, Matrix, Person, Proof, Required, Role};
use borgen_core::import::ImportError;
use borgen_core::register::{EXPORT_MAX, Record, RecordId, Register, Value, Values};
use borgen_core::registers::{
    CAMPAIGNS, COMPETENCE_EVIDENCE, COMPETENCES, COMPLETIONS, ISMS_PROCESSES, ORG_ROLES, PEOPLE, RACI, ROLE_HOLDERS,
};
use borgen_store::{Tx, register as repo};
use std::collections::BTreeMap;

/// The records of `reg` that are not archived (at most [`EXPORT_MAX`]).
async fn current(tx: &mut Tx, ctx: &OrgCtx, reg: &'static Register) -> Result<Vec<Record>> {
    let mut q = reg.query(&Default::default()).map_err(|_| AppError::NotFound)?;
    q.per_page = EXPORT_MAX;
    Ok(repo::list(tx, reg, ctx.org.id, &q).await?.0)
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
        self.reg_parent_for_adding(ctx, &COMPLETIONS, id).await?;
        let mut tx = self.db.write().await?;
        let people = current(&mut tx, ctx, &PEOPLE).await?;
        let emails: BTreeMap<String, String> = people
            .iter()
            .filter_map(|r| text(&PEOPLE, r, "email").map(|m| (m.to_lowercase(), r.id.as_text())))
            .collect();
        let read = match awareness::read(&table, &emails, &ctx.today()) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        if !read.unknown.is_empty() {
            return Ok(Ok(Imported::Unknown(read.unknown)));
        }
        // The campaign's completions as they are, by person.
        let (ci, pi) = (COMPLETIONS.index("campaign_id"), COMPLETIONS.index("person_id"));
        let mut q = COMPLETIONS.query(&Default::default()).map_err(|_| AppError::NotFound)?;
        q.per_page = EXPORT_MAX;
        if let Some(ci) = ci {
            q.filters = vec![(ci, Value::Text(id.as_text()))];
        }
        let existing = repo::list(&mut tx, &COMPLETIONS, ctx.org.id, &q).await?.0;
        let of = |person: &str| existing.iter().find(|r| pi.is_some_and(|i| r.values[i].as_text() == Some(person)));
        let (mut added, mut updated) = (0, 0);
        for line in &read.lines {
            let before = of(&line.person_id);
            let mut raw: BTreeMap<String, String> = BTreeMap::new();
            raw.insert("campaign_id".into(), id.as_text());
            raw.insert("person_id".into(), line.person_id.clone());
            raw.insert("status".into(), line.status.into());
            raw.insert("completed_on".into(), line.date.clone().unwrap_or_default());
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
