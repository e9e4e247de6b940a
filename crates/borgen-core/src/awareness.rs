//! 7.3 Awareness, decided from the records of the campaign, completion and
//! people registers: who a campaign is for, its completion rate (overall and
//! per department), and reading a completion list exported by an e-learning
//! or phishing tool.

use crate::competence::{Holding, Person, present};
use crate::import::ImportError;
use std::collections::BTreeMap;

/// For whom a campaign is: everyone, the holders of a role, a department, or
/// the people it names (its completion rows).
pub const AUDIENCES: &[&str] = &["all", "role", "department", "people"];

/// A person's completion of a campaign.
pub const COMPLETION: &[&str] = &["done", "not_done", "exempt"];

/// A campaign as the rates read it.
#[derive(Clone, Debug)]
pub struct Campaign {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub audience: String,
    pub role_id: Option<String>,
    pub department: Option<String>,
}

/// One completion row.
#[derive(Clone, Debug)]
pub struct Completion {
    pub campaign_id: String,
    pub person_id: String,
    pub status: String,
}

/// Done out of who should have done it (the audience without who is exempt).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Rate {
    pub done: usize,
    pub of: usize,
}

impl Rate {
    /// The rate in whole percent, rounded down as the acknowledgement rate
    /// of documents is (so 100 means everyone); `None` when nobody is in it.
    pub fn percent(&self) -> Option<usize> {
        (self.done * 100).checked_div(self.of)
    }
    fn add(&mut self, o: Rate) {
        self.done += o.done;
        self.of += o.of;
    }
}

fn same_department(a: Option<&str>, b: &str) -> bool {
    a.is_some_and(|a| crate::text::sort_key(a.trim()) == crate::text::sort_key(b.trim()))
}

/// The people still here that `c` is for, today.
pub fn audience<'a>(
    c: &Campaign,
    people: &'a [Person],
    holdings: &[Holding],
    completions: &[Completion],
    today: &str,
) -> Vec<&'a Person> {
    people
        .iter()
        .filter(|p| present(p.end_date.as_deref(), today))
        .filter(|p| match c.audience.as_str() {
            "all" => true,
            "role" => holdings
                .iter()
                .any(|h| Some(&h.role_id) == c.role_id.as_ref() && h.person_id == p.id && h.current(today)),
            "department" => c.department.as_deref().is_some_and(|d| same_department(p.department.as_deref(), d)),
            _ => completions.iter().any(|x| x.campaign_id == c.id && x.person_id == p.id),
        })
        .collect()
}

/// A campaign's completion: overall and per department (in name order;
/// people without a department under "").
#[derive(Clone, Debug, serde::Serialize)]
pub struct CampaignRate {
    pub campaign_id: String,
    pub title: String,
    pub kind: String,
    pub rate: Rate,
    pub exempt: usize,
    pub by_department: Vec<(String, Rate)>,
}

/// The rate of each campaign, in the order given.
pub fn rates(
    campaigns: &[Campaign],
    people: &[Person],
    holdings: &[Holding],
    completions: &[Completion],
    today: &str,
) -> Vec<CampaignRate> {
    campaigns
        .iter()
        .map(|c| {
            let status = |p: &Person| {
                completions
                    .iter()
                    .find(|x| x.campaign_id == c.id && x.person_id == p.id)
                    .map(|x| x.status.as_str())
                    .unwrap_or("not_done")
            };
            let mut rate = Rate::default();
            let mut exempt = 0;
            let mut depts: BTreeMap<String, Rate> = BTreeMap::new();
            for p in audience(c, people, holdings, completions, today) {
                let one = match status(p) {
                    "exempt" => {
                        exempt += 1;
                        continue;
                    }
                    "done" => Rate { done: 1, of: 1 },
                    _ => Rate { done: 0, of: 1 },
                };
                rate.add(one);
                depts.entry(p.department.clone().unwrap_or_default()).or_default().add(one);
            }
            let mut by_department: Vec<(String, Rate)> = depts.into_iter().collect();
            by_department.sort_by_key(|(d, _)| crate::text::sort_key(d));
            CampaignRate {
                campaign_id: c.id.clone(),
                title: c.title.clone(),
                kind: c.kind.clone(),
                rate,
                exempt,
                by_department,
            }
        })
        .collect()
}

/// Every campaign's completion per department, added up.
pub fn per_department(rates: &[CampaignRate]) -> Vec<(String, Rate)> {
    let mut out: BTreeMap<String, Rate> = BTreeMap::new();
    for r in rates {
        for (d, x) in &r.by_department {
            out.entry(d.clone()).or_default().add(*x);
        }
    }
    let mut v: Vec<(String, Rate)> = out.into_iter().collect();
    v.sort_by_key(|(d, _)| crate::text::sort_key(d));
    v
}

/// What one line of a completion list says about one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub person_id: String,
    pub status: &'static str,
    pub date: Option<String>,
}

/// What a completion list says, or each problem in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    pub lines: Vec<Line>,
    /// Addresses in the file that name nobody (each once, as written).
    pub unknown: Vec<String>,
}

const DONE_WORDS: &[&str] = &[
    "done",
    "completed",
    "complete",
    "passed",
    "pass",
    "finished",
    "reported",
    "yes",
    "true",
    "1",
    "voltooid",
    "afgerond",
    "gehaald",
    "geslaagd",
    "gemeld",
    "ja",
];
const NOT_DONE_WORDS: &[&str] = &[
    "not_done",
    "not done",
    "not started",
    "not completed",
    "in progress",
    "started",
    "failed",
    "fail",
    "clicked",
    "no",
    "false",
    "0",
    "niet gestart",
    "niet voltooid",
    "bezig",
    "gestart",
    "gezakt",
    "geklikt",
    "nee",
    "",
];
const EXEMPT_WORDS: &[&str] = &["exempt", "excused", "vrijgesteld"];

/// A status word of an export in Borgen's code.
fn status_of(word: &str) -> Option<&'static str> {
    let w = word.trim().to_lowercase();
    if DONE_WORDS.contains(&w.as_str()) {
        Some("done")
    } else if NOT_DONE_WORDS.contains(&w.as_str()) {
        Some("not_done")
    } else if EXEMPT_WORDS.contains(&w.as_str()) {
        Some("exempt")
    } else {
        None
    }
}

/// A date as exports write it: `2026-11-03`, `2026-11-03T14:22:05Z`,
/// `2026-11-03 14:22`, `03-11-2026` or `03/11/2026` (day first).
fn date_of(s: &str) -> Option<String> {
    let s = s.trim();
    let day = s.split(['T', ' ']).next().unwrap_or("");
    if let Some(d) = crate::time::parse_date(day) {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    chrono::NaiveDate::parse_from_str(day, "%d-%m-%Y")
        .or_else(|_| chrono::NaiveDate::parse_from_str(day, "%d/%m/%Y"))
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

fn header_is(h: &str, words: &[&str]) -> bool {
    let h = h.trim().to_lowercase();
    words.iter().any(|w| h.contains(w))
}

/// Reads a completion list (a header line, then a line per person): the
/// e-mail column (a header with "mail" in it) matched to `emails` (address →
/// person id, any case); a status column (status, result, resultaat,
/// completed, voltooid) in the words such tools use, or none, when every
/// listed person completed it; a date column (date, datum), or `today` for
/// who completed it. A person listed twice keeps their best line.
pub fn read(table: &[Vec<String>], emails: &BTreeMap<String, String>, today: &str) -> Result<Read, Vec<ImportError>> {
    let Some((head, rows)) = table.split_first() else { return Err(vec![ImportError::file("error.import_empty")]) };
    let find = |words: &[&str]| head.iter().position(|h| header_is(h, words));
    let Some(mail) = find(&["mail"]) else { return Err(vec![ImportError::file("awareness.error.no_email_column")]) };
    let status = find(&["status", "result", "resultaat", "completed", "voltooid", "afgerond"]).filter(|i| *i != mail);
    let date = find(&["date", "datum"]).filter(|i| *i != mail && Some(*i) != status);
    let cell = |row: &Vec<String>, i: usize| row.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut by_person: BTreeMap<String, Line> = BTreeMap::new();
    for (n, row) in rows.iter().enumerate() {
        let line = n + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let address = cell(row, mail);
        let st = match status {
            Some(i) => match status_of(&cell(row, i)) {
                Some(s) => s,
                None => {
                    errors.push(ImportError { line, column: head[i].clone(), key: "awareness.error.unknown_status" });
                    continue;
                }
            },
            None => "done",
        };
        let day = match date.map(|i| cell(row, i)).filter(|s| !s.is_empty()) {
            Some(s) => match date_of(&s) {
                Some(d) => Some(d),
                None => {
                    errors.push(ImportError { line, column: head[date.unwrap_or(0)].clone(), key: "error.bad_date" });
                    continue;
                }
            },
            None => None,
        };
        let Some(person) = emails.get(&address.to_lowercase()) else {
            if address.is_empty() {
                errors.push(ImportError { line, column: head[mail].clone(), key: "error.required" });
            } else if !unknown.iter().any(|u| u.eq_ignore_ascii_case(&address)) {
                unknown.push(address);
            }
            continue;
        };
        let date = match st {
            "done" => day.or_else(|| Some(today.to_string())),
            _ => None,
        };
        let new = Line { person_id: person.clone(), status: st, date };
        let rank = |s: &str| match s {
            "done" => 0,
            "exempt" => 1,
            _ => 2,
        };
        match by_person.get(person) {
            Some(old) if rank(old.status) < rank(new.status) => {}
            Some(old) if rank(old.status) == rank(new.status) && old.date >= new.date => {}
            _ => {
                by_person.insert(person.clone(), new);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Read { lines: by_person.into_values().collect(), unknown })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, dept: &str, end: Option<&str>) -> Person {
        Person { id: id.into(), name: id.into(), department: Some(dept.into()), end_date: end.map(Into::into) }
    }
    fn done(c: &str, p: &str, s: &str) -> Completion {
        Completion { campaign_id: c.into(), person_id: p.into(), status: s.into() }
    }
    fn campaign(id: &str, audience: &str) -> Campaign {
        Campaign {
            id: id.into(),
            title: id.into(),
            kind: "elearning".into(),
            audience: audience.into(),
            role_id: Some("dev".into()),
            department: Some("ontwikkeling ".into()),
        }
    }

    #[test]
    fn rates_count_the_audience_without_who_is_exempt_or_has_left() {
        let today = "2026-12-04";
        let people = [
            person("a", "Ontwikkeling", None),
            person("b", "Ontwikkeling", None),
            person("c", "Support", None),
            person("d", "Support", Some("2026-01-01")),
            person("e", "Support", None),
        ];
        let holdings =
            [Holding { role_id: "dev".into(), person_id: "b".into(), since: "2020-01-01".into(), until: None }];
        let comps =
            [done("all", "a", "done"), done("all", "b", "done"), done("all", "c", "exempt"), done("all", "d", "done")];
        let r = &rates(&[campaign("all", "all")], &people, &holdings, &comps, today)[0];
        // a and b done, c exempt, d left, e not done: 2 of 3.
        assert_eq!((r.rate, r.exempt, r.rate.percent()), (Rate { done: 2, of: 3 }, 1, Some(66)));
        assert_eq!(
            r.by_department,
            [("Ontwikkeling".into(), Rate { done: 2, of: 2 }), ("Support".into(), Rate { done: 0, of: 1 })]
        );
        let role = &rates(&[campaign("all", "role")], &people, &holdings, &comps, today)[0];
        assert_eq!(role.rate, Rate { done: 1, of: 1 }, "only the role's holder");
        let dept = &rates(&[campaign("all", "department")], &people, &holdings, &comps, today)[0];
        assert_eq!(dept.rate, Rate { done: 2, of: 2 }, "the department, in any case and spacing");
        let named = &rates(&[campaign("all", "people")], &people, &holdings, &comps, today)[0];
        assert_eq!((named.rate, named.exempt), (Rate { done: 2, of: 2 }, 1), "the people it names who are here");
        assert_eq!(Rate { done: 21, of: 25 }.percent(), Some(84));
        assert_eq!(Rate { done: 1, of: 8 }.percent(), Some(12), "12.5 rounds down");
        assert_eq!(Rate { done: 99, of: 100 }.percent(), Some(99));
        assert_eq!(Rate::default().percent(), None);
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn a_completion_list_is_read_in_the_words_of_the_tool() {
        let emails: BTreeMap<String, String> = [("ann@acme.test", "a"), ("bob@acme.test", "b"), ("cor@acme.test", "c")]
            .map(|(e, p)| (e.into(), p.into()))
            .into();
        let t = table(&[
            &["User e-mail", "Status", "Completion date"],
            &["ANN@acme.test", "Completed", "03/11/2026"],
            &["bob@acme.test", "Not started", ""],
            &["bob@acme.test", "Passed", "2026-11-20T10:00:00Z"],
            &["cor@acme.test", "Vrijgesteld", ""],
            &["nobody@acme.test", "Completed", "2026-11-03"],
            &["", "", ""],
        ]);
        let r = read(&t, &emails, "2026-12-04").unwrap();
        assert_eq!(r.unknown, ["nobody@acme.test"]);
        let got: Vec<(&str, &str, Option<&str>)> =
            r.lines.iter().map(|l| (l.person_id.as_str(), l.status, l.date.as_deref())).collect();
        assert_eq!(got, [("a", "done", Some("2026-11-03")), ("b", "done", Some("2026-11-20")), ("c", "exempt", None)]);
        // Without a status column every listed person completed it, today when no date is given.
        let r = read(&table(&[&["Email"], &["cor@acme.test"]]), &emails, "2026-12-04").unwrap();
        assert_eq!(r.lines, [Line { person_id: "c".into(), status: "done", date: Some("2026-12-04".into()) }]);
        // Problems, each with its line and column.
        let e = read(&table(&[&["Name"], &["Ann"]]), &emails, "2026-12-04").unwrap_err();
        assert_eq!(e[0].key, "awareness.error.no_email_column");
        let e = read(
            &table(&[
                &["Email", "Result", "Date"],
                &["ann@acme.test", "maybe", ""],
                &["bob@acme.test", "done", "someday"],
            ]),
            &emails,
            "2026-12-04",
        )
        .unwrap_err();
        assert_eq!(
            e,
            [
                ImportError { line: 2, column: "Result".into(), key: "awareness.error.unknown_status" },
                ImportError { line: 3, column: "Date".into(), key: "error.bad_date" },
            ]
        );
        assert!(read(&[], &emails, "2026-12-04").is_err());
    }
}
