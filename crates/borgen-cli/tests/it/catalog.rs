//! The built-in catalogue: equal to the reference facts, browsable by every
//! member, filterable by theme and attribute.

use crate::common::*;

/// The reference facts, copied into the repository from the project's
/// reference tables (`tests/fixtures/ref`), kept apart from the catalogue the
/// binary embeds so that the test compares two sources.
fn reference(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ref").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_catalogue_export_equals_the_reference_facts() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
        .args(["catalog", "export", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours = doc["controls"].as_array().unwrap();
    let theirs = reference("annex_a_2022.json");
    let theirs = theirs.as_array().unwrap();
    assert_eq!(ours.len(), 93);
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(theirs) {
        for field in ["id", "title", "theme", "new_in_2022", "attributes", "replaces_2013"] {
            assert_eq!(a[field], b[field], "{} {field}", b["id"]);
        }
        assert!(!a["title_nl"].as_str().unwrap().is_empty());
        assert!(a["description_en"].as_str().unwrap().len() > 40 && a["description_nl"].as_str().unwrap().len() > 40);
    }
    let map = reference("mapping_2013_2022.json");
    let ours_2013 = doc["controls_2013"].as_array().unwrap();
    assert_eq!(ours_2013.len(), 114);
    for (a, b) in ours_2013.iter().zip(map.as_array().unwrap()) {
        for field in ["id_2013", "title_2013", "domain_2013", "maps_to_2022"] {
            assert_eq!(a[field], b[field], "{} {field}", b["id_2013"]);
        }
    }
    let clauses = reference("clauses_2022.json");
    let ours_clauses = doc["clauses"].as_array().unwrap();
    assert_eq!(ours_clauses.len(), clauses.as_array().unwrap().len());
    for (a, b) in ours_clauses.iter().zip(clauses.as_array().unwrap()) {
        for field in ["id", "title", "order", "parent", "heading_only"] {
            assert_eq!(a[field], b[field], "{} {field}", b["id"]);
        }
    }
    // CSV: a header and 93 rows, attributes joined.
    let csv_out = std::process::Command::new(env!("CARGO_BIN_EXE_borgen"))
        .args(["catalog", "export", "--format", "csv"])
        .output()
        .unwrap();
    let mut rdr = csv::Reader::from_reader(&csv_out.stdout[..]);
    assert_eq!(&rdr.headers().unwrap()[0], "id");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 93);
    assert_eq!(&rows[0][6], "Confidentiality;Integrity;Availability");
}

db_test!(every_member_browses_and_filters_the_catalogue, |s| {
    let w = World::new(s).await;
    let rows = |html: &str| html.matches("<tr><td><a href=\"/o/acme/catalog/").count();
    let all = w.viewer.get("/o/acme/catalog").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(rows(&all.text), 93);
    assert_eq!(rows(&w.viewer.get("/o/acme/catalog?theme=people").await.text), 8);
    assert_eq!(rows(&w.auditor.get("/o/acme/catalog?attr=control_type:Corrective").await.text), 14);
    assert_eq!(rows(&w.manager.get("/o/acme/catalog?new=on").await.text), 11);
    let facts = reference("annex_a_2022.json");
    let expected = facts
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["theme"] == "physical"
                && c["attributes"]["infosec_properties"].as_array().unwrap().contains(&json!("Availability"))
        })
        .count();
    assert_eq!(
        rows(&w.manager.get("/o/acme/catalog?theme=physical&attr=infosec_properties:Availability").await.text),
        expected
    );
    for bad in ["theme=spiritual", "attr=control_type:Magic", "attr=nonsense", "new=perhaps"] {
        assert_eq!(w.manager.get(&format!("/o/acme/catalog?{bad}")).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // A control: attributes, its 2013 predecessors, and the Dutch title for a Dutch user.
    let c = w.manager.get("/o/acme/catalog/8.8").await.text;
    assert!(c.contains("Management of technical vulnerabilities") && c.contains("A.12.6.1") && c.contains("A.18.2.3"));
    assert!(w.manager.get("/o/acme/catalog/5.7").await.text.contains("no predecessor"));
    assert_eq!(w.manager.get("/o/acme/catalog/5.99").await.status, StatusCode::NOT_FOUND);
    w.viewer.post_form("/lang", &[("lang", "nl")]).await;
    let nl = w.viewer.get("/o/acme/catalog/8.13").await.text;
    assert!(nl.contains("Back-up van informatie") && nl.contains("Correctief"), "Dutch title and attribute labels");
    // Its 2013 predecessor and domain in Dutch too.
    assert!(nl.contains("A.12.3.1") && nl.contains("A.12 Beveiliging bedrijfsvoering"), "Dutch 2013 domain");
    let map = w.viewer.get("/o/acme/catalog/2013").await.text;
    assert!(map.contains("A.9 Toegangsbeveiliging") && !map.contains("A.9 Access control"), "the 2013 map in Dutch");
    // The map from 2013: 114 rows.
    let m = w.manager.get("/o/acme/catalog/2013").await.text;
    assert_eq!(m.matches("<tr><td><strong>A.").count(), 114);
    // Outsiders see nothing; the API gives the same catalogue to any caller.
    assert_eq!(w.outsider.get("/o/acme/catalog").await.status, StatusCode::NOT_FOUND);
    let api = w.viewer.get("/api/v1/catalog").await.json();
    assert_eq!(api["controls"].as_array().unwrap().len(), 93);
    assert_eq!(w.s.client().get("/api/v1/catalog").await.status, StatusCode::UNAUTHORIZED);
});
