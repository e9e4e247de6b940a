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
    // Viewers do not read the register; they read what is in force under "Documents to read".
    assert_eq!(w.viewer.get(&v1).await.status, StatusCode::FORBIDDEN);
    let read = w.viewer.get(&format!("/o/acme/reading/{id}")).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert!(read.text.contains("Datalekken melden we binnen 72 uur.") && !read.text.contains("<script>alert"));
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

/// A document of `doc_type` and `classification` with version 1 published
/// through the API (approved by whom its type needs).
async fn published(w: &World, code: &str, doc_type: &str, classification: &str, text: &str) -> String {
    let body = json!({ "code": code, "title": format!("{code} title"), "doc_type": doc_type,
        "classification": classification, "review_interval": "12" });
    let r = w.manager.json(Method::POST, DOCS, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let v = format!("{DOCS}/{id}/versions");
    assert_eq!(w.manager.json(Method::POST, &v, &json!({ "content": text })).await.status, StatusCode::CREATED);
    if doc_type == "scope" {
        let parts = json!({ "units": ["All of Acme"], "locations": ["Amsterdam"], "processes": ["Hosting"],
            "interfaces": ["None"] });
        let r = w.manager.json(Method::PUT, &format!("{v}/1"), &json!({ "content": text, "scope": parts })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    assert_eq!(w.manager.json(Method::POST, &format!("{v}/1/submit"), &json!({})).await.status, StatusCode::OK);
    let approver = if matches!(doc_type, "policy" | "scope") { &w.top } else { &w.manager };
    let r = approver.json(Method::POST, &format!("{v}/1/approve"), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(w.manager.call(Method::POST, &format!("{v}/1/publish")).await.status, StatusCode::OK);
    id
}

/// The rate the version page shows: "3 of 6 confirmed (50 %)".
async fn rate_shown(c: &Client, id: &str, n: i64) -> String {
    let r = c.get(&format!("{}/versions/{n}", page(id))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let ack = r.text.split("id=\"acknowledgement\"").nth(1).expect("an acknowledgement section").to_string();
    ack.split("<strong>").nth(1).map(|s| s.split("</strong>").next().unwrap().to_string()).unwrap_or(ack)
}

db_test!(members_are_asked_to_read_the_policy_confirm_it_and_the_rate_counts_who_is_asked_now, |s| {
    let w = World::new(s).await;
    let id = published(&w, "POL-100", "policy", "internal", "# Beleid\n\nWe beschermen informatie.").await;
    let p = page(&id);
    let v1 = format!("{p}/versions/1");
    // Nobody is asked yet: the viewer may read it (internal) but has nothing to confirm.
    assert!(w.manager.get(&v1).await.text.contains("Nobody has been asked"));
    let list = w.viewer.get("/api/v1/orgs/acme/reading").await.json();
    assert_eq!(
        (list["items"][0]["code"].as_str(), list["items"][0]["asked"].as_bool()),
        (Some("POL-100"), Some(false))
    );
    assert_eq!(w.viewer.post_form(&format!("/o/acme/reading/{id}/1/confirm"), &[]).await.status, StatusCode::FORBIDDEN);

    // Who may not edit the document does not ask; a bad audience is refused, nothing written.
    let events = w.s.count("audit_events").await;
    assert_eq!(
        w.contributor.post_form(&format!("{v1}/ask"), &[("audience", "all")]).await.status,
        StatusCode::FORBIDDEN
    );
    let r = w.manager.post_form(&format!("{v1}/ask"), &[("audience", "people")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("at least one person"), "{}", r.text);
    let r = w.manager.post_form(&format!("{v1}/ask"), &[("audience", "people"), ("people", "nobody")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w.manager.post_form(&format!("{v1}/ask"), &[("audience", "all"), ("due_on", "31-12-2026")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.s.count("audit_events").await, events);

    // Every member is asked (six in Acme), by a date.
    let r = w.manager.post_form(&format!("{v1}/ask"), &[("audience", "all"), ("due_on", "2026-12-31")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(rate_shown(&w.manager, &id, 1).await, "0 of 6 confirmed (0 %)");
    // The viewer sees it waiting on the overview and confirms it on the reading page.
    let home = w.viewer.get("/o/acme").await.text;
    assert!(home.contains("Read and confirm POL-100 POL-100 title."), "{home}");
    let read = w.viewer.get(&format!("/o/acme/reading/{id}")).await.text;
    assert!(read.contains("We beschermen informatie.") && read.contains("I have read and understood"), "{read}");
    let r = w.viewer.post_form(&format!("/o/acme/reading/{id}/1/confirm"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!w.viewer.get("/o/acme").await.text.contains("Read and confirm POL-100"));
    // Confirming twice changes nothing.
    let events = w.s.count("audit_events").await;
    assert_eq!(w.viewer.post_form(&format!("/o/acme/reading/{id}/1/confirm"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(w.s.count("audit_events").await, events);
    // Through the API too.
    let r = w.contributor.call(Method::POST, &format!("{DOCS}/{id}/versions/1/acknowledge")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json()["confirmed_at"].is_string());
    let r = w.auditor.call(Method::POST, &format!("{DOCS}/{id}/versions/1/acknowledge")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(rate_shown(&w.manager, &id, 1).await, "3 of 6 confirmed (50 %)");
    let status = w.manager.get(&format!("{DOCS}/{id}/versions/1/acknowledgements")).await.json();
    assert_eq!((status["rate"]["asked"].as_i64(), status["rate"]["confirmed"].as_i64()), (Some(6), Some(3)));
    let waiting: Vec<&str> =
        status["waiting"].as_array().unwrap().iter().map(|p| p["label"].as_str().unwrap()).collect();
    assert_eq!(waiting.len(), 3, "{waiting:?}");
    // Someone who leaves drops out of the rate; their confirmation stays on record.
    let auditor = w.user_id("auditor@acme.test").await;
    w.s.exec(&format!("DELETE FROM memberships WHERE user_id = '{auditor}'")).await;
    assert_eq!(rate_shown(&w.manager, &id, 1).await, "2 of 5 confirmed (40 %)");
    let status = w.manager.get(&format!("{DOCS}/{id}/versions/1/acknowledgements")).await.json();
    assert_eq!(status["confirmed"].as_array().unwrap().len(), 3);
    // The history names both steps.
    let history = w.manager.get(&v1).await.text;
    assert!(history.contains("asked to read and confirm") && history.contains("confirmed having read"), "{history}");

    // Asked again, for top management only: the rate counts them alone.
    let r = w
        .manager
        .json(
            Method::PUT,
            &format!("{DOCS}/{id}/versions/1/acknowledgements"),
            &json!({ "audience": "role", "role": "top_management" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.json()["rate"]["asked"].as_i64(), r.json()["rate"]["confirmed"].as_i64()), (Some(1), Some(0)));
    let r = w.viewer.call(Method::POST, &format!("{DOCS}/{id}/versions/1/acknowledge")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no longer asked");
    let status = w.manager.get(&format!("{DOCS}/{id}/versions/1/acknowledgements")).await.json();
    assert_eq!(status["confirmed"].as_array().unwrap().len(), 3, "a confirmation given stays on record");
    assert_eq!(w.top.call(Method::POST, &format!("{DOCS}/{id}/versions/1/acknowledge")).await.status, StatusCode::OK);
    assert_eq!(rate_shown(&w.manager, &id, 1).await, "1 of 1 confirmed (100 %)");

    // A newer version in force: the old one can no longer be confirmed, the new one starts at nought.
    let v = format!("{DOCS}/{id}/versions");
    assert_eq!(w.manager.json(Method::POST, &v, &json!({})).await.status, StatusCode::CREATED);
    w.manager.json(Method::POST, &format!("{v}/2/submit"), &json!({})).await;
    w.top.json(Method::POST, &format!("{v}/2/approve"), &json!({})).await;
    assert_eq!(w.manager.call(Method::POST, &format!("{v}/2/publish")).await.status, StatusCode::OK);
    let r = w.contributor.post_form(&format!("/o/acme/reading/{id}/1/confirm"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        w.manager.json(Method::PUT, &format!("{v}/1/acknowledgements"), &json!({ "audience": "all" })).await.status,
        StatusCode::CONFLICT,
        "a withdrawn version is not sent to be read"
    );
    let r = w.manager.json(Method::PUT, &format!("{v}/2/acknowledgements"), &json!({ "audience": "everyone" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        w.manager
            .json(Method::PUT, &format!("{v}/2/acknowledgements"), &json!({ "audience": "all", "x": 1 }))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(w.outsider.get(&format!("/o/acme/reading/{id}")).await.status, StatusCode::NOT_FOUND);
    // Dutch.
    w.manager.json(Method::PUT, &format!("{v}/2/acknowledgements"), &json!({ "audience": "all" })).await;
    w.manager.post_form("/lang", &[("lang", "nl")]).await;
    assert_eq!(rate_shown(&w.manager, &id, 2).await, "0 van 5 bevestigd (0 %)");
});

db_test!(staff_read_public_and_internal_documents_and_a_confidential_one_only_when_asked, |s| {
    let w = World::new(s).await;
    let open = published(&w, "PRC-200", "procedure", "public", "Iedereen mag dit lezen.").await;
    let secret = published(&w, "PRC-201", "procedure", "confidential", "Alleen voor wie gevraagd wordt.").await;
    let list = w.viewer.get("/o/acme/reading").await.text;
    assert!(list.contains("PRC-200") && !list.contains("PRC-201"), "{list}");
    assert_eq!(w.viewer.get(&format!("/o/acme/reading/{secret}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.viewer.get(&format!("/api/v1/orgs/acme/reading/{secret}")).await.status, StatusCode::NOT_FOUND);
    // Register readers read everything in force.
    assert_eq!(w.auditor.get(&format!("/o/acme/reading/{secret}")).await.status, StatusCode::OK);
    // Asked by name, the viewer reads it and confirms it.
    let viewer = w.user_id("viewer@acme.test").await;
    let r = w
        .manager
        .post_form(&format!("{}/versions/1/ask", page(&secret)), &[("audience", "people"), ("people", &viewer)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let read = w.viewer.get(&format!("/api/v1/orgs/acme/reading/{secret}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["content"], "Alleen voor wie gevraagd wordt.");
    // Someone not named is not asked.
    assert_eq!(
        w.contributor.call(Method::POST, &format!("{DOCS}/{secret}/versions/1/acknowledge")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.viewer.call(Method::POST, &format!("{DOCS}/{secret}/versions/1/acknowledge")).await.status,
        StatusCode::OK
    );
    assert_eq!(rate_shown(&w.manager, &secret, 1).await, "1 of 1 confirmed (100 %)");
    // A draft is never shown as in force.
    assert_eq!(
        w.manager.json(Method::POST, &format!("{DOCS}/{open}/versions"), &json!({ "content": "Concept" })).await.status,
        StatusCode::CREATED
    );
    let read = w.viewer.get(&format!("/api/v1/orgs/acme/reading/{open}")).await.json();
    assert_eq!((read["number"].as_i64(), read["content"].as_str()), (Some(1), Some("Iedereen mag dit lezen.")));
});

db_test!(a_document_past_its_review_date_is_flagged_and_waits_for_its_owner, |s| {
    let w = World::new(s).await;
    let contributor = w.user_id("contributor@acme.test").await;
    let body = json!({ "code": "PRC-300", "title": "Back-up", "doc_type": "procedure", "owner_id": contributor,
        "classification": "internal", "review_interval": "12", "next_review": "2020-01-31" });
    let r = w.manager.json(Method::POST, DOCS, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let body = json!({ "code": "PRC-301", "title": "Toegang", "doc_type": "procedure",
        "classification": "internal", "review_interval": "12", "next_review": "2999-01-31" });
    assert_eq!(w.manager.json(Method::POST, DOCS, &body).await.status, StatusCode::CREATED);
    let list = w.manager.get("/o/acme/support/documents").await.text;
    assert_eq!(list.matches("class=\"badge warn\">Overdue").count(), 1, "{list}");
    assert!(w.manager.get(&page(&id)).await.text.contains("Overdue"));
    // The owner and the ISMS manager see it waiting; the auditor does not.
    assert!(w.contributor.get("/o/acme").await.text.contains("1 document is past its review date."));
    assert!(w.manager.get("/o/acme").await.text.contains("1 document is past its review date."));
    assert!(!w.auditor.get("/o/acme").await.text.contains("past its review date"));
    // It is on the owner's task list, and only theirs.
    let due = "Review PRC-300 Back-up: its review date was 2020-01-31";
    assert!(w.contributor.get("/o/acme/tasks").await.text.contains(due));
    assert!(!w.manager.get("/o/acme/tasks").await.text.contains("PRC-300"), "the ISMS manager does not own it");
    // Reviewed: a new date, and nothing waits.
    let mut doc = w.manager.get(&format!("{DOCS}/{id}")).await.json();
    doc["next_review"] = json!("2999-01-31");
    let body = json!({ "code": doc["code"], "title": doc["title"], "doc_type": doc["doc_type"], "owner_id": contributor,
        "classification": doc["classification"], "review_interval": doc["review_interval"], "next_review": "2999-01-31" });
    assert_eq!(w.contributor.json(Method::PUT, &format!("{DOCS}/{id}"), &body).await.status, StatusCode::OK);
    assert!(!w.contributor.get("/o/acme").await.text.contains("past its review date"));
    assert!(!w.contributor.get("/o/acme/tasks").await.text.contains("PRC-300"));
    assert!(!w.manager.get("/o/acme/support/documents").await.text.contains("Overdue"));
});

db_test!(reviews_and_approvals_wait_for_the_member_on_the_overview, |s| {
    let w = World::new(s).await;
    let auditor = w.user_id("auditor@acme.test").await;
    let id = document(&w, "POL-400", "policy", None).await;
    let v = format!("{DOCS}/{id}/versions");
    w.manager.json(Method::POST, &v, &json!({ "content": "Beleid" })).await;
    w.manager.json(Method::POST, &format!("{v}/1/submit"), &json!({ "reviewers": [auditor] })).await;
    assert!(w.auditor.get("/o/acme").await.text.contains("POL-400 POL-400 title, version 1, awaits your review."));
    let tasks = w.auditor.get("/o/acme/tasks").await.text;
    assert!(
        tasks.contains("id=\"document-tasks\"")
            && tasks.contains("POL-400 POL-400 title, version 1, awaits your review."),
        "{tasks}"
    );
    assert!(!w.top.get("/o/acme").await.text.contains("POL-400"), "approval waits for the reviewer");
    w.auditor.json(Method::POST, &format!("{v}/1/review"), &json!({ "decision": "approve" })).await;
    assert!(!w.auditor.get("/o/acme").await.text.contains("POL-400"));
    assert!(w.top.get("/o/acme").await.text.contains("POL-400 POL-400 title, version 1, awaits your approval."));
    assert!(!w.manager.get("/o/acme").await.text.contains("awaits your approval"), "a policy is top management's");
});

db_test!(documents_made_from_templates_hold_what_borgen_knows_and_the_soa_names_the_scope_in_force, |s| {
    let w = World::new(s).await;
    let templates = "/api/v1/orgs/acme/document-templates";
    let list = w.viewer.get(templates).await.json();
    let kinds: Vec<&str> = list["items"].as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "scope",
            "policy",
            "risk_method",
            "soa_intro",
            "objectives",
            "competence",
            "audit_programme",
            "management_review",
            "nonconformity"
        ]
    );
    // Before a scope is in force the SoA says so, and so does a policy made now.
    assert!(w.manager.get("/o/acme/soa/print").await.text.contains("No scope statement is in force yet"));
    let body = |code: &str| {
        json!({ "code": code, "title": format!("{code} from a template"),
        "classification": "internal", "review_interval": "12", "lang": "en" })
    };
    let r = w.manager.json(Method::POST, &format!("{templates}/policy"), &body("POL-010")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let text = r.json()["version"]["content"].as_str().unwrap().to_string();
    assert_eq!(r.json()["document"]["doc_type"], "policy", "the template's type");
    assert!(text.contains("Acme B.V.") && text.contains("No scope statement has been approved"), "{text}");
    assert!(!text.contains("{{"), "every placeholder filled: {text}");
    // The risk method carries the methodology's scales and levels, in Dutch when asked.
    let mut nl = body("PRC-RISK");
    nl["lang"] = json!("nl");
    let r = w.manager.json(Method::POST, &format!("{templates}/risk_method"), &nl).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let text = r.json()["version"]["content"].as_str().unwrap().to_string();
    let method = w.manager.get("/api/v1/orgs/acme/risk-methodology").await.json();
    let rare = method["methodology"]["likelihood"][0]["label"]["nl"].as_str().unwrap().to_string();
    assert!(text.contains(&format!("| 1 | {rare} |")), "the likelihood scale as a table: {text}");
    assert!(text.contains("| 5 |") && !text.contains("{{"), "{text}");
    // Refused: an unknown template, a viewer, a bad language, a missing code — nothing written.
    let docs = w.s.count("documents").await;
    assert_eq!(
        w.manager.json(Method::POST, &format!("{templates}/nonsense"), &body("X-1")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.viewer.json(Method::POST, &format!("{templates}/policy"), &body("X-2")).await.status,
        StatusCode::FORBIDDEN
    );
    let mut bad = body("X-3");
    bad["lang"] = json!("fr");
    assert_eq!(
        w.manager.json(Method::POST, &format!("{templates}/policy"), &bad).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = w
        .manager
        .json(Method::POST, &format!("{templates}/policy"), &json!({ "title": "No code", "lang": "en" }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(w.s.count("documents").await, docs);
    // A scope approved by top management and published is named on the SoA, its text with it,
    // and filled into the policy made after it.
    published(&w, "ISMS-001", "scope", "internal", "# Scope\n\nThe ISMS covers the hosting of Acme Cloud.").await;
    let print = w.manager.get("/o/acme/soa/print").await.text;
    assert!(print.contains("ISMS-001") && print.contains("version 1"), "{print}");
    assert!(print.contains("The ISMS covers the hosting of Acme Cloud."), "{print}");
    let r = w.manager.json(Method::POST, &format!("{templates}/policy"), &body("POL-011")).await;
    let text = r.json()["version"]["content"].as_str().unwrap().to_string();
    assert!(text.contains("The ISMS covers the hosting of Acme Cloud."), "{text}");
    // Through the page: the templates are listed and one makes a document and its draft.
    let page = w.manager.get("/o/acme/support/documents/templates").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Management review minutes"), "{}", page.text);
    let form = [
        ("code", "REC-MR"),
        ("title", "Management review 2026"),
        ("classification", "confidential"),
        ("lang", "nl"),
        ("review_interval", "12"),
    ];
    let r = w.manager.post_form("/o/acme/support/documents/templates/management_review", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let edit = r.location();
    assert!(edit.ends_with("/versions/1/edit"), "{edit}");
    assert!(w.manager.get(&edit).await.text.contains("Verslag directiebeoordeling"), "the Dutch text in the editor");
    let r = w.manager.post_form("/o/acme/support/documents/templates/management_review", &form[1..]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"template-management_review\" open"), "the form again, open, with its error");
    assert_eq!(w.viewer.get("/o/acme/support/documents/templates").await.status, StatusCode::FORBIDDEN);
});

db_test!(the_changes_between_two_versions_are_shown_line_by_line, |s| {
    let w = World::new(s).await;
    let v1 = "# Back-up\n\n- Daily backup, kept 30 days.\n- Weekly offline copy.\n- Quarterly restore test.\n";
    let id = published(&w, "PRC-010", "procedure", "internal", v1).await;
    let first = w.auditor.get(&format!("{DOCS}/{id}/diff")).await.json();
    assert_eq!((first["from"].as_i64(), first["to"].as_i64(), first["added"].as_i64()), (Some(1), Some(1), Some(0)));
    let v = format!("{DOCS}/{id}/versions");
    let v2 = "# Back-up\n\n- Daily backup, kept 60 days.\n- Weekly offline copy.\n- Quarterly restore test.\n- Yearly test of the whole site.\n";
    assert_eq!(w.manager.json(Method::POST, &v, &json!({ "content": v2 })).await.status, StatusCode::CREATED);
    // The API: one line changed (removed and added), one added, with numbers in each version.
    // The auditor reads the versions; staff read only what is in force.
    assert_eq!(w.viewer.get(&format!("{DOCS}/{id}/diff")).await.status, StatusCode::FORBIDDEN);
    let d = w.auditor.get(&format!("{DOCS}/{id}/diff")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    let d = d.json();
    assert_eq!((d["from"].as_i64(), d["to"].as_i64()), (Some(1), Some(2)), "the newest against the one before");
    assert_eq!((d["added"].as_i64(), d["removed"].as_i64()), (Some(2), Some(1)), "{d}");
    let lines = d["hunks"][0]["lines"].as_array().unwrap();
    let removed = lines.iter().find(|l| l["change"] == "removed").unwrap();
    assert_eq!((removed["text"].as_str(), removed["old"].as_i64()), (Some("- Daily backup, kept 30 days."), Some(3)));
    let added: Vec<&str> =
        lines.iter().filter(|l| l["change"] == "added").map(|l| l["text"].as_str().unwrap()).collect();
    assert_eq!(added, ["- Daily backup, kept 60 days.", "- Yearly test of the whole site."]);
    // The page: removed lines struck through, added ones marked, linked from the version.
    let p = page(&id);
    assert!(w.manager.get(&format!("{p}/versions/2")).await.text.contains(&format!("{p}/diff?from=1&amp;to=2")));
    let r = w.manager.get(&format!("{p}/diff?from=1&to=2")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("Changes from version 1 to version 2") && r.text.contains("Lines added: 2 · removed: 1"),
        "{}",
        r.text
    );
    assert!(r.text.contains("<code>- Daily backup, kept 30 days.</code></del>"), "{}", r.text);
    assert!(r.text.contains("<code>- Daily backup, kept 60 days.</code></ins>"), "{}", r.text);
    // The same version twice: nothing to show; the other way round: the signs swap.
    assert!(
        w.manager.get(&format!("{p}/diff?from=2&to=2")).await.text.contains("The text of these versions is the same.")
    );
    let back = w.manager.get(&format!("{DOCS}/{id}/diff?from=2&to=1")).await.json();
    assert_eq!((back["added"].as_i64(), back["removed"].as_i64()), (Some(1), Some(2)));
    // A version it does not have, or no number: 404; another organisation's document: 404.
    for q in ["from=1&to=9", "from=0&to=1", "from=x", "to=-1"] {
        assert_eq!(w.manager.get(&format!("{DOCS}/{id}/diff?{q}")).await.status, StatusCode::NOT_FOUND, "{q}");
        assert_eq!(w.manager.get(&format!("{p}/diff?{q}")).await.status, StatusCode::NOT_FOUND, "{q}");
    }
    assert_eq!(w.outsider.get(&format!("{DOCS}/{id}/diff")).await.status, StatusCode::NOT_FOUND);
});

db_test!(a_versions_files_are_its_content_frozen_after_the_draft_and_carried_into_the_next, |s| {
    use crate::evidence::PDF;
    use reqwest::multipart::{Form, Part};
    let w = World::new(s).await;
    let id = document(&w, "PRC-010", "procedure", None).await;
    let v = format!("{DOCS}/{id}/versions");
    let r = w.manager.json(Method::POST, &v, &json!({ "content": "See the signed PDF." })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let v1 = r.json()["id"].as_str().unwrap().to_string();
    let form = || Form::new().part("file", Part::bytes(PDF.to_vec()).file_name("Back-up procedure signed.pdf"));

    // Attached to the draft through its page: back to the version, which lists it.
    let events = w.s.count("audit_events").await;
    let r = w.manager.post_multipart(&format!("/o/acme/evidence/document_version/{v1}"), form()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = w.manager.get(&r.location()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("{}/versions/1?done=attached", page(&id)));
    let shown = w.manager.get(&r.location()).await.text;
    let files = shown.split("id=\"evidence\"").nth(1).expect("a files section");
    assert!(files.contains("Files") && files.contains("Back-up procedure signed.pdf"), "{files}");
    assert_eq!(w.s.count("audit_events").await, events + 1);
    // Who may not edit the document does not attach; the outsider does not find the version.
    let r = w.auditor.post_multipart(&format!("/o/acme/evidence/document_version/{v1}"), form()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.outsider.post_multipart(&format!("/o/other/evidence/document_version/{v1}"), form()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Sent for review, its files are frozen like its text (409, nothing written).
    assert_eq!(w.manager.json(Method::POST, &format!("{v}/1/submit"), &json!({})).await.status, StatusCode::OK);
    let files = w.manager.get(&format!("/api/v1/orgs/acme/evidence/document_version/{v1}")).await.json();
    let link = files["items"][0]["id"].as_str().unwrap().to_string();
    let events = w.s.count("audit_events").await;
    let png = Form::new().part("file", Part::bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).file_name("x.png"));
    let r = w.manager.post_multipart(&format!("/o/acme/evidence/document_version/{v1}"), png).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("Only a draft can be changed"), "{}", r.text);
    let r = w.manager.call(Method::DELETE, &format!("/api/v1/orgs/acme/evidence/document_version/{v1}/{link}")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(w.s.count("audit_events").await, events);

    // Published: the viewer reads it with its file and downloads it.
    assert_eq!(w.manager.json(Method::POST, &format!("{v}/1/approve"), &json!({})).await.status, StatusCode::OK);
    assert_eq!(w.manager.call(Method::POST, &format!("{v}/1/publish")).await.status, StatusCode::OK);
    let read = w.viewer.get(&format!("/o/acme/reading/{id}")).await.text;
    assert!(read.contains("Back-up procedure signed.pdf"), "{read}");
    let r = w.viewer.get(&format!("/o/acme/evidence/download/{link}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.bytes, PDF);
    assert!(r.headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let api = w.viewer.get(&format!("/api/v1/orgs/acme/reading/{id}")).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text);
    assert_eq!(api.json()["files"][0]["name"], "Back-up procedure signed.pdf");
    // The outsider does not get it by its link or its hash.
    assert_eq!(w.outsider.get(&format!("/o/other/evidence/download/{link}")).await.status, StatusCode::NOT_FOUND);
    let hash = borgen_core::evidence::sha256_hex(PDF);
    assert_eq!(w.outsider.get(&format!("/o/other/evidence/files/{hash}")).await.status, StatusCode::NOT_FOUND);

    // The next draft starts with the files of version 1; taking one off it leaves version 1 whole.
    let r = w.manager.json(Method::POST, &v, &json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let v2 = r.json()["id"].as_str().unwrap().to_string();
    let files2 = w.manager.get(&format!("/api/v1/orgs/acme/evidence/document_version/{v2}")).await.json();
    assert_eq!(files2["items"][0]["name"], "Back-up procedure signed.pdf");
    let link2 = files2["items"][0]["id"].as_str().unwrap();
    let r = w.manager.call(Method::DELETE, &format!("/api/v1/orgs/acme/evidence/document_version/{v2}/{link2}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let files1 = w.manager.get(&format!("/api/v1/orgs/acme/evidence/document_version/{v1}")).await.json();
    assert_eq!(files1["items"].as_array().unwrap().len(), 1);
    // The evidence index names the version it is attached to.
    let index = w.manager.get("/o/acme/evidence").await.text;
    assert!(index.contains("PRC-010 PRC-010 title, v1"), "{index}");
});

db_test!(document_control_decides_who_reads_each_classification_and_who_approves_each_type, |s| {
    let w = World::new(s).await;
    let id = published(&w, "PRC-020", "procedure", "secret", "# Sleutelbeheer\n\nDe kluiscode staat hier.").await;
    let v1 = format!("{}/versions/1", page(&id));
    // By default everyone but staff reads every document.
    assert_eq!(w.auditor.get(&v1).await.status, StatusCode::OK);
    assert_eq!(w.viewer.get(&format!("/o/acme/reading/{id}")).await.status, StatusCode::NOT_FOUND);
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(crate::evidence::PDF.to_vec()).file_name("Kluiscodes.pdf"));
    let r = w.manager.post_multipart(&format!("/o/acme/evidence/document/{id}"), form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert!(w.auditor.get("/o/acme/evidence").await.text.contains("Kluiscodes.pdf"));
    let settings = w.manager.get("/o/acme/settings").await.text;
    assert!(
        settings.contains("id=\"document-rules\"") && settings.contains("value=\"secret:auditor\" checked"),
        "{settings}"
    );

    // Secret documents for the ISMS manager and top management; procedures approved by top management.
    let events = w.s.count("audit_events").await;
    let all_internal = [("read", "internal:contributor"), ("read", "internal:auditor"), ("read", "internal:viewer")];
    let mut form: Vec<(&str, &str)> = all_internal.to_vec();
    form.extend([("read", "confidential:contributor"), ("read", "confidential:auditor")]);
    form.push(("approver_procedure", "top_management"));
    assert_eq!(w.contributor.post_form("/o/acme/settings/documents", &form).await.status, StatusCode::FORBIDDEN);
    let r = w.manager.post_form("/o/acme/settings/documents", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(w.s.count("audit_events").await, events + 1);
    let trail = w.manager.get("/api/v1/orgs/acme/audit-log").await.text;
    assert!(trail.contains("document_rules") && trail.contains("top_management"), "{trail}");

    // The auditor still sees the document in the register, not its text.
    assert_eq!(w.auditor.get(&v1).await.status, StatusCode::FORBIDDEN);
    let record = w.auditor.get(&page(&id)).await;
    assert_eq!(record.status, StatusCode::OK);
    assert!(record.text.contains("Your role does not read documents of this classification"), "{}", record.text);
    assert!(!record.text.contains("kluiscode"));
    assert_eq!(w.auditor.get(&format!("{DOCS}/{id}/versions")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.auditor.get(&format!("{DOCS}/{id}/versions/1")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.auditor.get(&format!("{}/diff", page(&id))).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.top.get(&v1).await.status, StatusCode::OK);
    // Nor its files, not even their names in the evidence index.
    assert!(!w.auditor.get("/o/acme/evidence").await.text.contains("Kluiscodes.pdf"));
    assert!(w.manager.get("/o/acme/evidence").await.text.contains("Kluiscodes.pdf"));
    // Its owner reads it whatever the classification.
    let contributor = w.user_id("contributor@acme.test").await;
    let doc = w.manager.get(&format!("{DOCS}/{id}")).await.json();
    let mut body = json!({ "code": doc["code"], "title": doc["title"], "doc_type": "procedure",
        "classification": "secret", "review_interval": "12", "owner_id": contributor });
    assert_eq!(w.manager.json(Method::PUT, &format!("{DOCS}/{id}"), &body).await.status, StatusCode::OK);
    assert_eq!(w.contributor.get(&v1).await.status, StatusCode::OK);
    // Made confidential, the auditor reads it again.
    body["classification"] = json!("confidential");
    assert_eq!(w.manager.json(Method::PUT, &format!("{DOCS}/{id}"), &body).await.status, StatusCode::OK);
    assert_eq!(w.auditor.get(&v1).await.status, StatusCode::OK);

    // A procedure now waits for top management's approval.
    let other = document(&w, "PRC-021", "procedure", None).await;
    let v = format!("{DOCS}/{other}/versions");
    assert_eq!(w.manager.json(Method::POST, &v, &json!({ "content": "x" })).await.status, StatusCode::CREATED);
    assert_eq!(w.manager.json(Method::POST, &format!("{v}/1/submit"), &json!({})).await.status, StatusCode::OK);
    assert_eq!(w.manager.json(Method::POST, &format!("{v}/1/approve"), &json!({})).await.status, StatusCode::FORBIDDEN);
    assert!(w.top.get("/o/acme").await.text.contains("PRC-021"), "on top management's overview");
    let r = w.top.json(Method::POST, &format!("{v}/1/approve"), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // Refused whole: a role reading secret documents but not confidential ones, the policy given away.
    let events = w.s.count("audit_events").await;
    let mut bad: Vec<(&str, &str)> = all_internal.to_vec();
    bad.push(("read", "secret:viewer"));
    let r = w.manager.post_form("/o/acme/settings/documents", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("also reads every more open one"), "{}", r.text);
    let r = w.manager.post_form("/o/acme/settings/documents", &[("approver_policy", "isms_manager")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    w.manager.post_form("/lang", &[("lang", "nl")]).await;
    let r = w.manager.post_form("/o/acme/settings/documents", &bad).await;
    assert!(r.text.contains("leest ook elke opener classificatie"), "{}", r.text);
    assert_eq!(w.s.count("audit_events").await, events);
    assert_eq!(w.auditor.get(&v1).await.status, StatusCode::OK, "the rules stand as they were");
});

db_test!(
    the_scope_names_its_parts_each_exclusion_justified_before_review_and_the_soa_shows_the_scope_of_its_time,
    |s| {
        let w = World::new(s).await;
        let id = document(&w, "ISMS-002", "scope", None).await;
        let p = page(&id);
        let v = format!("{DOCS}/{id}/versions");
        assert_eq!(
            w.manager.json(Method::POST, &v, &json!({ "content": "# Scope\n\nAcme Cloud." })).await.status,
            StatusCode::CREATED
        );
        // Without its parts a scope does not go to review: each missing part named.
        let r = w.manager.json(Method::POST, &format!("{v}/1/submit"), &json!({})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        for part in ["organisational units", "locations", "processes", "interfaces"] {
            assert!(r.text.contains(&format!("names no {part}")), "{part}: {}", r.text);
        }
        // The editor has a field per part and rows for exclusions.
        let edit = w.manager.get(&format!("{p}/versions/1/edit")).await.text;
        assert!(edit.contains("name=\"units\"") && edit.contains("name=\"exclusion_why\""), "{edit}");
        // An exclusion without its justification is refused, nothing saved.
        let events = w.s.count("audit_events").await;
        let mut form = vec![
            ("content", "# Scope\n\nAcme Cloud."),
            ("units", "Engineering\nSupport\n"),
            ("locations", "Amsterdam office"),
            ("processes", "Hosting of Acme Cloud"),
            ("interfaces", "Data centre run by DC B.V."),
            ("exclusion_what", "Acme Retail"),
            ("exclusion_why", ""),
            ("go", "save"),
        ];
        let r = w.manager.post_form(&format!("{p}/versions/1/edit"), &form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("Every exclusion needs its justification"), "{}", r.text);
        assert!(r.text.contains("Acme Retail"), "what was typed stays in the form");
        assert_eq!(w.s.count("audit_events").await, events);
        form[6] = ("exclusion_why", "Separate company with its own ISMS");
        let r = w.manager.post_form(&format!("{p}/versions/1/edit"), &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let shown = w.manager.get(&format!("{p}/versions/1")).await.text;
        let parts = shown.split("id=\"scope-parts\"").nth(1).expect("the parts");
        assert!(parts.contains("<li>Engineering</li>") && parts.contains("<li>Support</li>"), "{parts}");
        assert!(parts.contains("Acme Retail</strong>: Separate company with its own ISMS"), "{parts}");
        let api = w.manager.get(&format!("{v}/1")).await.json();
        assert_eq!(api["scope"]["units"], json!(["Engineering", "Support"]));
        // Parts on another type of document, or malformed through the API: refused.
        let other = document(&w, "PRC-030", "procedure", None).await;
        let ov = format!("{DOCS}/{other}/versions");
        assert_eq!(w.manager.json(Method::POST, &ov, &json!({ "content": "x" })).await.status, StatusCode::CREATED);
        let r = w
            .manager
            .json(Method::PUT, &format!("{ov}/1"), &json!({ "content": "x", "scope": { "units": ["A"] } }))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let bad = json!({ "content": "x", "scope": { "exclusions": [{ "what": "B", "why": " " }] } });
        assert_eq!(w.manager.json(Method::PUT, &format!("{v}/1"), &bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad = json!({ "content": "x", "scope": { "units": ["two\nlines"] } });
        assert_eq!(w.manager.json(Method::PUT, &format!("{v}/1"), &bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Reviewed, approved by top management, published: the SoA shows its parts.
        assert_eq!(w.manager.json(Method::POST, &format!("{v}/1/submit"), &json!({})).await.status, StatusCode::OK);
        let r = w
            .manager
            .json(Method::PUT, &format!("{v}/1"), &json!({ "content": "y", "scope": { "units": ["X"] } }))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "frozen with the version");
        assert_eq!(w.top.json(Method::POST, &format!("{v}/1/approve"), &json!({})).await.status, StatusCode::OK);
        assert_eq!(w.manager.call(Method::POST, &format!("{v}/1/publish")).await.status, StatusCode::OK);
        decide_the_rest(&w.manager).await;
        let r = w.manager.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let print = w.manager.get("/o/acme/soa/print").await.text;
        let scope = print.split("id=\"scope\"").nth(1).expect("the scope on the SoA");
        assert!(scope.contains("Organisational units") && scope.contains("Amsterdam office"), "{scope}");
        assert!(scope.contains("Separate company with its own ISMS") && scope.contains("Acme Cloud."), "{scope}");
        w.auditor.post_form("/lang", &[("lang", "nl")]).await;
        let nl = w.auditor.get("/o/acme/soa/print").await.text;
        assert!(nl.contains("Organisatieonderdelen") && nl.contains("Uitsluitingen"), "{nl}");

        // Version 2 of the scope in force: the SoA version issued under version 1 still shows version 1.
        assert_eq!(w.manager.json(Method::POST, &v, &json!({})).await.status, StatusCode::CREATED);
        let carried = w.manager.get(&format!("{v}/2")).await.json();
        assert_eq!(
            carried["scope"]["units"],
            json!(["Engineering", "Support"]),
            "the draft starts from version 1's parts"
        );
        let parts2 = json!({ "units": ["Engineering"], "locations": ["Rotterdam office"], "processes": ["Hosting"],
        "interfaces": ["None"] });
        let r = w
            .manager
            .json(Method::PUT, &format!("{v}/2"), &json!({ "content": "# Scope\n\nMoved.", "scope": parts2 }))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(w.manager.json(Method::POST, &format!("{v}/2/submit"), &json!({})).await.status, StatusCode::OK);
        assert_eq!(w.top.json(Method::POST, &format!("{v}/2/approve"), &json!({})).await.status, StatusCode::OK);
        assert_eq!(w.manager.call(Method::POST, &format!("{v}/2/publish")).await.status, StatusCode::OK);
        let now = w.manager.get("/o/acme/soa/print").await.text;
        assert!(now.contains("Rotterdam office") && !now.contains("Amsterdam office"), "{now}");
        let then = w.manager.get("/o/acme/soa/print?version=1").await.text;
        assert!(then.contains("Amsterdam office") && !then.contains("Rotterdam office"), "{then}");
        let export = w.manager.get("/api/v1/orgs/acme/soa/export/md?version=1").await;
        assert_eq!(export.status, StatusCode::OK, "{}", export.text);
        assert!(export.text.contains("ISMS-002 ISMS-002 title, version 1"), "{}", export.text);
    }
);
