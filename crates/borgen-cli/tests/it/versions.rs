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

fn problems(r: &Resp) -> Vec<String> {
    r.json()["error"]["problems"]
        .as_array()
        .map(|a| a.iter().map(|p| p["message"].as_str().unwrap_or_default().to_string()).collect())
        .unwrap_or_default()
}

// The risk treatment plan as a whole (6.1.3 e–f): issued only when every
// risk in it has an owner and every risk to treat has something planned;
// signed off by each risk owner in it, and only then approved by top
// management; frozen, named as people, in the audit trail.
db_test!(the_treatment_plan_is_signed_off_by_its_risk_owners_then_approved, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let base = "/api/v1/orgs/acme/treatment-plan/versions";
    let contributor = w.user_id("contributor@acme.test").await;
    let top = w.user_id("top@acme.test").await;
    // Nothing to treat yet: refused, and it says why.
    let r = m.json(Method::POST, base, &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(problems(&r), ["No live risk has a treatment decision yet: there is no plan to issue."]);
    // A risk to mitigate with nothing planned, a risk without an owner.
    let backup = json!({"title": "Back-ups fail", "owner_id": contributor, "inherent_likelihood": 3,
        "inherent_impact": 4, "treatment": "avoid", "treatment_rationale": "Move to the managed back-up service"});
    let r = m.json(Method::POST, "/api/v1/orgs/acme/risks", &backup).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let backup_id = r.json()["id"].as_str().unwrap().to_string();
    let r = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/risks",
            &json!({"title": "Office fire", "treatment": "transfer", "treatment_rationale": "Fire insurance"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let fire_id = r.json()["id"].as_str().unwrap().to_string();
    let r = m.json(Method::POST, "/api/v1/orgs/acme/risks", &json!({"title": "Supplier bankrupt"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let events = w.s.count("audit_events").await;
    let r = m.json(Method::POST, base, &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(
        problems(&r),
        [
            "R-001 Back-ups fail: to be treated, but no control, applied control or task is planned.",
            "R-002 Office fire: no risk owner, so nobody can sign its treatment off.",
            "R-002 Office fire: to be treated, but no control, applied control or task is planned.",
        ]
    );
    let nl = m.clone().with_lang("nl").json(Method::POST, base, &json!({})).await;
    assert!(problems(&nl)[1].contains("geen risico-eigenaar"), "{}", nl.text);
    // The ISMS manager issues; nobody else.
    for c in [&w.contributor, &w.top, &w.auditor, &w.viewer] {
        assert_eq!(c.json(Method::POST, base, &json!({})).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(w.s.count("audit_events").await, events, "refusals write nothing");
    // A task for the one, an owner and a control for the other.
    let task =
        json!({"title": "Contract the managed back-up service", "owner_id": contributor, "due_date": "2027-02-01"});
    let r = m.json(Method::POST, &format!("/api/v1/orgs/acme/risks/{backup_id}/tasks"), &task).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let fire = json!({"title": "Office fire", "treatment": "transfer", "treatment_rationale": "Fire insurance", "owner_id": top, "control_ids": "5.30"});
    assert_eq!(m.json(Method::PUT, &format!("/api/v1/orgs/acme/risks/{fire_id}"), &fire).await.status, StatusCode::OK);
    let r = m.json(Method::POST, base, &json!({"note": "Na de risicobeoordeling van november"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let v = r.json();
    assert_eq!(v["version"]["number"], 1);
    let refs: Vec<&str> =
        v["plan"]["risks"].as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap()).collect();
    assert_eq!(refs, ["R-001", "R-002"]);
    assert_eq!(v["plan"]["undecided"], json!(["R-003 Supplier bankrupt"]));
    assert_eq!(v["waiting_for"].as_array().unwrap().len(), 2);
    // Top management cannot approve before both owners signed off.
    let approve = format!("{base}/1/approve");
    let r = w.top.json(Method::POST, &approve, &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let open = problems(&r);
    assert_eq!(open.len(), 2, "{open:?}");
    assert!(open[0].starts_with("contributor") && open[0].ends_with("has not signed it off yet."), "{open:?}");
    // Only a risk owner in the plan signs off, once, before approval.
    let sign = format!("{base}/1/sign-off");
    for c in [&w.manager, &w.auditor, &w.viewer] {
        assert_eq!(c.json(Method::POST, &sign, &json!({})).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(w.outsider.json(Method::POST, &sign, &json!({})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.contributor.json(Method::POST, &format!("{base}/7/sign-off"), &json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    // The overview tells the owner it waits for them.
    let home = w.contributor.get("/o/acme").await.text;
    assert!(home.contains("Treatment plan version 1 awaits your sign-off as risk owner."), "{home}");
    let r = w.contributor.json(Method::POST, &sign, &json!({"comment": "Akkoord met de hersteltests"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["waiting_for"].as_array().unwrap().len(), 1);
    assert_eq!(w.contributor.json(Method::POST, &sign, &json!({})).await.status, StatusCode::CONFLICT);
    assert!(!w.contributor.get("/o/acme").await.text.contains("awaits your sign-off"));
    // The frozen plan does not follow later changes.
    let mut b = backup.clone();
    b["title"] = json!("Back-ups fail silently");
    assert_eq!(m.json(Method::PUT, &format!("/api/v1/orgs/acme/risks/{backup_id}"), &b).await.status, StatusCode::OK);
    let v = m.get(&format!("{base}/1")).await.json();
    assert_eq!(v["plan"]["risks"][0]["title"], "Back-ups fail");
    assert_eq!(v["plan"]["risks"][0]["tasks"][0]["title"], "Contract the managed back-up service");
    assert_eq!(v["signoffs"][0]["user_id"], contributor.as_str());
    assert_eq!(v["signoffs"][0]["comment"], "Akkoord met de hersteltests");
    // Top management owns the other risk: signs it off on the page, then approves there.
    let page = w.top.get("/o/acme/risks/treatment/versions/1").await;
    assert!(page.text.contains("Sign off the plan") && !page.text.contains("Approve the plan"), "{}", page.text);
    let r = w.top.post_form("/o/acme/risks/treatment/versions/1/sign", &[("comment", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert!(w.top.get("/o/acme").await.text.contains("Treatment plan version 1 awaits your approval."));
    assert_eq!(w.manager.json(Method::POST, &approve, &json!({})).await.status, StatusCode::FORBIDDEN);
    let page = w.top.get("/o/acme/risks/treatment/versions/1").await.text;
    assert!(page.contains("Approve the plan") && !page.contains("Sign off the plan"), "{page}");
    let r = w.top.post_form("/o/acme/risks/treatment/versions/1/approve", &[("comment", "Besproken in het MT")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let v = m.get(&format!("{base}/1")).await.json();
    assert_eq!(v["version"]["approved_by"], top.as_str());
    assert_eq!(v["version"]["approval_comment"], "Besproken in het MT");
    assert_eq!(w.top.json(Method::POST, &approve, &json!({})).await.status, StatusCode::CONFLICT);
    let page = m.get("/o/acme/risks/treatment/versions").await.text;
    assert!(page.contains("Version 1") && page.contains("Approved by top"), "{page}");
    // Each step in the audit trail, named; the chain holds.
    let log = m.get("/api/v1/orgs/acme/audit-log").await.json();
    let steps: Vec<(String, String)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity_type"] == "treatment_plan")
        .map(|e| (e["action"].as_str().unwrap().to_string(), e["actor_label"].as_str().unwrap_or_default().to_string()))
        .collect();
    assert_eq!(steps.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(), ["approve", "sign_off", "sign_off", "issue"]);
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 0, "{out}");
    // An assessed risk without a treatment decision stops the next version.
    let key = json!({"title": "Key person leaves", "owner_id": contributor, "inherent_likelihood": 2,
        "inherent_impact": 3, "affects_a": true, "status": "assessed", "no_asset_reason": "Organisation-wide"});
    let r = m.json(Method::POST, "/api/v1/orgs/acme/risks", &key).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let key_id = r.json()["id"].as_str().unwrap().to_string();
    let r = m.json(Method::POST, base, &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(problems(&r), ["R-004 Key person leaves: assessed, but no treatment decision yet."]);
    let mut decided = key.clone();
    decided["treatment"] = json!("accept");
    decided["treatment_rationale"] = json!("A deputy is trained");
    let r = m.json(Method::PUT, &format!("/api/v1/orgs/acme/risks/{key_id}"), &decided).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(m.json(Method::POST, base, &json!({})).await.status, StatusCode::CREATED);
    // A risk owner who may no longer own risks (now a viewer) cannot sign it
    // off, and the next version says their risks need another owner.
    w.s.exec(&format!("UPDATE memberships SET role = 'viewer' WHERE user_id = '{contributor}'")).await;
    let r = w.contributor.json(Method::POST, &format!("{base}/2/sign-off"), &json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = m.json(Method::POST, base, &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(
        problems(&r).iter().any(|p| p.starts_with("R-001 Back-ups fail silently: its owner can no longer own risks")),
        "{}",
        r.text
    );
});

// Once a newer version is approved, an older one waiting is superseded: it
// is not approved any more (and the overview stops offering it).
db_test!(a_version_older_than_the_approved_one_is_superseded, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    decide_the_rest(m).await;
    for _ in 0..2 {
        assert_eq!(
            m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await.status,
            StatusCode::CREATED
        );
    }
    let r = w.top.json(Method::POST, "/api/v1/orgs/acme/soa/versions/2/approve", &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let events = w.s.count("audit_events").await;
    let r = w.top.json(Method::POST, "/api/v1/orgs/acme/soa/versions/1/approve", &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("superseded"), "{}", r.text);
    assert_eq!(w.s.count("audit_events").await, events);
    assert!(w.top.get("/api/v1/orgs/acme/soa/versions/1").await.json()["version"]["approved_at"].is_null());
});

// Pages show times on the organisation's clock (Europe/Amsterdam unless its
// ISMS manager chooses another); the data keep the UTC instant.
db_test!(times_are_shown_on_the_organisations_clock, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    decide_the_rest(m).await;
    assert_eq!(m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await.status, StatusCode::CREATED);
    let issued =
        m.get("/api/v1/orgs/acme/soa/versions/1").await.json()["version"]["issued_at"].as_str().unwrap().to_string();
    assert!(issued.ends_with('Z'), "stored in UTC: {issued}");
    let t = chrono::DateTime::parse_from_rfc3339(&issued).unwrap().with_timezone(&chrono::Utc);
    let shown = |zone: chrono_tz::Tz| t.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z").to_string();
    let page = m.get("/o/acme/soa/versions/1").await.text;
    assert!(page.contains(&shown(chrono_tz::Europe::Amsterdam)), "the default clock: {page}");
    assert!(m.get("/o/acme/settings").await.text.contains("<option value=\"Europe/Amsterdam\" selected"));
    // Only the ISMS manager changes it, only to a real zone; nothing else changes.
    let events = w.s.count("audit_events").await;
    assert_eq!(
        w.contributor.post_form("/o/acme/settings/time-zone", &[("time_zone", "Europe/London")]).await.status,
        StatusCode::FORBIDDEN
    );
    let r = m.post_form("/o/acme/settings/time-zone", &[("time_zone", "Mars/Olympus")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Time zone: Choose a time zone from the list"), "the field named, the fix said");
    assert_eq!(w.s.count("audit_events").await, events);
    let r = m.post_form("/o/acme/settings/time-zone", &[("time_zone", "America/Curacao")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(w.s.count("audit_events").await, events + 1);
    let page = m.get("/o/acme/soa/versions/1").await.text;
    assert!(page.contains(&shown(chrono_tz::America::Curacao)), "the chosen clock: {page}");
    assert!(!page.contains(" CET"), "{page}");
    // Another organisation keeps its own clock.
    let other = w.outsider.get("/o/other/settings").await.text;
    assert!(other.contains("<option value=\"Europe/Amsterdam\" selected"), "{other}");
    // The stored instant did not change.
    assert_eq!(m.get("/api/v1/orgs/acme/soa/versions/1").await.json()["version"]["issued_at"], issued.as_str());
});
