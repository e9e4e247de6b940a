//! The context register (4.1) and interested parties (4.2), through the pages
//! and the API: create, list, filter, sort, edit, archive, restore, history,
//! export, and every kind of bad input.

use crate::common::*;

db_test!(issue_lifecycle_through_the_pages, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let r = m
        .post_form(
            "/o/acme/context/issues",
            &[
                ("title", "Flooding of the server room"),
                ("kind", "external"),
                ("category", "climate_change"),
                ("effect", "Availability"),
                ("last_reviewed", "2026-10-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let detail = r.location();
    assert!(detail.starts_with("/o/acme/context/issues/") && detail.ends_with("?done=created"));
    let page = m.get(&detail).await;
    assert!(page.text.contains("Flooding of the server room") && page.text.contains("Climate change"));
    assert!(page.text.contains("History") && page.text.contains("created"), "history shows the creation");
    // Listed, findable by search, and hidden by a non-matching filter.
    let list = m.get("/o/acme/context/issues").await;
    assert!(list.text.contains("Flooding of the server room"));
    assert!(m.get("/o/acme/context/issues?q=flood").await.text.contains("Flooding"));
    assert!(!m.get("/o/acme/context/issues?category=legal").await.text.contains("Flooding"));
    // Edit: errors come back next to the field with the typed values kept.
    let path = detail.split('?').next().unwrap().to_string();
    let r = m
        .post_form(
            &path,
            &[("title", ""), ("kind", "external"), ("category", "climate_change"), ("source", "KNMI report")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("This field is required.") && r.text.contains("value=\"KNMI report\""));
    let r = m
        .post_form(
            &path,
            &[
                ("title", "Flooding and heat"),
                ("kind", "external"),
                ("category", "climate_change"),
                ("source", "KNMI report"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = m.get(&path).await;
    assert!(page.text.contains("Flooding and heat") && page.text.contains("KNMI report"));
    assert!(page.text.contains("Flooding of the server room"), "the history shows the old title");
    // Archive hides it from the current list; restore brings it back.
    assert_eq!(m.post_form(&format!("{path}/archive"), &[]).await.status, StatusCode::SEE_OTHER);
    assert!(!m.get("/o/acme/context/issues").await.text.contains("Flooding and heat"));
    assert!(m.get("/o/acme/context/issues?archived=archived").await.text.contains("Flooding and heat"));
    let r =
        m.post_form(&path, &[("title", "Changed while archived"), ("kind", "external"), ("category", "legal")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "archived records are read-only");
    assert_eq!(m.post_form(&format!("{path}/restore"), &[]).await.status, StatusCode::SEE_OTHER);
    assert!(m.get("/o/acme/context/issues").await.text.contains("Flooding and heat"));
});

db_test!(issue_list_sorts_and_pages, |s| {
    let w = World::new(s).await;
    for t in ["Charlie", "alpha", "Bravo"] {
        w.issue(t, None).await;
    }
    let r = w.manager.get("/api/v1/orgs/acme/context-issues?sort=title").await.json();
    let titles: Vec<&str> = r["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["alpha", "Bravo", "Charlie"], "case-insensitive sort");
    let r = w.manager.get("/api/v1/orgs/acme/context-issues?sort=title&dir=desc&per_page=2&page=2").await.json();
    assert_eq!(r["total"], 3);
    assert_eq!(r["items"][0]["title"], "alpha");
    let html = w.manager.get("/o/acme/context/issues?sort=title&dir=desc").await.text;
    let (c, a) = (html.find("Charlie").unwrap(), html.find("alpha").unwrap());
    assert!(c < a);
    for bad in ["sort=colour", "dir=up", "page=0", "category=weather", "archived=maybe", "per_page=100000"] {
        let r = w.manager.get(&format!("/api/v1/orgs/acme/context-issues?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(
            w.manager.get(&format!("/o/acme/context/issues?{bad}")).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
});

db_test!(bad_input_is_refused_with_a_clear_message_and_writes_nothing, |s| {
    let w = World::new(s).await;
    let existing = w.issue("Existing", None).await;
    let id = existing["id"].as_str().unwrap().to_string();
    let events = w.s.count("audit_events").await;
    let m = &w.manager;
    let url = "/api/v1/orgs/acme/context-issues";
    let check = |r: &Resp, status: StatusCode, code: &str| {
        assert_eq!(r.status, status, "{}", r.text);
        assert_eq!(r.json()["error"]["code"], code, "{}", r.text);
    };
    // Empty required field, unknown enum values, too long, a bad date, an owner from elsewhere.
    let r = m.json(Method::POST, url, &json!({"title": " ", "kind": "sideways", "category": "weather"})).await;
    check(&r, StatusCode::UNPROCESSABLE_ENTITY, "error.invalid");
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["title", "kind", "category"]);
    let r =
        m.json(Method::POST, url, &json!({"title": "x".repeat(201), "kind": "internal", "category": "legal"})).await;
    check(&r, StatusCode::UNPROCESSABLE_ENTITY, "error.invalid");
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.too_long_short");
    let r = m
        .json(
            Method::POST,
            url,
            &json!({"title": "ok", "kind": "internal", "category": "legal", "description": "y".repeat(5001)}),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.too_long_long");
    let r = m
        .json(
            Method::POST,
            url,
            &json!({"title": "ok", "kind": "internal", "category": "legal", "last_reviewed": "31-12-2026"}),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.bad_date");
    let other_manager = w.outsider.get("/api/v1/me").await.json()["user"]["id"].as_str().unwrap().to_string();
    let r = m
        .json(
            Method::POST,
            url,
            &json!({"title": "ok", "kind": "internal", "category": "legal", "owner_id": other_manager}),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.unknown_member");
    // Malformed JSON, wrong types, wrong content type.
    let raw = Client::send(
        reqwest::Client::new()
            .post(w.s.url(url))
            .header(
                "cookie",
                format!("borgen_session={}; borgen_csrf={}", m.cookie("borgen_session").unwrap(), m.csrf()),
            )
            .header("x-csrf-token", m.csrf())
            .header("content-type", "application/json")
            .body("{\"title\": "),
    )
    .await;
    check(&raw, StatusCode::BAD_REQUEST, "error.malformed_json");
    // A value of the wrong JSON type is named with its field (422), like any invalid value.
    let r = m.json(Method::POST, url, &json!({"title": 42, "kind": "internal", "category": "legal"})).await;
    check(&r, StatusCode::UNPROCESSABLE_ENTITY, "error.invalid");
    assert_eq!(r.json()["error"]["fields"][0]["field"], "title");
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.wrong_type");
    let r = Client::send(
        reqwest::Client::new()
            .post(w.s.url(url))
            .header(
                "cookie",
                format!("borgen_session={}; borgen_csrf={}", m.cookie("borgen_session").unwrap(), m.csrf()),
            )
            .header("x-csrf-token", m.csrf())
            .header("content-type", "text/plain")
            .body("title=x"),
    )
    .await;
    check(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "error.content_type_json");
    let r = m.post_raw("/o/acme/context/issues", "application/json", "{}").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // The same in Dutch for a Dutch client.
    let nl = m.clone().with_lang("nl");
    let r = nl.json(Method::POST, url, &json!({"title": "", "kind": "internal", "category": "legal"})).await;
    assert_eq!(r.json()["error"]["fields"][0]["message"], "Dit veld is verplicht.");
    // An id of another organisation, a malformed id: 404, nothing learnt.
    let theirs = w
        .outsider
        .json(
            Method::POST,
            "/api/v1/orgs/other/context-issues",
            &json!({"title": "Theirs", "kind": "internal", "category": "legal"}),
        )
        .await
        .json();
    let theirs_id = theirs["id"].as_str().unwrap();
    assert_eq!(m.get(&format!("{url}/{theirs_id}")).await.status, StatusCode::NOT_FOUND);
    let r = m
        .json(
            Method::PUT,
            &format!("{url}/{theirs_id}"),
            &json!({"title": "Mine now", "kind": "internal", "category": "legal"}),
        )
        .await;
    check(&r, StatusCode::NOT_FOUND, "error.not_found");
    assert_eq!(m.get(&format!("{url}/not-a-uuid")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(m.get(&format!("/o/acme/context/issues/{theirs_id}")).await.status, StatusCode::NOT_FOUND);
    // Over-long body.
    let huge =
        json!({"title": "t", "kind": "internal", "category": "legal", "description": "z".repeat(2 * 1024 * 1024)});
    let r = m.json(Method::POST, url, &huge).await;
    check(&r, StatusCode::PAYLOAD_TOO_LARGE, "error.too_large");
    // Nothing of this was written (one issue made by the other organisation).
    assert_eq!(w.s.count("context_issues").await, 2);
    assert_eq!(w.s.count("audit_events").await, events + 1);
    let still = m.get(&format!("{url}/{id}")).await.json();
    assert_eq!(still["title"], "Existing");
});

db_test!(issue_api_round_trip_with_history, |s| {
    let w = World::new(s).await;
    let owner = w.user_id("contributor@acme.test").await;
    let created = w.issue("Ransomware in the sector", Some(&owner)).await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["owner_id"], owner.as_str());
    assert_eq!(created["archived"], false);
    let url = format!("/api/v1/orgs/acme/context-issues/{id}");
    let r = w
        .manager
        .json(
            Method::PUT,
            &url,
            &json!({"title": "Ransomware", "kind": "external", "category": "threat_landscape", "owner_id": owner}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["category"], "threat_landscape");
    let r = w.manager.call(Method::POST, &format!("{url}/archive")).await;
    assert_eq!(r.json()["archived"], true);
    let r = w.manager.call(Method::POST, &format!("{url}/restore")).await;
    assert_eq!(r.json()["archived"], false);
    let h = w.manager.get(&format!("{url}/history")).await.json();
    let actions: Vec<&str> = h["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["create", "update", "archive", "restore"]);
    let upd = &h["items"][1];
    assert_eq!(upd["actor_label"], "manager");
    assert!(upd["before_json"].as_str().unwrap().contains("Ransomware in the sector"));
    assert!(upd["after_json"].as_str().unwrap().contains("threat_landscape"));
});

db_test!(parties_with_requirements, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let r = m
        .post_form("/o/acme/context/parties", &[("name", "Autoriteit Persoonsgegevens"), ("party_type", "regulator")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let path = r.location().split('?').next().unwrap().to_string();
    // A requirement marked addressed must say how.
    let r = m
        .post_form(
            &format!("{path}/requirements"),
            &[("title", "Report breaches within 72 hours"), ("req_type", "legal"), ("addressed", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Say how the ISMS addresses this requirement."));
    assert!(r.text.contains("value=\"Report breaches within 72 hours\""));
    assert_eq!(w.s.count("party_requirements").await, 0);
    let r = m
        .post_form(
            &format!("{path}/requirements"),
            &[
                ("title", "Report breaches within 72 hours"),
                ("req_type", "legal"),
                ("addressed", "on"),
                ("how_addressed", "Data breach procedure"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r = m
        .post_form(
            &format!("{path}/requirements"),
            &[("title", "Keep a record of processing"), ("req_type", "regulatory")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = m.get(&path).await.text;
    assert!(
        page.contains("Report breaches within 72 hours")
            && page.contains("Data breach procedure")
            && page.contains("Regulatory")
    );
    assert!(m.get("/o/acme/context/parties").await.text.contains("1 of 2 addressed"));
    // The API shows the same, typed.
    let list = m.get("/api/v1/orgs/acme/interested-parties").await.json();
    let p = &list["items"][0];
    assert_eq!(p["party_type"], "regulator");
    assert_eq!(p["requirements"].as_array().unwrap().len(), 2);
    // In title order: "Keep a record…" before "Report breaches…".
    assert_eq!(p["requirements"][1]["req_type"], "legal");
    assert_eq!(p["requirements"][1]["addressed"], true);
    assert_eq!(p["requirements"][0]["addressed"], false);
    // Requirements through the API: JSON booleans work, bad types are refused.
    let pid = p["id"].as_str().unwrap();
    let r = m
        .json(
            Method::POST,
            &format!("/api/v1/orgs/acme/interested-parties/{pid}/requirements"),
            &json!({"title": "NIS2 duty of care", "req_type": "legal", "addressed": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let rid = r.json()["id"].as_str().unwrap().to_string();
    let r = m
        .json(
            Method::PUT,
            &format!("/api/v1/orgs/acme/requirements/{rid}"),
            &json!({"title": "NIS2 duty of care", "req_type": "statutory"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = m.json(Method::PUT, &format!("/api/v1/orgs/acme/requirements/{rid}"), &json!({"title": "NIS2 duty of care", "req_type": "legal", "addressed": true, "how_addressed": "Supplier policy"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["addressed"], true);
    let r = m.call(Method::POST, &format!("/api/v1/orgs/acme/requirements/{rid}/archive")).await;
    assert_eq!(r.json()["archived"], true);
    // The party's history includes its requirements' changes.
    let page = m.get(&path).await.text;
    assert!(page.contains("NIS2 duty of care") && page.contains("archived"));
});

db_test!(exports_in_the_users_language, |s| {
    let w = World::new(s).await;
    w.issue("Hitte in de serverruimte, \"ernstig\"", None).await;
    w.issue("Archived one", None).await;
    let p = w.party("Klanten", None).await;
    let pid = p["id"].as_str().unwrap();
    w.manager
        .json(
            Method::POST,
            &format!("/api/v1/orgs/acme/interested-parties/{pid}/requirements"),
            &json!({"title": "ISO 27001 certificate", "req_type": "contractual"}),
        )
        .await;
    let r = w.manager.get("/o/acme/context/issues/export/csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(r.headers["content-disposition"].to_str().unwrap().contains("acme-context-issues.csv"));
    let mut rdr = csv::Reader::from_reader(&r.bytes[3..]);
    assert_eq!(&rdr.headers().unwrap()[0], "Title");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|r| &r[0] == "Hitte in de serverruimte, \"ernstig\""));
    // Filters apply to the export; Dutch headers for a Dutch user.
    w.manager.post_form("/lang", &[("lang", "nl")]).await;
    let r = w.manager.get("/o/acme/context/issues/export/csv?q=hitte").await;
    let mut rdr = csv::Reader::from_reader(&r.bytes[3..]);
    assert_eq!(&rdr.headers().unwrap()[0], "Titel");
    assert_eq!(rdr.records().count(), 1);
    let x = w.manager.get("/o/acme/context/parties/export/xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(&x.bytes[..2], b"PK", "an XLSX file is a zip");
    assert!(x.headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let c = w.manager.get("/api/v1/orgs/acme/interested-parties/export/csv").await;
    assert!(c.text.contains("ISO 27001 certificate") && c.text.contains("Contractueel"), "{}", c.text);
    assert_eq!(w.manager.get("/o/acme/context/issues/export/odt").await.status, StatusCode::NOT_FOUND);
});

db_test!(search_folds_every_alphabet_and_takes_wildcards_literally, |s| {
    let w = World::new(s).await;
    w.issue("Überschwemmung im Keller", None).await;
    w.issue("ÉÉN leverancier voor alles", None).await;
    w.issue("100% uptime promised", None).await;
    w.issue("Plain title", None).await;
    let titles = |q: &str| {
        let m = w.manager.clone();
        let q = q.to_string();
        async move {
            let url = format!("/api/v1/orgs/acme/context-issues?{}", serde_urlencoded::to_string([("q", q)]).unwrap());
            let r = m.get(&url).await.json();
            r["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(titles("Überschwemmung").await, ["Überschwemmung im Keller"]);
    assert_eq!(titles("überSCHWEMMUNG").await, ["Überschwemmung im Keller"]);
    assert_eq!(titles("één").await, ["ÉÉN leverancier voor alles"]);
    assert_eq!(titles("100%").await, ["100% uptime promised"]);
    assert!(titles("_").await.is_empty(), "an underscore is not a wildcard");
    assert!(titles("%").await.len() == 1);
    let r = w.manager.get("/api/v1/orgs/acme/audit-log?page=x").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "error.bad_filter");
});
