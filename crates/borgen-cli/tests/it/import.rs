//! Importing the asset inventory and the risk register from CSV and XLSX:
//! columns found from Dutch or English headers or chosen by the user, names
//! resolved against the organisation, every problem by line and column, and
//! nothing written when there is any; through the API, the pages and the CLI.

use crate::common::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(crate) async fn upload(c: &Client, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
    upload_in(c, "en", path, content_type, body).await
}

async fn upload_in(c: &Client, lang: &str, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
    let b = reqwest::Client::new()
        .post(format!("{}{path}", c.base()))
        .header("cookie", format!("borgen_session={}; borgen_csrf={}", c.cookie("borgen_session").unwrap(), c.csrf()))
        .header("x-csrf-token", c.csrf())
        .header("content-type", content_type)
        .header("accept-language", lang)
        .body(body);
    Client::send(b).await
}

/// The problems of a rejected import: (line, column, code).
pub(crate) fn problems(r: &Resp) -> Vec<(i64, String, String)> {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    r.json()["error"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (e["line"].as_i64().unwrap(), e["column"].as_str().unwrap().into(), e["code"].as_str().unwrap().into())
        })
        .collect()
}

fn p(line: i64, column: &str, code: &str) -> (i64, String, String) {
    (line, column.into(), code.into())
}

const ASSETS: &str = "/api/v1/orgs/acme/assets/import";
const RISKS: &str = "/api/v1/orgs/acme/risks/import";

db_test!(assets_and_risks_come_in_from_spreadsheets_all_or_nothing, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let before = (w.s.count("assets").await, w.s.count("audit_events").await);
    // A Dutch inventory with every kind of mistake: nothing of it is written.
    let bad = "Naam;Soort;Eigenaar;Behoefte vertrouwelijkheid;Ondersteunt deze assets\n\
               Laptop;Hardware;nobody@acme.test;;\n\
               Kantoor;Gebouw;;;\n\
               Router;Hardware;;7;\n\
               Switch;Hardware;;;Onbekend\n\
               A;Hardware;;;B\n\
               B;Hardware;;;A\n\
               laptop;Hardware;;;\n";
    let r = upload(m, ASSETS, "text/csv", bad.into()).await;
    assert_eq!(
        problems(&r),
        [
            p(2, "Eigenaar", "error.import_unknown_owner"),
            p(3, "Soort", "error.unknown_value"),
            p(4, "Behoefte vertrouwelijkheid", "error.unknown_value"),
            p(5, "Ondersteunt deze assets", "error.unknown_asset"),
            p(6, "Ondersteunt deze assets", "error.import_cycle"),
            p(7, "Ondersteunt deze assets", "error.import_cycle"),
            p(8, "Naam", "error.import_duplicate_name"),
        ]
    );
    assert_eq!(
        r.json()["error"]["rows"][0]["message"],
        "No member of this organisation has that e-mail address or name."
    );
    assert_eq!((w.s.count("assets").await, w.s.count("audit_events").await), before);

    // The good file: a supporting asset may come before what it supports;
    // needs by number or name; the owner by e-mail.
    let good = "Naam;Soort;Eigenaar;Classificatie;Behoefte vertrouwelijkheid;Behoefte integriteit;Behoefte beschikbaarheid;Ondersteunt deze assets\n\
                Back-up NAS;hardware;;;;;;Fileserver\n\
                Klantdossiers;Informatie;manager@acme.test;Vertrouwelijk;hoog;2;zeer hoog;\n\
                Fileserver;Hardware;;Intern;;;;Klantdossiers\n";
    let r = upload(m, ASSETS, "text/csv", good.into()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["created"], 3);
    let items = m.get("/api/v1/orgs/acme/assets").await.json()["items"].as_array().unwrap().clone();
    let nas = items.iter().find(|a| a["name"] == "Back-up NAS").unwrap();
    assert_eq!(nas["effective"], json!({"need_c": 3, "need_i": 2, "need_a": 4}), "inherited through the file server");
    let dossiers = items.iter().find(|a| a["name"] == "Klantdossiers").unwrap();
    assert_eq!(dossiers["classification"], "confidential");
    assert!(dossiers["owner_id"].is_string());
    assert_eq!(w.s.count("audit_events").await, before.1 + 3, "one audit event per imported asset");
    // The same file again: every name exists already.
    let again = problems(&upload(m, ASSETS, "text/csv", good.into()).await);
    let dup: Vec<i64> = again.iter().filter(|e| e.2 == "error.import_duplicate_name").map(|e| e.0).collect();
    assert_eq!(dup, [2, 3, 4]);

    // Risks, in English, with a column the user maps by hand.
    let risks = "What can go wrong,Assets,Threat,CIA,Owner,Inherent likelihood,Inherent impact,Treatment option,Rationale,Planned Annex A controls,Residual risk,Status,Next review\n\
                 Ransomware encrypts the file server,Fileserver; Back-up NAS,Other malware,CI A,manager@acme.test,4,Major,Mitigate,,8.7 8.13,2 × 3,In treatment,31-03-2027\n\
                 Fire in the server room,Fileserver,Fire,A,,Rare,5,Accept,Insured and rare,,,,\n";
    let r = problems(&upload(m, RISKS, "text/csv", risks.into()).await);
    assert_eq!(r, [p(1, "title", "error.import_missing_column")], "no column is recognised as the title");
    let mapped = format!("{RISKS}?map.What%20can%20go%20wrong=title");
    let bad_rows = risks
        .replace("Fileserver; Back-up NAS", "Mainframe")
        .replace(",Rare,5,", ",Rare,6,")
        .replace("Accept,Insured and rare", "Accept,");
    let r = problems(&upload(m, &mapped, "text/csv", bad_rows.into()).await);
    assert_eq!(
        r,
        [
            p(2, "Assets", "error.unknown_asset"),
            p(3, "Inherent impact", "error.risk_score_range"),
            p(3, "Rationale", "error.risk_rationale_required"),
        ]
    );
    assert_eq!(w.s.count("risks").await, 0);
    let r = upload(m, &mapped, "text/csv", risks.into()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        (r.json()["created"].as_i64(), r.json()["first"].as_str(), r.json()["last"].as_str()),
        (Some(2), Some("R-001"), Some("R-002"))
    );
    let list = m.get("/api/v1/orgs/acme/risks?sort=number").await.json();
    let r1 = &list["items"][0];
    assert_eq!(r1["title"], "Ransomware encrypts the file server");
    assert_eq!(r1["asset_ids"].as_array().unwrap().len(), 2);
    assert_eq!(
        (r1["affects_c"].as_bool(), r1["affects_i"].as_bool(), r1["affects_a"].as_bool()),
        (Some(true), Some(true), Some(true))
    );
    assert_eq!(r1["inherent"], json!({"likelihood": 4, "impact": 4}), "'Major' is level 4 of the default impact scale");
    assert_eq!(r1["residual"], json!({"likelihood": 2, "impact": 3}));
    assert_eq!((r1["treatment"].as_str(), r1["status"].as_str()), (Some("mitigate"), Some("in_treatment")));
    assert_eq!(r1["control_ids"], json!(["8.7", "8.13"]));
    assert_eq!(r1["next_review"], "2027-03-31");
    assert_eq!(r1["methodology_version"], 1);
    assert_eq!(list["items"][1]["threat"], "fire");
    // Mitigation with 8.13 makes it a risk-treatment reason in the SoA.
    let row = m.get("/api/v1/orgs/acme/soa/rows/8.13").await.json();
    assert!(row["derived_reasons"].as_array().unwrap().iter().any(|r| r == "risk_treatment"), "{row}");

    // Our own XLSX export of the register reads back into another organisation's format checks.
    let x = m.get("/o/acme/risks/export/xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    let r = upload(m, RISKS, XLSX, x.bytes).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!((r.json()["first"].as_str(), r.json()["last"].as_str()), (Some("R-003"), Some("R-004")));
    let copy = m.get("/api/v1/orgs/acme/risks?sort=number").await.json()["items"][2].clone();
    for k in [
        "title",
        "asset_ids",
        "threat",
        "inherent",
        "residual",
        "treatment",
        "control_ids",
        "status",
        "next_review",
        "owner_id",
    ] {
        assert_eq!(copy[k], r1[k], "{k} survives the round trip");
    }

    // Bad input: unreadable, empty, wrong type, unknown mapping, wrong role, outsider.
    assert_eq!(problems(&upload(m, RISKS, XLSX, b"PK\x03\x04broken".to_vec()).await)[0].2, "error.import_unreadable");
    assert_eq!(problems(&upload(m, RISKS, "text/csv", Vec::new()).await)[0].2, "error.import_empty");
    assert_eq!(problems(&upload(m, RISKS, "text/csv", "Title\n\n".into()).await)[0].2, "error.import_no_rows");
    // A separator inside an unquoted cell shifts the row: refused, not imported askew.
    let shifted = "name,asset_type,location\nLaptop,hardware,Utrecht\nPrinter,hardware,Hal 2, verdieping 1\n";
    assert_eq!(problems(&upload(m, ASSETS, "text/csv", shifted.into()).await), [p(3, "", "error.import_extra_cells")]);
    // Blank lines keep the line numbers true to the file.
    let gaps = "name,asset_type\n\nLaptop 9,hardware\n\nPrinter 9,printer\n";
    assert_eq!(
        problems(&upload(m, ASSETS, "text/csv", gaps.into()).await),
        [p(5, "asset_type", "error.unknown_value")]
    );
    assert_eq!(upload(m, RISKS, "application/json", b"{}".to_vec()).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = problems(&upload(m, &format!("{RISKS}?map.Nope=title&map.Assets=colour"), "text/csv", risks.into()).await);
    assert_eq!(r[..2], [p(1, "Nope", "error.import_unknown_column"), p(1, "Assets", "error.import_unknown_field")]);
    for c in [&w.contributor, &w.auditor, &w.viewer, &w.top] {
        assert_eq!(upload(c, ASSETS, "text/csv", good.into()).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(upload(&w.outsider, RISKS, "text/csv", risks.into()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.s.count("risks").await, 4);
    // A file larger than the ordinary request limit (1 MiB) goes in whole.
    let long = "x".repeat(480);
    let mut big = String::from("name,asset_type,description\n");
    for n in 0..3000 {
        big.push_str(&format!("Laptop {n},hardware,{long}\n"));
    }
    assert!(big.len() > 1024 * 1024);
    let r = upload(m, ASSETS, "text/csv", big.into()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["created"], 3000);
});

/// A multipart post to an import page with the CSRF field.
async fn page_post(c: &Client, path: &str, form: reqwest::multipart::Form) -> Resp {
    let form = form.text("_csrf", c.csrf());
    Client::send(
        reqwest::Client::new()
            .post(format!("{}{path}", c.base()))
            .header(
                "cookie",
                format!("borgen_session={}; borgen_csrf={}", c.cookie("borgen_session").unwrap(), c.csrf()),
            )
            .multipart(form),
    )
    .await
}

db_test!(the_import_page_shows_the_columns_then_imports, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let page = m.get("/o/acme/assets/import").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Import assets"));
    assert_eq!(w.viewer.get("/o/acme/assets/import").await.status, StatusCode::FORBIDDEN);
    let file = "Wat,Soort asset,Opmerking\nKlantdossiers,information,x\nCRM,software,y\n";
    // Step 1: the file is read and its columns shown with their fields.
    let part = reqwest::multipart::Part::bytes(file.as_bytes().to_vec()).file_name("assets.csv");
    let r = page_post(m, "/o/acme/assets/import", reqwest::multipart::Form::new().part("file", part)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("Check the columns") && r.text.contains("2 data rows."));
    let data = r.text.split("name=\"data\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    assert_eq!(w.s.count("assets").await, 0, "checking the columns writes nothing");
    // Importing without a name column names the problem and writes nothing.
    let form = || reqwest::multipart::Form::new().text("data", data.clone()).text("go", "import");
    let r = page_post(m, "/o/acme/assets/import", form().text("map_1", "asset_type")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("A required field has no column"), "{}", r.text);
    assert_eq!(w.s.count("assets").await, 0);
    // Choosing the name column imports both rows.
    let r = page_post(m, "/o/acme/assets/import", form().text("map_0", "name").text("map_2", "")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("2 assets imported."), "{}", r.text);
    assert_eq!(w.s.count("assets").await, 2);
    // The risk import page; a post without the CSRF field is refused.
    let nl = m.get("/o/acme/risks/import").await;
    assert!(nl.text.contains("Import risks"));
    let part = reqwest::multipart::Part::bytes(b"Titel\nx\n".to_vec()).file_name("r.csv");
    let r = Client::send(
        reqwest::Client::new()
            .post(format!("{}/o/acme/risks/import", m.base()))
            .header(
                "cookie",
                format!("borgen_session={}; borgen_csrf={}", m.cookie("borgen_session").unwrap(), m.csrf()),
            )
            .multipart(reqwest::multipart::Form::new().part("file", part)),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
});

db_test!(the_command_line_imports_with_a_column_choice, |s| {
    let w = World::new(s).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("assets.csv");
    std::fs::write(&path, "Omschrijving kort,Soort asset\nLaptop,hardware\nTelefoon,hardware\n").unwrap();
    let file = path.to_str().unwrap();
    let (code, _, err) = run(borgen(&w.s, &["import", "assets", file, "--org", "acme", "--lang", "en"]));
    assert_eq!(code, 1);
    assert!(err.contains("A required field has no column"), "{err}");
    assert_eq!(w.s.count("assets").await, 0);
    let (code, out, err) = run(borgen(
        &w.s,
        &["import", "assets", file, "--org", "acme", "--lang", "en", "--map", "Omschrijving kort=name"],
    ));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 assets imported."), "{out}");
    assert_eq!(w.s.count("assets").await, 2);
    let (code, _, err) = run(borgen(&w.s, &["import", "risks", "/nonexistent.csv", "--org", "acme"]));
    assert_ne!(code, 0);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, err) = run(borgen(&w.s, &["import", "risks", file, "--org", "nope"]));
    assert_ne!(code, 0);
    assert!(err.contains("no organisation"), "{err}");
});

/// The bomb is made once for both databases' runs (it takes a moment).
fn bomb() -> &'static [u8] {
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    // 130 MiB of one shared string: over the 128 MiB the reader holds.
    BOMB.get_or_init(|| borgen_testkit::crafted::shared_string_bomb(130))
}

db_test!(crafted_workbooks_are_refused_and_the_server_keeps_running, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    let before = (w.s.count("assets").await, w.s.count("risks").await, w.s.count("audit_events").await);
    // Finding 1: 5 KB declaring a trillion shared strings aborted the process.
    let trillion = borgen_testkit::crafted::declared_trillion_strings();
    assert!(trillion.len() < 10_000, "{} bytes", trillion.len());
    for path in [ASSETS, RISKS, "/api/v1/orgs/acme/soa/import"] {
        let r = upload(m, path, XLSX, trillion.clone()).await;
        assert_eq!(problems(&r), [p(1, "", "error.import_limit_strings")], "{path}");
    }
    assert_eq!(w.s.client().get("/healthz").await.text, "ok");
    // Finding 2: a zip bomb of about a megabyte, refused before it is unpacked
    // whole; two at once as well.
    assert!(bomb().len() < 2 * 1024 * 1024, "{} bytes", bomb().len());
    let (a, b) = tokio::join!(upload(m, ASSETS, XLSX, bomb().to_vec()), upload(m, RISKS, XLSX, bomb().to_vec()));
    assert_eq!(problems(&a), [p(1, "", "error.import_limit_strings")]);
    assert_eq!(problems(&b), [p(1, "", "error.import_limit_strings")]);
    // The same refusal in Dutch, on the page.
    let nl = upload_in(m, "nl", ASSETS, XLSX, trillion.clone()).await;
    assert!(nl.json()["error"]["rows"][0]["message"].as_str().unwrap().contains("XLSX-bestand"), "{}", nl.text);
    // A real workbook still imports.
    let r = upload(m, ASSETS, XLSX, borgen_testkit::crafted::workbook(3)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(w.s.count("assets").await, before.0 + 3);
    assert_eq!(w.s.count("risks").await, before.1);
    assert_eq!(w.s.count("audit_events").await, before.2 + 3);
});

db_test!(sheets_over_the_reader_limits_are_refused_with_the_limit_named, |s| {
    let w = World::new(s).await;
    let m = &w.manager;
    // Finding 12: blank lines count against the cell limit (24 MB of them
    // grew memory by 600 MB).
    let mut blank = b"Name,Type\n".to_vec();
    blank.resize(blank.len() + 2_000_001, b'\n');
    blank.extend_from_slice(b"Laptop,hardware\n");
    assert_eq!(problems(&upload(m, ASSETS, "text/csv", blank).await), [p(1, "", "error.import_limit_cells")]);
    // A cell longer than a spreadsheet cell can be, with its line.
    let long = format!("Name,Type\nLaptop,hardware\n{},hardware\n", "x".repeat(40_000));
    assert_eq!(problems(&upload(m, ASSETS, "text/csv", long.into()).await), [p(3, "", "error.import_limit_cell")]);
    // Finding 4: 60,000 header cells with 3,000 column choices took 49 s a
    // request; now the columns are refused at once.
    let wide = format!("Name,Type,{}\nLaptop,hardware\n", vec!["x"; 60_000].join(","));
    let choices: String = (1..=3000).map(|i| format!("map.%23{i}=&")).collect();
    let r = upload(m, &format!("{ASSETS}?{choices}"), "text/csv", wide.into()).await;
    assert_eq!(problems(&r), [p(1, "", "error.import_limit_columns")]);
    // 500 columns with a choice for each is within the limits.
    let headers: Vec<String> = (0..498).map(|i| format!("extra {i}")).collect();
    let file = format!("Name,Type,{}\nLaptop,hardware\n", headers.join(","));
    let choices: String = (3..=500).map(|i| format!("map.%23{i}=&")).collect();
    let r = upload(m, &format!("{ASSETS}?{choices}map.Name=name"), "text/csv", file.into()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(w.s.count("assets").await, 1);
});
