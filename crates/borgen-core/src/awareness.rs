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
            // A person recorded twice counts once, by the best record.
            let status = |p: &Person| {
                completions
                    .iter()
                    .filter(|x| x.campaign_id == c.id && x.person_id == p.id)
                    .map(|x| x.status.as_str())
                    .min_by_key(|s| rank(s))
                    .unwrap_or("not_done")
            };
            let mut rate = Rate::default();
            let mut exempt = 0;
            // Departments as the audience matches them: in any case and spacing,
            // named as first written.
            let mut depts: BTreeMap<String, (String, Rate)> = BTreeMap::new();
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
                let name = p.department.as_deref().unwrap_or("").trim().to_string();
                depts.entry(crate::text::sort_key(&name)).or_insert_with(|| (name, Rate::default())).1.add(one);
            }
            let by_department: Vec<(String, Rate)> = depts.into_values().collect();
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
    let mut out: BTreeMap<String, (String, Rate)> = BTreeMap::new();
    for r in rates {
        for (d, x) in &r.by_department {
            out.entry(crate::text::sort_key(d)).or_insert_with(|| (d.clone(), Rate::default())).1.add(*x);
        }
    }
    out.into_values().collect()
}

/// How good a completion is: done, then exempt, then not done.
fn rank(status: &str) -> u8 {
    match status {
        "done" => 0,
        "exempt" => 1,
        _ => 2,
    }
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

/// The people a completion list can name: address (lower case) → person id,
/// and the addresses more than one current person has.
#[derive(Clone, Debug, Default)]
pub struct Addresses {
    pub one: BTreeMap<String, String>,
    pub shared: std::collections::BTreeSet<String>,
}

impl Addresses {
    pub fn of<'a>(people: impl IntoIterator<Item = (&'a str, &'a str)>) -> Addresses {
        let mut a = Addresses::default();
        for (mail, id) in people {
            let mail = mail.trim().to_lowercase();
            if a.one.insert(mail.clone(), id.to_string()).is_some_and(|other| other != id) {
                a.shared.insert(mail);
            }
        }
        for m in &a.shared {
            a.one.remove(m);
        }
        a
    }
}

/// Reads a completion list (a header line, then a line per person): the
/// e-mail column (a header with "mail" in it) matched to `people` (any case;
/// an address two people share is a problem); a status column (status,
/// result, resultaat, voltooid, afgerond) in the words such tools use; a date
/// column (date, datum, "completed at/on", "voltooid op"; `None` in a line
/// when the file has no day for who completed it). A file with only an address column (and a date) lists who
/// completed it; one with other columns but no status column is refused
/// rather than guessed. A person listed twice keeps their best line, or for
/// a phishing simulation (`worst_wins`: one line per mail) their worst.
pub fn read(table: &[Vec<String>], people: &Addresses, worst_wins: bool) -> Result<Read, Vec<ImportError>> {
    let Some((head, rows)) = table.split_first() else { return Err(vec![ImportError::file("error.import_empty")]) };
    // The first header with one of the words that no other column has taken
    // (and, but for the address itself, not about the mail: "E-mail status").
    let find = |words: &[&str], taken: &[Option<usize>]| {
        head.iter().enumerate().position(|(i, h)| {
            header_is(h, words) && !taken.contains(&Some(i)) && (words == ["mail"] || !header_is(h, &["mail"]))
        })
    };
    let Some(mail) = find(&["mail"], &[]) else {
        return Err(vec![ImportError::file("awareness.error.no_email_column")]);
    };
    // The day it was completed: a header that says so first ("Completion date",
    // "Completed at", "Voltooid op"), else one that names a date and no other
    // moment ("Date", not "Due date", "Start date", "Enrolment date" or "Updated").
    let cells = |i: usize| rows.iter().filter_map(move |r| r.get(i)).map(|c| c.trim()).filter(|c| !c.is_empty());
    let dated = |i: usize| cells(i).next().is_some() && cells(i).all(|c| date_of(c).is_some());
    let completion_word = ["complet", "voltooi", "afgerond", "finished", "passed"];
    let date = head
        .iter()
        .enumerate()
        .position(|(i, h)| {
            i != mail
                && header_is(h, &completion_word)
                && (header_is(h, &["date", "datum", " at", " on", " op", "time", "tijd"]) || dated(i))
        })
        .or_else(|| {
            head.iter().enumerate().position(|(i, h)| {
                i != mail
                    && header_is(h, &["date", "datum"])
                    && !header_is(
                        h,
                        &["due", "start", "enrol", "assign", "updat", "creat", "sent", "verzon", "gestart", "inschrij"],
                    )
            })
        });
    let status = find(&["status", "result", "resultaat", "completed", "voltooid", "afgerond"], &[Some(mail), date]);
    let others = head.iter().enumerate().any(|(i, h)| !h.trim().is_empty() && i != mail && Some(i) != date);
    if status.is_none() && others {
        return Err(vec![ImportError::file("awareness.error.no_status_column")]);
    }
    let cell = |row: &Vec<String>, i: usize| row.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut unknown_seen = std::collections::BTreeSet::new();
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
        let lower = address.to_lowercase();
        let Some(person) = people.one.get(&lower) else {
            if address.is_empty() {
                errors.push(ImportError { line, column: head[mail].clone(), key: "error.required" });
            } else if people.shared.contains(&lower) {
                errors.push(ImportError { line, column: head[mail].clone(), key: "awareness.error.shared_email" });
            } else if unknown_seen.insert(lower) {
                unknown.push(address);
            }
            continue;
        };
        // The day it was done, when the file says it.
        let date = if st == "done" { day } else { None };
        let new = Line { person_id: person.clone(), status: st, date };
        let keeps = |old: &Line| match rank(old.status).cmp(&rank(new.status)) {
            std::cmp::Ordering::Equal => old.date >= new.date,
            std::cmp::Ordering::Less => !worst_wins,
            std::cmp::Ordering::Greater => worst_wins,
        };
        if !by_person.get(person).is_some_and(keeps) {
            by_person.insert(person.clone(), new);
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
        let emails = Addresses::of([("ann@acme.test", "a"), ("bob@acme.test", "b"), ("cor@acme.test", "c")]);
        let t = table(&[
            &["User e-mail", "Status", "Completion date"],
            &["ANN@acme.test", "Completed", "03/11/2026"],
            &["bob@acme.test", "Not started", ""],
            &["bob@acme.test", "Passed", "2026-11-20T10:00:00Z"],
            &["cor@acme.test", "Vrijgesteld", ""],
            &["nobody@acme.test", "Completed", "2026-11-03"],
            &["NOBODY@acme.test", "Completed", "2026-11-03"],
            &["", "", ""],
        ]);
        let r = read(&t, &emails, false).unwrap();
        assert_eq!(r.unknown, ["nobody@acme.test"], "each once");
        let got: Vec<(&str, &str, Option<&str>)> =
            r.lines.iter().map(|l| (l.person_id.as_str(), l.status, l.date.as_deref())).collect();
        assert_eq!(got, [("a", "done", Some("2026-11-03")), ("b", "done", Some("2026-11-20")), ("c", "exempt", None)]);
        // A phishing simulation, a line per mail: who clicked one did not pass.
        let r = read(&t, &emails, true).unwrap();
        assert_eq!(r.lines[1], Line { person_id: "b".into(), status: "not_done", date: None });
        // Only addresses (and a date): every listed person completed it, on a day the file does not say.
        let r = read(&table(&[&["Email"], &["cor@acme.test"]]), &emails, false).unwrap();
        assert_eq!(r.lines, [Line { person_id: "c".into(), status: "done", date: None }]);
        // "Completed at" is a date, "E-mail status" is not the status, the status column further on is.
        let t = table(&[
            &["E-mail", "E-mail status", "Completed at", "Status"],
            &["ann@acme.test", "sent", "2026-11-02 10:00", "Not started"],
        ]);
        assert_eq!(read(&t, &emails, false).unwrap().lines[0].status, "not_done");
        let t = table(&[&["E-mail", "Completed at"], &["ann@acme.test", "2026-11-02 10:00"]]);
        assert_eq!(read(&t, &emails, false).unwrap().lines[0].date.as_deref(), Some("2026-11-02"));
        // As a training platform exports it: enrolment and due dates before the completion date.
        let t = table(&[
            &["Email", "Enrollment Date", "Due Date", "Status", "Completion Date", "Last updated"],
            &["ann@acme.test", "2026-01-05", "2026-02-01", "Passed", "2026-01-20", "2026-03-01"],
        ]);
        assert_eq!(read(&t, &emails, false).unwrap().lines[0].date.as_deref(), Some("2026-01-20"));
        // A "Completed" column holding days is the date, beside a status column or without one.
        for head in [&["Email", "Status", "Completed"][..], &["Email", "Completed"][..]] {
            let mut row = vec!["ann@acme.test"];
            if head.len() == 3 {
                row.push("Completed");
            }
            row.push("12-03-2026");
            let r = read(&table(&[head, &row]), &emails, false).unwrap();
            assert_eq!((r.lines[0].status, r.lines[0].date.as_deref()), ("done", Some("2026-03-12")), "{head:?}");
        }
        // Other columns but none that says the status: not guessed.
        let e = read(&table(&[&["Email", "Progress"], &["ann@acme.test", "0%"]]), &emails, false).unwrap_err();
        assert_eq!(e[0].key, "awareness.error.no_status_column");
        // An address two people share cannot say who.
        let shared = Addresses::of([("team@acme.test", "a"), ("team@acme.test", "b"), ("cor@acme.test", "c")]);
        let e = read(&table(&[&["Email"], &["cor@acme.test"], &["team@acme.test"]]), &shared, false).unwrap_err();
        assert_eq!(e, [ImportError { line: 3, column: "Email".into(), key: "awareness.error.shared_email" }]);
        // Problems, each with its line and column.
        let e = read(&table(&[&["Name"], &["Ann"]]), &emails, false).unwrap_err();
        assert_eq!(e[0].key, "awareness.error.no_email_column");
        let e = read(
            &table(&[
                &["Email", "Result", "Date"],
                &["ann@acme.test", "maybe", ""],
                &["bob@acme.test", "done", "someday"],
            ]),
            &emails,
            false,
        )
        .unwrap_err();
        assert_eq!(
            e,
            [
                ImportError { line: 2, column: "Result".into(), key: "awareness.error.unknown_status" },
                ImportError { line: 3, column: "Date".into(), key: "error.bad_date" },
            ]
        );
        assert!(read(&[], &emails, false).is_err());
    }

    #[test]
    fn a_person_recorded_twice_counts_once_and_departments_merge() {
        let people = [person("a", "IT", None), person("b", "it ", None)];
        let comps = [done("c", "a", "not_done"), done("c", "a", "done")];
        let r = &rates(&[campaign("c", "all")], &people, &[], &comps, "2026-12-04")[0];
        assert_eq!(r.rate, Rate { done: 1, of: 2 });
        assert_eq!(r.by_department, [("IT".into(), Rate { done: 1, of: 2 })]);
    }
}
