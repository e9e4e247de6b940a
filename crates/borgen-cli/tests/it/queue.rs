//! The overview says what waits for each member, per role: approvals and
//! acceptances for top management, unaccepted risks and overdue tasks for
//! owners, due reviews for the ISMS manager; nothing for who has nothing.

use crate::common::*;

fn waiting(page: &str) -> Vec<String> {
    let Some(start) = page.find("id=\"waiting\"") else { return Vec::new() };
    let section = &page[start..page[start..].find("</section>").map(|e| start + e).unwrap_or(page.len())];
    section
        .split("<li>")
        .skip(1)
        .map(|li| {
            let text = li.split('>').nth(1).unwrap_or("");
            text.split('<').next().unwrap_or("").to_string()
        })
        .collect()
}

db_test!(the_overview_says_what_waits_for_each_member, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    // Nothing yet for the top manager; the manager has an issue never reviewed.
    assert_eq!(waiting(&w.top.get("/o/acme").await.text), Vec::<String>::new());
    w.issue("Energy prices", None).await;
    assert_eq!(waiting(&m.get("/o/acme").await.text), ["1 context issue has not been reviewed for a year."]);
    // A version to approve, and a risk only top management may accept.
    decide_the_rest(m).await;
    assert_eq!(m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await.status, StatusCode::CREATED);
    let contributor = w.user_id("contributor@acme.test").await;
    let high = json!({"title": "Ransomware", "owner_id": contributor, "inherent_likelihood": 4, "inherent_impact": 4,
        "treatment": "accept", "treatment_rationale": "Insured", "next_review": "2020-01-01"});
    assert_eq!(m.json(Method::POST, "/api/v1/orgs/acme/risks", &high).await.status, StatusCode::CREATED);
    assert_eq!(
        waiting(&w.top.get("/o/acme").await.text),
        [
            "SoA version 1 awaits your approval.",
            // Scoring the first risk put the methodology in force as version 1.
            "Risk methodology version 1 awaits your approval.",
            "1 risk awaits acceptance by top management."
        ]
    );
    // The owner sees their risk; the manager its review date.
    assert_eq!(waiting(&w.contributor.get("/o/acme").await.text), ["1 of your risks is not accepted."]);
    assert_eq!(
        waiting(&m.get("/o/acme").await.text),
        ["1 risk is past its review date.", "1 context issue has not been reviewed for a year."]
    );
    // Approved and accepted: gone from the queue. The viewer never has one.
    let r = w.top.json(Method::POST, "/api/v1/orgs/acme/soa/versions/1/approve", &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = w.top.json(Method::POST, "/api/v1/orgs/acme/risk-methodology/versions/1/approve", &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = m.get("/api/v1/orgs/acme/risks").await.json()["items"][0]["id"].as_str().unwrap().to_string();
    // (Its review date has passed: reviewed first, then accepted.)
    let mut reviewed = high.clone();
    reviewed["next_review"] = json!("2099-01-01");
    assert_eq!(m.json(Method::PUT, &format!("/api/v1/orgs/acme/risks/{id}"), &reviewed).await.status, StatusCode::OK);
    let r = w.top.json(Method::POST, &format!("/api/v1/orgs/acme/risks/{id}/accept"), &json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(waiting(&w.top.get("/o/acme").await.text), Vec::<String>::new());
    assert_eq!(waiting(&w.contributor.get("/o/acme").await.text), Vec::<String>::new());
    assert_eq!(waiting(&w.viewer.get("/o/acme").await.text), Vec::<String>::new());
});
