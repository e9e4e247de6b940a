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
    post(&w, &add, json!({ "competence_id": incident, "what": "Incident response course 2026", "kind": "training", "obtained": day(-1) })).await;
    post(&w, &add, json!({ "competence_id": risk, "what": "ISO/IEC 27005 Risk Manager (renewed)", "kind": "certificate", "obtained": day(-2), "expires": day(400) })).await;
    assert_eq!(gaps(&w.manager).await, [], "every gap closed");
    let page = w.manager.get("/o/acme/support/competence-matrix").await.text;
    assert!(page.contains("No gaps") && page.contains("Ann de Vries") && !page.contains("Bob Jansen"));
    // The competence's page lists the evidence of it, named with its person.
    let page = w.manager.get(&format!("/o/acme/support/competences/{incident}")).await.text;
    assert!(page.contains("Ann de Vries — Incident response course"), "{page}");
    // Archived evidence no longer counts.
    w.manager.call(Method::POST, &format!("{API}/competence-evidence/{old}/archive")).await;
    w.manager.post_form("/lang", &[("lang", "nl")]).await;
    let page = w.manager.get("/o/acme/support/competence-matrix").await.text;
    assert!(page.contains("Competentiematrix") && page.contains("Voldaan"), "{page}");
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
