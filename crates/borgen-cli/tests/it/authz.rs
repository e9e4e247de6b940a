//! Authorisation for every route of the foundation: each role's allowed and
//! refused actions, and 404 for members of another organisation.

use crate::common::*;

/// Who may do what: (manager, contributor-owner, contributor-not-owner, top, auditor, viewer).
struct Expect {
    manager: bool,
    owner: bool,
    contributor: bool,
    top: bool,
    auditor: bool,
    viewer: bool,
}

const READ: Expect = Expect { manager: true, owner: true, contributor: true, top: true, auditor: true, viewer: false };
const MANAGE: Expect =
    Expect { manager: true, owner: false, contributor: false, top: false, auditor: false, viewer: false };
const EDIT_OWN: Expect =
    Expect { manager: true, owner: true, contributor: false, top: false, auditor: false, viewer: false };
const AUDIT_TRAIL: Expect =
    Expect { manager: true, owner: false, contributor: false, top: true, auditor: true, viewer: false };

/// A role's name, its client, and which column of an `Expect` applies.
type Who<'a> = (&'a str, &'a Client, fn(&Expect) -> bool);

fn allowed(status: StatusCode) -> bool {
    status.is_success() || status == StatusCode::SEE_OTHER
}

db_test!(every_role_gets_exactly_its_rights, |s| {
    let w = World::new(s).await;
    let contributor_id = w.user_id("contributor@acme.test").await;
    // A second contributor who owns nothing.
    w.s.user_with_roles("contrib2@acme.test", PW, "acme", &["contributor"]).await;
    let other_contributor = w.s.login("contrib2@acme.test", PW).await;

    let owned = w.issue("Owned by the contributor", Some(&contributor_id)).await["id"].as_str().unwrap().to_string();
    let party = w.party("Owned party", Some(&contributor_id)).await["id"].as_str().unwrap().to_string();
    let req = w
        .manager
        .json(
            Method::POST,
            &format!("/api/v1/orgs/acme/interested-parties/{party}/requirements"),
            &json!({"title": "R", "req_type": "legal"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let issue_body = json!({"title": "Changed", "kind": "internal", "category": "culture", "owner_id": contributor_id});
    let party_body = json!({"name": "Changed", "party_type": "customer", "owner_id": contributor_id});
    let req_body = json!({"title": "R2", "req_type": "contractual"});
    let new_issue = json!({"title": "New", "kind": "internal", "category": "culture"});
    let new_party = json!({"name": "New", "party_type": "customer"});

    type Call = (Method, String, Option<Value>, &'static Expect);
    let api = |m: Method, p: String, b: Option<Value>, e: &'static Expect| -> Call {
        (m, format!("/api/v1/orgs/acme{p}"), b, e)
    };
    let calls: Vec<Call> = vec![
        api(Method::GET, "/context-issues".into(), None, &READ),
        api(Method::GET, format!("/context-issues/{owned}"), None, &READ),
        api(Method::GET, format!("/context-issues/{owned}/history"), None, &READ),
        api(Method::GET, "/context-issues/export/csv".into(), None, &READ),
        api(Method::POST, "/context-issues".into(), Some(new_issue.clone()), &MANAGE),
        api(Method::PUT, format!("/context-issues/{owned}"), Some(issue_body.clone()), &EDIT_OWN),
        api(Method::POST, format!("/context-issues/{owned}/archive"), None, &MANAGE),
        api(Method::POST, format!("/context-issues/{owned}/restore"), None, &MANAGE),
        api(Method::GET, "/interested-parties".into(), None, &READ),
        api(Method::GET, format!("/interested-parties/{party}"), None, &READ),
        api(Method::GET, format!("/interested-parties/{party}/history"), None, &READ),
        api(Method::GET, "/interested-parties/export/xlsx".into(), None, &READ),
        api(Method::POST, "/interested-parties".into(), Some(new_party.clone()), &MANAGE),
        api(Method::PUT, format!("/interested-parties/{party}"), Some(party_body.clone()), &EDIT_OWN),
        api(Method::POST, format!("/interested-parties/{party}/requirements"), Some(req_body.clone()), &EDIT_OWN),
        api(Method::GET, format!("/requirements/{req}"), None, &READ),
        api(Method::PUT, format!("/requirements/{req}"), Some(req_body.clone()), &EDIT_OWN),
        api(Method::POST, format!("/requirements/{req}/archive"), None, &MANAGE),
        api(Method::POST, format!("/requirements/{req}/restore"), None, &MANAGE),
        api(Method::POST, format!("/interested-parties/{party}/archive"), None, &MANAGE),
        api(Method::POST, format!("/interested-parties/{party}/restore"), None, &MANAGE),
        api(Method::GET, "/members".into(), None, &READ),
        api(Method::GET, "/audit-log".into(), None, &AUDIT_TRAIL),
    ];
    let who: [Who; 6] = [
        ("manager", &w.manager, |e| e.manager),
        ("contributor (owner)", &w.contributor, |e| e.owner),
        ("contributor (not owner)", &other_contributor, |e| e.contributor),
        ("top management", &w.top, |e| e.top),
        ("auditor", &w.auditor, |e| e.auditor),
        ("viewer", &w.viewer, |e| e.viewer),
    ];
    for (method, path, body, expect) in &calls {
        for (name, client, pick) in &who {
            let r = match body {
                Some(b) => client.json(method.clone(), path, b).await,
                None => client.call(method.clone(), path).await,
            };
            if pick(expect) {
                assert!(allowed(r.status), "{name} should be allowed {method} {path}, got {}: {}", r.status, r.text);
            } else {
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{name} must be refused {method} {path}: {}", r.text);
            }
        }
        // A member of another organisation learns nothing: 404.
        let r = match body {
            Some(b) => w.outsider.json(method.clone(), path, b).await,
            None => w.outsider.call(method.clone(), path).await,
        };
        assert_eq!(r.status, StatusCode::NOT_FOUND, "outsider {method} {path}");
        // Nobody logged in: 401.
        let anon = w.s.client();
        let r = match body {
            Some(b) => anon.json(method.clone(), path, b).await,
            None => anon.call(method.clone(), path).await,
        };
        assert!(
            r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::FORBIDDEN,
            "anonymous {method} {path}: {}",
            r.status
        );
    }
});

db_test!(pages_follow_the_same_rules, |s| {
    let w = World::new(s).await;
    let contributor_id = w.user_id("contributor@acme.test").await;
    let owned = w.issue("Owned", Some(&contributor_id)).await["id"].as_str().unwrap().to_string();
    let other = w.issue("Not owned", None).await["id"].as_str().unwrap().to_string();
    let party = w.party("P", None).await["id"].as_str().unwrap().to_string();
    let gets: Vec<(String, &Expect)> = vec![
        ("/o/acme/context/issues".into(), &READ),
        (format!("/o/acme/context/issues/{owned}"), &READ),
        ("/o/acme/context/issues/export/xlsx".into(), &READ),
        ("/o/acme/context/issues/new".into(), &MANAGE),
        (format!("/o/acme/context/issues/{owned}/edit"), &EDIT_OWN),
        ("/o/acme/context/parties".into(), &READ),
        (format!("/o/acme/context/parties/{party}"), &READ),
        ("/o/acme/context/parties/new".into(), &MANAGE),
        ("/o/acme/audit-log".into(), &AUDIT_TRAIL),
    ];
    let who: [Who; 5] = [
        ("manager", &w.manager, |e| e.manager),
        ("contributor", &w.contributor, |e| e.owner),
        ("top management", &w.top, |e| e.top),
        ("auditor", &w.auditor, |e| e.auditor),
        ("viewer", &w.viewer, |e| e.viewer),
    ];
    for (path, expect) in &gets {
        for (name, client, pick) in &who {
            let r = client.get(path).await;
            let want = if pick(expect) { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(r.status, want, "{name} GET {path}");
        }
        assert_eq!(w.outsider.get(path).await.status, StatusCode::NOT_FOUND, "outsider GET {path}");
        let anon = w.s.client().get(path).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER, "anonymous GET {path}");
        assert!(anon.location().starts_with("/login?next="));
    }
    // Every member sees the overview, the areas and their tokens.
    for c in [&w.manager, &w.contributor, &w.top, &w.auditor, &w.viewer] {
        assert_eq!(c.get("/o/acme").await.status, StatusCode::OK);
        assert_eq!(c.get("/o/acme/area/leadership").await.status, StatusCode::OK);
        assert_eq!(c.get("/o/acme/tokens").await.status, StatusCode::OK);
    }
    // Form posts: a contributor edits what they own, not what they don't, and
    // cannot create or archive.
    let body =
        [("title", "Edited"), ("kind", "internal"), ("category", "culture"), ("owner_id", contributor_id.as_str())];
    assert_eq!(
        w.contributor.post_form(&format!("/o/acme/context/issues/{owned}"), &body).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        w.contributor.post_form(&format!("/o/acme/context/issues/{other}"), &body).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.contributor.post_form("/o/acme/context/issues", &body).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        w.contributor.post_form(&format!("/o/acme/context/issues/{owned}/archive"), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // ... nor give their issue away.
    let away = [("title", "Edited"), ("kind", "internal"), ("category", "culture")];
    assert_eq!(
        w.contributor.post_form(&format!("/o/acme/context/issues/{owned}"), &away).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.top.post_form("/o/acme/context/parties", &[("name", "x"), ("party_type", "other")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.auditor
            .post_form(
                &format!("/o/acme/context/parties/{party}/requirements"),
                &[("title", "x"), ("req_type", "legal")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.outsider.post_form("/o/acme/context/issues", &body).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.s.count("context_issues").await, 2);
});

db_test!(administration_is_for_administrators_only, |s| {
    let w = World::new(s).await;
    for path in ["/admin", "/admin/orgs/acme"] {
        assert_eq!(w.admin.get(path).await.status, StatusCode::OK, "{path}");
        assert_eq!(w.manager.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let r = w.manager.post_form("/admin/orgs", &[("name", "Sneaky"), ("slug", "sneaky")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.manager.post_form("/admin/users", &[("email", "x@y.z"), ("password", PW)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .manager
        .post_form("/admin/orgs/acme/members", &[("email", "viewer@acme.test"), ("role", "isms_manager")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The administrator creates an organisation, a user, and a membership.
    let r = w.admin.post_form("/admin/orgs", &[("name", "Beta B.V."), ("slug", "beta"), ("default_lang", "nl")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = w.admin.post_form("/admin/orgs", &[("name", "Beta again"), ("slug", "beta")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("This short name is already in use."));
    let r = w.admin.post_form("/admin/users", &[("email", "new@beta.test"), ("password", "short")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Use at least 10 characters."));
    assert_eq!(
        w.admin.post_form("/admin/users", &[("email", "new@beta.test"), ("password", PW)]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        w.admin.post_form("/admin/orgs/beta/members", &[("email", "new@beta.test"), ("role", "auditor")]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = w.admin.post_form("/admin/orgs/beta/members", &[("email", "nobody@beta.test"), ("role", "auditor")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w.admin.post_form("/admin/orgs/beta/members", &[("email", "new@beta.test"), ("role", "emperor")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let newbie = w.s.login("new@beta.test", PW).await;
    assert_eq!(newbie.get("/o/beta/context/issues").await.status, StatusCode::OK);
    // The administrator is not a member of beta and so sees none of its data.
    assert_eq!(w.admin.get("/o/beta/context/issues").await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.admin.get("/api/v1/orgs/beta/context-issues").await.status, StatusCode::NOT_FOUND);
    // Adding themselves is possible, and recorded in beta's audit log.
    assert_eq!(
        w.admin
            .post_form("/admin/orgs/beta/members", &[("email", "admin@acme.test"), ("role", "auditor")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let log = w.admin.get("/api/v1/orgs/beta/audit-log").await.json();
    let last = &log["items"][0];
    assert_eq!(last["action"], "add_member");
    assert_eq!(last["actor_label"], "Admin", "named by name");
    // Removing a role.
    let uid = newbie.get("/api/v1/me").await.json()["user"]["id"].as_str().unwrap().to_string();
    let r =
        w.admin.post_form("/admin/orgs/beta/members/remove", &[("user_id", uid.as_str()), ("role", "auditor")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(newbie.get("/o/beta/context/issues").await.status, StatusCode::NOT_FOUND);
});

db_test!(risk_management_routes_follow_the_role_table, |s| {
    let w = World::new(s).await;
    let contributor_id = w.user_id("contributor@acme.test").await;
    w.s.user_with_roles("contrib2@acme.test", PW, "acme", &["contributor"]).await;
    let other_contributor = w.s.login("contrib2@acme.test", PW).await;
    let m = &w.manager;
    let risk = m
        .json(Method::POST, "/api/v1/orgs/acme/risks", &json!({"title": "Owned risk", "owner_id": contributor_id}))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let asset = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/assets",
            &json!({"name": "Owned asset", "asset_type": "hardware", "owner_id": contributor_id}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let method = m.get("/api/v1/orgs/acme/risk-methodology").await.json()["methodology"].clone();
    let risk_body = json!({"title": "Owned risk, edited", "owner_id": contributor_id});
    let asset_body = json!({"name": "Owned asset", "asset_type": "hardware", "owner_id": contributor_id, "need_a": 2});
    let estimate = json!({"freq_min": 1, "freq_ml": 2, "freq_max": 3, "mag_min": 10, "mag_ml": 20, "mag_max": 30});

    type Call = (Method, String, Option<Value>, &'static Expect);
    let api = |m: Method, p: String, b: Option<Value>, e: &'static Expect| -> Call {
        (m, format!("/api/v1/orgs/acme{p}"), b, e)
    };
    let calls: Vec<Call> = vec![
        api(Method::GET, "/risks".into(), None, &READ),
        api(Method::GET, format!("/risks/{risk}"), None, &READ),
        api(Method::GET, format!("/risks/{risk}/history"), None, &READ),
        api(Method::GET, "/risks/heatmap".into(), None, &READ),
        api(Method::GET, "/risks/export/csv".into(), None, &READ),
        api(Method::GET, "/risks/quantitative".into(), None, &READ),
        api(Method::POST, "/risks".into(), Some(json!({"title": "New"})), &MANAGE),
        api(Method::PUT, format!("/risks/{risk}"), Some(risk_body), &EDIT_OWN),
        api(Method::PUT, format!("/risks/{risk}/estimate"), Some(estimate), &EDIT_OWN),
        api(Method::POST, format!("/risks/{risk}/tasks"), Some(json!({"title": "Do it"})), &EDIT_OWN),
        api(Method::POST, format!("/risks/{risk}/archive"), None, &MANAGE),
        api(Method::POST, format!("/risks/{risk}/restore"), None, &MANAGE),
        api(Method::GET, "/risk-methodology".into(), None, &READ),
        api(Method::PUT, "/risk-methodology".into(), Some(json!({"methodology": method})), &MANAGE),
        api(Method::GET, "/risk-methodology/rescore".into(), None, &READ),
        api(Method::POST, "/risk-methodology/rescore".into(), None, &MANAGE),
        api(Method::GET, "/risk-methodology/versions/1".into(), None, &READ),
        api(Method::GET, "/assets".into(), None, &READ),
        api(Method::GET, format!("/assets/{asset}"), None, &READ),
        api(Method::GET, "/assets/export/xlsx".into(), None, &READ),
        api(Method::POST, "/assets".into(), Some(json!({"name": "New", "asset_type": "site"})), &MANAGE),
        api(Method::PUT, format!("/assets/{asset}"), Some(asset_body), &EDIT_OWN),
        api(Method::POST, format!("/assets/{asset}/archive"), None, &MANAGE),
        api(Method::POST, format!("/assets/{asset}/restore"), None, &MANAGE),
        api(Method::GET, "/threats".into(), None, &READ),
        api(
            Method::POST,
            "/own-threats".into(),
            Some(json!({"name": "T", "group_code": "technical", "affects_a": true})),
            &MANAGE,
        ),
        api(Method::GET, "/tasks".into(), None, &READ),
        api(Method::GET, "/tasks/export/csv".into(), None, &READ),
        api(Method::GET, "/risk-runs".into(), None, &READ),
        api(Method::POST, "/risk-runs".into(), Some(json!({"title": "Run", "reason": "planned"})), &MANAGE),
        api(Method::GET, "/risk-runs/1".into(), None, &READ),
    ];
    let who: [Who; 6] = [
        ("manager", &w.manager, |e| e.manager),
        ("contributor (owner)", &w.contributor, |e| e.owner),
        ("contributor (not owner)", &other_contributor, |e| e.contributor),
        ("top management", &w.top, |e| e.top),
        ("auditor", &w.auditor, |e| e.auditor),
        ("viewer", &w.viewer, |e| e.viewer),
    ];
    for (method, path, body, expect) in &calls {
        for (name, client, pick) in &who {
            let r = match body {
                Some(b) => client.json(method.clone(), path, b).await,
                None => client.call(method.clone(), path).await,
            };
            if pick(expect) {
                assert!(allowed(r.status), "{name} should be allowed {method} {path}, got {}: {}", r.status, r.text);
            } else {
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{name} must be refused {method} {path}: {}", r.text);
            }
        }
        let r = match body {
            Some(b) => w.outsider.json(method.clone(), path, b).await,
            None => w.outsider.call(method.clone(), path).await,
        };
        assert_eq!(r.status, StatusCode::NOT_FOUND, "outsider {method} {path}");
    }
    // The pages.
    let gets: Vec<(String, &Expect)> = vec![
        ("/o/acme/risks".into(), &READ),
        ("/o/acme/risks/new".into(), &MANAGE),
        (format!("/o/acme/risks/{risk}"), &READ),
        (format!("/o/acme/risks/{risk}/edit"), &EDIT_OWN),
        ("/o/acme/risks/methodology".into(), &READ),
        ("/o/acme/risks/methodology/edit".into(), &MANAGE),
        ("/o/acme/risks/threats".into(), &READ),
        ("/o/acme/risks/treatment".into(), &READ),
        ("/o/acme/risks/runs".into(), &READ),
        ("/o/acme/risks/runs/1".into(), &READ),
        ("/o/acme/risks/quantitative".into(), &READ),
        ("/o/acme/risks/export/xlsx".into(), &READ),
        ("/o/acme/assets".into(), &READ),
        ("/o/acme/assets/new".into(), &MANAGE),
        (format!("/o/acme/assets/{asset}"), &READ),
        (format!("/o/acme/assets/{asset}/edit"), &EDIT_OWN),
    ];
    let who: [Who; 6] = [
        ("manager", &w.manager, |e| e.manager),
        ("contributor (owner)", &w.contributor, |e| e.owner),
        ("contributor (not owner)", &other_contributor, |e| e.contributor),
        ("top management", &w.top, |e| e.top),
        ("auditor", &w.auditor, |e| e.auditor),
        ("viewer", &w.viewer, |e| e.viewer),
    ];
    for (path, expect) in &gets {
        for (name, client, pick) in &who {
            let r = client.get(path).await;
            let want = if pick(expect) { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(r.status, want, "{name} GET {path}");
        }
        assert_eq!(w.outsider.get(path).await.status, StatusCode::NOT_FOUND, "outsider GET {path}");
    }
    // Everyone has a "my tasks" page, the viewer included.
    for c in [&w.manager, &w.contributor, &w.top, &w.auditor, &w.viewer] {
        assert_eq!(c.get("/o/acme/tasks").await.status, StatusCode::OK);
    }
});
