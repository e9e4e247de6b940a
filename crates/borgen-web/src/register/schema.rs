//! The OpenAPI operations and schemas of every declared register, derived
//! from the same declaration that parses input and serialises records
//! ([`borgen_core::register::RecordJson`]), so the description cannot drift
//! from what the API accepts and returns.

use super::api_operations;
use borgen_core::register::{Field, Kind, LIST_PARAMS, PER_PAGE_MAX, Register};
use serde_json::{Map, Value, json};

fn error_ref() -> Value {
    json!({ "$ref": "#/components/responses/Error" })
}

/// The JSON schema of one field's value. The same rule for records and for
/// input: a required field is never `null`, an optional one may be. Required
/// text in input is not blank.
fn field_schema(f: &Field, input: bool) -> Value {
    let url = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s\\x00-\\x1f\\x7f-\\x9f]+$";
    let (ty, mut s) = match f.kind {
        Kind::Text(max) => ("string", json!({ "maxLength": max })),
        Kind::Date => ("string", json!({ "format": "date" })),
        Kind::Choice { codes, .. } => ("string", json!({ "enum": codes })),
        Kind::Member => ("string", json!({ "format": "uuid", "description": "user id of a member" })),
        Kind::Bool => return json!({ "type": "boolean" }),
        Kind::Url => ("string", json!({ "maxLength": 2000, "pattern": url })),
        Kind::Email => ("string", json!({ "maxLength": 254, "description": "an e-mail address" })),
        Kind::Link(_) => ("string", json!({ "format": "uuid", "description": "id of a record in this organisation" })),
        Kind::Level { max, .. } => {
            let n = json!({ "type": "integer", "minimum": 0, "maximum": max, "description": "0 (not set) to the highest level" });
            if !input {
                return n;
            }
            // Input also takes the number as text, and blank or null as 0.
            return json!({ "anyOf": [n, { "type": "string", "pattern": format!("^\\s*[0-{max}]?\\s*$") }, { "type": "null" }] });
        }
        Kind::Number { decimals } => {
            let d = format!("at most {decimals} digits after the decimal separator");
            let mut n = json!({ "type": "number", "description": d });
            if !input {
                if !f.required {
                    n["type"] = json!(["number", "null"]);
                }
                return n;
            }
            // Input also takes the number as text, with a point or a comma.
            let mut any = vec![n, json!({ "type": "string", "description": "a number such as 12.5 or 12,5" })];
            if !f.required {
                any.push(json!({ "type": "null" }));
            }
            return json!({ "anyOf": any });
        }
        Kind::Records { .. } => {
            let list = json!({ "type": "array", "uniqueItems": true, "items": { "type": "string", "format": "uuid" },
                "description": "ids of records in this organisation" });
            return many(f, input, list, "record ids separated by commas");
        }
        Kind::Controls(_) => {
            let ids: Vec<&str> = borgen_core::catalog::controls().iter().map(|c| c.id.as_str()).collect();
            let list = json!({ "type": "array", "uniqueItems": true, "items": { "type": "string", "enum": ids },
                "description": "Annex A control ids, in the standard's order" });
            return many(f, input, list, "Annex A ids separated by commas (\"5.15, 8.5\")");
        }
    };
    if input && f.required && matches!(f.kind, Kind::Text(_)) {
        s["pattern"] = json!("\\S");
    }
    if f.required {
        s["type"] = json!(ty);
    } else {
        s["type"] = json!([ty, "null"]);
        if let Some(e) = s.get_mut("enum").and_then(Value::as_array_mut) {
            e.push(Value::Null);
        }
    }
    s
}

/// A many-valued field: in a record always the list (empty is `[]`, never
/// null); input also takes the values as one text, separated by commas.
fn many(f: &Field, input: bool, list: Value, text: &str) -> Value {
    if !input {
        return list;
    }
    let mut any = vec![list, json!({ "type": "string", "description": text })];
    if !f.required {
        any.push(json!({ "type": "null" }));
    }
    json!({ "anyOf": any })
}

/// `{schema}`: a stored record with the caller's access; `{schema}Input`: what
/// create and update accept.
pub fn schemas(reg: &Register, out: &mut Map<String, Value>) {
    let mut props = Map::new();
    props.insert("id".into(), json!({ "type": "string", "format": "uuid" }));
    for f in reg.fields {
        props.insert(f.name.into(), field_schema(f, false));
    }
    let raised: Map<String, Value> = reg
        .fields
        .iter()
        .filter(|f| f.raised_by.is_some())
        .map(|f| (f.name.to_string(), field_schema(f, false)))
        .collect();
    if !raised.is_empty() {
        let names: Vec<String> = raised.keys().cloned().collect();
        props.insert(
            "effective".into(),
            json!({ "type": "object", "additionalProperties": false, "required": names, "properties": raised,
                "description": "each level raised by the records it reaches through its links (current ones only)" }),
        );
    }
    props.insert("archived".into(), json!({ "type": "boolean" }));
    props.insert("created_at".into(), json!({ "type": "string", "format": "date-time" }));
    props.insert("updated_at".into(), json!({ "type": "string", "format": "date-time" }));
    props.insert(
        "access".into(),
        json!({ "type": "object", "additionalProperties": false, "required": ["edit", "archive", "restore"],
            "description": "what the caller may do with this record",
            "properties": { "edit": { "type": "boolean" }, "archive": { "type": "boolean" }, "restore": { "type": "boolean" } } }),
    );
    for kid in reg.children() {
        props.insert(
            kid.api.into(),
            json!({ "type": "array", "description": "the records that belong to this one",
                "items": { "$ref": format!("#/components/schemas/{}", kid.schema) } }),
        );
    }
    let required: Vec<&str> = props.keys().map(String::as_str).collect();
    out.insert(
        reg.schema.into(),
        json!({ "type": "object", "additionalProperties": false, "required": required, "properties": props }),
    );
    let mut input = Map::new();
    for f in reg.fields {
        input.insert(f.name.into(), field_schema(f, true));
    }
    // The record a record belongs to is in the path when added under it, and
    // kept when left out of an update.
    let required: Vec<&str> = reg
        .fields
        .iter()
        .filter(|f| f.required && f.kind != Kind::Bool && Some(f.name) != reg.parent)
        .map(|f| f.name)
        .collect();
    out.insert(
        format!("{}Input", reg.schema),
        json!({ "type": "object", "additionalProperties": false, "required": required, "properties": input }),
    );
}

fn param(name: &str, place: &str, schema: Value, description: &str) -> Value {
    json!({ "name": name, "in": place, "required": place == "path", "schema": schema, "description": description })
}

fn list_params(reg: &Register) -> Vec<Value> {
    let mut v = vec![param("slug", "path", json!({ "type": "string" }), "organisation slug")];
    for p in LIST_PARAMS {
        let schema = match p {
            "archived" => json!({ "type": "string", "enum": ["active", "archived", "all"] }),
            "sort" => {
                let mut s: Vec<&str> = reg.fields.iter().filter(|f| f.sort).map(|f| f.name).collect();
                s.push("updated");
                json!({ "type": "string", "enum": s })
            }
            "dir" => json!({ "type": "string", "enum": ["asc", "desc"] }),
            "page" => json!({ "type": "integer", "minimum": 1, "maximum": 1_000_000 }),
            "per_page" => json!({ "type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX }),
            _ => json!({ "type": "string" }),
        };
        v.push(param(p, "query", schema, "search, show, sort or page"));
    }
    for f in reg.fields.iter().filter(|f| f.filter) {
        let schema = match f.kind {
            Kind::Choice { codes, .. } => json!({ "type": "string", "enum": codes }),
            Kind::Member | Kind::Link(_) => json!({ "type": "string", "format": "uuid" }),
            Kind::Bool => json!({ "type": "string", "enum": ["true", "false"] }),
            Kind::Controls(_) => {
                let ids: Vec<&str> = borgen_core::catalog::controls().iter().map(|c| c.id.as_str()).collect();
                json!({ "type": "string", "enum": ids, "description": "records linked to this Annex A control" })
            }
            _ => json!({ "type": "string" }),
        };
        v.push(param(f.name, "query", schema, "filter"));
    }
    v
}

/// The operations of every declared register, added to `paths`.
pub fn paths(reg: &Register, paths: &mut Map<String, Value>) {
    let slug = || param("slug", "path", json!({ "type": "string" }), "organisation slug");
    let id = || param("id", "path", json!({ "type": "string", "format": "uuid" }), "record id");
    let one = json!({ "$ref": format!("#/components/schemas/{}", reg.schema) });
    let input = json!({ "$ref": format!("#/components/schemas/{}Input", reg.schema) });
    let tag = format!("{} {}", reg.clause, reg.key);
    for (path, method, what) in api_operations(reg) {
        let (params, ok, status, body): (Vec<Value>, Value, &str, bool) = match what {
            "list" => (
                list_params(reg),
                json!({ "type": "object", "additionalProperties": false, "required": ["items", "total", "page", "per_page"],
                    "properties": { "items": { "type": "array", "items": one }, "total": { "type": "integer" },
                    "page": { "type": "integer" }, "per_page": { "type": "integer" } } }),
                "200",
                false,
            ),
            "create" => (vec![slug()], one.clone(), "201", true),
            "add" => (vec![slug(), id()], one.clone(), "201", true),
            "children" => (
                vec![slug(), id()],
                json!({ "type": "object", "additionalProperties": false, "required": ["items"],
                    "properties": { "items": { "type": "array", "items": one } } }),
                "200",
                false,
            ),
            "update" => (vec![slug(), id()], one.clone(), "200", true),
            "export" => {
                let mut p = list_params(reg);
                p.push(param(
                    "format",
                    "path",
                    json!({ "type": "string", "enum": ["csv", "xlsx", "pdf"] }),
                    "file format",
                ));
                (p, json!({ "type": "string", "format": "binary" }), "200", false)
            }
            "history" => (
                vec![slug(), id()],
                json!({ "type": "object", "properties": { "items": { "type": "array",
                    "items": { "$ref": "#/components/schemas/AuditEvent" } } } }),
                "200",
                false,
            ),
            _ => (vec![slug(), id()], one.clone(), "200", false),
        };
        let content = if what == "export" {
            json!({ "text/csv": { "schema": ok }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": ok }, "application/pdf": { "schema": ok } })
        } else {
            json!({ "application/json": { "schema": ok } })
        };
        let mut o = json!({
            "summary": format!("{what} ({} {})", reg.clause, reg.key.replace('_', " ")),
            "operationId": format!("{}_{what}", reg.key),
            "tags": [tag],
            "parameters": params,
            "responses": { status: { "description": "OK", "content": content },
                "400": error_ref(), "401": error_ref(), "403": error_ref(), "404": error_ref() },
        });
        if what == "create" || what == "add" {
            // Links let a stateful fuzzer (and a reader) follow a new record.
            let mut links = Map::new();
            for next in ["get", "update", "archive", "restore", "history"] {
                links.insert(
                    next.into(),
                    json!({ "operationId": format!("{}_{next}", reg.key),
                        "parameters": { "slug": "$request.path.slug", "id": "$response.body#/id" } }),
                );
            }
            o["responses"]["201"]["links"] = Value::Object(links);
        }
        if body {
            o["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": input } } });
            o["responses"]["415"] = error_ref();
            o["responses"]["422"] = error_ref();
        }
        if matches!(what, "update" | "archive" | "restore" | "add") {
            o["responses"]["409"] = error_ref();
        }
        paths.entry(path).or_insert_with(|| json!({}))[method] = o;
    }
}
