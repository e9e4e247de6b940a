//! Hostile input and exports: NUL and other control characters, bidi controls,
//! JSON of the wrong shape, CSV formula injection, HTML in Markdown exports.
//! Bad input is a 4xx with nothing written, never a 500, on both databases.

use crate::common::*;
use crate::import::{problems, upload};

const ISSUES: &str = "/api/v1/orgs/acme/context-issues";

/// Posts a JSON body given as raw text (with the CSRF header of the session).
async fn raw_json(c: &Client, method: Method, path: &str, body: &str) -> Resp {
    let b = reqwest::Client::new()
        .request(method, format!("{}{path}", c.base()))
        .header("cookie", format!("borgen_session={}; borgen_csrf={}", c.cookie("borgen_session").unwrap(), c.csrf()))
        .header("x-csrf-token", c.csrf())
        .header("content-type", "application/json")
        .body(body.to_string());
    Client::send(b).await
}

db_test!(input_nul_in_forms_queries_login_paths_and_json_is_a_4xx_and_writes_nothing, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let counts = || async { (w.s.count("context_issues").await, w.s.count("audit_events").await) };
    let before = counts().await;

    // A form field.
    let r =
        m.post_form("/o/acme/context/issues", &[("title", "a\0b"), ("kind", "internal"), ("category", "legal")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("NUL character"), "{}", r.text);
    // The search box and other filters, on pages and in the API.
    for path in [
        "/o/acme/context/issues?q=a%00b",
        "/o/acme/context/issues?q=x&sort=%00",
        "/o/acme/context/issues/export/csv?q=%00",
        "/o/acme/audit-log?q=%00",
        "/api/v1/orgs/acme/context-issues?q=%00",
        "/api/v1/orgs/acme/risks?q=x%00",
        // Path segments reach the database too.
        "/o/ac%00me/context/issues",
        "/api/v1/orgs/acme/soa/rows/5.%001",
        "/api/v1/orgs/acme%00/soa",
    ] {
        let r = m.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text);
        if path.starts_with("/api/") {
            assert_eq!(r.json()["error"]["code"], "input.nul", "{path}");
        }
    }
    // The login form: e-mail and password (anonymous, so nothing to lean on).
    let anon = w.s.client();
    for fields in
        [[("email", "manager@acme.test\0"), ("password", PW)], [("email", "manager@acme.test"), ("password", "x\0y")]]
    {
        let r = anon.post_form("/login", &fields).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert!(anon.cookie("borgen_session").is_none());
    }
    // A Dutch browser gets the message in Dutch.
    let nl = w.s.client().with_lang("nl");
    let r = nl.post_form("/login", &[("email", "\0"), ("password", "x")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("NUL-teken"), "{}", r.text);
    // JSON fields, keys and nested values.
    for body in [
        json!({"title": "a\u{0}b", "kind": "internal", "category": "legal"}),
        json!({"title": "ok", "kind": "internal\u{0}", "category": "legal"}),
        json!({"title": "ok", "kind": "internal", "category": "legal", "x\u{0}": 1}),
        json!({"title": "ok", "kind": "internal", "category": "legal", "extra": ["\u{0}"]}),
    ] {
        let r = m.json(Method::POST, ISSUES, &body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text);
        assert_eq!(r.json()["error"]["code"], "input.nul");
    }
    let r = m.json(Method::PUT, "/api/v1/orgs/acme/soa/rows/5.1", &json!({"inclusion_note": "\u{0}"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(counts().await, before);
    assert_eq!(w.s.count("soa_entries").await, 0);
    // Everything still works afterwards.
    assert_eq!(m.get("/o/acme/context/issues?q=ok").await.status, StatusCode::OK);
});

db_test!(input_control_and_bidi_characters_are_refused_next_to_the_field, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let before = (w.s.count("context_issues").await, w.s.count("audit_events").await);
    // A form: 422, the form again with the message next to the field.
    let r = m
        .post_form("/o/acme/context/issues", &[("title", "bell\u{7}"), ("kind", "internal"), ("category", "legal")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("Remove the invisible control character"), "{}", r.text);
    let r = m
        .post_form(
            "/o/acme/context/issues",
            &[("title", "Invoice \u{202E}fdp.exe"), ("kind", "internal"), ("category", "legal")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Remove the text-direction control character"), "{}", r.text);
    // JSON: the field and its code.
    for (body, field, code) in [
        (json!({"title": "a\u{2066}b", "kind": "internal", "category": "legal"}), "title", "input.bidi"),
        (json!({"title": "two\nlines", "kind": "internal", "category": "legal"}), "title", "input.line_break"),
        (
            json!({"title": "ok", "kind": "internal", "category": "legal", "description": "x\u{1b}[31m"}),
            "description",
            "input.control_char",
        ),
    ] {
        let r = m.json(Method::POST, ISSUES, &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
        let f = &r.json()["error"]["fields"][0];
        assert_eq!((f["field"].as_str(), f["code"].as_str()), (Some(field), Some(code)), "{body}");
    }
    // Notes that bypass the forms (an SoA version note) follow the same rule.
    let r = m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({"note": "x\u{202D}y"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!((w.s.count("context_issues").await, w.s.count("audit_events").await), before);
    // Line breaks and tabs stay fine in multi-line fields, marks in any field.
    let body = json!({"title": "Hebrew \u{200F}שלום\u{200E} ok", "kind": "internal", "category": "legal",
                      "description": "line 1\r\nline 2\tend"});
    let r = m.json(Method::POST, ISSUES, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["description"], "line 1\r\nline 2\tend");
});

db_test!(input_import_cells_with_control_characters_are_problems_not_500s, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let before = (w.s.count("assets").await, w.s.count("soa_entries").await, w.s.count("audit_events").await);
    // CSV with a NUL and a bidi override in asset names.
    let csv = "Naam;Soort\nLap\0top;Hardware\nInvoice \u{202E}fdp.exe;Hardware\nGood;Hardware\n";
    let r = upload(m, "/api/v1/orgs/acme/assets/import", "text/csv", csv.into()).await;
    assert_eq!(
        problems(&r),
        [(2, "Naam".to_string(), "input.control_char".to_string()), (3, "Naam".into(), "input.bidi".into())]
    );
    // XLSX with a NUL-free but bidi-laden cell, and a line break in a one-line field.
    let table = borgen_report::Table {
        title: "Assets".into(),
        headers: vec!["Naam".into(), "Soort".into()],
        rows: vec![vec!["Kast\u{2067}".into(), "Hardware".into()], vec!["Two\nlines".into(), "Hardware".into()]],
    };
    let xlsx = borgen_report::to_xlsx(&table).unwrap();
    let r = upload(
        m,
        "/api/v1/orgs/acme/assets/import",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx,
    )
    .await;
    assert_eq!(
        problems(&r),
        [(2, "Naam".to_string(), "input.bidi".to_string()), (3, "Naam".into(), "input.line_break".into())]
    );
    // A risk import's cells go through the same forms.
    let csv = "Titel;Beschrijving\nData\0lek;x\n";
    let r = upload(m, "/api/v1/orgs/acme/risks/import", "text/csv", csv.into()).await;
    assert!(problems(&r).contains(&(2, "Titel".to_string(), "input.control_char".to_string())), "{}", r.text);
    // The SoA import's justification column.
    let csv = "control,applicable,justification\n7.6,no,Geen\0ruimten\n";
    let r = upload(m, "/api/v1/orgs/acme/soa/import", "text/csv", csv.into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["error"]["rows"][0]["code"], "input.control_char");
    assert_eq!((w.s.count("assets").await, w.s.count("soa_entries").await, w.s.count("audit_events").await), before);
});

db_test!(input_json_arrays_where_an_object_is_expected_change_nothing, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    // The finding: `[null,null]` reset SoA row 5.2.
    let r = m
        .json(
            Method::PUT,
            "/api/v1/orgs/acme/soa/rows/5.2",
            &json!({"applicable": true, "reasons": ["business"], "inclusion_note": "Roles set", "status": "implemented"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let row = m.get("/api/v1/orgs/acme/soa/rows/5.2").await.json();
    let events = w.s.count("audit_events").await;
    for body in ["[null,null]", "[]", "[true,[\"business\"],null,null,\"not_started\"]", "null", "\"x\"", "5"] {
        let r = raw_json(m, Method::PUT, "/api/v1/orgs/acme/soa/rows/5.2", body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text);
        assert_eq!(r.json()["error"]["code"], "input.json_object", "{body}");
    }
    assert_eq!(m.get("/api/v1/orgs/acme/soa/rows/5.2").await.json(), row, "the row is unchanged");
    // Another register: a context issue, created and updated from arrays.
    let issue = w.issue("Klimaat", None).await;
    let path = format!("{ISSUES}/{}", issue["id"].as_str().unwrap());
    let n = w.s.count("context_issues").await;
    let r = raw_json(m, Method::POST, ISSUES, "[\"Array issue\",\"internal\",\"legal\"]").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = raw_json(m, Method::PUT, &path, "[\"Renamed\",\"internal\",\"legal\"]").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.json()["error"]["code"], "input.json_object");
    let after = m.get(&path).await.json();
    assert_eq!(
        (after["title"].clone(), after["updated_at"].clone()),
        (issue["title"].clone(), issue["updated_at"].clone())
    );
    assert_eq!(w.s.count("context_issues").await, n);
    assert_eq!(w.s.count("audit_events").await, events + 1, "only the issue's creation");
});

/// The CSV text of a response (without the byte-order mark).
fn csv_text(r: &Resp) -> String {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.text.trim_start_matches('\u{feff}').to_string()
}

db_test!(input_csv_exports_quote_every_field_and_defuse_formulas_after_separators, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let evil = "a;=1+1;b8";
    w.issue(evil, None).await;
    let r = m.json(Method::POST, "/api/v1/orgs/acme/assets", &json!({"name": evil, "asset_type": "hardware"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = m
        .json(
            Method::PUT,
            "/api/v1/orgs/acme/soa/rows/5.1",
            &json!({"applicable": true, "reasons": ["business"], "inclusion_note": evil}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for path in [
        "/o/acme/context/issues/export/csv",
        "/api/v1/orgs/acme/context-issues/export/csv",
        "/o/acme/assets/export/csv",
        "/api/v1/orgs/acme/assets/export/csv",
        "/o/acme/soa/export/csv",
    ] {
        let text = csv_text(&m.get(path).await);
        assert!(text.contains("\"'a;=1+1;b8\""), "{path}: {text}");
        assert!(!text.contains(",a;=1+1") && !text.starts_with("a;="), "{path}");
        // Every field quoted: each line starts and ends with a quote.
        for line in text.lines().filter(|l| !l.is_empty()) {
            assert!(line.starts_with('"') && line.ends_with('"'), "{path}: {line}");
        }
    }
    // Our own import reads our export back as it was.
    let text = csv_text(&m.get("/o/acme/soa/export/csv").await);
    let rows = borgen_report::import::read_table(text.as_bytes()).unwrap();
    assert!(rows.iter().any(|r| r.iter().any(|c| c == evil)), "{rows:?}");
});

db_test!(input_markdown_soa_export_escapes_html, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let r = m
        .json(
            Method::PUT,
            "/api/v1/orgs/acme/soa/rows/5.1",
            &json!({"applicable": true, "reasons": ["business"], "inclusion_note": "<script>alert(1)</script> a|b\nc"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for path in ["/o/acme/soa/export/md", "/api/v1/orgs/acme/soa/export/md"] {
        let r = m.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(!r.text.contains("<script"), "{path}: raw HTML in the export");
        assert!(r.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; a\\|b c"), "{path}: {}", r.text);
        // Still a table of 93 rows plus header and rule.
        assert_eq!(r.text.lines().filter(|l| l.starts_with('|')).count(), 95, "{path}");
    }
});
