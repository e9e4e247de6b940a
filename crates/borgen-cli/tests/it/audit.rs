//! The audit trail: one event per change in the same transaction, hash-chained
//! per organisation; `borgen audit verify` finds edits and deletions.

use crate::common::*;

db_test!(every_change_appends_one_chained_event, |s| {
    let w = World::new(s).await;
    let before = w.s.count("audit_events").await;
    let issue = w.issue("Audited", None).await;
    let id = issue["id"].as_str().unwrap();
    w.manager
        .json(
            Method::PUT,
            &format!("/api/v1/orgs/acme/context-issues/{id}"),
            &json!({"title": "Audited twice", "kind": "external", "category": "legal"}),
        )
        .await;
    assert_eq!(w.s.count("audit_events").await, before + 2);
    let log = w.manager.get("/api/v1/orgs/acme/audit-log").await.json();
    let items = log["items"].as_array().unwrap();
    assert_eq!(items[0]["action"], "update");
    assert_eq!(items[1]["action"], "create");
    assert_eq!(items[0]["prev_hash"], items[1]["hash"], "each event links to the one before");
    assert_eq!(items[0]["seq"].as_i64().unwrap(), items[1]["seq"].as_i64().unwrap() + 1);
    // A refused change writes no event.
    let n = w.s.count("audit_events").await;
    w.viewer
        .json(
            Method::POST,
            "/api/v1/orgs/acme/context-issues",
            &json!({"title": "x", "kind": "internal", "category": "legal"}),
        )
        .await;
    assert_eq!(w.s.count("audit_events").await, n);
    // The other organisation has a chain of its own.
    let other = w.outsider.get("/api/v1/orgs/other/audit-log").await.json();
    assert!(other["items"].as_array().unwrap().iter().all(|e| e["entity_id"] != id));
    // The audit log page shows the change.
    let page = w.auditor.get("/o/acme/audit-log").await.text;
    assert!(page.contains("Audited twice") && page.contains("<td>manager</td>"), "the change names who made it");
});

db_test!(verify_detects_edited_and_deleted_events, |s| {
    let w = World::new(s).await;
    let a = w.issue("First", None).await;
    w.issue("Second", None).await;
    w.issue("Third", None).await;
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 0, "{out}");
    let total = w.s.count("audit_events").await;
    assert!(out.contains(&format!("{total} events")), "{out}");

    // Edit the content of an event in the middle of acme's chain.
    let aid = a["id"].as_str().unwrap();
    w.s.exec(&format!("UPDATE audit_events SET actor_label = 'someone else' WHERE entity_id = '{aid}'")).await;
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BROKEN") && out.contains("was altered"), "{out}");
    w.s.exec(&format!("UPDATE audit_events SET actor_label = 'manager' WHERE entity_id = '{aid}'")).await;
    assert_eq!(run(borgen(&w.s, &["audit", "verify"])).0, 0, "restored content verifies again");

    // Delete an event in the middle.
    w.s.exec(&format!("DELETE FROM audit_events WHERE entity_id = '{aid}'")).await;
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("is missing"), "{out}");
});

db_test!(verify_detects_removal_of_the_newest_event, |s| {
    let w = World::new(s).await;
    let last = w.issue("Last", None).await;
    let id = last["id"].as_str().unwrap();
    w.s.exec(&format!("DELETE FROM audit_events WHERE entity_id = '{id}'")).await;
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("newest events were removed"), "{out}");
});

db_test!(concurrent_changes_keep_one_unbroken_chain, |s| {
    let w = World::new(s).await;
    let before = w.s.count("audit_events").await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let c = if i % 2 == 0 { w.manager.clone() } else { w.admin.clone() };
        tasks.push(tokio::spawn(async move {
            let body = json!({"title": format!("Parallel {i}"), "kind": "internal", "category": "technology"});
            c.json(Method::POST, "/api/v1/orgs/acme/context-issues", &body).await.status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    assert_eq!(w.s.count("context_issues").await, 24);
    assert_eq!(w.s.count("audit_events").await, before + 24);
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 0, "{out}");
});

db_test!(verify_detects_a_removed_organisation_chain, |s| {
    let w = World::new(s).await;
    let org_id = w.outsider.get("/api/v1/orgs").await.json()["items"][0]["id"].as_str().unwrap().to_string();
    w.s.exec(&format!("DELETE FROM audit_events WHERE chain = '{org_id}'")).await;
    w.s.exec(&format!("DELETE FROM audit_heads WHERE chain = '{org_id}'")).await;
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("organisation other") && out.contains("missing"), "{out}");
});

#[test]
fn verify_refuses_a_data_directory_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
        .args(["audit", "verify", "--data-dir", missing.to_str().unwrap()])
        .env_remove("BORGEN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Borgen database"));
    assert!(!missing.exists(), "nothing was created");
}
