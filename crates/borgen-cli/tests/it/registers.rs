//! Contract tests generated for every register declared with the register
//! mechanism, each on SQLite and PostgreSQL: the role table of SPEC.md, 404
//! for another organisation, CSRF, each kind of bad input refused with nothing
//! written, one audit event per change and a chain that verifies, exports,
//! pages in both languages with labels (not keys) in the history, and every
//! response valid against the served OpenAPI schema.

use crate::common::*;
use borgen_core::register::{Edit, Kind, Register};
use borgen_core::registers;
use std::collections::BTreeMap;

/// Generates the contract tests of one register.
macro_rules! register_contract {
    ($name:ident, $reg:expr) => {
        mod $name {
            use super::*;
            db_test!(roles_and_organisations, |s| { roles_and_organisations(s, &$reg).await });
            db_test!(bad_input_changes_nothing, |s| { bad_input_changes_nothing(s, &$reg).await });
            db_test!(every_change_is_audited_once, |s| { every_change_is_audited_once(s, &$reg).await });
            db_test!(exports_hold_the_listed_rows, |s| { exports_hold_the_listed_rows(s, &$reg).await });
            db_test!(pages_in_both_languages, |s| { pages_in_both_languages(s, &$reg).await });
            db_test!(responses_match_the_served_schema, |s| { responses_match_the_served_schema(s, &$reg).await });
        }
    };
}

register_contract!(context_issues, registers::CONTEXT_ISSUES);
register_contract!(interested_parties, registers::INTERESTED_PARTIES);
register_contract!(leadership_evidence, registers::LEADERSHIP_EVIDENCE);
register_contract!(isms_changes, registers::ISMS_CHANGES);
register_contract!(opportunities, registers::OPPORTUNITIES);
register_contract!(assets, registers::ASSETS);
register_contract!(own_threats, registers::OWN_THREATS);
register_contract!(applied_controls, registers::APPLIED_CONTROLS);
register_contract!(org_roles, registers::ORG_ROLES);
register_contract!(isms_processes, registers::ISMS_PROCESSES);
register_contract!(objectives, registers::OBJECTIVES);
register_contract!(resources, registers::RESOURCES);
register_contract!(campaigns, registers::CAMPAIGNS);
register_contract!(people, registers::PEOPLE);
register_contract!(communication, registers::COMMUNICATION);
register_contract!(documents, registers::DOCUMENTS);

#[test]
fn every_declared_register_has_its_contract_tests() {
    // A register whose records belong to another is tested with it (below).
    let tested = [
        "context_issue",
        "interested_party",
        "leadership_evidence",
        "org_role",
        "isms_process",
        "isms_change",
        "opportunity",
        "objective",
        "asset",
        "threat",
        "applied_control",
        "person",
        "resource",
        "campaign",
        "communication",
        "document",
    ];
    let declared: Vec<&str> = registers::ALL.iter().filter(|r| r.parent.is_none()).map(|r| r.key).collect();
    assert_eq!(declared, tested, "add register_contract!(…) for a new register");
    let children: Vec<&str> = registers::ALL.iter().filter(|r| r.parent.is_some()).map(|r| r.key).collect();
    assert_eq!(
        children,
        ["requirement", "role_holder", "raci", "objective_progress", "competence", "competence_evidence", "completion"],
        "add child_contract!(…) for a new register that belongs to another"
    );
}

// A register whose records belong to another (requirements of an interested
// party, holders of a role): who may edit the parent may add and edit its
// children; they stay with their parent; nothing changes under an archived
// parent; only under a parent are they added. Generated for each such register.
macro_rules! child_contract {
    ($name:ident, $reg:expr) => {
        mod $name {
            use super::*;
            db_test!(children_follow_their_parent, |s| { children_follow_their_parent(s, &$reg).await });
        }
    };
}

child_contract!(requirements, registers::REQUIREMENTS);
child_contract!(role_holders, registers::ROLE_HOLDERS);
child_contract!(competences, registers::COMPETENCES);
child_contract!(competence_evidence, registers::COMPETENCE_EVIDENCE);
child_contract!(raci, registers::RACI);
child_contract!(objective_progress, registers::OBJECTIVE_PROGRESS);
child_contract!(completions, registers::COMPLETIONS);

/// The id of a new record of `reg` made by the manager (under a new parent
/// when it has one), its required links naming new records in turn.
fn make<'a>(w: &'a World, reg: &'static Register, member: &'a str) -> futures::future::BoxFuture<'a, String> {
    Box::pin(async move {
        let mut body = filled(w, reg, member).await;
        let path = match reg.parent_register() {
            Some((up, i)) => {
                let pid = body[reg.fields[i].name].as_str().unwrap().to_string();
                body.as_object_mut().unwrap().remove(reg.fields[i].name);
                format!("{}/{pid}/{}", api(up), reg.api)
            }
            None => api(reg),
        };
        let r = w.manager.json(Method::POST, &path, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.text);
        r.json()["id"].as_str().unwrap().to_string()
    })
}

/// Valid JSON input for `reg`: its sample, each required link naming a new
/// record of the register it links to.
async fn filled(w: &World, reg: &'static Register, member: &str) -> Value {
    let mut body = sample(reg, member);
    for f in reg.fields.iter().filter(|f| f.required) {
        if let Kind::Link(key) = f.kind {
            let target = registers::by_key(key).unwrap();
            body[f.name] = json!(make(w, target, member).await);
        }
    }
    body
}

async fn children_follow_their_parent(s: TestServer, reg: &'static Register) {
    let w = World::new(s).await;
    let (up, pi) = reg.parent_register().expect("a child register");
    let pf = reg.fields[pi].name;
    let contributor = w.user_id("contributor@acme.test").await;
    let manager = w.user_id("manager@acme.test").await;
    let owner_edits = matches!(up.edit, Edit::OwnerOr(_));
    // Two parents: one the contributor owns (where owners edit), one not.
    let owned = make(&w, up, &contributor).await;
    let other = make(&w, up, &manager).await;
    let add = |p: &str| format!("{}/{p}/{}", api(up), reg.api);
    let mut body = filled(&w, reg, &manager).await;
    body.as_object_mut().unwrap().remove(pf);
    // Adding: who may edit the parent; nobody else; 404 outside the organisation.
    let r = w.manager.json(Method::POST, &add(&owned), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let child = r.json();
    assert_eq!(child[pf], json!(owned));
    let cid = child["id"].as_str().unwrap().to_string();
    // A second one: its links name records of its own (a register may allow one per person).
    let mut second = filled(&w, reg, &manager).await;
    second.as_object_mut().unwrap().remove(pf);
    let st = w.contributor.json(Method::POST, &add(&owned), &second).await.status;
    assert_eq!(st, if owner_edits { StatusCode::CREATED } else { StatusCode::FORBIDDEN }, "the contributor adds");
    // Where a combination is unique, the same one again is refused and nothing written.
    if let Some(last) = reg.unique.last() {
        let before = w.s.count(reg.table).await;
        let r = w.manager.json(Method::POST, &add(&owned), &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(
            r.json()["error"]["fields"][0],
            json!({ "field": last, "code": "error.duplicate", "message": r.json()["error"]["fields"][0]["message"] })
        );
        assert_eq!(w.s.count(reg.table).await, before);
    }
    for (who, c, p, want) in [
        ("contributor, not the owner", &w.contributor, &other, StatusCode::FORBIDDEN),
        ("auditor", &w.auditor, &owned, StatusCode::FORBIDDEN),
        ("top", &w.top, &owned, StatusCode::FORBIDDEN),
        ("viewer", &w.viewer, &owned, StatusCode::FORBIDDEN),
        ("outsider", &w.outsider, &owned, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(c.json(Method::POST, &add(p), &body).await.status, want, "{who} adds");
    }
    let st = w.manager.json(Method::POST, &add(&uuid_like()), &body).await.status;
    assert_eq!(st, StatusCode::NOT_FOUND, "no such parent");
    // Only under a parent: not through the register's own list, and the
    // parent in the path is the one it belongs to.
    let mut direct = body.clone();
    direct[pf] = json!(other);
    let before = w.s.count(reg.table).await;
    assert_eq!(w.manager.json(Method::POST, &api(reg), &direct).await.status, StatusCode::METHOD_NOT_ALLOWED);
    let direct_form: Vec<(String, String)> = form(reg, &manager);
    assert_eq!(w.manager.post_form(&page(reg), &pairs(&direct_form)).await.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(w.manager.get(&format!("{}/new", page(reg))).await.status, StatusCode::NOT_FOUND);
    let r = w.manager.json(Method::POST, &add(&owned), &direct).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.fixed");
    assert_eq!(w.s.count(reg.table).await, before, "nothing written");
    assert_eq!(w.manager.json(Method::POST, &add(&other), &direct).await.status, StatusCode::CREATED);
    // Listed under the parent, in the parent's record, and filtered by parent.
    let kids = w.manager.get(&add(&owned)).await.json();
    let n_owned = if owner_edits { 2 } else { 1 };
    assert_eq!(kids["items"].as_array().unwrap().len(), n_owned);
    let parent = w.manager.get(&format!("{}/{owned}", api(up))).await.json();
    assert_eq!(parent[reg.api][0]["id"], json!(cid));
    let listed = w.manager.get(&format!("{}?{pf}={other}", api(reg))).await.json();
    assert_eq!(listed["total"], 1);
    // Editing: who may edit the parent; the parent stays (left out: kept; changed: refused).
    let one = format!("{}/{cid}", api(reg));
    let mut edit = body.clone();
    if matches!(reg.field(reg.title).map(|f| f.kind), Some(Kind::Text(_))) {
        edit[reg.title] = json!("Changed title");
    }
    let editor = if owner_edits { &w.contributor } else { &w.manager };
    let r = editor.json(Method::PUT, &one, &edit).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()[pf], json!(owned));
    assert_eq!(r.json()["access"]["edit"], json!(true));
    if !owner_edits {
        assert_eq!(w.contributor.json(Method::PUT, &one, &edit).await.status, StatusCode::FORBIDDEN);
    }
    let mut moved = edit.clone();
    moved[pf] = json!(other);
    let r = w.manager.json(Method::PUT, &one, &moved).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "error.fixed");
    assert_eq!(w.auditor.json(Method::PUT, &one, &edit).await.status, StatusCode::FORBIDDEN);
    // Archiving: the ISMS manager's.
    assert_eq!(w.contributor.call(Method::POST, &format!("{one}/archive")).await.status, StatusCode::FORBIDDEN);
    // The parent's page has the section and the form to add one.
    let ppage = format!("{}/{owned}", page(up));
    let form_action = format!("action=\"{ppage}/{}\"", reg.api);
    let html = w.manager.get(&ppage).await.text;
    assert!(html.contains(&format!("id=\"{}\"", reg.api)) && html.contains(&form_action), "section and form");
    // The form offers the records its links may name.
    for f in reg.fields.iter().filter(|f| matches!(f.kind, Kind::Link(_)) && Some(f.name) != reg.parent) {
        if let Some(id) = body[f.name].as_str() {
            assert!(html.contains(&format!("<option value=\"{id}\"")), "{}: the form offers the linked record", f.name);
        }
    }
    // Under an archived parent nothing changes (409), and the buttons say so.
    w.manager.call(Method::POST, &format!("{}/{owned}/archive", api(up))).await;
    assert_eq!(w.manager.json(Method::POST, &add(&owned), &body).await.status, StatusCode::CONFLICT);
    // Who may not edit the parent is refused as such (403), archived or not.
    assert_eq!(w.auditor.json(Method::POST, &add(&owned), &body).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.manager.json(Method::PUT, &one, &edit).await.status, StatusCode::CONFLICT);
    assert_eq!(w.manager.call(Method::POST, &format!("{one}/archive")).await.status, StatusCode::CONFLICT);
    assert_eq!(
        w.manager.get(&one).await.json()["access"],
        json!({ "edit": false, "archive": false, "restore": false })
    );
    let html = w.manager.get(&ppage).await.text;
    assert!(
        html.contains(&format!("id=\"{}\"", reg.api)) && !html.contains(&form_action),
        "no form under an archived parent"
    );
    // The child's own page names it and leads back to its parent, in both languages.
    for lang in ["en", "nl"] {
        w.manager.post_form("/lang", &[("lang", lang)]).await;
        let r = w.manager.get(&format!("{}/{cid}", page(reg))).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains(&format!("href=\"{ppage}\"")), "back to the parent");
        let heading = r.text.split("<h1>").nth(1).and_then(|h| h.split("</h1>").next()).unwrap_or("");
        assert!(!heading.trim().is_empty() && !heading.contains(&cid), "named, not by id: {heading}");
        assert!(!r.text.contains(&format!(">{}.", reg.locale)), "{lang}: a locale key shows");
    }
    // Every response matches the served schema.
    let doc = w.s.client().get("/api/v1/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    let of = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    validate(schemas, &of(reg.schema), &w.manager.get(&one).await.json()).unwrap();
    validate(schemas, &of(up.schema), &parent).unwrap();
    let nested = format!("/api/v1/orgs/{{slug}}/{}/{{id}}/{}", up.api, reg.api);
    let s = &doc["paths"][nested.as_str()]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    validate(schemas, s, &kids).unwrap();
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 0, "the chain verifies: {out}");
}

// A register moved onto the mechanism keeps its rows: the sort keys and search
// text its migration adds are filled (in Rust, with the Dutch folding), after
// which the rows sort and are found like new ones.
db_test!(rows_of_a_moved_register_get_their_keys, |s| {
    let w = World::new(s).await;
    for name in ["Ëlektriciteitsnetbeheerder", "Aannemer", "Zorgverzekeraar"] {
        w.party(name, None).await;
    }
    let pid = w.party("Klanten", None).await["id"].as_str().unwrap().to_string();
    let add = format!("/api/v1/orgs/acme/interested-parties/{pid}/requirements");
    w.manager.json(Method::POST, &add, &json!({ "title": "Beschikbaarheid 99,5%", "req_type": "contractual" })).await;
    // As a database from before the move: the added columns are empty.
    w.s.exec("UPDATE interested_parties SET name_key = NULL").await;
    w.s.exec("UPDATE party_requirements SET title_key = NULL, search = NULL").await;
    let mut tx = w.s.app.db.write().await.unwrap();
    let parties = borgen_store::register::fill_derived(&mut tx, &registers::INTERESTED_PARTIES).await.unwrap();
    let reqs = borgen_store::register::fill_derived(&mut tx, &registers::REQUIREMENTS).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((parties, reqs), (4, 1));
    let again = refill(&w, &registers::INTERESTED_PARTIES).await;
    assert_eq!(again, 0, "nothing left to fill");
    let list = w.manager.get("/api/v1/orgs/acme/interested-parties").await.json();
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Aannemer", "Ëlektriciteitsnetbeheerder", "Klanten", "Zorgverzekeraar"]);
    let found = w.manager.get("/api/v1/orgs/acme/requirements?q=99%2C5").await.json();
    assert_eq!(found["total"], 1, "found by its words: {found}");
    // Applied controls, whose Annex A ids are in a link table: found by them too.
    let applied = "/api/v1/orgs/acme/applied-controls";
    for (name, ids) in [("Versleuteling laptops", "8.24, 8.1"), ("Back-up", "8.13"), ("Ambtseed", "")] {
        let r = w
            .manager
            .json(Method::POST, applied, &json!({ "name": name, "status": "planned", "control_ids": ids }))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    w.s.exec("UPDATE applied_controls SET name_key = NULL, search = 'stale'").await;
    let n = refill(&w, &registers::APPLIED_CONTROLS).await;
    assert_eq!(n, 3);
    let list = w.manager.get(applied).await.json();
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ambtseed", "Back-up", "Versleuteling laptops"]);
    assert_eq!(list["items"][2]["control_ids"], json!(["8.1", "8.24"]), "in the standard's order");
    assert_eq!(list["items"][0]["control_ids"], json!([]));
    let found = w.manager.get(&format!("{applied}?q=8.24")).await.json();
    assert_eq!(found["total"], 1, "found by its control: {found}");
    let linked = w.manager.get(&format!("{applied}?control_ids=A.8.13")).await.json();
    assert_eq!(linked["items"][0]["name"], "Back-up", "{linked}");
    assert_eq!(linked["total"], 1);
    // Own threats, written before the move without sort key or search text.
    let own = "/api/v1/orgs/acme/own-threats";
    for name in ["Zonnestorm", "Échte gegevens in test"] {
        let body = json!({ "name": name, "group_code": "human_error", "affects_c": true });
        assert_eq!(w.manager.json(Method::POST, own, &body).await.status, StatusCode::CREATED);
    }
    w.s.exec("UPDATE threats SET name_key = NULL, search = NULL").await;
    let n = refill(&w, &registers::OWN_THREATS).await;
    assert_eq!(n, 2);
    let list = w.manager.get(own).await.json();
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Échte gegevens in test", "Zonnestorm"]);
    assert_eq!(w.manager.get(&format!("{own}?q=zonne")).await.json()["total"], 1);
});

/// Fills the derived columns of `reg`'s rows that lack them, as start-up does
/// after a migration; how many rows it wrote.
async fn refill(w: &World, reg: &'static Register) -> u64 {
    let mut tx = w.s.app.db.write().await.unwrap();
    let n = borgen_store::register::fill_derived(&mut tx, reg).await.unwrap();
    tx.commit().await.unwrap();
    n
}

fn api(reg: &Register) -> String {
    format!("/api/v1/orgs/acme/{}", reg.api)
}

fn page(reg: &Register) -> String {
    format!("/o/acme/{}", reg.path)
}

/// Valid JSON input naming `member` in every member field.
fn sample(reg: &Register, member: &str) -> Value {
    let mut m = serde_json::Map::new();
    // A value the sample leaves empty is left out (null).
    for (k, v) in reg.sample(member).into_iter().filter(|(_, v)| !v.is_empty()) {
        let f = reg.field(&k).unwrap();
        m.insert(k, if f.kind == Kind::Bool { json!(v == "true") } else { json!(v) });
    }
    Value::Object(m)
}

fn form(reg: &Register, member: &str) -> Vec<(String, String)> {
    reg.sample(member).into_iter().collect()
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn create(w: &World, reg: &Register, body: &Value) -> Value {
    let r = w.manager.json(Method::POST, &api(reg), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

fn ok(status: StatusCode) -> bool {
    status.is_success() || status == StatusCode::SEE_OTHER
}

async fn roles_and_organisations(s: TestServer, reg: &'static Register) {
    let w = World::new(s).await;
    let contributor = w.user_id("contributor@acme.test").await;
    let manager = w.user_id("manager@acme.test").await;
    let owned = create(&w, reg, &sample(reg, &contributor)).await;
    let owned_id = owned["id"].as_str().unwrap().to_string();
    let not_owned = create(&w, reg, &sample(reg, &manager)).await;
    let not_owned_id = not_owned["id"].as_str().unwrap().to_string();
    let owner_edits = matches!(reg.edit, Edit::OwnerOr(_));

    // Reading: every role that reads registers; not the viewer.
    for (who, c, may) in [
        ("manager", &w.manager, true),
        ("contributor", &w.contributor, true),
        ("top", &w.top, true),
        ("auditor", &w.auditor, true),
        ("viewer", &w.viewer, false),
    ] {
        for path in [api(reg), format!("{}/{owned_id}", api(reg)), page(reg), format!("{}/{owned_id}", page(reg))] {
            let st = c.get(&path).await.status;
            assert_eq!(ok(st), may, "{who} GET {path}: {st}");
            if !may {
                assert_eq!(st, StatusCode::FORBIDDEN, "{who} GET {path}");
            }
        }
    }

    // Creating: as the declaration says, through the API and the form.
    for (who, c) in [("contributor", &w.contributor), ("top", &w.top), ("auditor", &w.auditor), ("viewer", &w.viewer)] {
        let may = reg.create == borgen_core::role::Permission::ReadRegisters;
        let st = c.json(Method::POST, &api(reg), &sample(reg, &manager)).await.status;
        assert_eq!(ok(st), may, "{who} creates: {st}");
        let st = c.post_form(&page(reg), &pairs(&form(reg, &manager))).await.status;
        assert_eq!(ok(st), may, "{who} creates by form: {st}");
    }
    let r = w.manager.post_form(&page(reg), &pairs(&form(reg, &manager))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    // Editing: the manager; the contributor only what they own (if the
    // register lets owners edit), and without handing it to someone else.
    let edit = |id: &str| format!("{}/{id}", api(reg));
    let mut changed = sample(reg, &contributor);
    changed[reg.title] = json!("Changed title");
    for (who, c, id, may) in [
        ("contributor (owner)", &w.contributor, &owned_id, owner_edits),
        ("contributor (not owner)", &w.contributor, &not_owned_id, false),
        ("top", &w.top, &owned_id, false),
        ("auditor", &w.auditor, &owned_id, false),
        ("viewer", &w.viewer, &owned_id, false),
        ("manager", &w.manager, &owned_id, true),
    ] {
        let r = c.json(Method::PUT, &edit(id), &changed).await;
        assert_eq!(ok(r.status), may, "{who} edits: {} {}", r.status, r.text);
        if !may {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{who} edits");
        }
        // The access rights returned with the record say the same.
        if c.get(&edit(id)).await.status == StatusCode::OK {
            assert_eq!(c.get(&edit(id)).await.json()["access"]["edit"], json!(may), "{who}'s access");
        }
        let st = c.get(&format!("{}/{id}/edit", page(reg))).await.status;
        assert_eq!(st == StatusCode::OK, may, "{who} opens the edit form: {st}");
    }
    if let Edit::OwnerOr(field) = reg.edit {
        let mut handed = changed.clone();
        handed[field] = json!(manager);
        let r = w.contributor.json(Method::PUT, &edit(&owned_id), &handed).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "an owner may not hand the record on: {}", r.text);
        // Nor change a field only managers set; the owner's edit form shows it read only.
        let current = w.manager.get(&edit(&owned_id)).await.json();
        for f in reg.fields.iter().filter(|f| f.managers) {
            let mut body = current.clone();
            for k in ["id", "archived", "created_at", "updated_at", "access"] {
                body.as_object_mut().unwrap().remove(k);
            }
            for kid in reg.children() {
                body.as_object_mut().unwrap().remove(kid.api);
            }
            body[f.name] = match f.kind {
                Kind::Choice { codes, .. } => json!(codes.iter().rev().find(|c| current[f.name] != json!(c)).unwrap()),
                Kind::Member => {
                    json!(if current[f.name] == json!(manager) { contributor.clone() } else { manager.clone() })
                }
                Kind::Date => json!("2027-01-01"),
                _ => json!("Changed by the owner"),
            };
            let r = w.contributor.json(Method::PUT, &edit(&owned_id), &body).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "an owner changes {}: {}", f.name, r.text);
        }
        if reg.fields.iter().any(|f| f.managers) {
            let form = w.contributor.get(&format!("{}/{owned_id}/edit", page(reg))).await.text;
            let f = reg.fields.iter().find(|f| f.managers).unwrap();
            assert!(
                form.contains(&format!("type=\"hidden\" name=\"{}\"", f.name)) || current[f.name].is_null(),
                "read only for the owner"
            );
            assert!(!form.contains(&format!("id=\"{}\"", f.name)), "no input for {}", f.name);
        }
    }

    // Archiving and restoring: the manager only; an archived record is read only (409).
    for (who, c) in [("contributor", &w.contributor), ("top", &w.top), ("auditor", &w.auditor), ("viewer", &w.viewer)] {
        let st = c.call(Method::POST, &format!("{}/archive", edit(&owned_id))).await.status;
        assert_eq!(st, StatusCode::FORBIDDEN, "{who} archives");
    }
    let r = w.manager.call(Method::POST, &format!("{}/archive", edit(&owned_id))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["archived"], json!(true));
    assert_eq!(r.json()["access"], json!({ "edit": false, "archive": false, "restore": true }));
    let r = w.manager.json(Method::PUT, &edit(&owned_id), &changed).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "editing an archived record: {}", r.text);
    assert_eq!(r.json()["error"]["code"], "error.archived_read_only");
    assert_eq!(w.manager.get(&format!("{}/{owned_id}/edit", page(reg))).await.status, StatusCode::CONFLICT);
    let st = w.contributor.call(Method::POST, &format!("{}/restore", edit(&owned_id))).await.status;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let r = w.manager.post_form(&format!("{}/{owned_id}/restore", page(reg)), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(w.manager.get(&edit(&owned_id)).await.json()["archived"], json!(false));

    // Another organisation: 404 for everything, whoever asks; a record of
    // acme is not reachable through the other organisation either.
    for path in [api(reg), edit(&owned_id), page(reg), format!("{}/{owned_id}", page(reg))] {
        assert_eq!(w.outsider.get(&path).await.status, StatusCode::NOT_FOUND, "outsider GET {path}");
    }
    let st = w.outsider.json(Method::POST, &api(reg), &sample(reg, &manager)).await.status;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let st = w.outsider.json(Method::PUT, &edit(&owned_id), &changed).await.status;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let other_path = format!("/api/v1/orgs/other/{}/{owned_id}", reg.api);
    assert_eq!(w.outsider.get(&other_path).await.status, StatusCode::NOT_FOUND, "acme's record under other");
    // An unknown or malformed id.
    assert_eq!(w.manager.get(&edit("not-a-uuid")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.manager.get(&edit(&uuid_like())).await.status, StatusCode::NOT_FOUND);
}

fn uuid_like() -> String {
    "0190a000-0000-7000-8000-000000000000".into()
}

/// Rows of the register's table and events of the audit trail.
async fn counts(w: &World, reg: &'static Register) -> (i64, i64) {
    (w.s.count(reg.table).await, w.s.count("audit_events").await)
}

async fn bad_input_changes_nothing(s: TestServer, reg: &'static Register) {
    let w = World::new(s).await;
    let manager = w.user_id("manager@acme.test").await;
    let existing = create(&w, reg, &sample(reg, &manager)).await;
    let id = existing["id"].as_str().unwrap().to_string();
    let one = format!("{}/{id}", api(reg));
    let t = Client::with_token(w.manager.base(), &token(&w, "write").await);
    let before = counts(&w, reg).await;

    // Each kind of bad value of each field, on create and on update.
    let mut cases: Vec<(Value, &str, &str)> = Vec::new();
    let outsider_id = {
        let r = w.outsider.get("/api/v1/me").await.json();
        r["id"].as_str().or(r["user"]["id"].as_str()).unwrap_or(&uuid_like()).to_string()
    };
    for f in reg.fields {
        let mut b = sample(reg, &manager);
        let mut case = |v: Value, key: &'static str| {
            b[f.name] = v;
            cases.push((b.clone(), f.name, key));
        };
        if f.required && f.kind != Kind::Bool {
            case(json!("  "), "error.required");
        }
        match f.kind {
            Kind::Text(max) => {
                case(
                    json!("x".repeat(max + 1)),
                    if max > 200 { "error.too_long_long" } else { "error.too_long_short" },
                );
                case(json!("bad\u{202E}text"), "input.bidi");
            }
            Kind::Date => case(json!("31-12-2026"), "error.bad_date"),
            Kind::Choice { .. } => case(json!("no-such-code"), "error.unknown_value"),
            Kind::Member => {
                case(json!("bob"), "error.unknown_member");
                case(json!(outsider_id.clone()), "error.unknown_member");
            }
            Kind::Bool => case(json!("maybe"), "error.wrong_type"),
            Kind::Url => {
                case(json!("javascript:alert(1)"), "error.bad_url");
                case(json!("https://a b"), "error.bad_url");
            }
            Kind::Link(_) => {
                case(json!("bob"), "error.unknown_record");
                case(json!(uuid_like()), "error.unknown_record");
            }
            Kind::Email => {
                case(json!("not an address"), "error.bad_email");
                case(json!("@acme.test"), "error.bad_email");
            }
            Kind::Number { decimals } => {
                case(json!("twelve"), "error.bad_number");
                case(json!("1.000,50"), "error.bad_number");
                // Four digits or more: not a thousands separator.
                case(json!(format!("1.{}", "5".repeat((usize::from(decimals) + 1).max(4)))), "error.too_many_decimals");
            }
            Kind::Level { max, .. } => {
                case(json!(max + 1), "error.unknown_value");
                case(json!("high"), "error.unknown_value");
                case(json!(-1), "error.unknown_value");
            }
            Kind::Records { .. } => {
                case(json!("bob"), "error.unknown_record");
                case(json!([uuid_like()]), "error.unknown_record");
                case(json!([12]), "error.wrong_type");
            }
            Kind::Controls(_) => {
                case(json!("8.5, 9.99"), "error.unknown_control");
                case(json!(["8.5", "A.99"]), "error.unknown_control");
                case(json!(["8.5", 12]), "error.wrong_type");
            }
        }
        if !matches!(f.kind, Kind::Bool | Kind::Level { .. } | Kind::Number { .. }) {
            case(json!(12), "error.wrong_type");
        }
    }
    for (body, field, key) in &cases {
        for (m, path) in [(Method::POST, api(reg)), (Method::PUT, one.clone())] {
            let r = w.manager.json(m.clone(), &path, body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{m} {field}: {}", r.text);
            let fields = &r.json()["error"]["fields"];
            assert!(
                fields.as_array().is_some_and(|a| a.iter().any(|e| e["field"] == *field && e["code"] == *key)),
                "{m} {field} expects {key}: {fields}"
            );
        }
    }
    // A property the register does not have.
    let mut b = sample(reg, &manager);
    b["org_id"] = json!("someone else's");
    assert_eq!(w.manager.json(Method::POST, &api(reg), &b).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Not JSON, not JSON at all, not an object (with a token: no CSRF header needed).
    assert_eq!(t.post_raw(&api(reg), "text/plain", "x").await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(t.post_raw(&api(reg), "application/json", "{\"a\":").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(t.json(Method::POST, &api(reg), &json!([1, 2])).await.status, StatusCode::BAD_REQUEST);
    // Bad list parameters.
    for q in ["sort=nonsense", "dir=sideways", "archived=maybe", "page=0", "per_page=100000"] {
        assert_eq!(w.manager.get(&format!("{}?{q}", api(reg))).await.status, StatusCode::BAD_REQUEST, "{q}");
        assert_eq!(w.manager.get(&format!("{}?{q}", page(reg))).await.status, StatusCode::BAD_REQUEST, "{q}");
    }

    // The form: errors in place, the typed values kept, status 422.
    let mut f: BTreeMap<String, String> = reg.sample(&manager);
    let title_typed = "Kept <typed> value";
    f.insert(reg.title.into(), title_typed.into());
    // A required field left empty, or where the title is the only one, a date that is none.
    let required = reg.fields.iter().find(|x| x.required && x.name != reg.title && x.kind != Kind::Bool);
    let required = match required {
        Some(x) => {
            f.insert(x.name.into(), String::new());
            x
        }
        None => match reg.fields.iter().find(|x| x.kind == Kind::Date) {
            Some(x) => {
                f.insert(x.name.into(), "someday".into());
                x
            }
            None => {
                let x = reg
                    .fields
                    .iter()
                    .find(|x| matches!(x.kind, Kind::Text(_)) && x.name != reg.title)
                    .expect("a field to get wrong");
                let max = if let Kind::Text(m) = x.kind { m } else { 0 };
                f.insert(x.name.into(), "x".repeat(max + 1));
                x
            }
        },
    };
    let v: Vec<(String, String)> = f.into_iter().collect();
    let r = w.manager.post_form(&page(reg), &pairs(&v)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("Kept &lt;typed&gt; value"), "the typed value is kept, escaped");
    assert!(r.text.contains(&format!("id=\"err-{}\"", required.name)), "the error is next to its field");
    // CSRF: a form without the token, an API call by session without the header.
    let raw = serde_urlencoded::to_string(&v).unwrap();
    let r = w.manager.post_raw(&page(reg), "application/x-www-form-urlencoded", &raw).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = Client::send(
        reqwest::Client::new()
            .post(w.manager.base().to_string() + &format!("{one}/archive"))
            .header("cookie", format!("borgen_session={}", w.manager.cookie("borgen_session").unwrap_or_default())),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF header: {}", r.text);

    assert_eq!(counts(&w, reg).await, before, "nothing was written");
    assert_eq!(w.manager.get(&one).await.json(), w.manager.get(&one).await.json());
    let after = w.manager.get(&one).await.json();
    assert_eq!(after["updated_at"], existing["updated_at"]);
}

async fn every_change_is_audited_once(s: TestServer, reg: &'static Register) {
    let w = World::new(s).await;
    let manager = w.user_id("manager@acme.test").await;
    let events = || async { w.s.count("audit_events").await };
    let e0 = events().await;
    let rec = create(&w, reg, &sample(reg, &manager)).await;
    let id = rec["id"].as_str().unwrap();
    let one = format!("{}/{id}", api(reg));
    assert_eq!(events().await, e0 + 1, "create");
    // The same values again: nothing changes, nothing is recorded.
    let r = w.manager.json(Method::PUT, &one, &sample(reg, &manager)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["updated_at"], rec["updated_at"]);
    assert_eq!(events().await, e0 + 1, "an update that changes nothing");
    let mut changed = sample(reg, &manager);
    changed[reg.title] = json!("Changed");
    assert_eq!(w.manager.json(Method::PUT, &one, &changed).await.status, StatusCode::OK);
    assert_eq!(events().await, e0 + 2, "update");
    w.manager.call(Method::POST, &format!("{one}/archive")).await;
    w.manager.call(Method::POST, &format!("{one}/archive")).await;
    assert_eq!(events().await, e0 + 3, "archive, once");
    w.manager.call(Method::POST, &format!("{one}/restore")).await;
    assert_eq!(events().await, e0 + 4, "restore");
    let h = w.manager.get(&format!("{one}/history")).await.json();
    let actions: Vec<&str> = h["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["create", "update", "archive", "restore"]);
    let update = &h["items"][1];
    assert_eq!(update["entity_type"], reg.key);
    assert!(update["before_json"].as_str().unwrap().contains("Sample"), "before is recorded");
    assert!(update["after_json"].as_str().unwrap().contains("Changed"), "after is recorded");
    let (code, out, _) = run(borgen(&w.s, &["audit", "verify"]));
    assert_eq!(code, 0, "the chain verifies: {out}");
}

fn csv_rows(text: &str) -> usize {
    csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes()).records().count()
}

async fn exports_hold_the_listed_rows(s: TestServer, reg: &'static Register) {
    let w = World::new(s).await;
    let manager = w.user_id("manager@acme.test").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let mut b = sample(reg, &manager);
        b[reg.title] = json!(format!("Record {i}"));
        ids.push(create(&w, reg, &b).await["id"].as_str().unwrap().to_string());
    }
    w.manager.call(Method::POST, &format!("{}/{}/archive", api(reg), ids[0])).await;
    for (base, who) in [(api(reg), &w.manager), (page(reg), &w.auditor)] {
        let r = who.get(&format!("{base}/export/csv")).await;
        assert_eq!(r.status, StatusCode::OK, "{base}: {}", r.text);
        assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert_eq!(csv_rows(&r.text), 2, "active records");
        let r = who.get(&format!("{base}/export/csv?archived=all")).await;
        assert_eq!(csv_rows(&r.text), 3, "all records");
        assert!(r.text.contains("\"Record 1\""));
        let r = who.get(&format!("{base}/export/xlsx")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(&r.bytes[..2], b"PK", "an XLSX file");
        let r = who.get(&format!("{base}/export/pdf")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.bytes.starts_with(b"%PDF-"), "a PDF file");
        assert_eq!(who.get(&format!("{base}/export/docx")).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(w.viewer.get(&format!("{}/export/csv", api(reg))).await.status, StatusCode::FORBIDDEN);
    // The list and its pager agree with the export.
    let r = w.manager.get(&format!("{}?per_page=1&archived=all", api(reg))).await.json();
    assert_eq!(r["total"], 3);
    assert_eq!(r["items"].as_array().unwrap().len(), 1);
}

async fn pages_in_both_languages(s: TestServer, reg: &'static Register) {
    let w = World::new(s).await;
    let manager = w.user_id("manager@acme.test").await;
    let rec = create(&w, reg, &sample(reg, &manager)).await;
    let id = rec["id"].as_str().unwrap();
    let mut changed = sample(reg, &manager);
    changed[reg.title] = json!("Changed for the history");
    // Change a choice too, so the history shows a label, not a code.
    let choice = reg.fields.iter().find(|f| matches!(f.kind, Kind::Choice { .. }));
    if let Some(f) = choice
        && let Kind::Choice { codes, .. } = f.kind
    {
        changed[f.name] = json!(codes[1]);
    }
    assert_eq!(w.manager.json(Method::PUT, &format!("{}/{id}", api(reg)), &changed).await.status, StatusCode::OK);
    for lang in [borgen_core::Lang::En, borgen_core::Lang::Nl] {
        let c = w.s.login("manager@acme.test", PW).await.with_lang(lang.code());
        c.post_form("/lang", &[("lang", lang.code()), ("next", "/")]).await;
        let t = |k: &str| borgen_core::i18n::t(lang, k).to_string();
        let list = c.get(&page(reg)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.text.contains(&t(&format!("{}.title", reg.locale))), "{lang:?} list title");
        assert!(list.text.contains("Changed for the history"));
        let detail = c.get(&format!("{}/{id}", page(reg))).await;
        assert_eq!(detail.status, StatusCode::OK);
        for f in reg.fields {
            assert!(detail.text.contains(&escape(&t(f.label))), "{lang:?}: label of {}", f.name);
        }
        if let Some(f) = choice
            && let Kind::Choice { prefix, codes } = f.kind
        {
            let old = escape(&t(&format!("{prefix}.{}", codes[0])));
            let new = escape(&t(&format!("{prefix}.{}", codes[1])));
            assert!(
                detail.text.contains(&format!("<del>{old}</del> → <ins>{new}</ins>")),
                "{lang:?}: history by label"
            );
        }
        // Members by name, dates in words; never the raw field names or ids.
        if reg.fields.iter().any(|f| f.kind == Kind::Date) {
            assert!(detail.text.contains(&format!("30 {} 2026", t("date.month_11"))), "{lang:?}: a date in words");
        }
        let history = detail.text.split("class=\"history\"").nth(1).unwrap();
        assert!(!history.contains(&manager), "{lang:?}: no user ids in the history");
        let form = c.get(&format!("{}/new", page(reg))).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text.contains(&escape(&t(&format!("{}.new", reg.locale)))));
    }
    // The navigation and the overview name the register.
    let home = w.manager.get("/o/acme").await;
    assert!(home.text.contains(&format!("href=\"/o/acme/{}\"", reg.path)), "linked from the overview");
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn responses_match_the_served_schema(s: TestServer, reg: &'static Register) {
    let w = World::new(s).await;
    let doc = w.s.client().get("/api/v1/openapi.json").await.json();
    let manager = w.user_id("manager@acme.test").await;
    let contributor = w.user_id("contributor@acme.test").await;
    let schemas = &doc["components"]["schemas"];
    let one = json!({ "$ref": format!("#/components/schemas/{}", reg.schema) });
    let input = json!({ "$ref": format!("#/components/schemas/{}Input", reg.schema) });
    // What the tests send is valid input, by the document.
    validate(schemas, &input, &sample(reg, &manager)).unwrap();
    let base = format!("/api/v1/orgs/{{slug}}/{}", reg.api);
    let ops = &doc["paths"][&base];
    let list_schema = &ops["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    let created_schema = &ops["post"]["responses"]["201"]["content"]["application/json"]["schema"];
    // A record with every optional field empty, and one with all filled.
    // (Required fields, and what the register's rules across fields ask for
    // besides: a threat affects at least one property.)
    let full = reg.sample(&manager);
    let mut raw: BTreeMap<String, String> = full
        .iter()
        .filter(|(k, _)| reg.field(k).is_some_and(|f| f.required))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // A rule may ask for a field that makes another one needed: round by round.
    for _ in reg.fields {
        let Err(e) = reg.parse(&raw) else { break };
        for f in reg.fields.iter().filter(|f| e.for_field(f.name).is_some()) {
            raw.insert(f.name.into(), full[f.name].clone());
        }
    }
    let mut minimal = serde_json::Map::new();
    for k in raw.keys() {
        minimal.insert(k.clone(), sample(reg, &manager)[k.as_str()].clone());
    }
    let minimal = Value::Object(minimal);
    validate(schemas, &input, &minimal).unwrap();
    for body in [sample(reg, &contributor), minimal] {
        let r = w.manager.json(Method::POST, &api(reg), &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        validate(schemas, created_schema, &r.json()).unwrap();
        let id = r.json()["id"].as_str().unwrap().to_string();
        for c in [&w.manager, &w.contributor, &w.auditor] {
            validate(schemas, &one, &c.get(&format!("{}/{id}", api(reg))).await.json()).unwrap();
        }
        let r = w.manager.call(Method::POST, &format!("{}/{id}/archive", api(reg))).await;
        validate(schemas, &one, &r.json()).unwrap();
    }
    let r = w.manager.get(&format!("{}?archived=all", api(reg))).await;
    validate(schemas, list_schema, &r.json()).unwrap();
    assert_eq!(r.json()["total"], 2);
    // The document describes bad input as refused.
    let mut bad = sample(reg, &manager);
    bad["nonsense"] = json!(true);
    assert!(validate(schemas, &input, &bad).is_err(), "an unknown property is not valid input");
    // Every documented operation of the register is served.
    for (path, methods) in doc["paths"].as_object().unwrap().iter().filter(|(p, _)| p.starts_with(&base)) {
        for m in methods.as_object().unwrap().keys() {
            let real = path.replace("{slug}", "acme").replace("{id}", &uuid_like()).replace("{format}", "csv");
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let st = w.manager.json(method, &real, &sample(reg, &manager)).await.status;
            assert!(
                st != StatusCode::METHOD_NOT_ALLOWED && (st != StatusCode::NOT_FOUND || real.contains(&uuid_like())),
                "{m} {path}: {st}"
            );
        }
    }
}

/// Validates `v` against a JSON schema of the subset the OpenAPI document
/// uses; any other keyword fails the test, so nothing passes unchecked.
fn validate(schemas: &Value, schema: &Value, v: &Value) -> Result<(), String> {
    let s = schema.as_object().ok_or("schema is not an object")?;
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/components/schemas/").ok_or("unknown $ref")?;
        return validate(schemas, &schemas[name], v);
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
        let errs: Vec<String> = any.iter().filter_map(|b| validate(schemas, b, v).err()).collect();
        return if errs.len() < any.len() { Ok(()) } else { Err(format!("none of anyOf: {errs:?}")) };
    }
    for k in s.keys() {
        if !matches!(
            k.as_str(),
            "type"
                | "enum"
                | "required"
                | "properties"
                | "additionalProperties"
                | "items"
                | "format"
                | "maxLength"
                | "pattern"
                | "description"
                | "minimum"
                | "maximum"
                | "uniqueItems"
        ) {
            return Err(format!("keyword {k} not checked by this validator"));
        }
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => return Err("bad type".into()),
        };
        let is = |t: &str| match t {
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "object" => v.is_object(),
            "array" => v.is_array(),
            "null" => v.is_null(),
            _ => false,
        };
        if !types.iter().any(|t| is(t)) {
            return Err(format!("{v} is not {types:?}"));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{v} is not one of {e:?}"));
    }
    if let Some(text) = v.as_str() {
        if let Some(max) = s.get("maxLength").and_then(Value::as_u64)
            && text.chars().count() as u64 > max
        {
            return Err(format!("longer than {max}"));
        }
        if let Some(p) = s.get("pattern").and_then(Value::as_str)
            && !regex::Regex::new(p).map_err(|e| e.to_string())?.is_match(text)
        {
            return Err(format!("{text:?} does not match {p}"));
        }
        match s.get("format").and_then(Value::as_str) {
            Some("uuid") if uuid_ok(text) => {}
            Some("date") if borgen_core::time::parse_date(text).is_some() => {}
            Some("date-time") if borgen_core::time::parse_text(text).is_some() => {}
            None | Some("binary") => {}
            Some(f) => return Err(format!("{text:?} is not a {f}")),
        }
    }
    if let Some(o) = v.as_object() {
        for r in s.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !o.contains_key(r.as_str().unwrap_or("")) {
                return Err(format!("missing {r}"));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, val) in o {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(schemas, ps, val).map_err(|e| format!("{k}: {e}"))?,
                None if s.get("additionalProperties") == Some(&json!(false)) => {
                    return Err(format!("property {k} is not in the schema"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(a)) = (s.get("items"), v.as_array()) {
        for (i, x) in a.iter().enumerate() {
            validate(schemas, items, x).map_err(|e| format!("[{i}]: {e}"))?;
        }
    }
    if let (Some(true), Some(a)) = (s.get("uniqueItems").and_then(Value::as_bool), v.as_array())
        && a.iter().enumerate().any(|(i, x)| a[..i].contains(x))
    {
        return Err(format!("{v}: items repeat"));
    }
    Ok(())
}

fn uuid_ok(s: &str) -> bool {
    s.len() == 36
        && s.chars()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}
