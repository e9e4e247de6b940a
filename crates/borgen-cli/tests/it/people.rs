//! 5.3 and 7.2 through the pages and the API: the two responsibilities the
//! standard names, shown as missing until a current role holder carries
//! them; the competence matrix with each status, who has left dropping out,
//! and its gaps exported; links from a person to the roles they hold.

use crate::common::*;

const API: &str = "/api/v1/orgs/acme";

async fn post(w: &World, path: &str, body: Value) -> String {
    let r = w.manager.json(Method::POST, &format!("{API}/{path}"), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

/// The day `days` from today (UTC), far enough from the boundaries that the
/// organisation's time zone does not matter.
fn day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).format("%Y-%m-%d").to_string()
}

/// The gaps of the matrix as (person, competence, status) from its CSV export.
async fn gaps(c: &Client) -> Vec<(String, String, String)> {
    let r = c.get("/o/acme/support/competence-matrix/export/csv").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut rows = csv::Reader::from_reader(r.text.as_bytes());
    rows.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[2].to_string(), r[3].to_string())).collect()
}

db_test!(duties_and_the_competence_matrix, |s| {
    let w = World::new(s).await;
    // Nothing assigned yet: the overview and the roles list say so.
    let home = w.manager.get("/o/acme").await.text;
    assert!(home.contains("5.3: not assigned:"), "{home}");
    let roles = w.manager.get("/o/acme/leadership/roles").await.text;
    assert_eq!(roles.matches("No role carries it yet").count(), 2);

    let ann = post(&w, "people", json!({ "name": "Ann de Vries", "email": "ann@acme.test", "department": "IT" })).await;
    let bob = post(&w, "people", json!({ "name": "Bob Jansen", "department": "IT", "end_date": "2020-12-31" })).await;
    let isms = post(
        &w,
        "org-roles",
        json!({
            "name": "ISMS manager", "conformity": true, "reporting": false,
            "responsibilities": "Keeps the ISMS conforming to ISO/IEC 27001."
        }),
    )
    .await;
    // A role that carries a duty but that nobody holds yet.
    let roles = w.manager.get("/o/acme/leadership/roles").await.text;
    assert!(roles.contains("ISMS manager carries it, but nobody holds that role today."), "{roles}");
    let holder =
        post(&w, &format!("org-roles/{isms}/role-holders"), json!({ "person_id": ann, "since": "2024-01-01" })).await;
    let roles = w.manager.get("/o/acme/leadership/roles").await.text;
    assert!(roles.contains("✓ </span>Ann de Vries"), "assigned to Ann: {roles}");
    assert_eq!(roles.matches("No role carries it yet").count(), 1, "reporting is still missing");
    // Someone who left does not carry a duty.
    let ciso = post(
        &w,
        "org-roles",
        json!({ "name": "CISO", "reporting": true, "responsibilities": "Reports to management." }),
    )
    .await;
    post(&w, &format!("org-roles/{ciso}/role-holders"), json!({ "person_id": bob, "since": "2019-01-01" })).await;
    assert!(w.manager.get("/o/acme").await.text.contains("5.3: not assigned: Reporting on the performance"));
    let r = w
        .manager
        .json(
            Method::PUT,
            &format!("{API}/org-roles/{isms}"),
            &json!({
                "name": "ISMS manager", "conformity": true, "reporting": true,
                "responsibilities": "Keeps the ISMS conforming and reports on it to management."
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(w.manager.get("/o/acme").await.text.contains("5.3: both responsibilities the standard names are assigned"));

    // The holder's page is named by the person; the person's page lists the role.
    let page = w.manager.get(&format!("/o/acme/leadership/role-holders/{holder}")).await.text;
    assert!(page.contains("<h1>Ann de Vries"), "{page}");
    let page = w.manager.get(&format!("/o/acme/support/people/{ann}")).await.text;
    assert!(
        page.contains("Roles held") && page.contains(&format!("href=\"/o/acme/leadership/roles/{isms}\">ISMS manager"))
    );

    // Competences the roles require; nobody has evidence yet.
    let risk = post(
        &w,
        &format!("org-roles/{isms}/competences"),
        json!({ "name": "Risk assessment per ISO/IEC 27005", "shown_by": "certificate" }),
    )
    .await;
    let incident = post(
        &w,
        &format!("org-roles/{isms}/competences"),
        json!({ "name": "Incident handling", "shown_by": "training" }),
    )
    .await;
    post(&w, &format!("org-roles/{ciso}/competences"), json!({ "name": "Reporting", "shown_by": "experience" })).await;
    let missing = |c: &str| ("Ann de Vries".to_string(), c.to_string(), "Missing".to_string());
    assert_eq!(
        gaps(&w.manager).await,
        [missing("Incident handling"), missing("Risk assessment per ISO/IEC 27005")],
        "Bob has left"
    );

    // Evidence: expiring within 60 days, and expired.
    let add = format!("people/{ann}/competence-evidence");
    post(&w, &add, json!({ "competence_id": risk, "what": "ISO/IEC 27005 Risk Manager", "kind": "certificate", "obtained": "2024-01-10", "expires": day(30) })).await;
    let old = post(&w, &add, json!({ "competence_id": incident, "what": "Incident response course", "kind": "training", "obtained": "2020-01-10", "expires": day(-30) })).await;
    let g = gaps(&w.manager).await;
    assert_eq!(g.iter().map(|g| g.2.as_str()).collect::<Vec<_>>(), ["Expired", "Expiring"], "{g:?}");
    // A newer course closes the gap; an expiring date further than 60 days is met.
    let newer = post(&w, &add, json!({ "competence_id": incident, "what": "Incident response course 2026", "kind": "training", "obtained": day(-1) })).await;
    post(&w, &add, json!({ "competence_id": risk, "what": "ISO/IEC 27005 Risk Manager (renewed)", "kind": "certificate", "obtained": day(-2), "expires": day(400) })).await;
    assert_eq!(gaps(&w.manager).await, [], "every gap closed");
    let page = w.manager.get("/o/acme/support/competence-matrix").await.text;
    assert!(page.contains("No gaps") && page.contains("Ann de Vries") && !page.contains("Bob Jansen"));
    // The competence's page lists the evidence of it, named with its person.
    let page = w.manager.get(&format!("/o/acme/support/competences/{incident}")).await.text;
    assert!(page.contains("Ann de Vries — Incident response course"), "{page}");
    // Archived evidence no longer counts: without the new course the old, expired one decides again.
    w.manager.call(Method::POST, &format!("{API}/competence-evidence/{old}/archive")).await;
    w.manager.call(Method::POST, &format!("{API}/competence-evidence/{newer}/archive")).await;
    assert_eq!(
        gaps(&w.manager).await,
        [missing("Incident handling")],
        "the archived expired one does not count either"
    );
    w.manager.post_form("/lang", &[("lang", "nl")]).await;
    let page = w.manager.get("/o/acme/support/competence-matrix").await.text;
    assert!(page.contains("Competentiematrix") && page.contains("Voldaan") && page.contains("Ontbreekt"), "{page}");
    assert!(w.manager.get("/o/acme").await.text.contains("5.3: beide verantwoordelijkheden"));

    // Bad input is refused in place and writes nothing.
    let before = w.s.count("competence_evidence").await;
    let r = w.manager.json(Method::POST, &format!("{API}/{add}"), &json!({
        "competence_id": risk, "what": "x", "kind": "certificate", "obtained": "2025-01-01", "expires": "2024-01-01"
    })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "expires");
    let r = w
        .manager
        .json(
            Method::POST,
            &format!("{API}/{add}"),
            &json!({
                "competence_id": isms, "what": "x", "kind": "certificate", "obtained": "2025-01-01"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a role is not a competence: {}", r.text);
    assert_eq!(w.s.count("competence_evidence").await, before);
    let r = w
        .manager
        .json(
            Method::POST,
            &format!("{API}/org-roles/{isms}/role-holders"),
            &json!({
                "person_id": ann, "since": "2024-01-01", "communicated_on": "2024-01-02"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "communicated_how");
    let r = w
        .manager
        .json(Method::POST, &format!("{API}/people"), &json!({ "name": "C", "email": "not an address" }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Who may see the matrix: who reads registers, in this organisation.
    assert_eq!(w.auditor.get("/o/acme/support/competence-matrix").await.status, StatusCode::OK);
    assert_eq!(w.viewer.get("/o/acme/support/competence-matrix").await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.outsider.get("/o/acme/support/competence-matrix").await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.auditor.get("/o/acme/support/competence-matrix/export/xlsx").await.status, StatusCode::OK);
    assert_eq!(w.manager.get("/o/acme/support/competence-matrix/export/docx").await.status, StatusCode::NOT_FOUND);
});

fn file(bytes: Vec<u8>, name: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()))
}

// 7.3: a completion list exported by an e-learning tool is imported by
// e-mail address; any problem, or an address that names nobody, writes
// nothing; the rates count the audience without who is exempt or has left.
db_test!(awareness_completion_is_imported_and_counted, |s| {
    let w = World::new(s).await;
    let mut people = Vec::new();
    for (name, mail, dept, end) in [
        ("Ann de Vries", "ann@acme.test", "IT", None),
        ("Bob Jansen", "bob@acme.test", "IT", None),
        ("Cor Smit", "cor@acme.test", "Support", None),
        ("Dee Bakker", "dee@acme.test", "Support", None),
        ("Eef Mol", "eef@acme.test", "Support", Some("2020-12-31")),
    ] {
        let mut body = json!({ "name": name, "email": mail, "department": dept });
        if let Some(e) = end {
            body["end_date"] = json!(e);
        }
        people.push(post(&w, "people", body).await);
    }
    let c = post(
        &w,
        "awareness-campaigns",
        json!({ "title": "Phishing simulation autumn", "kind": "phishing", "audience": "all", "starts": "2026-10-01" }),
    )
    .await;
    let import = format!("/o/acme/support/awareness/{c}/import");
    let count = || w.s.count("awareness_completions");
    let events = w.s.count("audit_events").await;

    // An address nobody has: listed, nothing written.
    let csv = "E-mail,Result,Date\nann@acme.test,Passed,2026-10-03\nnobody@acme.test,Passed,2026-10-03\n";
    let r = w.manager.post_multipart(&import, file(csv.into(), "results.csv")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("nobody@acme.test") && r.text.contains("name nobody"), "{}", r.text);
    assert_eq!(count().await, 0, "nothing written");
    // A status the import does not know, a date that is none, no e-mail column: refused with line and column.
    for (csv, says) in [
        ("Email,Status\nann@acme.test,Maybe\n", "This status is not one the import knows"),
        ("Email,Status,Date\nann@acme.test,Completed,someday\n", "<td>2</td><td>Date</td><td>Enter a date"),
        ("Email,Progress\nann@acme.test,0%\n", "none that says whether it was completed"),
        ("Name,Status\nAnn,Completed\n", "no column with e-mail addresses"),
        ("", "empty"),
    ] {
        let r = w.manager.post_multipart(&import, file(csv.into(), "results.csv")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{csv}");
        assert!(r.text.contains(says), "{csv}: {}", r.text);
    }
    assert_eq!((count().await, w.s.count("audit_events").await), (0, events), "nothing written, nothing audited");

    // The list as the tool exports it, as XLSX: Ann passed, Bob did not, Cor is exempt.
    let table = borgen_report::Table {
        title: "Results".into(),
        headers: vec!["User email".into(), "Status".into(), "Completion date".into()],
        rows: vec![
            vec!["ANN@acme.test".into(), "Completed".into(), "03/10/2026".into()],
            vec!["bob@acme.test".into(), "Not started".into(), "".into()],
            vec!["cor@acme.test".into(), "Exempt".into(), "".into()],
        ],
    };
    let r = w.manager.post_multipart(&import, file(borgen_report::to_xlsx(&table).unwrap(), "results.xlsx")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("Imported: 3 added, 0 updated."), "{}", r.text);
    assert_eq!(w.s.count("audit_events").await, events + 3, "one event per person");
    let kids = w.manager.get(&format!("{API}/awareness-campaigns/{c}/completions")).await.json();
    let ann = kids["items"].as_array().unwrap().iter().find(|k| k["person_id"] == json!(people[0])).unwrap().clone();
    assert_eq!((&ann["status"], &ann["completed_on"]), (&json!("done"), &json!("2026-10-03")));
    // Ann done, Bob and Dee not, Cor exempt, Eef has left: 1 of 3.
    let page = w.manager.get(&format!("/o/acme/support/awareness/{c}")).await.text;
    assert!(page.contains("1 of 3 (33%)") && page.contains("1 exempt"), "{page}");
    // Bob did it after all: the same list again changes only his line.
    let csv = "Email,Status,Date\nann@acme.test,Completed,2026-10-03\nbob@acme.test,Completed,2026-10-20\n";
    let r = w.manager.post_multipart(&import, file(csv.into(), "results.csv")).await;
    assert!(r.text.contains("Imported: 0 added, 1 updated."), "{}", r.text);
    let over = w.manager.get("/o/acme/support/awareness-overview").await.text;
    assert!(over.contains("Phishing simulation autumn") && over.contains("2 of 3 (66%)"), "{over}");
    assert!(
        over.contains("IT") && over.contains("2 of 2 (100%)") && over.contains("0 of 1 (0%)"),
        "per department: {over}"
    );
    // The person's page names the campaign.
    let page = w.manager.get(&format!("/o/acme/support/people/{}", people[1])).await.text;
    assert!(page.contains("Awareness campaigns") && page.contains("Phishing simulation autumn"));
    // Who may import: who may edit the campaign; 404 for another organisation; nothing written by them.
    let before = (count().await, w.s.count("audit_events").await);
    let bob_done = "Email,Status\nbob@acme.test,Not started\n";
    for (c, want) in
        [(&w.auditor, StatusCode::FORBIDDEN), (&w.viewer, StatusCode::FORBIDDEN), (&w.outsider, StatusCode::NOT_FOUND)]
    {
        assert_eq!(c.post_multipart(&import, file(bob_done.into(), "results.csv")).await.status, want);
    }
    assert_eq!((count().await, w.s.count("audit_events").await), before, "nothing written");
    // A list without dates keeps the day already recorded.
    let r = w.manager.post_multipart(&import, file("Email\nann@acme.test\n".into(), "again.csv")).await;
    assert!(r.text.contains("Imported: 0 added, 0 updated."), "{}", r.text);
    // Two people with one address: the list cannot say who.
    post(&w, "people", json!({ "name": "Ann's twin", "email": "ANN@acme.test" })).await;
    let r = w.manager.post_multipart(&import, file("Email\nann@acme.test\n".into(), "again.csv")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("More than one person"), "{}", r.text);
    w.manager.post_form("/lang", &[("lang", "nl")]).await;
    let r = w.manager.post_multipart(&import, file("Naam\nAnn\n".into(), "x.csv")).await;
    assert!(r.text.contains("geen kolom met e-mailadressen"), "{}", r.text);
    assert!(
        w.manager.get("/o/acme/support/awareness-overview").await.text.contains("2 van 4 (50%)"),
        "the twin counts too"
    );
    // Not under an archived campaign.
    w.manager.call(Method::POST, &format!("{API}/awareness-campaigns/{c}/archive")).await;
    let r = w.manager.post_multipart(&import, file(csv.into(), "results.csv")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
});

// 5.3 RACI, 6.2 objectives and 7.1 resources as a user sees them: the matrix
// flags a process without exactly one accountable role and exports; an
// objective's measured values are drawn against its target; resources add
// up per year and only top management approves them.
db_test!(raci_objectives_and_resources, |s| {
    let w = World::new(s).await;
    let isms = post(&w, "org-roles", json!({ "name": "ISMS manager", "responsibilities": "Runs the ISMS." })).await;
    let top = post(&w, "org-roles", json!({ "name": "Management", "responsibilities": "Leads." })).await;
    let risk = post(&w, "isms-processes", json!({ "name": "Risk assessment", "clause": "6.1.2" })).await;
    let audit = post(&w, "isms-processes", json!({ "name": "Internal audit", "clause": "9.2" })).await;
    for (p, role, letter) in
        [(&risk, &isms, "r"), (&risk, &top, "a"), (&audit, &isms, "c"), (&audit, &isms, "a"), (&audit, &top, "a")]
    {
        post(&w, &format!("isms-processes/{p}/raci"), json!({ "role_id": role, "letter": letter })).await;
    }
    let page = w.manager.get("/o/acme/leadership/raci-matrix").await.text;
    assert_eq!(page.matches("More than one role is accountable").count(), 1, "internal audit: {page}");
    assert!(page.contains("<td class=\"raci\">A, C</td>"), "letters in R, A, C, I order: {page}");
    let x = w.manager.get("/o/acme/leadership/raci-matrix/export/csv").await;
    let mut rows = csv::Reader::from_reader(x.text.as_bytes());
    let rows: Vec<Vec<String>> = rows.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    assert_eq!(rows, [["Risk assessment", "6.1.2", "R", "A"], ["Internal audit", "9.2", "A, C", "A"]]);
    assert_eq!(w.manager.get("/o/acme/leadership/raci-matrix/export/pdf").await.status, StatusCode::OK);
    assert_eq!(w.viewer.get("/o/acme/leadership/raci-matrix").await.status, StatusCode::FORBIDDEN);

    // An objective is measurable, or says why not.
    let r = w
        .manager
        .json(
            Method::POST,
            &format!("{API}/objectives"),
            &json!({ "title": "Trained staff", "plan": "Yearly e-learning.", "status": "on_track" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.target_or_reason");
    let o = post(&w, "objectives", json!({
        "title": "Trained staff", "plan": "Yearly e-learning.", "status": "on_track",
        "measure": "Share of staff who completed the e-learning", "direction": "at_least", "target": "95", "unit": "%"
    }))
    .await;
    let page = w.manager.get(&format!("/o/acme/planning/objectives/{o}")).await.text;
    assert!(page.contains("No values measured yet"));
    for (d, v) in [("2026-03-31", json!("61,5")), ("2026-06-30", json!(78.25)), ("2026-09-30", json!("90"))] {
        post(&w, &format!("objectives/{o}/objective-progress"), json!({ "date": d, "value": v })).await;
    }
    let one = w.manager.get(&format!("{API}/objectives/{o}")).await.json();
    assert_eq!(one["target"], json!(95));
    assert_eq!(one["objective-progress"][0]["value"], json!(61.5), "kept as a number");
    let r = w
        .manager
        .json(
            Method::POST,
            &format!("{API}/objectives/{o}/objective-progress"),
            &json!({ "date": "2026-10-01", "value": "12.3456" }),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.too_many_decimals");
    let page = w.manager.get(&format!("/o/acme/planning/objectives/{o}")).await.text;
    let svg = page.split("<svg").nth(1).unwrap_or("");
    assert_eq!(svg.matches("<circle").count(), 3, "a point per value");
    assert!(svg.contains("class=\"target\"") && svg.contains("target at least 95 %"), "{svg}");
    assert!(page.contains("Latest: 90 % on 30 September 2026"), "{page}");
    // 90 is drawn above 61.5 (y grows downwards).
    let ys: Vec<f64> = svg.split("cy=\"").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect();
    assert!(ys[0] > ys[1] && ys[1] > ys[2], "{ys:?}");
    w.manager.post_form("/lang", &[("lang", "nl")]).await;
    assert!(
        w.manager
            .get(&format!("/o/acme/planning/objectives/{o}"))
            .await
            .text
            .contains("Laatste: 90 % op 30 september 2026")
    );
    w.manager.post_form("/lang", &[("lang", "en")]).await;

    // Resources: approved only by top management, added up per year.
    let top_id = w.user_id("top@acme.test").await;
    let manager_id = w.user_id("manager@acme.test").await;
    let r = w.manager.json(Method::POST, &format!("{API}/resources"), &json!({ "year": "2027", "purpose": "Certification audit", "amount": "12500", "approved_by": manager_id, "approved_on": "2026-11-20" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.not_an_approver");
    post(&w, "resources", json!({ "year": "2027", "purpose": "Certification audit", "amount": "12500", "approved_by": top_id, "approved_on": "2026-11-20" })).await;
    post(&w, "resources", json!({ "year": "2027", "purpose": "ISMS manager", "fte": "0,5", "amount": 1000.5 })).await;
    let r = w.manager.json(Method::POST, &format!("{API}/resources"), &json!({ "year": "27", "purpose": "x" })).await;
    let e = r.json();
    let codes: Vec<&str> =
        e["error"]["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["error.bad_year", "error.amount_or_fte"]);
    let page = w.manager.get("/o/acme/support/resources").await.text;
    assert!(page.contains("2027: € 13,500.50 and 0.50 FTE") && page.contains("1 not yet approved"), "{page}");
});
