//! The Statement of Applicability: rules, derived reasons and status,
//! versions (issue, approve, immutable), comparison, exports, authorisation.

use crate::common::*;

async fn put_row(c: &Client, control: &str, body: Value) -> Resp {
    c.json(Method::PUT, &format!("/api/v1/orgs/acme/soa/rows/{control}"), &body).await
}

db_test!(the_rules_of_the_soa_hold_through_pages_and_api, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let table = m.get("/api/v1/orgs/acme/soa").await.json();
    assert_eq!(table["rows"].as_array().unwrap().len(), 93, "every Annex A control from the first day");
    assert_eq!(table["progress"]["undecided"], 93);
    let events = w.s.count("audit_events").await;
    // Excluded without justification: refused next to the field, nothing written.
    let r = m.post_form("/o/acme/soa/7.6", &[("applicable", "no")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("An excluded control needs a justification."));
    // Included without any reason: refused.
    let r = put_row(m, "5.1", json!({"applicable": "yes"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.soa_reason_required");
    let r = put_row(m, "5.1", json!({"applicable": "maybe", "reasons": ["whim"]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.s.count("soa_entries").await, 0);
    assert_eq!(w.s.count("audit_events").await, events);
    // With a reason, and excluded with a justification: accepted.
    let r = m
        .post_form("/o/acme/soa/5.1", &[("applicable", "yes"), ("reason_business", "on"), ("status", "implemented")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let r =
        put_row(m, "7.6", json!({"applicable": false, "exclusion_justification": "No secure areas of our own."})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "not_applicable");
    // A legal requirement linked from 4.2 gives the reason by itself.
    let p = w.party("Autoriteit Persoonsgegevens", None).await;
    let pid = p["id"].as_str().unwrap();
    let req = m
        .json(
            Method::POST,
            &format!("/api/v1/orgs/acme/interested-parties/{pid}/requirements"),
            &json!({"title": "Report breaches in 72 hours", "req_type": "legal"}),
        )
        .await
        .json();
    let rid = req["id"].as_str().unwrap().to_string();
    let r = put_row(m, "5.24", json!({"applicable": "yes", "requirement_ids": [rid]})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let row = r.json();
    assert_eq!(row["reasons"], json!(["legal"]));
    assert_eq!(row["derived_reasons"], json!(["legal"]));
    assert_eq!(row["requirements"][0]["title"], "Report breaches in 72 hours");
    // Derived reasons follow the links: archiving the requirement removes it.
    m.call(Method::POST, &format!("/api/v1/orgs/acme/requirements/{rid}/archive")).await;
    let row = m.get("/api/v1/orgs/acme/soa/rows/5.24").await.json();
    assert_eq!(row["reasons"], json!([]));
    // A requirement of another organisation cannot be linked.
    let theirs = w
        .outsider
        .json(Method::POST, "/api/v1/orgs/other/interested-parties", &json!({"name": "X", "party_type": "customer"}))
        .await
        .json();
    let theirs_req = w
        .outsider
        .json(
            Method::POST,
            &format!("/api/v1/orgs/other/interested-parties/{}/requirements", theirs["id"].as_str().unwrap()),
            &json!({"title": "T", "req_type": "legal"}),
        )
        .await
        .json();
    let r = put_row(m, "5.2", json!({"applicable": "yes", "requirement_ids": [theirs_req["id"]]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.unknown_requirement");
    assert_eq!(m.get("/api/v1/orgs/acme/soa/rows/99.1").await.status, StatusCode::NOT_FOUND);
    assert_eq!(m.get("/o/acme/soa/99.1").await.status, StatusCode::NOT_FOUND);
    // Every accepted change wrote one event; the row's page shows it.
    // 5.1, 7.6, 5.24, the party, its requirement, archiving it; and the
    // other organisation's party and requirement.
    assert_eq!(w.s.count("audit_events").await, events + 6 + 2);
    assert!(m.get("/o/acme/soa/5.1").await.text.contains("History"));
});

db_test!(status_follows_the_applied_controls, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    put_row(m, "8.5", json!({"applicable": "yes", "reasons": ["business"], "status": "not_started"})).await;
    let r = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/applied-controls",
            &json!({"name": "MFA everywhere", "status": "planned", "control_ids": "8.5, 5.17"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let a = r.json();
    assert_eq!(a["control_ids"], json!(["5.17", "8.5"]));
    let row = m.get("/api/v1/orgs/acme/soa/rows/8.5").await.json();
    assert_eq!((row["status"].as_str(), row["status_derived"].as_bool()), (Some("planned"), Some(true)));
    let id = a["id"].as_str().unwrap();
    let r = m
        .json(
            Method::PUT,
            &format!("/api/v1/orgs/acme/applied-controls/{id}"),
            &json!({"name": "MFA everywhere", "status": "implemented", "control_ids": "8.5"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(m.get("/api/v1/orgs/acme/soa/rows/8.5").await.json()["status"], "implemented");
    assert_eq!(m.get("/api/v1/orgs/acme/soa/rows/5.17").await.json()["applied_controls"], json!([]));
    // Archived applied controls no longer count.
    m.call(Method::POST, &format!("/api/v1/orgs/acme/applied-controls/{id}/archive")).await;
    assert_eq!(m.get("/api/v1/orgs/acme/soa/rows/8.5").await.json()["status"], "not_started");
    // Bad input: unknown Annex A id, no status.
    let r = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/applied-controls",
            &json!({"name": "X", "status": "planned", "control_ids": "9.99"}),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.unknown_control");
    let r = m.post_form("/o/acme/soa/applied", &[("name", "Y")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.s.count("applied_controls").await, 1);
    // Pages: the register lists it with its controls; a contributor cannot create.
    assert!(m.get("/o/acme/soa/applied?archived=all").await.text.contains("MFA everywhere"));
    // The SoA row offers a new applied control for it, filled in.
    let row = m.get("/o/acme/soa/8.5").await.text;
    assert!(row.contains("/o/acme/soa/applied/new?status=planned&amp;control_ids=8.5"), "{row}");
    let form = m.get("/o/acme/soa/applied/new?control_ids=8.5&org_id=x").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("name=\"control_ids\"") && form.text.contains("value=\"8.5\""), "{}", form.text);
    assert!(!w.contributor.get("/o/acme/soa/8.5").await.text.contains("applied/new"), "only for who may create");
    assert_eq!(
        w.contributor.post_form("/o/acme/soa/applied", &[("name", "Z"), ("status", "planned")]).await.status,
        StatusCode::FORBIDDEN
    );
});

db_test!(a_version_is_issued_only_when_every_control_is_decided_without_contradiction, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let nl = m.clone().with_lang("nl");
    // 93 undecided: refused, each control named, nothing written.
    let events = w.s.count("audit_events").await;
    let r = m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let e = &r.json()["error"];
    assert_eq!(e["code"], "error.soa_gaps");
    assert_eq!(e["problems"].as_array().unwrap().len(), 93);
    assert_eq!(e["problems"][0]["code"], "soa_gap.undecided");
    assert_eq!(e["problems"][0]["args"]["control"], "5.1");
    assert_eq!(e["problems"][0]["message"], "5.1: not yet decided.");
    assert_eq!(w.s.count("soa_versions").await, 0);
    assert_eq!(w.s.count("audit_events").await, events);
    // The page says so before anyone tries, the form refuses naming each
    // control, and the API says it in the caller's language.
    let page = m.get("/o/acme/soa/versions").await.text;
    assert!(page.contains("93 controls stand in the way of a version"), "{page}");
    assert!(!page.contains("name=\"note\""), "no form to issue while controls stand in the way");
    let r = m.post_form("/o/acme/soa/versions", &[("note", "v1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("<li>8.34: not yet decided.</li>"), "{}", r.text);
    let r = nl.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await;
    assert_eq!(r.json()["error"]["problems"][0]["message"], "5.1: nog niet besloten.");
    // Decided, but contradicted: an undecided control that treats a risk, an
    // exclusion whose applied control is in place.
    decide_the_rest(m).await;
    put_row(m, "8.30", json!({"applicable": false, "exclusion_justification": "No outsourced development."})).await;
    let a = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/applied-controls",
            &json!({"name": "Contract with the app builder", "status": "implemented", "control_ids": "8.30"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    w.s.exec("DELETE FROM soa_entries WHERE control_id = '5.10'").await;
    let risk = m
        .json(
            Method::POST,
            "/api/v1/orgs/acme/risks",
            &json!({"title": "Data leak", "treatment": "mitigate", "control_ids": "5.10"}),
        )
        .await;
    assert_eq!(risk.status, StatusCode::CREATED, "{}", risk.text);
    let r = m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let found: Vec<(String, String)> = r.json()["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap().to_string(), p["message"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "soa_gap.undecided_treats_risk".to_string(),
                "5.10: not yet decided, but it treats R-001 Data leak.".to_string()
            ),
            (
                "soa_gap.excluded_in_place".to_string(),
                "8.30: excluded, but applied controls are (partly) in place: Contract with the app builder."
                    .to_string()
            ),
        ]
    );
    // Resolved: the version is issued.
    put_row(m, "5.10", json!({"applicable": true})).await;
    put_row(m, "8.30", json!({"applicable": true, "reasons": ["contractual"]})).await;
    assert_eq!(m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await.status, StatusCode::CREATED);
    // A version frozen with gaps (issued before the gate existed) is not approved either.
    w.s.exec("UPDATE soa_versions SET snapshot = REPLACE(snapshot, '\"applicable\":true', '\"applicable\":null')")
        .await;
    let r = w.top.json(Method::POST, "/api/v1/orgs/acme/soa/versions/1/approve", &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["error"]["code"], "error.version_gaps");
    assert!(m.get("/api/v1/orgs/acme/soa/versions/1").await.json()["version"]["approved_at"].is_null());
});

db_test!(versions_are_issued_approved_once_and_frozen, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    put_row(m, "5.1", json!({"applicable": "yes", "reasons": ["business"]})).await;
    put_row(m, "7.6", json!({"applicable": "no", "exclusion_justification": "No secure areas."})).await;
    // Only the ISMS manager issues; only top management approves.
    assert_eq!(
        w.top.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.contributor.post_form("/o/acme/soa/versions", &[]).await.status, StatusCode::FORBIDDEN);
    decide_the_rest(m).await;
    let r = m.post_form("/o/acme/soa/versions", &[("note", "First for the review")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/o/acme/soa/versions/1?done=created");
    assert_eq!(
        m.json(Method::POST, "/api/v1/orgs/acme/soa/versions/1/approve", &json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.auditor.post_form("/o/acme/soa/versions/1/approve", &[]).await.status, StatusCode::FORBIDDEN);
    let r = w.top.post_form("/o/acme/soa/versions/1/approve", &[("comment", "Agreed")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let v = m.get("/api/v1/orgs/acme/soa/versions/1").await.json();
    assert_eq!(v["version"]["approved_by_label"], "top");
    assert_eq!(v["version"]["approval_comment"], "Agreed");
    assert_eq!(v["rows"].as_array().unwrap().len(), 93);
    // Approval happens once.
    let r = w.top.json(Method::POST, "/api/v1/orgs/acme/soa/versions/1/approve", &json!({"comment": "again"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["code"], "error.soa_already_approved");
    // No route changes an issued version.
    for method in [Method::PUT, Method::DELETE, Method::PATCH] {
        let r = m.json(method.clone(), "/api/v1/orgs/acme/soa/versions/1", &json!({"rows": []})).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    // Changing the draft leaves the version as it was, and the comparison names the row.
    put_row(m, "5.1", json!({"applicable": "no", "exclusion_justification": "Changed our mind."})).await;
    put_row(m, "8.1", json!({"applicable": "yes", "reasons": ["legal"]})).await;
    let again = m.get("/api/v1/orgs/acme/soa/versions/1").await.json();
    assert_eq!(again["rows"], v["rows"], "frozen");
    let d = m.get("/api/v1/orgs/acme/soa/diff").await.json();
    let changed: Vec<&str> = d["rows"].as_array().unwrap().iter().map(|r| r["control_id"].as_str().unwrap()).collect();
    assert_eq!(changed, ["5.1", "8.1"]);
    assert_eq!(d["from"], "1");
    let page = m.get("/o/acme/soa").await.text;
    assert!(page.contains("2 rows changed since approved version 1"));
    assert!(m.get("/o/acme/soa/diff?from=1").await.text.contains("Changed our mind."));
    // Version 2, and any two versions can be compared.
    m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({"note": "second"})).await;
    let d = m.get("/api/v1/orgs/acme/soa/diff?from=1&to=2").await.json();
    assert_eq!(d["rows"].as_array().unwrap().len(), 2);
    assert!(m.get("/api/v1/orgs/acme/soa/diff?from=2&to=2").await.json()["rows"].as_array().unwrap().is_empty());
    assert_eq!(m.get("/api/v1/orgs/acme/soa/versions/9").await.status, StatusCode::NOT_FOUND);
    // The audit trail has the issue and the approval.
    let log = m.get("/api/v1/orgs/acme/audit-log").await.json();
    let actions: Vec<(String, String)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap().to_string(), e["entity_type"].as_str().unwrap().to_string()))
        .collect();
    assert!(
        actions.contains(&("approve".into(), "soa_version".into()))
            && actions.contains(&("issue".into(), "soa_version".into()))
    );
});

db_test!(soa_exports_and_the_print_view, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    put_row(m, "5.1", json!({"applicable": "yes", "reasons": ["business", "legal"], "inclusion_note": "Policy | set"}))
        .await;
    put_row(m, "7.6", json!({"applicable": "no", "exclusion_justification": "No secure areas."})).await;
    let csv_r = m.get("/o/acme/soa/export/csv").await;
    assert_eq!(csv_r.status, StatusCode::OK);
    let mut rdr = csv::Reader::from_reader(&csv_r.bytes[3..]);
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(headers[0], "Control");
    assert_eq!(headers.len(), 11);
    assert_eq!(headers[9], "Risks treated");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 93);
    assert_eq!(&rows[0][3], "Yes");
    assert!(rows[0][4].contains("Legal or regulatory") && rows[0][4].contains("Business requirement"));
    let excluded = rows.iter().find(|r| &r[0] == "7.6").unwrap();
    assert_eq!((&excluded[3], &excluded[5]), ("No", "No secure areas."));
    // Filters apply to the export; Dutch headers for a Dutch user.
    let nl = m.clone().with_lang("nl");
    let r = nl.get("/api/v1/orgs/acme/soa/export/csv").await;
    assert!(r.text.contains("Beheersmaatregel") && r.text.contains("Van toepassing"));
    let only = m.get("/o/acme/soa/export/csv?applicable=no").await;
    assert_eq!(csv::Reader::from_reader(&only.bytes[3..]).records().count(), 1);
    let x = m.get("/o/acme/soa/export/xlsx").await;
    assert_eq!(&x.bytes[..2], b"PK");
    let md = m.get("/o/acme/soa/export/md").await.text;
    assert_eq!(md.lines().filter(|l| l.starts_with("| ")).count(), 95, "header, rule and 93 rows");
    assert!(md.contains("Policy \\| set"), "pipes escaped");
    // Versions export their frozen rows.
    decide_the_rest(m).await;
    m.json(Method::POST, "/api/v1/orgs/acme/soa/versions", &json!({})).await;
    let v = m.get("/o/acme/soa/export/md?version=1").await;
    assert!(v.headers["content-disposition"].to_str().unwrap().contains("acme-soa-v1.md"));
    // The workbook says which version it is, and whether it is approved, on a sheet of its own.
    {
        use calamine::{Reader, Xlsx};
        let x = m.get("/o/acme/soa/export/xlsx?version=1").await;
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(x.bytes.to_vec())).unwrap();
        assert_eq!(wb.sheet_names().len(), 2);
        let about = wb.worksheet_range("About").unwrap();
        let pairs: Vec<(String, String)> = about.rows().map(|r| (r[0].to_string(), r[1].to_string())).collect();
        assert!(pairs.contains(&("Version".into(), "1".into())), "{pairs:?}");
        assert!(pairs.contains(&("Approval".into(), "Draft: not approved".into())), "{pairs:?}");
    }
    // The print view is a document: organisation, version, approval, scope note.
    let p = m.get("/o/acme/soa/print?version=1").await.text;
    assert!(
        p.contains("Acme B.V.") && p.contains("Awaiting approval") && p.contains("No scope statement is in force yet")
    );
    // And from the command line.
    let out = tempfile::NamedTempFile::new().unwrap();
    let (code, stdout, err) = run(borgen(
        &w.s,
        &[
            "export",
            "soa",
            "--org",
            "acme",
            "--format",
            "csv",
            "--version",
            "1",
            "--lang",
            "en",
            "--out",
            out.path().to_str().unwrap(),
        ],
    ));
    assert_eq!(code, 0, "{stdout}{err}");
    let bytes = std::fs::read(out.path()).unwrap();
    assert_eq!(csv::Reader::from_reader(&bytes[3..]).records().count(), 93);
    let (code, _, err) = run(borgen(
        &w.s,
        &["export", "soa", "--org", "acme", "--format", "odt", "--out", out.path().to_str().unwrap()],
    ));
    assert_eq!(code, 1);
    assert!(err.contains("unknown format"));
    // PDF: a real document whose text holds every control once.
    let (code, stdout, err) = run(borgen(
        &w.s,
        &[
            "export",
            "soa",
            "--org",
            "acme",
            "--format",
            "pdf",
            "--version",
            "1",
            "--lang",
            "nl",
            "--out",
            out.path().to_str().unwrap(),
        ],
    ));
    assert_eq!(code, 0, "{stdout}{err}");
    let pdf = std::fs::read(out.path()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", out.path().to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian poppler-utils) is needed for this test");
    let text = String::from_utf8_lossy(&text.stdout);
    for c in borgen_core::catalog::controls() {
        let starts = text.lines().filter(|l| l.trim_start().starts_with(&format!("{} ", c.id))).count();
        assert!(starts >= 1, "control {} missing from the PDF", c.id);
    }
    assert!(
        text.contains("Verklaring van Toepasselijkheid") && text.contains("Acme B.V.") && text.contains("pagina 1 van"),
        "{text}"
    );
    let web = m.get("/o/acme/soa/export/pdf").await;
    assert_eq!(web.headers["content-type"], "application/pdf");
    assert!(web.bytes.starts_with(b"%PDF-"));
});

db_test!(soa_permissions, |s| {
    let w = World::new(s).await;
    let cid = w.user_id("contributor@acme.test").await;
    put_row(&w.manager, "8.8", json!({"applicable": "yes", "reasons": ["business"], "owner_id": cid})).await;
    for c in [&w.manager, &w.contributor, &w.top, &w.auditor] {
        assert_eq!(c.get("/o/acme/soa").await.status, StatusCode::OK);
        assert_eq!(c.get("/api/v1/orgs/acme/soa").await.status, StatusCode::OK);
        assert_eq!(c.get("/o/acme/soa/versions").await.status, StatusCode::OK);
    }
    assert_eq!(w.viewer.get("/o/acme/soa").await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.viewer.get("/api/v1/orgs/acme/soa/export/csv").await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.outsider.get("/o/acme/soa").await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.outsider.get("/api/v1/orgs/acme/soa/rows/8.8").await.status, StatusCode::NOT_FOUND);
    // The owner edits their row, not others, and cannot give it away.
    let ok = put_row(
        &w.contributor,
        "8.8",
        json!({"applicable": "yes", "reasons": ["business"], "status": "partial", "owner_id": cid}),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(
        put_row(&w.contributor, "8.9", json!({"applicable": "yes", "reasons": ["business"]})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put_row(&w.contributor, "8.8", json!({"applicable": "yes", "reasons": ["business"]})).await.status,
        StatusCode::FORBIDDEN
    );
    for c in [&w.top, &w.auditor, &w.viewer] {
        assert_eq!(
            put_row(c, "8.8", json!({"applicable": "no", "exclusion_justification": "x"})).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(w.outsider.post_form("/o/acme/soa/8.8", &[("applicable", "no")]).await.status, StatusCode::NOT_FOUND);
});

db_test!(import_from_a_spreadsheet_is_all_or_nothing, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    // A Dutch spreadsheet with semicolons, as Excel writes it here.
    let good = "Beheersmaatregel;Van toepassing;Redenen voor opname;Onderbouwing;Implementatiestatus\n\
                5.1;Ja;Bedrijfseis of best practice;Beleid vastgesteld;Geïmplementeerd\n\
                A.7.6;Nee;;Geen beveiligde ruimten;\n\
                8.5;ja;contractual, legal;;planned\n";
    let r = soa_import(m, "text/csv", good.as_bytes().to_vec()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["rows"], 3);
    assert_eq!(r.json()["changed"], 3);
    let row = m.get("/api/v1/orgs/acme/soa/rows/8.5").await.json();
    assert_eq!((row["applicable"].as_bool(), row["status"].as_str()), (Some(true), Some("planned")));
    assert_eq!(row["reasons"], json!(["legal", "contractual"]));
    assert_eq!(
        m.get("/api/v1/orgs/acme/soa/rows/7.6").await.json()["exclusion_justification"],
        "Geen beveiligde ruimten"
    );
    // One bad row among good ones: every problem is named, nothing changes.
    let entries = w.s.count("soa_entries").await;
    let events = w.s.count("audit_events").await;
    let bad = "control,applicable,reasons,justification,status\n5.2,yes,business,,\n5.3,no,,,\n9.99,yes,,,\n5.4,perhaps,,,\n5.5,yes,,,\n";
    let r = soa_import(m, "text/csv", bad.as_bytes().to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let lines: Vec<(i64, String)> = r.json()["error"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(lines[0], (4, "error.unknown_control".to_string()));
    assert!(lines.contains(&(5, "error.unknown_value".into())));
    // Rules are checked only once the file parses; then 5.3 (no justification) and 5.5 (no reason) fail.
    let r = soa_import(
        m,
        "text/csv",
        "control,applicable,reasons,justification\n5.2,yes,business,\n5.3,no,,\n5.5,yes,,\n".as_bytes().to_vec(),
    )
    .await;
    let lines: Vec<(i64, String)> = r.json()["error"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        lines,
        [(3, "error.soa_exclusion_justification".to_string()), (4, "error.soa_reason_required".to_string())]
    );
    assert_eq!(w.s.count("soa_entries").await, entries);
    assert_eq!(w.s.count("audit_events").await, events);
    // Our own XLSX export reads back unchanged.
    let x = m.get("/o/acme/soa/export/xlsx").await;
    let r = soa_import(m, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", x.bytes).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.json()["rows"].as_i64(), r.json()["changed"].as_i64()), (Some(93), Some(0)));
    // Unreadable, empty, wrong type, wrong role.
    let r = soa_import(
        m,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04broken".to_vec(),
    )
    .await;
    assert_eq!(r.json()["error"]["rows"][0]["code"], "error.import_unreadable");
    assert_eq!(soa_import(m, "text/csv", Vec::new()).await.json()["error"]["rows"][0]["code"], "error.import_empty");
    assert_eq!(soa_import(m, "application/json", b"{}".to_vec()).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(soa_import(&w.contributor, "text/csv", good.as_bytes().to_vec()).await.status, StatusCode::FORBIDDEN);
    // The page: a multipart upload with the CSRF field.
    let form = reqwest::multipart::Form::new()
        .text("_csrf", m.csrf())
        .part("file", reqwest::multipart::Part::bytes(bad.as_bytes().to_vec()).file_name("soa.csv"));
    let page = Client::send(
        reqwest::Client::new()
            .post(format!("{}/o/acme/soa/import", m.base()))
            .header(
                "cookie",
                format!("borgen_session={}; borgen_csrf={}", m.cookie("borgen_session").unwrap(), m.csrf()),
            )
            .multipart(form),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("Nothing has been changed") && page.text.contains("Use the ids of Annex A controls"));
    let no_csrf =
        reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(good.as_bytes().to_vec()));
    let r = Client::send(
        reqwest::Client::new()
            .post(format!("{}/o/acme/soa/import", m.base()))
            .header(
                "cookie",
                format!("borgen_session={}; borgen_csrf={}", m.cookie("borgen_session").unwrap(), m.csrf()),
            )
            .multipart(no_csrf),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
});
