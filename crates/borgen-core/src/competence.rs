//! 5.3 and 7.2, decided from the records of the people, roles and competence
//! registers ([`crate::registers`]): whether the two responsibilities the
//! standard names are assigned, and for each person who is still here, the
//! status of each competence their current roles require.
//!
//! Dates are `YYYY-MM-DD`; "today" is the organisation's day.

use chrono::Duration;

/// The two responsibilities 5.3 names: ensuring that the ISMS conforms to
/// ISO/IEC 27001 (a) and reporting on its performance to top management (b),
/// each the name of the yes/no field of an organisational role.
pub const DUTIES: &[&str] = &["conformity", "reporting"];

/// The letters of a RACI matrix: Responsible, Accountable, Consulted, Informed.
pub const RACI_LETTERS: &[&str] = &["r", "a", "c", "i"];

/// A certificate that expires within this many days is flagged expiring.
pub const EXPIRING_DAYS: i64 = 60;

/// A person as the matrix reads them.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub department: Option<String>,
    /// The last day they are with the organisation.
    pub end_date: Option<String>,
}

/// An organisational role, with the responsibilities of 5.3 it carries
/// (codes of [`DUTIES`]).
#[derive(Clone, Debug)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub duties: Vec<&'static str>,
}

/// Someone holding a role from `since` through `until`.
#[derive(Clone, Debug)]
pub struct Holding {
    pub role_id: String,
    pub person_id: String,
    pub since: String,
    pub until: Option<String>,
}

/// A competence a role requires.
#[derive(Clone, Debug)]
pub struct Required {
    pub id: String,
    pub role_id: String,
    pub name: String,
}

/// Evidence of a person's competence, valid from `obtained` through `expires`.
#[derive(Clone, Debug)]
pub struct Proof {
    pub person_id: String,
    pub competence_id: String,
    pub obtained: String,
    pub expires: Option<String>,
}

/// Whether someone whose last day is `end_date` is still with the organisation.
pub fn present(end_date: Option<&str>, today: &str) -> bool {
    end_date.is_none_or(|d| d >= today)
}

impl Holding {
    /// Whether the role is held on `today`.
    pub fn current(&self, today: &str) -> bool {
        self.since.as_str() <= today && self.until.as_deref().is_none_or(|u| u >= today)
    }
}

/// The status of one required competence of one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Evidence that has no expiry date, or expires more than
    /// [`EXPIRING_DAYS`] days from today.
    Met,
    /// Valid today, but expires within [`EXPIRING_DAYS`] days.
    Expiring,
    /// Only evidence that expired (valid through its expiry date).
    Expired,
    /// No evidence obtained by today.
    Missing,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Met, Status::Expiring, Status::Expired, Status::Missing];
    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Expiring => "expiring",
            Status::Expired => "expired",
            Status::Missing => "missing",
        }
    }
    pub fn label_key(self) -> String {
        format!("matrix.status.{}", self.code())
    }
}

/// The status given the evidence of one person for one competence: the best
/// any of it gives. Evidence obtained after today does not count yet.
pub fn status<'a>(proofs: impl IntoIterator<Item = &'a Proof>, today: &str) -> (Status, Option<String>) {
    let Some(day) = crate::time::parse_date(today) else { return (Status::Missing, None) };
    let soon = (day + Duration::days(EXPIRING_DAYS)).format("%Y-%m-%d").to_string();
    let mut best = (Status::Missing, None::<String>);
    for p in proofs.into_iter().filter(|p| p.obtained.as_str() <= today) {
        let this = match p.expires.as_deref() {
            None => (Status::Met, None),
            Some(e) if e > soon.as_str() => (Status::Met, Some(e.to_string())),
            Some(e) if e >= today => (Status::Expiring, Some(e.to_string())),
            Some(e) => (Status::Expired, Some(e.to_string())),
        };
        // A better status wins; of two equal, the one valid longest (no date is longest).
        let later = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(a), Some(b)) => a < b,
        };
        if this.0 < best.0 || (this.0 == best.0 && later(&best.1, &this.1)) {
            best = this;
        }
    }
    best
}

/// A competence as a column of the matrix, with the roles requiring it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Column {
    pub id: String,
    pub name: String,
    pub roles: Vec<String>,
}

/// One cell: a competence the person's roles require.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Cell {
    pub status: Status,
    /// The expiry date of the evidence that decides the status, if it has one.
    pub expires: Option<String>,
}

/// One person's row: their roles, and a cell per column (`None`: not required).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Row {
    pub person_id: String,
    pub name: String,
    pub department: Option<String>,
    pub roles: Vec<String>,
    pub cells: Vec<Option<Cell>>,
}

/// People × required competences.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Matrix {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// A competence a person needs and does not (fully) have.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Gap<'a> {
    pub person: &'a str,
    pub department: Option<&'a str>,
    pub competence: &'a str,
    pub status: Status,
    pub expires: Option<&'a str>,
}

/// The matrix of the people still here who hold a role that requires a
/// competence (who holds only roles that require none is left out). `roles` are the current roles; holdings, requirements and
/// evidence naming anything else are left out.
pub fn matrix(
    today: &str,
    people: &[Person],
    roles: &[Role],
    holdings: &[Holding],
    required: &[Required],
    proofs: &[Proof],
) -> Matrix {
    let role_name = |id: &str| roles.iter().find(|r| r.id == id).map(|r| r.name.clone());
    let required: Vec<&Required> = required.iter().filter(|c| role_name(&c.role_id).is_some()).collect();
    let columns: Vec<Column> = required
        .iter()
        .map(|c| Column { id: c.id.clone(), name: c.name.clone(), roles: role_name(&c.role_id).into_iter().collect() })
        .collect();
    let mut rows = Vec::new();
    for p in people.iter().filter(|p| present(p.end_date.as_deref(), today)) {
        let held: Vec<&str> = holdings
            .iter()
            .filter(|h| h.person_id == p.id && h.current(today) && role_name(&h.role_id).is_some())
            .map(|h| h.role_id.as_str())
            .collect();
        let cells: Vec<Option<Cell>> = required
            .iter()
            .map(|c| {
                held.contains(&c.role_id.as_str()).then(|| {
                    let mine = proofs.iter().filter(|e| e.person_id == p.id && e.competence_id == c.id);
                    let (status, expires) = status(mine, today);
                    Cell { status, expires }
                })
            })
            .collect();
        // Only who holds a role that requires something.
        if cells.iter().all(Option::is_none) {
            continue;
        }
        let mut names: Vec<String> = held.iter().filter_map(|r| role_name(r)).collect();
        names.sort();
        names.dedup();
        rows.push(Row {
            person_id: p.id.clone(),
            name: p.name.clone(),
            department: p.department.clone(),
            roles: names,
            cells,
        });
    }
    rows.sort_by_key(|r| crate::text::sort_key(&r.name));
    Matrix { columns, rows }
}

impl Matrix {
    /// Every cell that is not met, by person then competence.
    pub fn gaps(&self) -> Vec<Gap<'_>> {
        let mut out = Vec::new();
        for r in &self.rows {
            for (c, cell) in self.columns.iter().zip(&r.cells) {
                if let Some(cell) = cell.as_ref().filter(|c| c.status != Status::Met) {
                    out.push(Gap {
                        person: &r.name,
                        department: r.department.as_deref(),
                        competence: &c.name,
                        status: cell.status,
                        expires: cell.expires.as_deref(),
                    });
                }
            }
        }
        out
    }
    /// How many cells have each status, in [`Status::ALL`]'s order.
    pub fn counts(&self) -> [usize; 4] {
        let mut n = [0; 4];
        for cell in self.rows.iter().flat_map(|r| &r.cells).flatten() {
            n[Status::ALL.iter().position(|s| *s == cell.status).unwrap_or(0)] += 1;
        }
        n
    }
}

/// One of the responsibilities of 5.3: the current roles carrying it and who
/// holds them today (names). Missing when nobody does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duty {
    pub code: &'static str,
    pub roles: Vec<String>,
    pub holders: Vec<String>,
}

impl Duty {
    pub fn assigned(&self) -> bool {
        !self.holders.is_empty()
    }
}

/// Each responsibility of [`DUTIES`], with the roles carrying it and their
/// current holders who are still with the organisation.
pub fn duties(today: &str, people: &[Person], roles: &[Role], holdings: &[Holding]) -> Vec<Duty> {
    DUTIES
        .iter()
        .map(|code| {
            let carrying: Vec<&Role> = roles.iter().filter(|r| r.duties.contains(code)).collect();
            let mut holders: Vec<String> = holdings
                .iter()
                .filter(|h| h.current(today) && carrying.iter().any(|r| r.id == h.role_id))
                .filter_map(|h| people.iter().find(|p| p.id == h.person_id))
                .filter(|p| present(p.end_date.as_deref(), today))
                .map(|p| p.name.clone())
                .collect();
            holders.sort();
            holders.dedup();
            Duty { code, roles: carrying.iter().map(|r| r.name.clone()).collect(), holders }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proof(obtained: &str, expires: Option<&str>) -> Proof {
        Proof {
            person_id: "p".into(),
            competence_id: "c".into(),
            obtained: obtained.into(),
            expires: expires.map(Into::into),
        }
    }

    #[test]
    fn statuses_at_their_boundaries() {
        let today = "2026-12-04";
        let st = |ps: &[Proof]| status(ps, today).0;
        assert_eq!(st(&[]), Status::Missing);
        assert_eq!(st(&[proof("2020-01-01", None)]), Status::Met, "no expiry");
        // 60 days from 4 December is 2 February.
        assert_eq!(st(&[proof("2024-01-01", Some("2027-02-03"))]), Status::Met, "61 days left");
        assert_eq!(st(&[proof("2024-01-01", Some("2027-02-02"))]), Status::Expiring, "60 days left");
        assert_eq!(st(&[proof("2024-01-01", Some("2026-12-04"))]), Status::Expiring, "its last day");
        assert_eq!(st(&[proof("2024-01-01", Some("2026-12-03"))]), Status::Expired, "expired yesterday");
        assert_eq!(st(&[proof("2026-12-05", None)]), Status::Missing, "obtained tomorrow");
        assert_eq!(st(&[proof("2026-12-04", None)]), Status::Met, "obtained today");
        // The best evidence decides: a renewed certificate beside an expired one.
        let (s, exp) =
            status(&[proof("2021-01-01", Some("2024-01-01")), proof("2024-01-01", Some("2027-01-10"))], today);
        assert_eq!((s, exp.as_deref()), (Status::Expiring, Some("2027-01-10")));
        let (s, exp) = status(&[proof("2021-01-01", Some("2030-01-01")), proof("2024-01-01", None)], today);
        assert_eq!((s, exp), (Status::Met, None), "no expiry is valid longest");
    }

    fn person(id: &str, end: Option<&str>) -> Person {
        Person { id: id.into(), name: id.to_uppercase(), department: Some("IT".into()), end_date: end.map(Into::into) }
    }
    fn role(id: &str, duty: Option<&'static str>) -> Role {
        Role { id: id.into(), name: format!("role {id}"), duties: duty.into_iter().collect() }
    }
    fn holds(person: &str, role: &str, since: &str, until: Option<&str>) -> Holding {
        Holding { role_id: role.into(), person_id: person.into(), since: since.into(), until: until.map(Into::into) }
    }

    #[test]
    fn the_matrix_holds_who_is_here_and_what_their_roles_require() {
        let today = "2026-12-04";
        let people = [
            person("ann", None),
            person("bob", Some("2026-12-03")),
            person("cor", Some("2026-12-04")),
            person("dee", None),
            person("eve", None),
        ];
        let roles = [role("isms", None), role("dev", None), role("mgmt", None)];
        let holdings = [
            holds("ann", "isms", "2024-01-01", None),
            holds("ann", "dev", "2024-01-01", None),
            holds("bob", "dev", "2024-01-01", None), // left yesterday
            holds("cor", "dev", "2024-01-01", None), // leaves today: still here
            holds("dee", "isms", "2024-01-01", Some("2026-11-30")), // no longer holds it
            holds("dee", "gone", "2024-01-01", None), // a role that is not current
            holds("ann", "mgmt", "2024-01-01", None),
            holds("eve", "mgmt", "2024-01-01", None), // requires nothing: not in the matrix
        ];
        let required = [
            Required { id: "risk".into(), role_id: "isms".into(), name: "Risk assessment".into() },
            Required { id: "sec".into(), role_id: "dev".into(), name: "Secure development".into() },
            Required { id: "x".into(), role_id: "gone".into(), name: "Of an archived role".into() },
        ];
        let proofs = [
            Proof {
                person_id: "ann".into(),
                competence_id: "risk".into(),
                obtained: "2025-01-01".into(),
                expires: Some("2027-01-01".into()),
            },
            Proof {
                person_id: "cor".into(),
                competence_id: "sec".into(),
                obtained: "2025-01-01".into(),
                expires: None,
            },
        ];
        let m = matrix(today, &people, &roles, &holdings, &required, &proofs);
        assert_eq!(m.columns.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["risk", "sec"]);
        assert_eq!(m.rows.iter().map(|r| r.person_id.as_str()).collect::<Vec<_>>(), ["ann", "cor"]);
        let cell = |r: usize, c: usize| m.rows[r].cells[c].as_ref().map(|c| c.status);
        assert_eq!((cell(0, 0), cell(0, 1)), (Some(Status::Expiring), Some(Status::Missing)));
        assert_eq!((cell(1, 0), cell(1, 1)), (None, Some(Status::Met)), "not required of cor");
        let gaps: Vec<(&str, Status)> = m.gaps().iter().map(|g| (g.competence, g.status)).collect();
        assert_eq!(gaps, [("Risk assessment", Status::Expiring), ("Secure development", Status::Missing)]);
        assert_eq!(m.counts(), [1, 1, 0, 1]);
    }

    #[test]
    fn a_duty_is_assigned_only_to_someone_here_today() {
        let today = "2026-12-04";
        let people = [person("ann", None), person("bob", Some("2026-01-01"))];
        let roles = [role("isms", Some("conformity")), role("ciso", Some("reporting"))];
        let d = duties(today, &people, &roles, &[holds("ann", "isms", "2024-01-01", None)]);
        assert_eq!(d[0], Duty { code: "conformity", roles: vec!["role isms".into()], holders: vec!["ANN".into()] });
        assert!(!d[1].assigned(), "nobody holds the reporting role");
        assert_eq!(d[1].roles, ["role ciso"]);
        // Held by someone who left, or from tomorrow: not assigned.
        let d = duties(
            today,
            &people,
            &roles,
            &[holds("bob", "ciso", "2024-01-01", None), holds("ann", "ciso", "2026-12-05", None)],
        );
        assert!(!d[1].assigned());
        // No role carries it at all.
        let d = duties(today, &people, &roles[..1], &[]);
        assert!(d[1].roles.is_empty() && !d[1].assigned());
    }
}
