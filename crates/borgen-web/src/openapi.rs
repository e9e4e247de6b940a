//! The OpenAPI 3.1 document of `/api/v1`, written out here next to the routes
//! it describes. A test checks that every API route is in it and vice versa.

use serde_json::{Map, Value, json};

fn param(name: &str, place: &str, description: &str) -> Value {
    json!({ "name": name, "in": place, "required": place == "path", "description": description, "schema": { "type": "string" } })
}

fn op(summary: &str, tag: &str, params: Vec<Value>, body: Option<&str>, ok: (&str, Value)) -> Value {
    let mut o = json!({
        "summary": summary,
        "tags": [tag],
        "parameters": params,
        "responses": {
            ok.0: { "description": "OK", "content": { "application/json": { "schema": ok.1 } } },
            "401": { "$ref": "#/components/responses/Error" },
            "403": { "$ref": "#/components/responses/Error" },
            "404": { "$ref": "#/components/responses/Error" },
        }
    });
    if let Some(schema) = body {
        o["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } });
        o["responses"]["400"] = json!({ "$ref": "#/components/responses/Error" });
        o["responses"]["415"] = json!({ "$ref": "#/components/responses/Error" });
        o["responses"]["422"] = json!({ "$ref": "#/components/responses/Error" });
        // A rule refused it (approved already, an SoA with undecided controls), naming what is in the way.
        o["responses"]["409"] = json!({ "$ref": "#/components/responses/Error" });
    }
    o
}

fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn list_of(name: &str) -> Value {
    json!({ "type": "object", "properties": {
        "items": { "type": "array", "items": schema(name) },
        "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" } } })
}

fn file() -> Value {
    json!({ "type": "string", "format": "binary" })
}

fn strings(names: &[&str]) -> Value {
    let mut m = Map::new();
    for n in names {
        m.insert((*n).to_string(), json!({ "type": ["string", "null"] }));
    }
    Value::Object(m)
}

fn enum_of(codes: Vec<&str>) -> Value {
    json!({ "type": "string", "enum": codes })
}

pub fn document() -> Value {
    use borgen_core::soa::{ImplStatus, Reason};
    let slug = || param("slug", "path", "organisation slug");
    let id = || param("id", "path", "record id (UUID)");
    let list_params = |extra: &[&str]| {
        let mut v = vec![slug()];
        for p in extra {
            v.push(param(p, "query", "filter, sort or page"));
        }
        v
    };
    let mut paths = Map::new();
    let mut add = |path: &str, method: &str, o: Value| {
        let e = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        e[method] = o;
    };
    add("/api/v1/openapi.json", "get", op("This document", "meta", vec![], None, ("200", json!({ "type": "object" }))));
    add("/api/v1/me", "get", op("The authenticated user", "meta", vec![], None, ("200", json!({ "type": "object" }))));
    add(
        "/api/v1/orgs",
        "get",
        op("Organisations the caller is a member of", "meta", vec![], None, ("200", json!({ "type": "object" }))),
    );
    add(
        "/api/v1/catalog",
        "get",
        op(
            "The built-in catalogue: Annex A 2022 (93 controls, attributes, Dutch and English texts), the 114 controls of 2013 with their 2022 successors, and the clauses 4.1–10.2",
            "catalog",
            vec![],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        "/api/v1/orgs/{slug}/members",
        "get",
        op(
            "Members of the organisation with their roles",
            "meta",
            vec![slug()],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        "/api/v1/orgs/{slug}/audit-log",
        "get",
        op(
            "The organisation's audit trail, newest first",
            "audit",
            vec![slug(), param("page", "query", "page"), param("per_page", "query", "page size")],
            None,
            ("200", list_of("AuditEvent")),
        ),
    );

    let n = || param("n", "path", "version number");
    let control = || param("control", "path", "Annex A control id, e.g. 5.15");
    let soa_filters = ["q", "theme", "applicable", "status", "owner", "attr"];
    let s = "/api/v1/orgs/{slug}/soa";
    add(
        s,
        "get",
        op(
            "The Statement of Applicability: 93 rows (filterable) and progress",
            "soa",
            list_params(&soa_filters),
            None,
            (
                "200",
                json!({ "type": "object", "properties": { "rows": { "type": "array", "items": schema("SoaRow") }, "progress": { "type": "object" } } }),
            ),
        ),
    );
    add(
        &format!("{s}/rows/{{control}}"),
        "get",
        op("One SoA row", "soa", vec![slug(), control()], None, ("200", schema("SoaRow"))),
    );
    add(
        &format!("{s}/rows/{{control}}"),
        "put",
        op(
            "Set one SoA row (applicability, reasons, justification, status, owner, linked requirements)",
            "soa",
            vec![slug(), control()],
            Some("SoaEntryInput"),
            ("200", schema("SoaRow")),
        ),
    );
    add(
        &format!("{s}/versions"),
        "get",
        op("Issued SoA versions, newest first", "soa", vec![slug()], None, ("200", json!({ "type": "object" }))),
    );
    add(
        &format!("{s}/versions"),
        "post",
        op(
            "Issue a new version (a frozen snapshot)",
            "soa",
            vec![slug()],
            Some("VersionNote"),
            ("201", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{s}/versions/{{n}}"),
        "get",
        op("One version with its frozen rows", "soa", vec![slug(), n()], None, ("200", json!({ "type": "object" }))),
    );
    add(
        &format!("{s}/versions/{{n}}/approve"),
        "post",
        op(
            "Approve a version (top management, once; with the current code when the approver uses two-step verification)",
            "soa",
            vec![slug(), n()],
            Some("Approval"),
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{s}/diff"),
        "get",
        op(
            "Rows that differ between two versions (to defaults to the current draft, from to the last approved version)",
            "soa",
            vec![slug(), param("from", "query", "version number"), param("to", "query", "version number or draft")],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{s}/export/{{format}}"),
        "get",
        op(
            "Export the SoA (draft or a version) as xlsx, pdf, csv or md",
            "soa",
            vec![
                slug(),
                param("format", "path", "xlsx, pdf, csv or md"),
                param("version", "query", "version number; the draft when absent"),
            ],
            None,
            ("200", file()),
        ),
    );
    let mut import_op = op(
        "Import applicability, reasons, justification and status keyed by control id from CSV or XLSX (the request body); a file with any error changes nothing and the errors come back per line",
        "soa",
        vec![slug()],
        None,
        (
            "200",
            json!({ "type": "object", "properties": { "rows": { "type": "integer" }, "changed": { "type": "integer" } } }),
        ),
    );
    import_op["requestBody"] = json!({ "required": true, "content": { "text/csv": { "schema": file() }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": file() } } });
    import_op["responses"]["415"] = json!({ "$ref": "#/components/responses/Error" });
    import_op["responses"]["422"] = json!({ "$ref": "#/components/responses/Error" });
    add(&format!("{s}/import"), "post", import_op);
    risk_paths(&mut add, &slug, &id);
    evidence_paths(&mut add);
    document_paths(&mut add);

    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Borgen API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The JSON API of Borgen, an ISMS for ISO/IEC 27001:2022. Authenticate with a personal API token (Authorization: Bearer …) bound to one organisation (a read-only token may only GET; an expired one is refused), or with a browser session plus the X-CSRF-Token header for changes. Errors come as {\"error\": {status, code, message, fields, request_id}}, with the message in the language of Accept-Language."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }, { "session": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "session": { "type": "apiKey", "in": "cookie", "name": "borgen_session" }
            },
            "responses": {
                "Error": { "description": "Error", "content": { "application/json": { "schema": schema("Error") } } }
            },
            "schemas": {
                "Error": { "type": "object", "properties": { "error": { "type": "object", "properties": {
                    "status": { "type": "integer" }, "code": { "type": "string" }, "message": { "type": "string" },
                    "fields": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "code": { "type": "string" }, "message": { "type": "string" } } } },
                    "problems": { "type": "array", "items": { "type": "object", "properties": { "code": { "type": "string" }, "message": { "type": "string" }, "args": { "type": "object", "additionalProperties": { "type": "string" } } } } },
                    "request_id": { "type": "string" } } } } },
                "SoaEntryInput": { "type": "object", "properties": {
                    "applicable": { "type": ["string", "null"], "enum": ["yes", "no", "", null] },
                    "reasons": { "type": "array", "items": enum_of(Reason::ALL.iter().map(|r| r.code()).collect()) },
                    "inclusion_note": { "type": ["string", "null"] },
                    "exclusion_justification": { "type": ["string", "null"] },
                    "status": enum_of(ImplStatus::ALL.iter().map(|r| r.code()).collect()),
                    "owner_id": { "type": ["string", "null"] },
                    "requirement_ids": { "type": "array", "items": { "type": "string", "format": "uuid" } } } },
                "SoaRow": { "type": "object", "properties": {
                    "control_id": { "type": "string" }, "applicable": { "type": ["boolean", "null"] },
                    "reasons": { "type": "array", "items": { "type": "string" } },
                    "derived_reasons": { "type": "array", "items": { "type": "string" } },
                    "inclusion_note": { "type": ["string", "null"] }, "exclusion_justification": { "type": ["string", "null"] },
                    "status": { "type": "string" }, "status_derived": { "type": "boolean" },
                    "owner_id": { "type": ["string", "null"] }, "owner_name": { "type": ["string", "null"] },
                    "requirements": { "type": "array" }, "applied_controls": { "type": "array" } } },
                "VersionNote": { "type": "object", "properties": { "note": { "type": ["string", "null"] }, "comment": { "type": ["string", "null"] } } },
                "AuditEvent": { "type": "object", "properties": strings(&["id", "chain", "at", "actor_id", "actor_label", "action", "entity_type", "entity_id", "before_json", "after_json", "prev_hash", "hash"]) }
            }
        }
    });
    risk_schemas(&mut doc["components"]["schemas"]);
    evidence_schemas(&mut doc["components"]["schemas"]);
    for reg in borgen_core::registers::ALL {
        if let Some(paths) = doc["paths"].as_object_mut() {
            crate::register::schema::paths(reg, paths);
        }
        if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
            crate::register::schema::schemas(reg, schemas);
        }
    }
    // A document from a template: the document's input, its type the
    // template's, and the language of its text.
    let mut from = doc["components"]["schemas"]["DocumentInput"].clone();
    from["properties"]["lang"] = json!({ "type": "string", "enum": ["en", "nl"] });
    if let Some(props) = from["properties"].as_object_mut() {
        props.remove("doc_type");
    }
    if let Some(req) = from["required"].as_array_mut() {
        req.retain(|r| r != "doc_type");
    }
    doc["components"]["schemas"]["DocumentFromTemplate"] = from;
    doc
}

/// The risk management paths: risks, methodology, assets, threats, tasks.
fn risk_paths(add: &mut dyn FnMut(&str, &str, Value), slug: &dyn Fn() -> Value, id: &dyn Fn() -> Value) {
    let r = "/api/v1/orgs/{slug}/risks";
    let filters = [
        ("q", "search"),
        ("level", "current risk level (index from 0)"),
        ("owner", "owner's user id"),
        ("asset", "asset id"),
        ("applied_control", "applied control id: the risks treated with it"),
        ("threat", "a catalogue threat's code or an own threat's id"),
        ("treatment", "mitigate, accept, transfer or avoid"),
        ("status", "risk status"),
        ("affects", "c, i or a"),
        ("overdue", "1: review date passed"),
        ("unaccepted", "1: without acceptance"),
        ("il", "inherent likelihood (with ii)"),
        ("ii", "inherent impact (with il)"),
        ("rl", "residual likelihood (with ri)"),
        ("ri", "residual impact (with rl)"),
        ("archived", "active, archived or all"),
        ("sort", "number, level, title or review"),
        ("page", "page from 1"),
        ("per_page", "1 to 500"),
    ];
    let mut list = vec![slug()];
    list.extend(filters.iter().map(|(n, d)| param(n, "query", d)));
    add(r, "get", op("The risk register (filtered, one page)", "risk", list, None, ("200", list_of("Risk"))));
    add(
        r,
        "post",
        op(
            "Create a risk (scored with the methodology in force)",
            "risk",
            vec![slug()],
            Some("RiskInput"),
            ("201", schema("Risk")),
        ),
    );
    add(
        &format!("{r}/heatmap"),
        "get",
        op(
            "Risk counts per matrix cell",
            "risk",
            vec![slug(), param("residual", "query", "true for residual scores")],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{r}/{{id}}"),
        "get",
        op("One risk with acceptances and tasks", "risk", vec![slug(), id()], None, ("200", schema("Risk"))),
    );
    add(
        &format!("{r}/{{id}}"),
        "put",
        op(
            "Replace a risk (scored with its pinned methodology version)",
            "risk",
            vec![slug(), id()],
            Some("RiskInput"),
            ("200", schema("Risk")),
        ),
    );
    add(
        &format!("{r}/{{id}}/archive"),
        "post",
        op("Archive a risk", "risk", vec![slug(), id()], None, ("200", schema("Risk"))),
    );
    add(
        &format!("{r}/{{id}}/restore"),
        "post",
        op("Restore a risk", "risk", vec![slug(), id()], None, ("200", schema("Risk"))),
    );
    add(
        &format!("{r}/{{id}}/accept"),
        "post",
        op(
            "Accept the treatment and residual risk (owner or top management, by the criteria; with the current code when the user uses two-step verification); immutable",
            "risk",
            vec![slug(), id()],
            Some("AcceptanceInput"),
            ("201", schema("Acceptance")),
        ),
    );
    add(
        &format!("{r}/{{id}}/tasks"),
        "post",
        op("Add a treatment task", "risk", vec![slug(), id()], Some("TaskInput"), ("201", schema("Task"))),
    );
    add(
        &format!("{r}/{{id}}/history"),
        "get",
        op("Change history of a risk", "risk", vec![slug(), id()], None, ("200", list_of("AuditEvent"))),
    );
    add(
        &format!("{r}/quantitative"),
        "get",
        op(
            "Monte Carlo simulation of every estimated risk and the register (100,000 years; deterministic per seed)",
            "risk",
            vec![slug(), param("seed", "query", "seed, default 27001")],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{r}/{{id}}/estimate"),
        "put",
        op(
            "Set or clear (all fields empty) a risk's FAIR estimate: frequency per year and loss per event as min / most likely / max, shape pert or lognormal",
            "risk",
            vec![slug(), id()],
            Some("EstimateInput"),
            ("200", json!({ "type": "object" })),
        ),
    );
    let fmt = || param("format", "path", "csv, xlsx or pdf");
    let mut export_params = vec![slug(), fmt()];
    export_params.extend(
        filters.iter().filter(|(n, _)| !matches!(*n, "page" | "per_page" | "sort")).map(|(n, d)| param(n, "query", d)),
    );
    add(
        &format!("{r}/export/{{format}}"),
        "get",
        op("The risk register (filtered) as CSV, XLSX or PDF", "risk", export_params, None, ("200", file())),
    );
    for (what, fields) in [("assets", borgen_core::import::ASSET_FIELDS), ("risks", borgen_core::import::RISK_FIELDS)] {
        let codes: Vec<&str> = fields.iter().map(|f| f.code).collect();
        let mut import_op = op(
            &format!(
                "Import {what} from CSV or XLSX (the request body). Columns are recognised from their headers in Dutch or English; \
                 choose a column's field with `map.<column>=<field>` (the column by header or number from 1, an empty field ignores it). \
                 Fields: {}. A file with any problem changes nothing; the problems come back with line and column",
                codes.join(", ")
            ),
            "risk",
            vec![slug(), param("map.<column>", "query", "the field a column feeds; repeat per column")],
            None,
            (
                "201",
                json!({ "type": "object", "properties": { "created": { "type": "integer" }, "first": { "type": ["string", "null"] }, "last": { "type": ["string", "null"] } } }),
            ),
        );
        import_op["requestBody"] = json!({ "required": true, "content": { "text/csv": { "schema": file() }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": file() } } });
        import_op["responses"]["415"] = json!({ "$ref": "#/components/responses/Error" });
        import_op["responses"]["422"] = json!({ "$ref": "#/components/responses/Error" });
        add(&format!("/api/v1/orgs/{{slug}}/{what}/import"), "post", import_op);
    }
    add(
        "/api/v1/orgs/{slug}/threats/export/{format}",
        "get",
        op(
            "The threat register (catalogue and own threats) as CSV, XLSX or PDF",
            "risk",
            vec![slug(), fmt()],
            None,
            ("200", file()),
        ),
    );
    add(
        "/api/v1/orgs/{slug}/tasks/export/{format}",
        "get",
        op("The treatment plan (every task) as CSV, XLSX or PDF", "risk", vec![slug(), fmt()], None, ("200", file())),
    );
    let m = "/api/v1/orgs/{slug}/risk-methodology";
    add(
        m,
        "get",
        op(
            "The methodology in force and its versions",
            "risk",
            vec![slug()],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        m,
        "put",
        op(
            "Save a changed methodology as a new version: a draft that comes into force when top management approves it (the first version is in force at once); `in_force` is the version risks are scored with",
            "risk",
            vec![slug()],
            Some("MethodologyBody"),
            (
                "201",
                json!({ "type": "object", "properties": { "version": { "type": "integer" }, "in_force": { "type": "integer" } } }),
            ),
        ),
    );
    add(
        &format!("{m}/rescore"),
        "get",
        op(
            "What re-scoring under the version in force would change",
            "risk",
            vec![slug()],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{m}/rescore"),
        "post",
        op("Re-score risks of earlier versions", "risk", vec![slug()], None, ("200", json!({ "type": "object" }))),
    );
    add(
        &format!("{m}/versions/{{v}}"),
        "get",
        op(
            "One methodology version; from version 2 on, `changes_from_previous` lists what changed from the one before (what, old, new) in the caller's language",
            "risk",
            vec![slug(), param("v", "path", "version number")],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{m}/versions/{{v}}/approve"),
        "post",
        op(
            "Approve a methodology version (top management, once; with the current code when the approver uses two-step verification)",
            "risk",
            vec![slug(), param("v", "path", "version number")],
            Some("Approval"),
            ("200", json!({ "type": "object" })),
        ),
    );
    let tp = "/api/v1/orgs/{slug}/treatment-plan/versions";
    let pn = || param("n", "path", "plan version number");
    add(
        tp,
        "get",
        op(
            "Versions of the risk treatment plan, newest first, with their sign-offs and who has yet to sign; the plan as it stands now and what stands in the way of issuing it",
            "risk",
            vec![slug()],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        tp,
        "post",
        op(
            "Issue a version of the treatment plan (ISMS manager; refused while a risk in it has no owner or nothing planned)",
            "risk",
            vec![slug()],
            Some("VersionNote"),
            ("201", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{tp}/{{n}}"),
        "get",
        op(
            "One version of the treatment plan: the frozen risks, controls and tasks, the sign-offs",
            "risk",
            vec![slug(), pn()],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{tp}/{{n}}/sign-off"),
        "post",
        op(
            "Sign a version of the treatment plan off as one of its risk owners (once, before approval; with the current code when two-step verification is on)",
            "risk",
            vec![slug(), pn()],
            Some("Approval"),
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{tp}/{{n}}/approve"),
        "post",
        op(
            "Approve a version of the treatment plan (top management, once, after every risk owner signed it off)",
            "risk",
            vec![slug(), pn()],
            Some("Approval"),
            ("200", json!({ "type": "object" })),
        ),
    );
    let rr = "/api/v1/orgs/{slug}/risk-runs";
    let n = || param("n", "path", "run number");
    add(
        rr,
        "get",
        op(
            "Assessment runs, newest first, with the next due date",
            "risk",
            vec![slug()],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        rr,
        "post",
        op(
            "Take an assessment run: freeze the register (ISMS manager)",
            "risk",
            vec![slug()],
            Some("RunInput"),
            ("201", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{rr}/compare"),
        "get",
        op(
            "Compare two runs: added, removed, re-scored, re-treated",
            "risk",
            vec![slug(), param("from", "query", "run number"), param("to", "query", "run number")],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    add(
        &format!("{rr}/{{n}}"),
        "get",
        op("One run with its frozen risks", "risk", vec![slug(), n()], None, ("200", json!({ "type": "object" }))),
    );
    add(
        &format!("{rr}/{{n}}/approve"),
        "post",
        op(
            "Approve a run (top management, once; with the current code when the approver uses two-step verification)",
            "risk",
            vec![slug(), n()],
            Some("Approval"),
            ("200", json!({ "type": "object" })),
        ),
    );
    let th = "/api/v1/orgs/{slug}/threats";
    add(
        th,
        "get",
        op(
            "The built-in threat catalogue and the organisation's own threats",
            "risk",
            vec![slug()],
            None,
            ("200", json!({ "type": "object" })),
        ),
    );
    let tk = "/api/v1/orgs/{slug}/tasks";
    add(
        tk,
        "get",
        op(
            "Tasks (all, open, or the caller's)",
            "risk",
            vec![
                slug(),
                param("mine", "query", "true: the caller's tasks"),
                param("open", "query", "true: open tasks only"),
            ],
            None,
            ("200", list_of("Task")),
        ),
    );
    add(&format!("{tk}/{{id}}"), "get", op("One task", "risk", vec![slug(), id()], None, ("200", schema("Task"))));
    add(
        &format!("{tk}/{{id}}"),
        "put",
        op(
            "Update a task (ISMS manager, or its owner)",
            "risk",
            vec![slug(), id()],
            Some("TaskInput"),
            ("200", schema("Task")),
        ),
    );
}

/// Evidence files: attached to any record (`{entity}` is the record's kind:
/// a register key such as `applied_control`, or `risk`), downloaded, indexed.
fn evidence_paths(add: &mut dyn FnMut(&str, &str, Value)) {
    let slug = || param("slug", "path", "organisation slug");
    let rec = || {
        vec![
            slug(),
            param(
                "entity",
                "path",
                "kind of record: a register key (applied_control, requirement, …), risk, or document_version (the files of a document version: its content beside its text, changed only while it is a draft)",
            ),
            param("id", "path", "record id (UUID)"),
        ]
    };
    let e = "/api/v1/orgs/{slug}/evidence";
    let download = |summary: &str, params: Vec<Value>| {
        let mut o = op(summary, "evidence", params, None, ("200", file()));
        // Served with the type it was stored as: one of the accepted kinds.
        let mut content = Map::new();
        for k in borgen_core::evidence::FileKind::ALL {
            let media = k.media_type().split(';').next().unwrap_or("").to_string();
            content.insert(media, json!({ "schema": file() }));
        }
        o["responses"]["200"] =
            json!({ "description": "The file, as an attachment, with its stored type", "content": content });
        o
    };
    add(
        e,
        "get",
        op(
            "The organisation's evidence files, newest first, each with the records it is attached to",
            "evidence",
            vec![slug(), param("page", "query", "page (from 1)"), param("per_page", "query", "files per page (1–500)")],
            None,
            ("200", list_of("EvidenceFile")),
        ),
    );
    add(
        &format!("{e}/files/{{sha256}}"),
        "get",
        download(
            "A file of the organisation by its SHA-256 (for a member who may read a record it is attached to)",
            vec![slug(), param("sha256", "path", "the file's SHA-256, lower-case hex")],
        ),
    );
    add(
        &format!("{e}/download/{{link}}"),
        "get",
        download(
            "An attached file (for a member who may read the record)",
            vec![slug(), param("link", "path", "attachment id")],
        ),
    );
    add(
        &format!("{e}/{{entity}}/{{id}}"),
        "get",
        op(
            "The files attached to a record now",
            "evidence",
            rec(),
            None,
            (
                "200",
                json!({ "type": "object", "properties": { "items": { "type": "array", "items": schema("EvidenceLink") } } }),
            ),
        ),
    );
    let mut attach = op(
        "Attach a file to a record (who may edit the record; the kind is checked by content: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, TXT, CSV, EML)",
        "evidence",
        rec(),
        None,
        ("201", schema("EvidenceLink")),
    );
    attach["requestBody"] = json!({ "required": true, "content": { "multipart/form-data": { "schema": {
        "type": "object", "required": ["file"], "properties": {
            "file": file(), "note": { "type": "string", "maxLength": 500 } } } } } });
    for code in ["400", "409", "413", "415", "422"] {
        attach["responses"][code] = json!({ "$ref": "#/components/responses/Error" });
    }
    add(&format!("{e}/{{entity}}/{{id}}"), "post", attach);
    let mut detach = op(
        "Take a file off a record (it stays in the record's history)",
        "evidence",
        [rec(), vec![param("link", "path", "attachment id")]].concat(),
        None,
        ("204", json!({})),
    );
    detach["responses"]["204"] = json!({ "description": "Taken off" });
    detach["responses"]["409"] = json!({ "$ref": "#/components/responses/Error" });
    add(&format!("{e}/{{entity}}/{{id}}/{{link}}"), "delete", detach);
}

/// The versions of a document and their steps.
fn document_paths(add: &mut dyn FnMut(&str, &str, Value)) {
    let base = "/api/v1/orgs/{slug}/documents/{id}/versions";
    let doc = || vec![param("slug", "path", "organisation slug"), param("id", "path", "document id (UUID)")];
    let one = || [doc(), vec![param("n", "path", "version number")]].concat();
    let with_body = |summary: &str, params: Vec<Value>, body: &str, ok: &str| {
        let mut o = op(summary, "documents", params, Some(body), (ok, schema("DocumentVersion")));
        o["responses"]["409"] = json!({ "$ref": "#/components/responses/Error" });
        o
    };
    let step = |summary: &str| {
        let mut o = op(summary, "documents", one(), None, ("200", schema("DocumentVersion")));
        o["responses"]["409"] = json!({ "$ref": "#/components/responses/Error" });
        o
    };
    add(
        base,
        "get",
        op(
            "The versions of a document, newest first, each with its reviews and the steps the caller may take",
            "documents",
            doc(),
            None,
            (
                "200",
                json!({ "type": "object", "properties": { "items": { "type": "array", "items": schema("DocumentVersion") } } }),
            ),
        ),
    );
    add(
        base,
        "post",
        with_body(
            "Start a new draft (who may edit the document; refused while another version is open); without content it starts from the newest version's text",
            doc(),
            "DocumentDraft",
            "201",
        ),
    );
    add(
        &format!("{base}/{{n}}"),
        "get",
        op("One version", "documents", one(), None, ("200", schema("DocumentVersion"))),
    );
    add(
        &format!("{base}/{{n}}"),
        "put",
        with_body("Change a draft's text (refused once it left the draft)", one(), "DocumentDraft", "200"),
    );
    add(
        &format!("{base}/{{n}}/submit"),
        "post",
        with_body("Send a draft to review by the named members", one(), "DocumentSubmit", "200"),
    );
    add(
        &format!("{base}/{{n}}/review"),
        "post",
        with_body(
            "A named reviewer approves, or sends the version back with a reason (a draft again)",
            one(),
            "DocumentReview",
            "200",
        ),
    );
    add(
        &format!("{base}/{{n}}/approve"),
        "post",
        with_body(
            "Approve a version once every reviewer approved (top management for a policy, the ISMS manager for the rest; with the current code under two-step verification)",
            one(),
            "Approval",
            "200",
        ),
    );
    add(
        &format!("{base}/{{n}}/publish"),
        "post",
        step("Publish an approved version; the version published before is withdrawn"),
    );
    add(&format!("{base}/{{n}}/withdraw"), "post", step("Withdraw a published version (the ISMS manager)"));
    add(
        "/api/v1/orgs/{slug}/documents/{id}/diff",
        "get",
        op(
            "The lines that changed in the text from one version to another, in hunks with three unchanged lines around each change",
            "documents",
            [
                doc(),
                vec![
                    param("from", "query", "version number; the one before `to` when absent"),
                    param("to", "query", "version number; the newest when absent"),
                ],
            ]
            .concat(),
            None,
            ("200", schema("DocumentDiff")),
        ),
    );
    let mut acks = op(
        "Who is asked to read the version and confirm it, the rate, who has not confirmed and who did",
        "documents",
        one(),
        None,
        ("200", schema("Acknowledgements")),
    );
    add(&format!("{base}/{{n}}/acknowledgements"), "get", acks.clone());
    acks = op(
        "Ask every member, a role or named people to read the published version and confirm it (replaces an earlier request; who may edit the document)",
        "documents",
        one(),
        Some("AcknowledgementRequest"),
        ("200", schema("Acknowledgements")),
    );
    acks["responses"]["409"] = json!({ "$ref": "#/components/responses/Error" });
    add(&format!("{base}/{{n}}/acknowledgements"), "put", acks);
    let mut confirm = op(
        "Confirm having read the version in force that asks the caller to",
        "documents",
        one(),
        None,
        ("200", schema("ToRead")),
    );
    confirm["responses"]["409"] = json!({ "$ref": "#/components/responses/Error" });
    add(&format!("{base}/{{n}}/acknowledge"), "post", confirm);
    let org = || vec![param("slug", "path", "organisation slug")];
    add(
        "/api/v1/orgs/{slug}/document-templates",
        "get",
        op(
            "The templates for the documents the standard asks for, with the document each makes",
            "documents",
            org(),
            None,
            (
                "200",
                json!({ "type": "object", "properties": { "items": { "type": "array", "items": { "type": "object", "properties": {
                "kind": { "type": "string" }, "clause": { "type": "string" }, "doc_type": { "type": "string" },
                "code": { "type": "string" }, "title": { "type": "string" } } } } } }),
            ),
        ),
    );
    let mut made = op(
        "Make a document from a template: the document's fields (its type is the template's) and lang, the language of its text; its first draft holds the template filled in with the organisation's facts",
        "documents",
        [org(), vec![param("kind", "path", "template (scope, policy, risk_method, soa_intro, objectives, competence, audit_programme, management_review, nonconformity)")]].concat(),
        Some("DocumentFromTemplate"),
        ("201", json!({ "type": "object", "properties": { "document": schema("Document"), "version": schema("DocumentVersion") } })),
    );
    made["responses"]["422"] = json!({ "$ref": "#/components/responses/Error" });
    add("/api/v1/orgs/{slug}/document-templates/{kind}", "post", made);
    add(
        "/api/v1/orgs/{slug}/reading",
        "get",
        op(
            "The documents in force the caller may read, those asking them to confirm first",
            "documents",
            org(),
            None,
            (
                "200",
                json!({ "type": "object", "properties": { "items": { "type": "array", "items": schema("ToRead") } } }),
            ),
        ),
    );
    add(
        "/api/v1/orgs/{slug}/reading/{id}",
        "get",
        op(
            "The version in force of a document, for a member who may read it",
            "documents",
            [org(), vec![param("id", "path", "document id (UUID)")]].concat(),
            None,
            ("200", schema("Reading")),
        ),
    );
}

fn evidence_schemas(schemas: &mut Value) {
    let text = || json!({ "type": "string" });
    let maybe = || json!({ "type": ["string", "null"] });
    schemas["EvidenceLink"] = json!({ "type": "object", "properties": {
        "id": text(), "sha256": text(), "entity": text(), "record_id": text(), "name": text(), "note": text(),
        "attached_by": maybe(), "attached_by_label": text(), "attached_at": text(),
        "removed_at": maybe(), "removed_by_label": maybe(),
        "size": { "type": "integer" }, "media_type": text() } });
    let mut attached = schemas["EvidenceLink"].clone();
    attached["properties"]["record_title"] = text();
    schemas["EvidenceFile"] = json!({ "type": "object", "properties": {
        "sha256": text(), "size": { "type": "integer" }, "media_type": text(),
        "uploaded_by": maybe(), "uploaded_by_label": text(), "uploaded_at": text(),
        "attached_to": { "type": "array", "items": attached } } });
    let states = json!({ "type": "string", "enum": ["draft", "in_review", "approved", "published", "withdrawn"] });
    let stamp = || json!({ "type": ["string", "null"] });
    schemas["DocumentVersion"] = json!({ "type": "object", "properties": {
        "id": text(), "document_id": text(), "number": { "type": "integer" }, "state": states,
        "content": text(), "change_note": stamp(),
        "created_at": text(), "created_by": stamp(), "created_by_label": text(), "updated_at": text(),
        "submitted_at": stamp(), "submitted_by_label": stamp(),
        "approved_at": stamp(), "approved_by": stamp(), "approved_by_label": stamp(), "approval_comment": stamp(),
        "published_at": stamp(), "published_by_label": stamp(), "withdrawn_at": stamp(), "withdrawn_by_label": stamp(),
        "scope": { "oneOf": [{ "$ref": "#/components/schemas/ScopeParts" }, { "type": "null" }] },
        "reviews": { "type": "array", "items": { "type": "object", "properties": {
            "user_id": text(), "user_label": text(),
            "decision": { "type": "string", "enum": ["pending", "approved", "returned"] },
            "reason": stamp(), "decided_at": stamp() } } },
        "may": { "type": "object", "properties": {
            "edit": { "type": "boolean" }, "submit": { "type": "boolean" }, "review": { "type": "boolean" },
            "approve": { "type": "boolean" }, "publish": { "type": "boolean" }, "withdraw": { "type": "boolean" } } } } });
    let items = json!({ "type": "array", "maxItems": 100, "items": { "type": "string", "maxLength": 300 } });
    let part = json!({ "type": "string", "maxLength": 300 });
    schemas["ScopeParts"] = json!({ "type": "object", "additionalProperties": false,
        "description": "A scope statement's parts (4.3): units, locations, processes and interfaces must name at least one item before review; every exclusion has its justification.",
        "properties": {
            "units": items, "locations": items, "processes": items, "systems": items, "interfaces": items,
            "exclusions": { "type": "array", "maxItems": 100, "items": { "type": "object", "additionalProperties": false,
                "required": ["what", "why"], "properties": { "what": part, "why": part } } } } });
    schemas["DocumentDraft"] = json!({ "type": "object", "additionalProperties": false, "properties": {
        "content": { "type": ["string", "null"] }, "change_note": { "type": ["string", "null"], "maxLength": 500 },
        "scope": { "oneOf": [{ "$ref": "#/components/schemas/ScopeParts" }, { "type": "null" }] } } });
    schemas["DocumentSubmit"] = json!({ "type": "object", "additionalProperties": false, "properties": {
        "reviewers": { "type": "array", "items": { "type": "string", "format": "uuid" } } } });
    let to_read = json!({ "type": "object", "properties": {
        "document_id": text(), "number": { "type": "integer" }, "code": text(), "title": text(),
        "published_at": stamp(), "asked": { "type": "boolean" }, "due_on": stamp(), "confirmed_at": stamp() } });
    let mut reading = to_read.clone();
    reading["properties"]["content"] = text();
    reading["properties"]["files"] =
        json!({ "type": "array", "items": { "$ref": "#/components/schemas/EvidenceLink" } });
    reading["properties"]["approved_by_label"] = stamp();
    reading["properties"]["approved_at"] = stamp();
    schemas["ToRead"] = to_read;
    schemas["Reading"] = reading;
    let person = json!({ "type": "object", "properties": { "user_id": text(), "label": text() } });
    schemas["Acknowledgements"] = json!({ "type": "object", "properties": {
        "request": { "type": ["object", "null"], "properties": {
            "audience": { "type": "string", "enum": ["all", "role", "people"] },
            "role": text(), "people": { "type": "array", "items": text() },
            "due_on": stamp(), "requested_at": text(), "requested_by_label": text() } },
        "rate": { "type": "object", "properties": { "asked": { "type": "integer" }, "confirmed": { "type": "integer" } } },
        "waiting": { "type": "array", "items": person },
        "confirmed": { "type": "array", "items": { "type": "object", "properties": {
            "version_id": text(), "user_id": text(), "user_label": text(), "acked_at": text() } } },
        "may_ask": { "type": "boolean" }, "asks_me": { "type": "boolean" }, "i_confirmed": { "type": "boolean" } } });
    schemas["AcknowledgementRequest"] = json!({ "type": "object", "additionalProperties": false, "required": ["audience"], "properties": {
        "audience": { "type": "string", "enum": ["all", "role", "people"] },
        "role": { "type": ["string", "null"], "enum": ["isms_manager", "contributor", "top_management", "auditor", "viewer", null] },
        "people": { "type": "array", "items": { "type": "string", "format": "uuid" } },
        "due_on": { "type": ["string", "null"], "format": "date" } } });
    let line = json!({ "type": "object", "properties": {
        "change": { "type": "string", "enum": ["same", "added", "removed"] },
        "old": { "type": ["integer", "null"] }, "new": { "type": ["integer", "null"] }, "text": text() } });
    schemas["DocumentDiff"] = json!({ "type": "object", "properties": {
        "from": { "type": "integer" }, "to": { "type": "integer" },
        "added": { "type": "integer" }, "removed": { "type": "integer" },
        "hunks": { "type": "array", "items": { "type": "object", "properties": {
            "skipped": { "type": "integer" }, "lines": { "type": "array", "items": line } } } },
        "skipped_after": { "type": "integer" } } });
    schemas["DocumentReview"] = json!({ "type": "object", "additionalProperties": false, "required": ["decision"], "properties": {
        "decision": { "type": "string", "enum": ["approve", "return"] }, "reason": { "type": ["string", "null"] } } });
}

fn risk_schemas(schemas: &mut Value) {
    use borgen_core::risk::{RiskStatus, Treatment};
    use borgen_core::task::TaskStatus;
    let codes = |v: Vec<&str>| enum_of(v);
    let level =
        json!({ "type": ["integer", "string", "null"], "description": "a level of the methodology's scale, from 1" });
    let mut risk_in = strings(&[
        "description",
        "threat",
        "vulnerability",
        "no_asset_reason",
        "owner_id",
        "existing_controls",
        "treatment_rationale",
        "next_review",
    ]);
    risk_in["title"] = json!({ "type": "string", "maxLength": 200 });
    risk_in["asset_ids"] = json!({ "type": "array", "items": { "type": "string", "format": "uuid" } });
    risk_in["applied_control_ids"] = json!({ "type": "array", "items": { "type": "string", "format": "uuid" } });
    risk_in["control_ids"] = json!({ "type": ["string", "null"], "description": "Annex A ids separated by commas" });
    for f in ["affects_c", "affects_i", "affects_a"] {
        risk_in[f] = json!({ "type": ["boolean", "string", "null"] });
    }
    for f in ["inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"] {
        risk_in[f] = level.clone();
    }
    risk_in["treatment"] = codes(Treatment::ALL.iter().map(|x| x.code()).collect());
    risk_in["status"] = codes(RiskStatus::ALL.iter().map(|x| x.code()).collect());
    schemas["RiskInput"] = json!({ "type": "object", "required": ["title"], "properties": risk_in });
    schemas["Risk"] = json!({ "type": "object", "properties": {
        "id": { "type": "string", "format": "uuid" }, "number": { "type": "integer" }, "title": { "type": "string" },
        "methodology_version": { "type": "integer" },
        "inherent": { "type": ["object", "null"] }, "residual": { "type": ["object", "null"] },
        "inherent_level": { "type": ["integer", "null"] }, "residual_level": { "type": ["integer", "null"] },
        "treatment": { "type": ["string", "null"] }, "status": { "type": "string" }, "archived": { "type": "boolean" } } });
    schemas["Acceptance"] = json!({ "type": "object", "properties": {
        "id": { "type": "string", "format": "uuid" }, "accepted_by_label": { "type": "string" }, "accepted_as": { "type": "string" },
        "comment": { "type": ["string", "null"] }, "basis": { "type": "object" }, "accepted_at": { "type": "string", "format": "date-time" },
        "expires_on": { "type": ["string", "null"], "format": "date" } } });
    schemas["AcceptanceInput"] = json!({ "type": "object", "properties": {
        "comment": { "type": ["string", "null"] }, "code": { "type": ["string", "null"] },
        "expires_on": { "type": ["string", "null"], "description": "the last day the acceptance holds (YYYY-MM-DD), not in the past" } } });
    schemas["EstimateInput"] = json!({ "type": "object", "properties": {
        "freq_min": { "type": ["number", "string", "null"] }, "freq_ml": { "type": ["number", "string", "null"] }, "freq_max": { "type": ["number", "string", "null"] },
        "freq_shape": { "type": "string", "enum": ["pert", "lognormal"] },
        "mag_min": { "type": ["number", "string", "null"] }, "mag_ml": { "type": ["number", "string", "null"] }, "mag_max": { "type": ["number", "string", "null"] },
        "mag_shape": { "type": "string", "enum": ["pert", "lognormal"] } } });
    schemas["RunInput"] = json!({ "type": "object", "required": ["title", "reason"], "properties": {
        "title": { "type": "string" }, "reason": { "type": "string", "enum": ["planned", "significant_change"] },
        "change_reason": { "type": ["string", "null"], "description": "required for significant_change" },
        "scope": { "type": ["string", "null"] }, "participants": { "type": ["string", "null"] } } });
    schemas["Comment"] = json!({ "type": "object", "properties": { "comment": { "type": ["string", "null"] } } });
    schemas["Approval"] = json!({ "type": "object", "properties": {
        "comment": { "type": ["string", "null"] },
        "code": { "type": ["string", "null"], "description": "the current 6-digit code of the user's authenticator app; required (422 error.totp_required / error.totp_invalid) when the user has two-step verification on" } } });
    schemas["MethodologyBody"] = json!({ "type": "object", "required": ["methodology"], "properties": {
        "methodology": { "type": "object", "description": "likelihood and impact (3–10 levels: label and description in nl and en), areas (code, name, criteria per impact level), levels (2–6: name, colour #rrggbb, accept_by owner|top_management|nobody), matrix (likelihood × impact → level index), review_months (1–36)" },
        "note": { "type": ["string", "null"] } } });
    let mut task_in = strings(&["description", "owner_id", "due_date", "applied_control_id", "closing_note"]);
    task_in["title"] = json!({ "type": "string", "maxLength": 200 });
    task_in["status"] = codes(TaskStatus::ALL.iter().map(|x| x.code()).collect());
    task_in["progress"] = json!({ "type": ["integer", "string", "null"], "description": "0–100" });
    schemas["TaskInput"] = json!({ "type": "object", "required": ["title"], "properties": task_in });
    schemas["Task"] = json!({ "type": "object", "properties": {
        "id": { "type": "string", "format": "uuid" }, "subject": { "type": "string" }, "subject_id": { "type": "string" },
        "subject_label": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "string" }, "progress": { "type": "integer" } } });
}
