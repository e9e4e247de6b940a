//! Documented information (7.5): a document's versions go draft → in review
//! → approved → published → withdrawn through the pages; each step has its
//! role and its state, a version that left the draft never changes, and
//! the text is shown as sanitised HTML.

use crate::common::*;

const DOCS: &str = "/api/v1/orgs/acme/documents";

async fn document(w: &World, code: &str, doc_type: &str, owner: Option<&str>) -> String {
    let mut body = json!({ "code": code, "title": format!("{code} title"), "doc_type": doc_type,
        "classification": "internal", "review_interval": "12" });
    if let Some(o) = owner {
        body["owner_id"] = json!(o);
    }
    let r = w.manager.json(Method::POST, DOCS, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

fn page(id: &str) -> String {
    format!("/o/acme/support/documents/{id}")
}

/// The state of version `n` as its page shows it.
async fn state_of(c: &Client, id: &str, n: i64) -> String {
    let r = c.get(&format!("{}/versions/{n}", page(id))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.text.split("class=\"badge state-").nth(1).unwrap().split('"').next().unwrap().to_string()
}

db_test!(a_policy_is_reviewed_approved_by_top_management_and_published, |s| {
    let w = World::new(s).await;
    let contributor = w.user_id("contributor@acme.test").await;
    let auditor = w.user_id("auditor@acme.test").await;
    let id = document(&w, "POL-001", "policy", None).await;
    let p = page(&id);
    let v1 = format!("{p}/versions/1");
    let events = w.s.count("audit_events").await;

    // A new draft, written with a preview, then saved.
    let r = w.manager.post_form(&format!("{p}/versions"), &[]).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, format!("{v1}/edit")));
    let text = "# Informatiebeveiligingsbeleid\n\nDe directie **onderschrijft** dit beleid.\n\n<script>alert(1)</script>\n[klik](javascript:alert(1))\n";
    let r = w
        .manager
        .post_form(&format!("{v1}/edit"), &[("content", text), ("change_note", "Eerste versie"), ("go", "preview")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let preview = r.text.split("id=\"preview\"").nth(1).expect("a preview section");
    assert!(
        preview.contains("<h1>Informatiebeveiligingsbeleid</h1>") && preview.contains("<strong>onderschrijft</strong>"),
        "{preview}"
    );
    assert!(!preview.contains("<script") && !preview.contains("javascript:"), "the preview is sanitised: {preview}");
    // The editor keeps the text as typed (escaped), so nothing is lost.
    assert!(r.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{}", r.text);
    assert_eq!(w.s.count("audit_events").await, events + 1, "a preview saves nothing");
    let r = w
        .manager
        .post_form(&format!("{v1}/edit"), &[("content", text), ("change_note", "Eerste versie"), ("go", "save")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(state_of(&w.manager, &id, 1).await, "draft");
    // A second draft while one is open: refused.
    assert_eq!(w.manager.post_form(&format!("{p}/versions"), &[]).await.status, StatusCode::CONFLICT);

    // Only who may edit the document writes; top management does not.
    let r = w.top.post_form(&format!("{v1}/edit"), &[("content", "x"), ("go", "save")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Sent for review to the contributor and the auditor.
    let r = w.manager.post_form(&format!("{v1}/submit"), &[("reviewers", &contributor), ("reviewers", &auditor)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(state_of(&w.manager, &id, 1).await, "in_review");
    // In review, the text is frozen.
    let r = w.manager.post_form(&format!("{v1}/edit"), &[("content", "changed"), ("go", "save")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(w.manager.get(&format!("{v1}/edit")).await.status, StatusCode::CONFLICT);

    // Approval waits for the reviewers; only a named reviewer reviews.
    let r = w.top.post_form(&format!("{v1}/approve"), &[("comment", "")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("every reviewer"), "{}", r.text);
    let r = w.viewer.post_form(&format!("{v1}/review"), &[("decision", "approve")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.top.post_form(&format!("{v1}/review"), &[("decision", "approve")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "top management is not a named reviewer");
    // Sending back needs a reason; then it is a draft again and the reviews start over.
    let r = w.auditor.post_form(&format!("{v1}/review"), &[("decision", "return"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Say why it goes back"), "{}", r.text);
    let r = w
        .auditor
        .post_form(&format!("{v1}/review"), &[("decision", "return"), ("reason", "Noem de meldplicht datalekken.")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(state_of(&w.manager, &id, 1).await, "draft");
    let fixed = format!("{text}\nDatalekken melden we binnen 72 uur.\n");
    let r = w
        .manager
        .post_form(&format!("{v1}/edit"), &[("content", &fixed), ("change_note", "Meldplicht"), ("go", "save")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w.manager.post_form(&format!("{v1}/submit"), &[("reviewers", &contributor), ("reviewers", &auditor)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for c in [&w.contributor, &w.auditor] {
        let r = c.post_form(&format!("{v1}/review"), &[("decision", "approve"), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
    // Reviewing twice: not a pending reviewer any more.
    assert_eq!(
        w.auditor.post_form(&format!("{v1}/review"), &[("decision", "approve")]).await.status,
        StatusCode::FORBIDDEN
    );

    // The policy is approved by top management, not by the ISMS manager.
    assert_eq!(w.manager.post_form(&format!("{v1}/approve"), &[("comment", "")]).await.status, StatusCode::FORBIDDEN);
    let r = w.top.post_form(&format!("{v1}/approve"), &[("comment", "Vastgesteld in het MT-overleg")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(state_of(&w.manager, &id, 1).await, "approved");
    assert_eq!(w.top.post_form(&format!("{v1}/approve"), &[("comment", "")]).await.status, StatusCode::CONFLICT);
    // Published by the ISMS manager.
    assert_eq!(w.top.post_form(&format!("{v1}/publish"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.manager.post_form(&format!("{v1}/publish"), &[]).await.status, StatusCode::SEE_OTHER);
    let shown = w.viewer.get(&v1).await;
    assert_eq!(
        shown.status,
        StatusCode::FORBIDDEN,
        "viewers read published documents once acknowledgement is built; not the register"
    );
    let shown = w.auditor.get(&v1).await.text;
    assert!(shown.contains("Datalekken melden we binnen 72 uur.") && !shown.contains("<script>alert"), "{shown}");
    assert!(
        shown.contains("Vastgesteld in het MT-overleg") && shown.contains("Noem de meldplicht datalekken."),
        "{shown}"
    );
    let doc = w.manager.get(&p).await.text;
    assert!(doc.contains("In force") && doc.contains("Version 1"), "{doc}");

    // A change starts a new draft from the published text; publishing it withdraws version 1.
    let r = w.manager.post_form(&format!("{p}/versions"), &[]).await;
    assert_eq!(r.location(), format!("{p}/versions/2/edit"));
    let edit = w.manager.get(&format!("{p}/versions/2/edit")).await.text;
    assert!(edit.contains("Datalekken melden we binnen 72 uur."), "the draft starts from the text before");
    let v2 = format!("{p}/versions/2");
    assert_eq!(w.manager.post_form(&format!("{v2}/submit"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(w.top.post_form(&format!("{v2}/approve"), &[("comment", "")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(w.manager.post_form(&format!("{v2}/publish"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(state_of(&w.manager, &id, 1).await, "withdrawn");
    assert_eq!(state_of(&w.manager, &id, 2).await, "published");
    // A published version never changes, on any route.
    assert_eq!(
        w.manager.post_form(&format!("{v2}/edit"), &[("content", "x"), ("go", "save")]).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(w.manager.post_form(&format!("{v2}/submit"), &[]).await.status, StatusCode::CONFLICT);
    assert_eq!(w.top.post_form(&format!("{v2}/approve"), &[("comment", "")]).await.status, StatusCode::CONFLICT);
    // Withdrawn by the ISMS manager only.
    assert_eq!(w.contributor.post_form(&format!("{v2}/withdraw"), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.manager.post_form(&format!("{v2}/withdraw"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(state_of(&w.manager, &id, 2).await, "withdrawn");
    // Every step is in the audit trail, and another organisation sees nothing.
    let history = w.manager.get(&v1).await.text;
    for step in ["sent for review", "reviewed", "approved", "published", "withdrew"] {
        assert!(history.contains(step), "{step}: {history}");
    }
    assert_eq!(w.outsider.get(&v1).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.outsider.post_form(&format!("{p}/versions"), &[]).await.status, StatusCode::NOT_FOUND);
});

db_test!(a_procedure_is_approved_by_the_isms_manager_and_its_owner_writes_it, |s| {
    let w = World::new(s).await;
    let contributor = w.user_id("contributor@acme.test").await;
    let id = document(&w, "PRC-004", "procedure", Some(&contributor)).await;
    let p = page(&id);
    // The owner (a contributor) writes and sends it; the ISMS manager approves.
    assert_eq!(w.contributor.post_form(&format!("{p}/versions"), &[]).await.status, StatusCode::SEE_OTHER);
    let r = w
        .contributor
        .post_form(&format!("{p}/versions/1/edit"), &[("content", "## Back-up\n\nDagelijks."), ("go", "save")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(w.contributor.post_form(&format!("{p}/versions/1/submit"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.top.post_form(&format!("{p}/versions/1/approve"), &[("comment", "")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.contributor.post_form(&format!("{p}/versions/1/approve"), &[("comment", "")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.manager.post_form(&format!("{p}/versions/1/approve"), &[("comment", "")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(w.contributor.post_form(&format!("{p}/versions/1/publish"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(state_of(&w.manager, &id, 1).await, "published");
    // A reviewer must be a member who may read the registers.
    let other = document(&w, "PRC-005", "procedure", None).await;
    let q = page(&other);
    w.manager.post_form(&format!("{q}/versions"), &[]).await;
    let viewer = w.user_id("viewer@acme.test").await;
    let r = w.manager.post_form(&format!("{q}/versions/1/submit"), &[("reviewers", &viewer)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = w.manager.post_form(&format!("{q}/versions/1/submit"), &[("reviewers", "not-an-id")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(state_of(&w.manager, &other, 1).await, "draft");
    // Dutch.
    w.manager.post_form("/lang", &[("lang", "nl")]).await;
    let nl = w.manager.get(&format!("{p}/versions/1")).await.text;
    assert!(nl.contains("Gepubliceerd") && nl.contains("Versie 1"), "{nl}");
});

db_test!(the_api_takes_the_same_steps_with_the_same_rules, |s| {
    let w = World::new(s).await;
    let id = document(&w, "PRC-010", "procedure", None).await;
    let v = format!("{DOCS}/{id}/versions");
    let r = w
        .manager
        .json(Method::POST, &v, &json!({ "content": "# Patchen\n\nMaandelijks.", "change_note": "Eerste" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let made = r.json();
    assert_eq!((made["number"].as_i64(), made["state"].as_str()), (Some(1), Some("draft")));
    assert_eq!(made["may"]["edit"], true);
    // Unknown properties and a second open version are refused.
    assert_eq!(w.manager.json(Method::POST, &v, &json!({ "text": "x" })).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(w.manager.json(Method::POST, &v, &json!({})).await.status, StatusCode::CONFLICT);
    let r = w
        .manager
        .json(
            Method::PUT,
            &format!("{v}/1"),
            &json!({ "content": "# Patchen\n\nElke maand, binnen 14 dagen na uitgave." }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let auditor = w.user_id("auditor@acme.test").await;
    let r = w.manager.json(Method::POST, &format!("{v}/1/submit"), &json!({ "reviewers": [auditor] })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["reviews"][0]["decision"], "pending");
    assert_eq!(
        w.manager.json(Method::PUT, &format!("{v}/1"), &json!({ "content": "x" })).await.status,
        StatusCode::CONFLICT
    );
    let r = w.auditor.json(Method::POST, &format!("{v}/1/review"), &json!({ "decision": "maybe" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w.auditor.json(Method::POST, &format!("{v}/1/review"), &json!({ "decision": "approve" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(w.top.json(Method::POST, &format!("{v}/1/approve"), &json!({})).await.status, StatusCode::FORBIDDEN);
    let r = w.manager.json(Method::POST, &format!("{v}/1/approve"), &json!({ "comment": "Akkoord" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = w.manager.call(Method::POST, &format!("{v}/1/publish")).await;
    assert_eq!((r.status, r.json()["state"].as_str().map(str::to_string)), (StatusCode::OK, Some("published".into())));
    let list = w.auditor.get(&v).await.json();
    assert_eq!(list["items"][0]["approval_comment"], "Akkoord");
    assert_eq!(list["items"][0]["may"]["withdraw"], false);
    assert_eq!(
        w.outsider.get(&format!("/api/v1/orgs/other/documents/{id}/versions")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.manager.get(&format!("{v}/0")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.manager.get(&format!("{v}/7")).await.status, StatusCode::NOT_FOUND);
});

db_test!(changing_the_type_does_not_move_the_approval_and_a_departed_reviewer_holds_nothing_up, |s| {
    let w = World::new(s).await;
    let id = document(&w, "POL-002", "policy", None).await;
    let v = format!("{DOCS}/{id}/versions");
    assert_eq!(w.manager.json(Method::POST, &v, &json!({ "content": "Beleid" })).await.status, StatusCode::CREATED);
    // Without the text, a change empties nothing.
    let r = w.manager.json(Method::PUT, &format!("{v}/1"), &json!({ "change_note": "x" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(w.manager.get(&format!("{v}/1")).await.json()["content"], "Beleid");
    let contributor = w.user_id("contributor@acme.test").await;
    let r = w.manager.json(Method::POST, &format!("{v}/1/submit"), &json!({ "reviewers": [contributor] })).await;
    assert_eq!(r.json()["doc_type"], "policy");
    // The ISMS manager turns the policy into a procedure: still top management's to approve.
    let mut doc = w.manager.get(&format!("{DOCS}/{id}")).await.json();
    doc["doc_type"] = json!("procedure");
    let body = json!({ "code": doc["code"], "title": doc["title"], "doc_type": "procedure",
        "classification": doc["classification"], "review_interval": doc["review_interval"] });
    assert_eq!(w.manager.json(Method::PUT, &format!("{DOCS}/{id}"), &body).await.status, StatusCode::OK);
    // The reviewer leaves the organisation: approval no longer waits for them.
    w.s.exec(&format!("DELETE FROM memberships WHERE user_id = '{contributor}'")).await;
    let r = w.manager.json(Method::POST, &format!("{v}/1/approve"), &json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = w.top.json(Method::POST, &format!("{v}/1/approve"), &json!({ "comment": "Akkoord" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["state"], "approved");
});
