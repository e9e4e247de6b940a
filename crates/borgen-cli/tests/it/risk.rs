//! Risk management: the versioned methodology, scoring pinned to a version,
//! re-scoring, assets with inherited needs, risks with their links, the SoA's
//! "risk treatment" reason, acceptance by the criteria, tasks, authorisation.

use crate::common::*;

const RISKS: &str = "/api/v1/orgs/acme/risks";
const METHOD: &str = "/api/v1/orgs/acme/risk-methodology";

async fn risk(c: &Client, body: Value) -> Value {
    let r = c.json(Method::POST, RISKS, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

async fn asset(c: &Client, body: Value) -> Value {
    let r = c.json(Method::POST, "/api/v1/orgs/acme/assets", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

/// A 4×4 methodology: three levels, the top one reserved for top management.
fn four_by_four() -> Value {
    let lvl = |nl: &str, en: &str| json!({ "label": { "nl": nl, "en": en } });
    json!({
        "likelihood": [lvl("Zelden", "Rare"), lvl("Soms", "Sometimes"), lvl("Vaak", "Often"), lvl("Bijna zeker", "Almost certain")],
        "impact": [lvl("Klein", "Small"), lvl("Merkbaar", "Noticeable"), lvl("Groot", "Large"), lvl("Zeer groot", "Very large")],
        "areas": [{ "code": "availability", "name": { "nl": "Beschikbaarheid", "en": "Availability" } }],
        "levels": [
            { "name": { "nl": "Laag", "en": "Low" }, "colour": "#4caf50", "accept_by": "owner" },
            { "name": { "nl": "Midden", "en": "Medium" }, "colour": "#ffc107", "accept_by": "top_management" },
            { "name": { "nl": "Hoog", "en": "High" }, "colour": "#c62828", "accept_by": "nobody" }
        ],
        "matrix": [[0, 0, 1, 1], [0, 1, 1, 2], [1, 1, 2, 2], [1, 2, 2, 2]],
        "review_months": 6
    })
}

db_test!(the_methodology_is_versioned_and_risks_keep_the_version_they_used, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let r = m.get(METHOD).await.json();
    assert_eq!(r["version"], 0, "the built-in default until something is saved");
    assert_eq!(r["methodology"]["likelihood"].as_array().unwrap().len(), 5);
    // The first risk saves the default as version 1 and is scored by it.
    let r1 = risk(
        m,
        json!({"title": "Ransomware encrypts the file server", "inherent_likelihood": 4, "inherent_impact": 5,
        "treatment": "mitigate", "control_ids": "8.7, 8.13", "treatment_rationale": "Backups and malware protection",
        "residual_likelihood": 2, "residual_impact": 4}),
    )
    .await;
    assert_eq!(r1["methodology_version"], 1);
    assert_eq!(r1["number"], 1);
    assert_eq!(r1["inherent_level"], 3, "4 × 5 is 'very high' in the default matrix");
    assert_eq!(r1["residual_level"], 1);
    // A broken methodology is refused, field by field, and writes nothing.
    let events = w.s.count("audit_events").await;
    let mut bad = four_by_four();
    bad["matrix"][3][3] = json!(0);
    bad["levels"][0]["colour"] = json!("green");
    let r = m.json(Method::PUT, METHOD, &json!({ "methodology": bad })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let codes: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    assert!(codes.contains(&"error.risk_matrix_monotonic".to_string()), "{codes:?}");
    assert!(codes.contains(&"error.risk_colour".to_string()), "{codes:?}");
    assert_eq!(w.s.count("risk_methodologies").await, 1);
    assert_eq!(w.s.count("audit_events").await, events);
    // A 4×4 methodology becomes version 2; the risk keeps version 1 and its levels.
    let r = m.json(Method::PUT, METHOD, &json!({ "methodology": four_by_four(), "note": "Simpler scales" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["version"], 2);
    let again = m.json(Method::PUT, METHOD, &json!({ "methodology": four_by_four() })).await;
    assert_eq!(again.status, StatusCode::OK, "saving the same methodology makes no new version");
    // Version 2 is a draft: version 1 stays in force until top management approves it (6.1.2 a).
    assert_eq!(again.json()["in_force"], 1);
    assert_eq!(m.get(METHOD).await.json()["version"], 1);
    let page = m.get("/o/acme/risks/methodology").await.text;
    assert!(page.contains("Version 2 is a draft: it comes into force when top management approves it."), "{page}");
    let approve = w.top.json(Method::POST, &format!("{METHOD}/versions/2/approve"), &json!({})).await;
    assert_eq!(approve.status, StatusCode::OK, "{}", approve.text);
    assert_eq!(m.get(METHOD).await.json()["version"], 2);
    let id1 = r1["id"].as_str().unwrap();
    let got = m.get(&format!("{RISKS}/{id1}")).await.json();
    assert_eq!(got["methodology_version"], 1);
    assert_eq!(got["inherent_level"], 3);
    // Version 2's page says what changed from version 1; version 1 has nothing before it.
    let page = m.get("/o/acme/risks/methodology?version=2").await.text;
    let changes = page.split("id=\"changes\"").nth(1).expect("a section of changes");
    let changes = changes.split("</section>").next().unwrap();
    for (what, old, new) in [
        ("Likelihood: number of levels", "5", "4"),
        ("Impact: number of levels", "5", "4"),
        ("Number of risk levels", "4", "3"),
        ("Review interval (months)", "12", "6"),
        ("Risk level 2: who may accept", "the risk owner may accept", "only top management may accept"),
    ] {
        let row = format!("<td>{what}</td><td><del>{old}</del></td><td><ins>{new}</ins></td>");
        assert!(changes.contains(&row), "{row} in {changes}");
    }
    assert!(!m.get("/o/acme/risks/methodology?version=1").await.text.contains("id=\"changes\""));
    // The API names the same changes.
    let v2 = m.get(&format!("{METHOD}/versions/2")).await.json();
    let listed = v2["changes_from_previous"].as_array().expect("changes from version 1");
    assert!(listed.contains(&json!({"what": "Review interval (months)", "old": "12", "new": "6"})), "{listed:?}");
    assert!(m.get(&format!("{METHOD}/versions/1")).await.json().get("changes_from_previous").is_none());
    // Version 1 stays readable as it was.
    let v1 = m.get(&format!("{METHOD}/versions/1")).await.json();
    assert_eq!(v1["methodology"]["impact"].as_array().unwrap().len(), 5);
    // A new risk is scored with version 2; a 5 is off its scale.
    let r = m
        .json(Method::POST, RISKS, &json!({"title": "Laptop lost", "inherent_likelihood": 5, "inherent_impact": 1}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.risk_score_range");
    let r2 = risk(m, json!({"title": "Laptop lost", "inherent_likelihood": 3, "inherent_impact": 2})).await;
    assert_eq!(r2["methodology_version"], 2);
    assert_eq!(r2["inherent_level"], 1);
    // The heat maps have version 2's scales: risk 1 (version 1) is counted
    // apart instead of drawn in a cell that means something else now.
    let heat = m.get(&format!("{RISKS}/heatmap")).await.json();
    assert_eq!(heat["earlier_versions"], 1);
    assert_eq!(heat["cells"], json!([{"likelihood": 3, "impact": 2, "count": 1, "level": 1}]));
    // The counts follow every change at once (they are reused only while nothing changed).
    let id2 = r2["id"].as_str().unwrap();
    assert_eq!(m.call(Method::POST, &format!("{RISKS}/{id2}/archive")).await.status, StatusCode::OK);
    assert_eq!(m.get(&format!("{RISKS}/heatmap")).await.json()["cells"], json!([]));
    assert_eq!(m.call(Method::POST, &format!("{RISKS}/{id2}/restore")).await.status, StatusCode::OK);
    assert_eq!(m.get(&format!("{RISKS}/heatmap")).await.json()["cells"].as_array().unwrap().len(), 1);
    let page = m.get("/o/acme/risks").await;
    assert!(page.text.contains("1 risk is still scored with an earlier methodology version"), "{}", page.text);
    // A run taken now says which of its risks were scored with an earlier version.
    let run =
        m.json(Method::POST, "/api/v1/orgs/acme/risk-runs", &json!({"title": "Mixed", "reason": "planned"})).await;
    assert_eq!(run.status, StatusCode::CREATED, "{}", run.text);
    let n = run.json()["run"]["number"].as_i64().unwrap();
    let run_page = m.get(&format!("/o/acme/risks/runs/{n}")).await.text;
    assert!(
        run_page.contains("1 risk in this run was scored with an earlier methodology version than version 2"),
        "{run_page}"
    );
    // Level numbers are compared on the version in force: level 1 is risk 2 only
    // (risk 1's residual level is also 1, but on version 1's scale).
    let by_level = m.get(&format!("{RISKS}?level=1")).await.json();
    let titles: Vec<&str> =
        by_level["items"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Laptop lost"]);
    // Re-scoring shows what would change: risk 1 does not fit the 4×4 scales.
    let plan = m.get(&format!("{METHOD}/rescore")).await.json();
    assert_eq!(plan["items"].as_array().unwrap().len(), 1);
    assert_eq!(plan["items"][0]["out_of_scale"], true);
    assert_eq!(m.call(Method::POST, &format!("{METHOD}/rescore")).await.json()["rescored"], 0);
    // Back to 5×5 with a stricter matrix (version 3): risk 1 re-scores.
    let mut strict = m.get(&format!("{METHOD}/versions/1")).await.json()["methodology"].clone();
    strict["matrix"][1][3] = json!(2);
    let r = m.json(Method::PUT, METHOD, &json!({ "methodology": strict })).await;
    assert_eq!(r.json()["version"], 3);
    assert_eq!(m.get(&format!("{METHOD}/rescore")).await.json()["version"], 2, "nothing moves to a draft");
    let approve = w.top.json(Method::POST, &format!("{METHOD}/versions/3/approve"), &json!({})).await;
    assert_eq!(approve.status, StatusCode::OK, "{}", approve.text);
    let plan = m.get(&format!("{METHOD}/rescore")).await.json();
    let item = plan["items"].as_array().unwrap().iter().find(|i| i["risk_id"] == r1["id"]).cloned().unwrap();
    assert_eq!(item["out_of_scale"], false);
    assert_eq!(item["residual"], json!([1, 2]), "residual 2 × 4 moves from medium to high");
    assert_eq!(w.auditor.call(Method::POST, &format!("{METHOD}/rescore")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(plan["items"].as_array().unwrap().len(), 2, "risk 2 (3 × 2) fits the 5×5 scales too");
    let n = m.call(Method::POST, &format!("{METHOD}/rescore")).await.json()["rescored"].clone();
    assert_eq!(n, 2);
    let got = m.get(&format!("{RISKS}/{id1}")).await.json();
    assert_eq!(got["methodology_version"], 3);
    assert_eq!(got["residual_level"], 2);
    // The page shows the version in force, the matrix and the history.
    let page = m.get("/o/acme/risks/methodology").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Version 3"), "{}", page.text);
    assert!(page.text.contains("Simpler scales"));
});

db_test!(acceptance_follows_the_criteria_and_is_never_edited, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let contributor = w.user_id("contributor@acme.test").await;
    let r = risk(
        m,
        json!({"title": "Supplier goes bankrupt", "owner_id": contributor, "inherent_likelihood": 2,
        "inherent_impact": 4, "treatment": "accept", "treatment_rationale": "Alternative suppliers exist",
        "residual_likelihood": 2, "residual_impact": 4}),
    )
    .await;
    let id = r["id"].as_str().unwrap().to_string();
    let accept = format!("{RISKS}/{id}/accept");
    // Medium: the owner may accept; the ISMS manager (not the owner) may not.
    let no = m.json(Method::POST, &accept, &json!({})).await;
    assert_eq!(no.status, StatusCode::CONFLICT);
    assert_eq!(no.json()["error"]["code"], "error.risk_accept_owner");
    assert_eq!(w.viewer.json(Method::POST, &accept, &json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.outsider.json(Method::POST, &accept, &json!({})).await.status, StatusCode::NOT_FOUND);
    let ok = w.contributor.json(Method::POST, &accept, &json!({"comment": "Known and acceptable"})).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    let a = ok.json();
    assert_eq!(a["accepted_as"], "owner");
    assert_eq!(a["basis"]["methodology_version"], 1);
    assert_eq!(a["basis"]["level"], 1);
    let twice = w.contributor.json(Method::POST, &accept, &json!({})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.json()["error"]["code"], "error.risk_already_accepted");
    // No route changes or removes an acceptance.
    for method in [Method::PUT, Method::PATCH, Method::DELETE] {
        assert_eq!(m.json(method, &accept, &json!({})).await.status, StatusCode::METHOD_NOT_ALLOWED);
    }
    let detail = m.get(&format!("{RISKS}/{id}")).await.json();
    assert_eq!(detail["acceptance_outdated"], false);
    // Changing the scores makes the acceptance outdated, visibly.
    let mut body = json!({"title": "Supplier goes bankrupt", "owner_id": contributor, "inherent_likelihood": 3,
        "inherent_impact": 4, "treatment": "accept", "treatment_rationale": "Alternative suppliers exist",
        "residual_likelihood": 3, "residual_impact": 4});
    let r = m.json(Method::PUT, &format!("{RISKS}/{id}"), &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let detail = m.get(&format!("{RISKS}/{id}")).await.json();
    assert_eq!(detail["acceptance_outdated"], true);
    assert_eq!(detail["acceptances"].as_array().unwrap().len(), 1, "the old acceptance stays as it was");
    let page = m.get(&format!("/o/acme/risks/{id}")).await;
    assert!(page.text.contains("the acceptance is outdated"), "{}", page.text);
    // High (3 × 4 = 12): above what an owner may accept; top management may.
    let no = w.contributor.json(Method::POST, &accept, &json!({})).await;
    assert_eq!(no.json()["error"]["code"], "error.risk_accept_top_management");
    let page = w.contributor.get(&format!("/o/acme/risks/{id}")).await;
    assert!(page.text.contains("the acceptance criteria reserve it for top management"), "the interface says why");
    let ok = w.top.json(Method::POST, &accept, &json!({"comment": "Approved by the board"})).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    assert_eq!(ok.json()["accepted_as"], "top_management");
    // An auditor or a viewer cannot be named as owner: they may not accept,
    // and owning a risk would break an auditor's independence.
    for who in ["auditor@acme.test", "viewer@acme.test"] {
        let id = w.user_id(who).await;
        let events = w.s.count("audit_events").await;
        let r = m
            .json(
                Method::POST,
                RISKS,
                &json!({"title": "Owned by the wrong person", "owner_id": id, "inherent_likelihood": 1,
                "inherent_impact": 1, "treatment": "accept", "treatment_rationale": "Small"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{who}");
        assert_eq!(r.json()["error"]["fields"][0]["code"], "error.risk_owner_role");
        assert_eq!(w.s.count("audit_events").await, events);
    }
    // An assessed risk concerns an asset, or says why none; refused next to the field, nothing written.
    let events = w.s.count("audit_events").await;
    let mut assessed = json!({"title": "Nobody knows who decides", "owner_id": contributor, "inherent_likelihood": 3,
        "inherent_impact": 3, "affects_i": true, "treatment": "accept", "treatment_rationale": "Small",
        "status": "assessed"});
    let r = m.json(Method::POST, RISKS, &assessed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "asset_ids");
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.risk_assessed_needs_asset");
    assert_eq!(w.s.count("audit_events").await, events);
    assessed["no_asset_reason"] = json!("Organisation-wide: it concerns every process.");
    let made = risk(m, assessed).await;
    assert_eq!(made["no_asset_reason"], "Organisation-wide: it concerns every process.");
    let page = m.get(&format!("/o/acme/risks/{}", made["id"].as_str().unwrap())).await.text;
    assert!(page.contains("None: Organisation-wide: it concerns every process."), "{page}");
    // The form offers only who may own a risk.
    let form = m.get("/o/acme/risks/new").await.text;
    assert!(form.contains("contributor@acme.test") && !form.contains("auditor@acme.test"), "{form}");
    risk(
        m,
        json!({"title": "Never accepted", "owner_id": contributor, "inherent_likelihood": 1,
        "inherent_impact": 1, "treatment": "accept", "treatment_rationale": "Small"}),
    )
    .await;
    // Very high: nobody may accept.
    body["residual_likelihood"] = json!(5);
    body["residual_impact"] = json!(5);
    body["inherent_likelihood"] = json!(5);
    body["inherent_impact"] = json!(5);
    m.json(Method::PUT, &format!("{RISKS}/{id}"), &body).await;
    let no = w.top.json(Method::POST, &accept, &json!({})).await;
    assert_eq!(no.json()["error"]["code"], "error.risk_accept_nobody");
    assert_eq!(w.s.count("risk_acceptances").await, 2);
    // The list marks outdated and missing acceptances and filters on them.
    // "Not accepted": never accepted, or accepted on a basis that has changed since.
    let unaccepted = m.get(&format!("{RISKS}?unaccepted=1&sort=number")).await.json();
    let titles: Vec<&str> =
        unaccepted["items"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Supplier goes bankrupt", "Nobody knows who decides", "Never accepted"]);
    assert_eq!(unaccepted["total"], 3);
    let html = m.get("/o/acme/risks").await;
    assert!(html.text.contains("acceptance outdated"), "{}", html.text);
});

db_test!(risk_treatment_gives_the_soa_its_reason_and_its_rule, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let r = risk(
        m,
        json!({"title": "Phishing leads to account takeover", "threat": "phishing", "affects_c": true,
        "inherent_likelihood": 4, "inherent_impact": 4, "treatment": "mitigate", "control_ids": "5.15, 8.5"}),
    )
    .await;
    let id = r["id"].as_str().unwrap().to_string();
    let row = m.get("/api/v1/orgs/acme/soa/rows/8.5").await.json();
    assert_eq!(row["derived_reasons"], json!(["risk_treatment"]));
    assert_eq!(row["risks"][0], "R-001 Phishing leads to account takeover");
    // Included because of the risk, no other reason needed.
    let r = m.json(Method::PUT, "/api/v1/orgs/acme/soa/rows/8.5", &json!({"applicable": "yes"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["reasons"], json!(["risk_treatment"]));
    // A control that treats a risk cannot be excluded.
    let r = m
        .json(
            Method::PUT,
            "/api/v1/orgs/acme/soa/rows/5.15",
            &json!({"applicable": "no", "exclusion_justification": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.soa_treats_risk");
    // And a risk cannot plan a control the SoA excludes.
    m.json(
        Method::PUT,
        "/api/v1/orgs/acme/soa/rows/7.6",
        &json!({"applicable": "no", "exclusion_justification": "No secure areas"}),
    )
    .await;
    let r =
        m.json(Method::POST, RISKS, &json!({"title": "Break-in", "treatment": "mitigate", "control_ids": "7.6"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.risk_control_excluded");
    // Through an applied control too.
    let ac = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/applied-controls",
            &json!({"name": "MFA everywhere", "status": "planned", "control_ids": "8.2"}),
        )
        .await
        .json();
    let body = json!({"title": "Phishing leads to account takeover", "threat": "phishing", "affects_c": true,
        "inherent_likelihood": 4, "inherent_impact": 4, "treatment": "mitigate", "control_ids": "5.15, 8.5",
        "applied_control_ids": [ac["id"]]});
    let r = m.json(Method::PUT, &format!("{RISKS}/{id}"), &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(m.get("/api/v1/orgs/acme/soa/rows/8.2").await.json()["derived_reasons"], json!(["risk_treatment"]));
    // The applied control's page lists the risks it treats, and only those.
    let page = m.get(&format!("/o/acme/soa/applied/{}", ac["id"].as_str().unwrap())).await.text;
    let section = page.split("id=\"risks\"").nth(1).expect("a section of risks");
    assert!(section.contains("Phishing leads to account takeover") && section.contains(&format!("/o/acme/risks/{id}")));
    assert_eq!(section.matches("/o/acme/risks/").count(), 1, "{section}");
    // The risk list filters the same way, by applied control and by threat.
    let by = |q: String| async move { m.get(&format!("{RISKS}?{q}")).await };
    let v = by(format!("applied_control={}", ac["id"].as_str().unwrap())).await.json();
    assert_eq!((v["total"].as_i64(), v["items"][0]["id"].as_str()), (Some(1), Some(id.as_str())), "{v}");
    assert_eq!(by("threat=phishing".into()).await.json()["total"], 1);
    assert_eq!(by("applied_control=01a232ee-0000-7000-8000-000000000000".into()).await.json()["total"], 0);
    for bad in ["threat=meteor_strike", "applied_control=nonsense"] {
        assert_eq!(by(bad.into()).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // An applied control that implements an excluded control cannot be planned either.
    let excl = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/applied-controls",
            &json!({"name": "Badge readers", "status": "planned", "control_ids": "7.6"}),
        )
        .await
        .json();
    let r = m
        .json(
            Method::POST,
            RISKS,
            &json!({"title": "Tailgating", "treatment": "mitigate", "applied_control_ids": [excl["id"]]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.risk_control_excluded");
    // Archiving the risk removes the reason.
    m.call(Method::POST, &format!("{RISKS}/{id}/archive")).await;
    assert_eq!(m.get("/api/v1/orgs/acme/soa/rows/8.2").await.json()["derived_reasons"], json!([]));
    // The SoA page shows where the reason comes from.
    m.call(Method::POST, &format!("{RISKS}/{id}/restore")).await;
    let page = m.get("/o/acme/soa/8.5").await;
    assert!(page.text.contains("R-001"), "{}", page.text);
});

db_test!(assets_inherit_needs_and_refuse_loops_and_foreign_links, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let data = asset(
        m,
        json!({"name": "Customer database", "asset_type": "information", "classification": "confidential",
        "need_c": 4, "need_i": 3, "need_a": 2}),
    )
    .await;
    let app = asset(m, json!({"name": "CRM", "asset_type": "software", "need_a": 3, "supports": [data["id"]]})).await;
    let server = asset(m, json!({"name": "Server rack", "asset_type": "hardware", "supports": [app["id"]]})).await;
    assert_eq!(server["effective"], json!({"need_c": 4, "need_i": 3, "need_a": 3}));
    assert_eq!(
        (&server["need_c"], &server["need_i"], &server["need_a"]),
        (&json!(0), &json!(0), &json!(0)),
        "its own needs"
    );
    // A loop is refused and changes nothing.
    let events = w.s.count("audit_events").await;
    let did = data["id"].as_str().unwrap();
    let r = m
        .json(
            Method::PUT,
            &format!("/api/v1/orgs/acme/assets/{did}"),
            &json!({"name": "Customer database",
            "asset_type": "information", "need_c": 4, "need_i": 3, "need_a": 2, "supports": [server["id"]]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.asset_cycle");
    assert_eq!(w.s.count("audit_events").await, events);
    // Another organisation's asset cannot be linked (to an asset or a risk).
    let theirs = w
        .outsider
        .json(Method::POST, "/api/v1/orgs/other/assets", &json!({"name": "Their DB", "asset_type": "information"}))
        .await
        .json();
    let before = w.s.count("assets").await;
    let r = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/assets",
            &json!({"name": "X", "asset_type": "site", "supports": [theirs["id"]]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.s.count("assets").await, before);
    let r = m.json(Method::POST, RISKS, &json!({"title": "Y", "asset_ids": [theirs["id"]]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.s.count("risks").await, 0);
    assert_eq!(
        m.get(&format!("/api/v1/orgs/acme/assets/{}", theirs["id"].as_str().unwrap())).await.status,
        StatusCode::NOT_FOUND
    );
    // The page shows derived needs and where they come from.
    let page = m.get(&format!("/o/acme/assets/{}", server["id"].as_str().unwrap())).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("raised to very high by the assets it supports"), "{}", page.text);
    assert!(page.text.contains("CRM"));
    // The CRM page lists the server among what supports it.
    let crm = m.get(&format!("/o/acme/assets/{}", app["id"].as_str().unwrap())).await;
    assert!(crm.text.contains("Supported by") && crm.text.contains("Server rack"), "{}", crm.text);
    let list = m.get("/o/acme/assets").await;
    assert!(list.text.contains("very high ↑") && list.text.contains("high ↑"), "{}", list.text);
    // Bad input in a form: errors in place, in Dutch for a Dutch user.
    let nl = m.clone().with_lang("nl");
    nl.post_form("/lang", &[("lang", "nl"), ("next", "/")]).await;
    let r = nl.post_form("/o/acme/assets", &[("name", ""), ("asset_type", "spaceship")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("Kies een van de genoemde waarden") || r.text.contains("Dit veld is verplicht"),
        "{}",
        r.text
    );
    // An archived asset passes nothing on, and an edit form keeps the link to it
    // (ticked, marked archived, in the Dutch this member chose) so that saving does not drop it.
    let crm = app["id"].as_str().unwrap();
    assert_eq!(m.post_form(&format!("/o/acme/assets/{crm}/archive"), &[]).await.status, StatusCode::SEE_OTHER);
    let sid = server["id"].as_str().unwrap();
    let got = m.get(&format!("/api/v1/orgs/acme/assets/{sid}")).await.json();
    assert_eq!(got["effective"], json!({"need_c": 0, "need_i": 0, "need_a": 0}));
    assert_eq!(got["supports"], json!([crm]));
    let form = m.get(&format!("/o/acme/assets/{sid}/edit")).await.text;
    assert!(form.contains(&format!("value=\"{crm}\" checked")) && form.contains("CRM (gearchiveerd)"), "{form}");
});

db_test!(the_register_filters_pages_and_draws_heat_maps, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let contributor = w.user_id("contributor@acme.test").await;
    let db = asset(m, json!({"name": "Payroll data", "asset_type": "information"})).await;
    for (i, (l, im, owner, cia)) in
        [(1, 1, false, "c"), (4, 5, true, "a"), (4, 5, false, "a"), (2, 3, true, "i"), (5, 5, false, "c")]
            .iter()
            .enumerate()
    {
        let mut b = json!({"title": format!("Risk {i}"), "inherent_likelihood": l, "inherent_impact": im});
        b[format!("affects_{cia}")] = json!(true);
        if *owner {
            b["owner_id"] = json!(contributor);
            b["asset_ids"] = json!([db["id"]]);
        }
        risk(m, b).await;
    }
    let total = |q: &str| {
        let m = m.clone();
        let q = q.to_string();
        async move { m.get(&format!("{RISKS}?{q}")).await.json()["total"].as_i64().unwrap() }
    };
    assert_eq!(total("").await, 5);
    assert_eq!(total("level=3").await, 3, "very high: 4×5 twice and 5×5");
    assert_eq!(total(&format!("owner={contributor}")).await, 2);
    assert_eq!(total(&format!("asset={}", db["id"].as_str().unwrap())).await, 2);
    assert_eq!(total("affects=a").await, 2);
    assert_eq!(total("il=4&ii=5").await, 2);
    assert_eq!(total("q=risk%203").await, 1);
    let page = m.get(&format!("{RISKS}?per_page=2&page=3&sort=number")).await.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["title"], "Risk 4");
    let top = m.get(&format!("{RISKS}?sort=level&per_page=1")).await.json();
    assert_eq!(top["items"][0]["inherent_level"], 3);
    for bad in ["level=x", "il=4", "affects=z", "sort=random", "page=0", "owner=nobody"] {
        assert_eq!(m.get(&format!("{RISKS}?{bad}")).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let heat = m.get(&format!("{RISKS}/heatmap")).await.json();
    let cell =
        heat["cells"].as_array().unwrap().iter().find(|c| c["likelihood"] == 4 && c["impact"] == 5).cloned().unwrap();
    assert_eq!(cell["count"], 2);
    // The HTML heat map: an SVG cell per matrix cell, linked where there are risks.
    let html = m.get("/o/acme/risks").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.text.contains("<svg"));
    assert!(html.text.contains("/o/acme/risks?il=4&amp;ii=5"), "a cell links to its filtered list");
    assert!(html.text.contains("Likelihood 4 × impact 5: 2 risks"));
    let filtered = m.get("/o/acme/risks?il=4&ii=5").await;
    assert!(filtered.text.contains("Risk 1") && filtered.text.contains("Risk 2") && !filtered.text.contains("Risk 3"));
});

db_test!(tasks_are_one_register_with_my_tasks_overdue_first, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let contributor = w.user_id("contributor@acme.test").await;
    let r = risk(m, json!({"title": "Backups untested", "owner_id": contributor})).await;
    let id = r["id"].as_str().unwrap().to_string();
    let t = m
        .json(
            Method::POST,
            &format!("{RISKS}/{id}/tasks"),
            &json!({"title": "Restore test", "owner_id": contributor, "due_date": "2020-01-31"}),
        )
        .await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.text);
    let task = t.json();
    assert_eq!(task["subject_label"], "R-001 Backups untested");
    let tid = task["id"].as_str().unwrap().to_string();
    // The owner sees it first on "my tasks", marked overdue.
    let mine = w.contributor.get("/o/acme/tasks").await;
    assert!(mine.text.contains("Restore test") && mine.text.contains("overdue"), "{}", mine.text);
    assert_eq!(
        w.contributor.get("/api/v1/orgs/acme/tasks?mine=true").await.json()["items"].as_array().unwrap().len(),
        1
    );
    // The owner reports progress but cannot hand the task to someone else.
    let mut body = json!({"title": "Restore test", "owner_id": contributor, "due_date": "2020-01-31", "status": "in_progress", "progress": 50});
    let r = w.contributor.json(Method::PUT, &format!("/api/v1/orgs/acme/tasks/{tid}"), &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    body["owner_id"] = json!(w.user_id("auditor@acme.test").await);
    assert_eq!(
        w.contributor.json(Method::PUT, &format!("/api/v1/orgs/acme/tasks/{tid}"), &body).await.status,
        StatusCode::FORBIDDEN
    );
    body["progress"] = json!(140);
    let r = m.json(Method::PUT, &format!("/api/v1/orgs/acme/tasks/{tid}"), &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.task_progress");
    // Others: the auditor reads, cannot change; another organisation sees nothing.
    assert_eq!(w.auditor.get(&format!("/api/v1/orgs/acme/tasks/{tid}")).await.status, StatusCode::OK);
    body["progress"] = json!(60);
    assert_eq!(
        w.auditor.json(Method::PUT, &format!("/api/v1/orgs/acme/tasks/{tid}"), &body).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.outsider.get(&format!("/api/v1/orgs/acme/tasks/{tid}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.outsider.get(&format!("/o/acme/tasks/{tid}")).await.status, StatusCode::NOT_FOUND);
    // The treatment plan lists every open task with the risk it serves.
    let plan = m.get("/o/acme/risks/treatment").await;
    assert!(plan.text.contains("R-001 Backups untested"));
    // The risk page shows it, and the task page the history.
    let page = m.get(&format!("/o/acme/risks/{id}")).await;
    assert!(page.text.contains("Restore test"));
    // A task form post works as well (CSRF-checked form).
    let r = w
        .contributor
        .post_form(
            &format!("/o/acme/tasks/{tid}"),
            &[
                ("title", "Restore test"),
                ("owner_id", &contributor),
                ("status", "done"),
                ("closing_note", "Restored the file server in 2 h; report in the ISMS file."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(m.get(&format!("/api/v1/orgs/acme/tasks/{tid}")).await.json()["progress"], 100);
    // The closing note is on the task's page for who reads it, and in its history.
    let page = w.auditor.get(&format!("/o/acme/tasks/{tid}")).await.text;
    assert!(page.contains("Restored the file server in 2 h; report in the ISMS file."), "{page}");
    let done = w
        .contributor
        .post_form(
            &format!("/o/acme/tasks/{tid}"),
            &[("title", "Restore test"), ("owner_id", &contributor), ("status", "done")],
        )
        .await;
    assert_eq!(done.status, StatusCode::UNPROCESSABLE_ENTITY, "done without a note is refused");
});

db_test!(risk_routes_check_role_and_organisation_and_every_change_is_audited, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let contributor = w.user_id("contributor@acme.test").await;
    let events = w.s.count("audit_events").await;
    let mine = risk(m, json!({"title": "Mine", "owner_id": contributor})).await;
    let theirs = risk(m, json!({"title": "Not mine"})).await;
    // methodology v1 + two risks
    assert_eq!(w.s.count("audit_events").await, events + 3);
    let put = |id: &Value, title: &str| json!({"title": title, "owner_id": contributor, "id": id});
    let r = w.contributor.json(Method::POST, RISKS, &json!({"title": "New"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .contributor
        .json(Method::PUT, &format!("{RISKS}/{}", mine["id"].as_str().unwrap()), &put(&mine["id"], "Mine, edited"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = w
        .contributor
        .json(Method::PUT, &format!("{RISKS}/{}", theirs["id"].as_str().unwrap()), &put(&theirs["id"], "x"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.auditor.get(RISKS).await.status, StatusCode::OK);
    assert_eq!(w.auditor.json(Method::POST, RISKS, &json!({"title": "x"})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.viewer.get(RISKS).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.viewer.get("/o/acme/risks").await.status, StatusCode::FORBIDDEN);
    for path in [
        RISKS.to_string(),
        format!("{RISKS}/{}", mine["id"].as_str().unwrap()),
        METHOD.to_string(),
        "/api/v1/orgs/acme/assets".into(),
        "/o/acme/risks".into(),
        "/o/acme/assets".into(),
        "/o/acme/risks/methodology".into(),
        "/o/acme/risks/threats".into(),
    ] {
        assert_eq!(w.outsider.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        w.contributor.json(Method::PUT, METHOD, &json!({"methodology": four_by_four()})).await.status,
        StatusCode::FORBIDDEN
    );
    // Bad input: a clear 4xx, nothing written.
    let token_client = {
        let (code, out, err) = run(borgen(&w.s, &["token", "create", "--user", "manager@acme.test", "--org", "acme"]));
        assert_eq!(code, 0, "{out}{err}");
        let token = out.split_whitespace().find(|t| t.starts_with("borgen_")).expect("a token").to_string();
        Client::with_token(&w.s.base, &token)
    };
    assert_eq!(token_client.post_raw(RISKS, "application/json", "{not json").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(token_client.post_raw(RISKS, "text/plain", "title=x").await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let before = (w.s.count("risks").await, w.s.count("audit_events").await);
    for (body, code) in [
        (json!({"title": "x", "owner_id": "7f0c1c1e-7f0c-4c1e-8f0c-1c1e7f0c1c1e"}), "error.unknown_owner"),
        (json!({"title": "x", "threat": "meteor_strike"}), "error.unknown_threat"),
        (json!({"title": "x", "treatment": "pray"}), "error.unknown_value"),
        (json!({"title": "x", "inherent_likelihood": 3}), "error.risk_score_pair"),
        (json!({"title": ""}), "error.required"),
    ] {
        let r = m.json(Method::POST, RISKS, &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(r.json()["error"]["fields"][0]["code"], code, "{body}");
    }
    assert_eq!((w.s.count("risks").await, w.s.count("audit_events").await), before);
    // Own threats: added by the ISMS manager, usable in a risk.
    let t = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/own-threats",
            &json!({"name": "Drone over the yard", "group_code": "physical", "affects_c": true}),
        )
        .await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.text);
    let tid = t.json()["id"].clone();
    let aerial = risk(m, json!({"title": "Aerial photos of the site", "threat": tid})).await;
    // The threat's page names the risks from it.
    let page = m.get(&format!("/o/acme/risks/threats/own/{}", tid.as_str().unwrap())).await.text;
    let section = page.split("id=\"risks\"").nth(1).expect("a section of risks");
    assert!(section.contains("Aerial photos of the site"), "{section}");
    assert!(section.contains(&format!("/o/acme/risks/{}", aerial["id"].as_str().unwrap())));
    // The threat register exports with the catalogue and the organisation's own threats.
    let csv = w.auditor.get("/api/v1/orgs/acme/threats/export/csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text.contains("Drone over the yard") && csv.text.contains("Ransomware"), "{}", csv.text);
    assert!(csv.text.lines().count() > 50, "every catalogue threat and the own one");
    let xlsx = m.get("/o/acme/risks/threats/export/xlsx").await;
    assert_eq!((xlsx.status, &xlsx.bytes[..2]), (StatusCode::OK, &b"PK"[..]));
    let r = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/own-threats",
            &json!({"name": "No properties", "group_code": "physical"}),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.threat_affects");
    // Every field of the threat form refuses bad input by name, and nothing is written.
    let threats = w.s.count("threats").await;
    let long = "x".repeat(300);
    for (body, field, code) in [
        (json!({"group_code": "physical", "affects_a": true}), "name", "error.required"),
        (json!({"name": "  ", "group_code": "physical", "affects_a": true}), "name", "error.required"),
        (json!({"name": long, "group_code": "physical", "affects_a": true}), "name", "error.too_long_short"),
        (json!({"name": "Meteor", "affects_a": true}), "group_code", "error.required"),
        (json!({"name": "Meteor", "group_code": "space", "affects_a": true}), "group_code", "error.unknown_value"),
    ] {
        let r = m.json(Method::POST, "/api/v1/orgs/acme/own-threats", &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
        let fields = r.json()["error"]["fields"].clone();
        assert!(
            fields.as_array().unwrap().iter().any(|f| f["field"] == field && f["code"] == code),
            "{body}: {fields}"
        );
    }
    assert_eq!(w.s.count("threats").await, threats);
    let cat = m.get("/api/v1/orgs/acme/threats").await.json();
    assert!(cat["builtin"].as_array().unwrap().len() >= 40);
    // The trail names each change, and verifies.
    let log = m.get("/api/v1/orgs/acme/audit-log?per_page=100").await.json();
    let types: Vec<&str> =
        log["items"].as_array().unwrap().iter().map(|e| e["entity_type"].as_str().unwrap()).collect();
    for t in ["risk_methodology", "risk", "threat"] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
    let (code, out, err) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 0, "{out}{err}");
});

db_test!(the_risk_pages_work_as_forms, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    // The methodology editor: shape change, then save a 4×4 as a new version.
    let edit = m.get("/o/acme/risks/methodology/edit?likelihood=4&impact=4&levels=3&areas=1").await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text.contains("name=\"m4_4\""));
    assert!(!edit.text.contains("name=\"m5_5\""));
    let mut f: Vec<(String, String)> = vec![
        ("n_likelihood".into(), "4".into()),
        ("n_impact".into(), "4".into()),
        ("n_levels".into(), "3".into()),
        ("n_areas".into(), "1".into()),
        ("review_months".into(), "6".into()),
        ("a1_code".into(), "availability".into()),
        ("a1_nl".into(), "Beschikbaarheid".into()),
        ("a1_en".into(), "Availability".into()),
    ];
    for p in ["l", "i"] {
        for n in 1..=4 {
            f.push((format!("{p}{n}_nl"), format!("Niveau {n}")));
            f.push((format!("{p}{n}_en"), format!("Level {n}")));
        }
    }
    for (k, (c, a)) in [("#4caf50", "owner"), ("#ffc107", "top_management"), ("#c62828", "nobody")].iter().enumerate() {
        f.push((format!("lv{}_nl", k + 1), format!("N{k}")));
        f.push((format!("lv{}_en", k + 1), format!("L{k}")));
        f.push((format!("lv{}_colour", k + 1), c.to_string()));
        f.push((format!("lv{}_accept", k + 1), a.to_string()));
    }
    for l in 1..=4 {
        for i in 1..=4 {
            let v = if l + i <= 4 {
                0
            } else if l + i <= 6 {
                1
            } else {
                2
            };
            f.push((format!("m{l}_{i}"), v.to_string()));
        }
    }
    let mut broken = f.clone();
    broken.retain(|(k, _)| k != "m4_4");
    broken.push(("m4_4".into(), "0".into()));
    fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
        v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
    }
    let r = m.post_form("/o/acme/risks/methodology", &pairs(&broken)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("A higher likelihood or impact may not give a lower risk level."));
    let r = m.post_form("/o/acme/risks/methodology", &pairs(&f)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(m.get(METHOD).await.json()["version"], 1);
    // An asset and a risk through the forms, with repeated fields.
    let r = m.post_form("/o/acme/assets", &[("name", "Website"), ("asset_type", "service"), ("need_a", "3")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let aid = r.location().rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    let r = m
        .post_form(
            "/o/acme/risks",
            &[
                ("title", "DDoS takes the website down"),
                ("asset_ids", &aid),
                ("threat", "denial_of_service"),
                ("affects_a", "on"),
                ("owner_id", &w.user_id("contributor@acme.test").await),
                ("inherent_likelihood", "3"),
                ("inherent_impact", "3"),
                ("treatment", "mitigate"),
                ("control_ids", "8.6"),
                ("status", "assessed"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = m.get(&r.location()).await;
    assert!(page.text.contains("R-001 DDoS takes the website down"));
    assert!(page.text.contains("Website"));
    let bad =
        m.post_form("/o/acme/risks", &[("title", "x"), ("inherent_likelihood", "9"), ("inherent_impact", "1")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("Choose a level of the methodology"));
    for path in
        ["/o/acme/risks/new", "/o/acme/assets/new", "/o/acme/risks/threats", "/o/acme/risks/treatment", "/o/acme/tasks"]
    {
        assert_eq!(m.get(path).await.status, StatusCode::OK, "{path}");
    }
});

db_test!(assessment_runs_freeze_the_register_and_compare, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let runs = "/api/v1/orgs/acme/risk-runs";
    assert_eq!(m.get(runs).await.json()["next_due"], Value::Null, "no run yet, nothing due");
    let a = risk(m, json!({"title": "Phishing", "inherent_likelihood": 4, "inherent_impact": 4})).await;
    let b = risk(m, json!({"title": "Fire", "inherent_likelihood": 1, "inherent_impact": 5})).await;
    let r = m
        .json(
            Method::POST,
            runs,
            &json!({"title": "Jaarlijkse beoordeling 2026", "reason": "planned", "participants": "Sanne, Fatima"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let run1 = r.json();
    assert_eq!(run1["run"]["number"], 1);
    assert_eq!(run1["risks"].as_array().unwrap().len(), 2);
    let due = m.get(runs).await.json()["next_due"].as_str().unwrap().to_string();
    let taken = run1["run"]["taken_at"].as_str().unwrap();
    let year: i32 = taken[..4].parse().unwrap();
    if &taken[5..10] != "02-29" {
        assert_eq!(
            due,
            format!("{}{}", year + 1, &taken[4..10]),
            "due twelve months (the default interval) after the run"
        );
    }
    // After a significant change the reason is required.
    let r = m.json(Method::POST, runs, &json!({"title": "Na de verhuizing", "reason": "significant_change"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.run_change_reason");
    assert_eq!(
        w.contributor.json(Method::POST, runs, &json!({"title": "x", "reason": "planned"})).await.status,
        StatusCode::FORBIDDEN
    );
    // Change the register: re-score a, treat it, archive b, add c.
    let aid = a["id"].as_str().unwrap();
    m.json(
        Method::PUT,
        &format!("{RISKS}/{aid}"),
        &json!({"title": "Phishing", "inherent_likelihood": 4, "inherent_impact": 4,
        "treatment": "mitigate", "control_ids": "6.3", "residual_likelihood": 2, "residual_impact": 3}),
    )
    .await;
    m.call(Method::POST, &format!("{RISKS}/{}/archive", b["id"].as_str().unwrap())).await;
    risk(m, json!({"title": "Heatwave", "inherent_likelihood": 3, "inherent_impact": 3})).await;
    let r = m.json(Method::POST, runs, &json!({"title": "Na de verhuizing", "reason": "significant_change", "change_reason": "Nieuw kantoor in Utrecht"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Run 1 is unchanged by all that.
    let run1_again = m.get(&format!("{runs}/1")).await.json();
    assert_eq!(run1_again["risks"], run1["risks"]);
    let d = m.get(&format!("{runs}/compare?from=1&to=2")).await.json();
    assert_eq!(d["added"][0]["title"], "Heatwave");
    assert_eq!(d["removed"][0]["title"], "Fire");
    assert_eq!(d["rescored"][0][1]["title"], "Phishing");
    assert_eq!(d["retreated"][0][1]["treatment"], "mitigate");
    // Approval: top management, once; nothing else changes a run.
    assert_eq!(m.json(Method::POST, &format!("{runs}/2/approve"), &json!({})).await.status, StatusCode::FORBIDDEN);
    let r = w.top.json(Method::POST, &format!("{runs}/2/approve"), &json!({"comment": "Akkoord"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["run"]["approved_by_label"], "top");
    let again = w.top.json(Method::POST, &format!("{runs}/2/approve"), &json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    for method in [Method::PUT, Method::PATCH, Method::DELETE] {
        assert_eq!(m.json(method, &format!("{runs}/2"), &json!({})).await.status, StatusCode::METHOD_NOT_ALLOWED);
    }
    assert_eq!(w.outsider.get(&format!("{runs}/1")).await.status, StatusCode::NOT_FOUND);
    // The pages.
    let page = m.get("/o/acme/risks/runs/compare?from=1&to=2").await;
    assert!(page.text.contains("Heatwave") && page.text.contains("Nieuw kantoor in Utrecht"), "{}", page.text);
    let page = m.get("/o/acme/risks/runs").await;
    assert!(page.text.contains("The next planned run is due on"));
    let r = m.post_form("/o/acme/risks/runs", &[("title", ""), ("reason", "planned")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
});

db_test!(quantitative_analysis_is_deterministic_and_validated, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let r1 = risk(m, json!({"title": "Ransomware"})).await;
    let r2 = risk(m, json!({"title": "Fraud"})).await;
    let est = json!({"freq_min": 0.1, "freq_ml": 0.3, "freq_max": 1, "mag_min": "20000", "mag_ml": "80.000", "mag_max": "1.500.000,00", "mag_shape": "lognormal"});
    // Text follows the caller's language: Dutch here ("80.000", "1.500.000,00").
    let nl = m.clone().with_lang("nl");
    let r = nl.json(Method::PUT, &format!("{RISKS}/{}/estimate", r1["id"].as_str().unwrap()), &est).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let body = r.json();
    assert_eq!(body["estimate"]["magnitude"]["ml"], 80_000.0, "Dutch number format understood");
    assert_eq!(body["estimate"]["magnitude"]["max"], 1_500_000.0);
    let en = m.json(Method::PUT, &format!("{RISKS}/{}/estimate", r1["id"].as_str().unwrap()),
        &json!({"freq_min": "0.1", "freq_ml": "0.3", "freq_max": "1", "mag_min": "20,000", "mag_ml": "80,000", "mag_max": "1,500,000.00", "mag_shape": "lognormal"})).await;
    assert_eq!(en.status, StatusCode::OK, "the same in English notation: {}", en.text);
    assert_eq!(en.json()["outcome"], body["outcome"], "and the same figures");
    // A dot in Dutch is a thousands separator only: "0.5" is refused, not read as 5.
    let r = nl
        .json(
            Method::PUT,
            &format!("{RISKS}/{}/estimate", r2["id"].as_str().unwrap()),
            &json!({"freq_min": "0.5", "freq_ml": "1", "freq_max": "2", "mag_min": "1", "mag_ml": "2", "mag_max": "3"}),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.fair_number");
    let ale = body["outcome"]["ale"].as_f64().unwrap();
    assert!(ale > 10_000.0 && ale < 500_000.0, "{ale}");
    // Bad estimates: named, nothing written.
    let events = w.s.count("audit_events").await;
    let bad = json!({"freq_min": 2, "freq_ml": 1, "freq_max": 3, "mag_min": 1, "mag_ml": 2, "mag_max": 3});
    let r = m.json(Method::PUT, &format!("{RISKS}/{}/estimate", r2["id"].as_str().unwrap()), &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.fair_order");
    let r = m
        .json(Method::PUT, &format!("{RISKS}/{}/estimate", r2["id"].as_str().unwrap()), &json!({"freq_min": "veel"}))
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.fair_number");
    assert_eq!(w.s.count("risk_estimates").await, 1);
    assert_eq!(w.s.count("audit_events").await, events);
    m.json(
        Method::PUT,
        &format!("{RISKS}/{}/estimate", r2["id"].as_str().unwrap()),
        &json!({"freq_min": 1, "freq_ml": 2, "freq_max": 6, "mag_min": 500, "mag_ml": 2000, "mag_max": 10000}),
    )
    .await;
    // The same seed gives the same figures; the register total is the sum per year.
    let q1 = m.get(&format!("{RISKS}/quantitative?seed=7")).await.json();
    let q2 = m.get(&format!("{RISKS}/quantitative?seed=7")).await.json();
    assert_eq!(q1, q2);
    assert_eq!(q1["iterations"], 100_000);
    let q3 = m.get(&format!("{RISKS}/quantitative?seed=8")).await.json();
    assert_ne!(q1["total"]["ale"], q3["total"]["ale"]);
    let sum: f64 = q1["items"].as_array().unwrap().iter().map(|i| i["outcome"]["ale"].as_f64().unwrap()).sum();
    assert!((q1["total"]["ale"].as_f64().unwrap() - sum).abs() < 1e-6 * sum);
    assert_eq!(m.get(&format!("{RISKS}/quantitative?seed=abc")).await.status, StatusCode::BAD_REQUEST);
    // Clearing removes the estimate; a viewer cannot set one, an outsider sees nothing.
    let empty = json!({"freq_min": "", "freq_ml": "", "freq_max": "", "mag_min": "", "mag_ml": "", "mag_max": ""});
    m.json(Method::PUT, &format!("{RISKS}/{}/estimate", r2["id"].as_str().unwrap()), &empty).await;
    assert_eq!(w.s.count("risk_estimates").await, 1);
    assert_eq!(
        w.auditor.json(Method::PUT, &format!("{RISKS}/{}/estimate", r2["id"].as_str().unwrap()), &est).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.outsider.get("/o/acme/risks/quantitative").await.status, StatusCode::NOT_FOUND);
    // The pages state the seed and draw the curve.
    let page = m.get("/o/acme/risks/quantitative?seed=7").await;
    assert!(page.text.contains("seed 7") && page.text.contains("<path"), "{}", page.text);
    let page = m.get(&format!("/o/acme/risks/{}", r1["id"].as_str().unwrap())).await;
    assert!(page.text.contains("Expected annual loss"));
    // The Content-Security-Policy allows no inline styles: every colour is an SVG fill.
    let risk_page = format!("/o/acme/risks/{}", r1["id"].as_str().unwrap());
    for path in
        ["/o/acme/risks", "/o/acme/risks/methodology", "/o/acme/risks/quantitative", "/o/acme/risks/runs", &risk_page]
    {
        let page = m.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.text.contains(" style="), "{path} has an inline style");
    }
});

// A record's history reads as the page does: field labels, choices by label,
// members by name, linked records by title; no raw keys, codes or ids.
db_test!(histories_read_as_labels_and_names, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let server = asset(m, json!({"name": "Fileserver Zwolle", "asset_type": "hardware"})).await;
    let sid = server["id"].as_str().unwrap().to_string();
    let data = asset(m, json!({"name": "Klantdossiers", "asset_type": "information", "need_c": 4})).await;
    let did = data["id"].as_str().unwrap().to_string();
    let r = risk(
        m,
        json!({"title": "Ransomware", "threat": "ransomware", "asset_ids": [sid],
        "inherent_likelihood": 4, "inherent_impact": 5}),
    )
    .await;
    let rid = r["id"].as_str().unwrap().to_string();
    let put = m
        .json(
            Method::PUT,
            &format!("{RISKS}/{rid}"),
            &json!({"title": "Ransomware", "threat": "ransomware",
            "asset_ids": [sid, did], "inherent_likelihood": 3, "inherent_impact": 5, "treatment": "mitigate",
            "control_ids": "8.13", "treatment_rationale": "Offline back-ups"}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let r = m
        .json(
            Method::PUT,
            "/api/v1/orgs/acme/soa/rows/5.1",
            &json!({"applicable": "yes", "reasons": ["business", "contractual"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for (lang, assets, treatment, reasons) in [
        ("en", "Assets", "Mitigate", "Business requirement or best practice"),
        ("nl", "Assets", "Mitigeren", "Bedrijfseis of best practice"),
    ] {
        let c = w.s.login("manager@acme.test", PW).await.with_lang(lang);
        c.post_form("/lang", &[("lang", lang), ("next", "/")]).await;
        let page = c.get(&format!("/o/acme/risks/{rid}")).await.text;
        let history = page.split("class=\"history\"").nth(1).expect("a history section");
        assert!(history.contains("Fileserver Zwolle") && history.contains("Klantdossiers"), "{lang}: {history}");
        assert!(history.contains(assets) && history.contains(treatment), "{lang}: {history}");
        for raw in
            [sid.as_str(), did.as_str(), "asset_ids", "affects_a", "inherent_level", "\"likelihood\"", "mitigate"]
        {
            assert!(!history.contains(raw), "{lang}: {raw} in {history}");
        }
        let page = c.get("/o/acme/soa/5.1").await.text;
        let history = page.split("class=\"history\"").nth(1).expect("a history section");
        assert!(history.contains(reasons), "{lang}: {history}");
        for raw in ["derived_reasons", "owner_name", "status_derived", "\"business\"", "applicable:"] {
            assert!(!history.contains(raw), "{lang}: {raw} in {history}");
        }
    }
    // An asset's history names the assets it supports.
    let r = m
        .json(
            Method::PUT,
            &format!("/api/v1/orgs/acme/assets/{sid}"),
            &json!({"name": "Fileserver Zwolle",
            "asset_type": "hardware", "supports": [did]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let page = m.get(&format!("/o/acme/assets/{sid}")).await.text;
    let history = page.split("class=\"history\"").nth(1).unwrap();
    assert!(history.contains("Klantdossiers") && !history.contains(&did), "{history}");
    // The organisation's audit log names them too.
    let log = m.get("/o/acme/audit-log").await.text;
    assert!(log.contains("Fileserver Zwolle, Klantdossiers") && !log.contains("asset_ids"), "{log}");
});

db_test!(an_acceptance_may_expire_and_a_risk_past_its_review_is_reviewed_first, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let contributor = w.user_id("contributor@acme.test").await;
    let r = risk(
        m,
        json!({"title": "Laptop theft", "owner_id": contributor, "inherent_likelihood": 2, "inherent_impact": 2,
        "treatment": "accept", "treatment_rationale": "Disks are encrypted"}),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let accept = format!("{RISKS}/{id}/accept");
    let c = &w.contributor;
    // An end in the past is refused next to the field; nothing is written.
    let events = w.s.count("audit_events").await;
    let no = c.json(Method::POST, &accept, &json!({"expires_on": "2020-01-01"})).await;
    assert_eq!(no.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no.text);
    assert_eq!(no.json()["error"]["fields"][0]["code"], "error.acceptance_expiry_past");
    assert_eq!(w.s.count("risk_acceptances").await, 0);
    assert_eq!(w.s.count("audit_events").await, events);
    // Accepted until a day: the page says until when.
    let ok = c.json(Method::POST, &accept, &json!({"expires_on": "2099-06-30", "comment": "For now"})).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    assert_eq!(ok.json()["expires_on"], "2099-06-30");
    assert!(c.get(&format!("/o/acme/risks/{id}")).await.text.contains("Accepted until 2099-06-30."));
    assert_eq!(c.json(Method::POST, &accept, &json!({})).await.json()["error"]["code"], "error.risk_already_accepted");
    // Once the day has passed, the risk is back: outdated on its page, and it may be accepted again.
    w.s.exec("UPDATE risk_acceptances SET expires_on = '2021-03-31'").await;
    let page = c.get(&format!("/o/acme/risks/{id}")).await.text;
    assert!(page.contains("The acceptance expired on 2021-03-31: the risk must be accepted again."), "{page}");
    assert!(page.contains("action=\"/o/acme/risks/") && page.contains("/accept\""), "the form is offered again");
    // ... and "not accepted" lists it again, in the register and in the owner's work queue.
    let unaccepted = |c: &Client| {
        let c = c.clone();
        async move { c.get(&format!("{RISKS}?unaccepted=1")).await.json()["total"].clone() }
    };
    assert_eq!(unaccepted(c).await, 1, "an expired acceptance does not count");
    assert!(c.get("/o/acme").await.text.contains("1 of your risks is not accepted."));
    let again = c.json(Method::POST, &accept, &json!({})).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
    assert_eq!(unaccepted(c).await, 0);
    // A risk whose review date has passed is reviewed before it is accepted.
    let mut body = json!({"title": "Laptop theft", "owner_id": contributor, "inherent_likelihood": 2, "inherent_impact": 3,
        "treatment": "accept", "treatment_rationale": "Disks are encrypted", "next_review": "2020-01-01"});
    assert_eq!(m.json(Method::PUT, &format!("{RISKS}/{id}"), &body).await.status, StatusCode::OK);
    assert_eq!(unaccepted(c).await, 1, "a changed score outdates the acceptance");
    let due = c.json(Method::POST, &accept, &json!({})).await;
    assert_eq!(due.status, StatusCode::CONFLICT);
    assert_eq!(due.json()["error"]["code"], "error.risk_accept_review_due");
    body["next_review"] = json!("2099-01-01");
    assert_eq!(m.json(Method::PUT, &format!("{RISKS}/{id}"), &body).await.status, StatusCode::OK);
    assert_eq!(c.json(Method::POST, &accept, &json!({})).await.status, StatusCode::CREATED);
});
