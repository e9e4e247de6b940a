//! Numbered versions approved once (SoA versions, risk assessment runs, risk
//! methodology versions), one mechanism for all: top management only, once, named as a person (user id
//! and name) in the version and in its audit event, the comment checked.

use crate::common::*;

db_test!(every_versioned_kind_is_approved_once_by_a_named_person, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let top_id = w.user_id("top@acme.test").await;
    decide_the_rest(m).await;
    assert_eq!(m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await.status, StatusCode::CREATED);
    let r = m
        .json(Method::POST, "/api/v1/orgs/acme/risk-runs", &json!({"title": "Beoordeling 2026", "reason": "planned"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // The run saved the methodology it used as version 1.
    let method = m.get("/api/v1/orgs/acme/risk-methodology").await.json();
    assert_eq!(method["version"], 1);
    for (kind, base, entity) in [
        ("SoA version", "/api/v1/orgs/acme/soa/versions", "soa_version"),
        ("assessment run", "/api/v1/orgs/acme/risk-runs", "risk_run"),
        ("methodology version", "/api/v1/orgs/acme/risk-methodology/versions", "risk_methodology"),
    ] {
        let approve = format!("{base}/1/approve");
        let events = w.s.count("audit_events").await;
        // Not top management: 403; no such version: 404; a bad comment: 422; nothing written.
        for c in [&w.manager, &w.contributor, &w.auditor, &w.viewer] {
            assert_eq!(c.json(Method::POST, &approve, &json!({})).await.status, StatusCode::FORBIDDEN, "{kind}");
        }
        assert_eq!(w.outsider.json(Method::POST, &approve, &json!({})).await.status, StatusCode::NOT_FOUND);
        let r = w.top.json(Method::POST, &format!("{base}/9/approve"), &json!({})).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{kind}: {}", r.text);
        let r = w.top.json(Method::POST, &approve, &json!({"comment": "bell\u{7}"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{kind}: {}", r.text);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "comment");
        assert_eq!(w.s.count("audit_events").await, events, "{kind}: refusals write nothing");
        // Top management approves once; the second time is a conflict.
        let r = w.top.json(Method::POST, &approve, &json!({"comment": "Besproken in het MT."})).await;
        assert!(r.status.is_success(), "{kind}: {}", r.text);
        let r = w.top.json(Method::POST, &approve, &json!({})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{kind}: approved once");
        assert_eq!(w.s.count("audit_events").await, events + 1, "{kind}: one event");
        // Named as a person in the version ...
        let v = w.top.get(&format!("{base}/1")).await.json();
        let v = if v["run"].is_object() {
            v["run"].clone()
        } else if v["version"].is_object() {
            v["version"].clone()
        } else {
            v
        };
        if entity != "risk_methodology" {
            assert_eq!(v["approved_by"], top_id.as_str(), "{kind}");
        }
        assert_eq!(v["approved_by_label"], "top", "{kind}");
        assert!(v["approved_at"].is_string());
        assert_eq!(v["approval_comment"], "Besproken in het MT.");
        // ... and in the audit trail.
        let log = w.manager.get("/api/v1/orgs/acme/audit-log").await.json();
        let e = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["entity_type"] == entity && e["action"] == "approve")
            .cloned();
        let after: Value = serde_json::from_str(e.expect("an approve event")["after_json"].as_str().unwrap()).unwrap();
        assert_eq!(after["approved_by"], top_id.as_str(), "{kind}");
    }
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 0, "{out}");
});

// The methodology page says plainly when the criteria in force are not
// approved, offers top management the approval (and nobody else), and then
// names who approved.
db_test!(the_methodology_in_force_is_approved_on_its_page, |s| {
    let w = World::new(s).await;
    let method = w.manager.get("/api/v1/orgs/acme/risk-methodology").await.json();
    let body = json!({ "methodology": method["methodology"] });
    w.manager.json(Method::PUT, "/api/v1/orgs/acme/risk-methodology", &body).await;
    let page = "/o/acme/risks/methodology";
    let text = w.manager.get(page).await.text;
    assert!(text.contains("is not approved by top management yet"), "the warning");
    assert!(!text.contains("/versions/1/approve"), "no approval form for the ISMS manager");
    let r = w.manager.post_form("/o/acme/risks/methodology/versions/1/approve", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let text = w.top.get(page).await.text;
    assert!(text.contains("/versions/1/approve"), "the approval form for top management");
    let r = w.top.post_form("/o/acme/risks/methodology/versions/1/approve", &[("comment", "bell\u{7}")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "errors shown on the page");
    assert!(r.text.contains("id=\"err-comment\""));
    let r =
        w.top.post_form("/o/acme/risks/methodology/versions/1/approve", &[("comment", "Vastgesteld in het MT")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let text = w.auditor.get(page).await.text;
    assert!(
        text.contains("approved by top, top management") && text.contains("Vastgesteld in het MT"),
        "named with their role"
    );
    assert!(!text.contains("is not approved by top management yet"));
    // A changed methodology is a new version, to approve again.
    let mut changed = method["methodology"].clone();
    changed["review_months"] = json!(6);
    let r = w.manager.json(Method::PUT, "/api/v1/orgs/acme/risk-methodology", &json!({ "methodology": changed })).await;
    assert_eq!(r.json()["version"], 2, "{}", r.text);
    assert_eq!(r.json()["in_force"], 1, "a new version is a draft until approved");
    let text = w.manager.get(page).await.text;
    assert!(text.contains("Version 2 is a draft: it comes into force when top management approves it."), "{text}");
    assert!(!text.contains("the methodology in force, is not approved"));
});
